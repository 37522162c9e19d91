"""Reads of ticket sales for the API and pages: ticket types with their availability."""

from dataclasses import dataclass
from datetime import datetime

from events.models import Event
from tickets.capacity import availability
from tickets.models import TicketType

FEW_LEFT = 10


@dataclass(frozen=True)
class OfferedTicketType:
    ticket_type: TicketType
    is_on_sale: bool
    left: int | None

    @property
    def status(self) -> str:
        """`available`, `few_left`, `sold_out` or `not_on_sale`."""
        if not self.is_on_sale:
            return "not_on_sale"
        if self.left == 0:
            return "sold_out"
        if self.left is not None and self.left <= FEW_LEFT:
            return "few_left"
        return "available"


def offered_ticket_types(*, event: Event, now: datetime) -> list[OfferedTicketType]:
    """The visible ticket types of an event with what is left of each, counted in one query."""
    current = availability(event=event, now=now)
    offered = []
    for ticket_type in TicketType.objects.filter(event=event, is_visible=True).order_by("position", "id"):
        offered.append(
            OfferedTicketType(
                ticket_type=ticket_type,
                is_on_sale=ticket_type.is_in_sales_window(now) and event.ends_at > now,
                left=current.left_for(ticket_type, event.venue.wheelchair_spaces),
            )
        )
    return offered
