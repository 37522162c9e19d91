"""What a buyer gets for an order: signed ticket codes, the PDF and the calendar entry."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import override

from config.i18n import translated
from events.ics import build_calendar
from tickets.models import Order, OrderStatus, Ticket, TicketStatus
from tickets.pdf import PrintableTicket, render_tickets_pdf
from tickets.qr import sign_ticket

# A ticket scans until a day after the event ends (late exits, multi-day festivals' last night).
VALID_AFTER_END = timedelta(days=1)


@dataclass(frozen=True)
class IssuedTicket:
    ticket: Ticket
    code: str


def ticket_code(ticket: Ticket) -> str:
    """The signed code in a ticket's QR; it holds no personal data."""
    return sign_ticket(
        ticket_id=ticket.id, event_id=ticket.event_id, valid_until=ticket.event.ends_at + VALID_AFTER_END
    )


def issued_tickets(order: Order) -> list[IssuedTicket]:
    """The order's valid tickets with their codes; none unless the order is paid."""
    if order.status != OrderStatus.PAID:
        return []
    tickets = order.tickets.filter(status=TicketStatus.VALID).select_related("ticket_type", "event")
    return [IssuedTicket(ticket=ticket, code=ticket_code(ticket)) for ticket in tickets]


def tickets_pdf(order: Order) -> bytes:
    """One page per valid ticket, in the buyer's language."""
    event = order.event
    venue = event.venue
    language = order.language
    printable = [
        PrintableTicket(
            code=issued.code,
            event_title=translated(event, "title", language),
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            venue_name=venue.name,
            venue_address=venue.address_line,
            hall_name=event.hall.name if event.hall else "",
            ticket_type_name=translated(issued.ticket.ticket_type, "name", language),
            price_ore=issued.ticket.ticket_type.price_ore,
            order_reference=order.reference,
            is_companion=issued.ticket.ticket_type.is_companion,
        )
        for issued in issued_tickets(order)
    ]
    return render_tickets_pdf(printable, language=language)


def event_calendar(order: Order, *, event_url: str) -> bytes:
    """The event as an .ics file, with the same UID as the public feeds so calendars merge them."""
    with override(order.language):
        return build_calendar(
            [order.event],
            name=translated(order.event, "title", order.language),
            language=order.language,
            url_for=lambda _event: event_url,
        )
