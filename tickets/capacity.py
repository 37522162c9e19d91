"""How many tickets are taken and left, per ticket type and for the whole event.

Taken means paid, or reserved and not yet expired: an expired reservation stops counting
the moment it expires, without any job having to run.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from events.models import Event
from tickets.models import OrderStatus, TicketType


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


@dataclass(frozen=True)
class CountedTypes:
    """An event's ticket types and what is taken of them, read in one query."""

    types: dict[int, TicketType]
    availability: Availability


def count_ticket_types(*, event: Event, now: datetime) -> CountedTypes:
    """All ticket types of an event with their taken tickets, counted from the database (never a cache)."""
    holding = Q(order_lines__order__status=OrderStatus.PAID) | Q(
        order_lines__order__status=OrderStatus.RESERVED, order_lines__order__expires_at__gt=now
    )
    rows = list(
        TicketType.objects.filter(event_id=event.pk)
        .annotate(taken=Coalesce(Sum("order_lines__quantity", filter=holding), 0))
        .order_by()  # the default ordering would join the event
    )
    taken = {row.pk: row.taken for row in rows if row.taken}
    current = Availability(taken_by_type=taken, taken_total=sum(taken.values()), event_capacity=event_capacity(event))
    return CountedTypes(types={row.pk: row for row in rows}, availability=current)


def availability(*, event: Event, now: datetime) -> Availability:
    """Taken tickets per type and in total, counted from the database (never from a cache)."""
    return count_ticket_types(event=event, now=now).availability
