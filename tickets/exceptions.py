"""Domain errors of ticket sales, each with a stable machine-readable code."""


class TicketingError(Exception):
    code = "ticketing_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SoldOut(TicketingError):
    code = "sold_out"


class NotOnSale(TicketingError):
    code = "not_on_sale"


class LimitExceeded(TicketingError):
    code = "limit_exceeded"


class PaymentsUnavailable(TicketingError):
    code = "payments_unavailable"


class IssueAlreadyResolved(TicketingError):
    code = "already_resolved"
