"""How many tickets are taken and left, per ticket type and for the whole event.

Taken means paid, or reserved and not yet expired: an expired reservation stops counting
the moment it expires, without any job having to run.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet, Sum

from events.models import Event
from tickets.models import OrderLine, OrderStatus, TicketType


@dataclass(frozen=True)
class Availability:
    taken_by_type: dict[int, int]
    taken_total: int
    event_capacity: int | None

    def left_for(self, ticket_type: TicketType, wheelchair_spaces: int | None) -> int | None:
        """Tickets of this type that can still be sold, or None when there is no limit."""
        limits = [
            limit - taken
            for limit, taken in (
                (ticket_type.capacity, self.taken_by_type.get(ticket_type.pk, 0)),
                # Companions need a known wheelchair space each; unknown spaces sell none.
                (
                    (wheelchair_spaces or 0) if ticket_type.is_companion else None,
                    self.taken_by_type.get(ticket_type.pk, 0),
                ),
                (self.event_capacity, self.taken_total),
            )
            if limit is not None
        ]
        return max(0, min(limits)) if limits else None


def event_capacity(event: Event) -> int | None:
    """The event's own capacity, else its hall's (seated, then standing); None means no limit."""
    if event.capacity is not None:
        return event.capacity
    if event.hall is not None:
        return event.hall.seated_capacity or event.hall.standing_capacity
    return None


def taken_lines(*, event_id: int, now: datetime) -> QuerySet[OrderLine]:
    """Order lines holding capacity of an event at `now`."""
    holding = Q(order__status=OrderStatus.PAID) | Q(order__status=OrderStatus.RESERVED, order__expires_at__gt=now)
    return OrderLine.objects.filter(holding, order__event_id=event_id)


def availability(*, event: Event, now: datetime) -> Availability:
    """Taken tickets per type and in total, counted from the database (never from a cache)."""
    rows = taken_lines(event_id=event.pk, now=now).values("ticket_type_id").annotate(taken=Sum("quantity"))
    by_type = {row["ticket_type_id"]: row["taken"] for row in rows}
    return Availability(taken_by_type=by_type, taken_total=sum(by_type.values()), event_capacity=event_capacity(event))
