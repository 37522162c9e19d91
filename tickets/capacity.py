"""How many tickets are taken and left, per ticket type and for the whole event.

Taken means paid, or reserved and not yet expired: an expired reservation stops counting
the moment it expires, without any job having to run.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from events.models import Event
from tickets.models import OrderStatus, TicketType

# Written out rather than built by the ORM: a sale counts twice per reservation, and building the
# query cost more CPU than running it.
TAKEN_SQL = """
    SELECT line.ticket_type_id, SUM(line.quantity)
    FROM tickets_orderline line JOIN tickets_order ord ON ord.id = line.order_id
    WHERE ord.event_id = %s AND (ord.status = %s OR (ord.status = %s AND ord.expires_at > %s))
    GROUP BY line.ticket_type_id
"""
# The event's ticket types with the same count, read at once before a sale takes the lock.
TYPES_TAKEN_SQL = """
    SELECT tt.*, COALESCE(taken.quantity, 0) AS taken
    FROM tickets_tickettype tt LEFT JOIN (
        SELECT line.ticket_type_id, SUM(line.quantity) AS quantity
        FROM tickets_orderline line JOIN tickets_order ord ON ord.id = line.order_id
        WHERE ord.event_id = %s AND (ord.status = %s OR (ord.status = %s AND ord.expires_at > %s))
        GROUP BY line.ticket_type_id
    ) taken ON taken.ticket_type_id = tt.id
    WHERE tt.event_id = %s
"""


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


def _holding(event_id: int, now: datetime) -> list[Any]:
    return [event_id, OrderStatus.PAID.value, OrderStatus.RESERVED.value, connection.ops.adapt_datetimefield_value(now)]


def _availability(event: Event, taken: dict[int, int]) -> Availability:
    taken = {type_id: count for type_id, count in taken.items() if count}
    return Availability(taken_by_type=taken, taken_total=sum(taken.values()), event_capacity=event_capacity(event))


def availability(*, event: Event, now: datetime) -> Availability:
    """Taken tickets per type and in total, counted from the database (never from a cache)."""
    with connection.cursor() as cursor:
        cursor.execute(TAKEN_SQL, _holding(event.pk, now))
        return _availability(event, {type_id: int(taken) for type_id, taken in cursor.fetchall()})


def counted_ticket_types(*, event: Event, now: datetime) -> tuple[dict[int, TicketType], Availability]:
    """All ticket types of an event and its availability, read in one statement."""
    types = {row.pk: row for row in TicketType.objects.raw(TYPES_TAKEN_SQL, [*_holding(event.pk, now), event.pk])}
    taken = {type_id: int(row.taken) for type_id, row in types.items()}  # type: ignore[attr-defined]
    return types, _availability(event, taken)
