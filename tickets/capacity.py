"""How many tickets are taken and left, per ticket type and for the whole event.

Taken means paid, or reserved and not yet expired: an expired reservation stops counting
the moment it expires, without any job having to run. A paid ticket that staff cancel or refund
stops counting too, so its seat can be sold again. Paid tickets are kept as a count on each ticket
type (`TicketType.paid_tickets`), changed in the same transaction as the order's or tickets' status, so
a count reads the ticket types and the live reservations only: its cost follows the buyers in
checkout, not the size of the hall.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet

from config.sql_rows import ModelColumns
from events.models import Event
from tickets.models import OrderStatus, Ticket, TicketStatus, TicketType
from venues.models import Hall, Venue

# Written out rather than built by the ORM: a sale counts twice per reservation, and building the
# query cost more CPU than running it. One statement reads the paid count and the live
# reservations, so an order turning from reserved to paid meanwhile is seen once, never twice or not at all.
# Live reservations are found through the index on (event, status, expiry) and grouped once.
LIVE_RESERVATIONS_SQL = """
    SELECT line.ticket_type_id, SUM(line.quantity) AS quantity
    FROM tickets_order ord JOIN tickets_orderline line ON line.order_id = ord.id
    WHERE ord.event_id = {event} AND ord.status = %s AND ord.expires_at > %s
    GROUP BY line.ticket_type_id
"""
TAKEN_SQL = f"""
    SELECT tt.id, tt.paid_tickets + COALESCE(live.quantity, 0)
    FROM tickets_tickettype tt
    LEFT JOIN ({LIVE_RESERVATIONS_SQL.format(event="%s")}) live ON live.ticket_type_id = tt.id
    WHERE tt.event_id = %s
"""  # noqa: S608 (built from the constant above only)
# What a sale reads of an event (its state, capacity, hall and wheelchair spaces) with each of its
# ticket types and what is taken of it: one statement before the sale takes the event's lock.
_SALE_EVENT = ModelColumns(Event, "e", "id", "slug", "status", "booking_mode", "ends_at", "capacity", "venue", "hall")
_SALE_VENUE = ModelColumns(Venue, "v", "id", "wheelchair_spaces")
_SALE_HALL = ModelColumns(Hall, "h", "id", "seated_capacity", "standing_capacity")
_SALE_TYPE = ModelColumns(TicketType, "tt", *(field.name for field in TicketType._meta.concrete_fields))
_SALE_SQL = f"""
    SELECT {_SALE_EVENT.sql}, {_SALE_VENUE.sql}, {_SALE_HALL.sql}, {_SALE_TYPE.sql},
        tt.paid_tickets + COALESCE(live.quantity, 0)
    FROM events_event e
    JOIN venues_venue v ON v.id = e.venue_id
    LEFT JOIN venues_hall h ON h.id = e.hall_id
    LEFT JOIN tickets_tickettype tt ON tt.event_id = e.id
    LEFT JOIN ({LIVE_RESERVATIONS_SQL}) live ON live.ticket_type_id = tt.id
    WHERE e.id = {{event}}
"""  # noqa: S608 (column lists from the models, every value a parameter)
SALE_BY_ID_SQL = _SALE_SQL.format(event="%s")
SALE_BY_SLUG_SQL = _SALE_SQL.format(event="(SELECT id FROM events_event WHERE slug = %s)")
CHANGE_PAID_SQL = "UPDATE tickets_tickettype SET paid_tickets = paid_tickets + %s WHERE id = %s"


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


def _live(now: datetime) -> list[Any]:
    """The parameters that pick reservations still held at `now`."""
    return [OrderStatus.RESERVED.value, connection.ops.adapt_datetimefield_value(now)]


def _holding(event: int | str | None, now: datetime) -> list[Any]:
    return [event, *_live(now), event]


def _availability(event: Event, taken: dict[int, int]) -> Availability:
    taken = {type_id: count for type_id, count in taken.items() if count}
    return Availability(taken_by_type=taken, taken_total=sum(taken.values()), event_capacity=event_capacity(event))


def availability(*, event: Event, now: datetime) -> Availability:
    """Taken tickets per type and in total, counted from the database (never from a cache)."""
    with connection.cursor() as cursor:
        cursor.execute(TAKEN_SQL, _holding(event.pk, now))
        return _availability(event, {type_id: int(taken) for type_id, taken in cursor.fetchall()})


@dataclass(frozen=True)
class SaleState:
    """An event as a sale reads it (`event.venue` and `event.hall` attached), its ticket types, and what is taken."""

    event: Event
    types: dict[int, TicketType]
    current: Availability


def sale_state(*, now: datetime, slug: str | None = None, event_id: int | None = None) -> SaleState | None:
    """The event with this slug (or id) ready for a sale, counted from the database; None when there is none."""
    sql, key = (SALE_BY_SLUG_SQL, slug) if event_id is None else (SALE_BY_ID_SQL, event_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, _holding(key, now))
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    event = _SALE_EVENT.instance(first)
    at = _SALE_EVENT.width
    event.venue = _SALE_VENUE.instance(first, at)
    at += _SALE_VENUE.width
    event.hall = None if first[at] is None else _SALE_HALL.instance(first, at)
    at += _SALE_HALL.width
    types: dict[int, TicketType] = {}
    taken: dict[int, int] = {}
    for row in rows:
        if row[at] is not None:
            ticket_type = _SALE_TYPE.instance(row, at)
            types[ticket_type.pk], taken[ticket_type.pk] = ticket_type, int(row[-1])
    return SaleState(event=event, types=types, current=_availability(event, taken))


def count_paid(seats: Iterable[tuple[int, int]]) -> None:
    """Add the seats, (ticket type, quantity), of an order just marked paid to the paid count.

    Call it in the transaction that marks the order paid. The UPDATE takes no lock that a
    reservation or a ticket's foreign key waits for; payments of one type queue for its row briefly.
    """
    _change_paid(seats, 1)


def uncount_paid(tickets: "QuerySet[Ticket]") -> None:
    """Take the valid ones of these tickets of a paid order off the paid count, in the transaction
    that revokes them (a cancellation or refund of the order or of some of its tickets)."""
    valid = tickets.filter(status=TicketStatus.VALID).order_by().values_list("ticket_type_id")
    _change_paid(valid.annotate(Count("pk")), -1)


def _change_paid(seats: Iterable[tuple[int, int]], sign: int) -> None:
    # In the order of the rows' ids: two payments or cancellations of the same types lock them alike.
    with connection.cursor() as cursor:
        for ticket_type_id, quantity in sorted(seats):
            cursor.execute(CHANGE_PAID_SQL, [sign * quantity, ticket_type_id])


def recount_paid() -> int:
    """Count every ticket type's paid tickets again from the tickets themselves and correct the count
    where it differs; the number of ticket types corrected.

    For after a deploy in which processes still running the code before the count sold or cancelled
    while the migration filled it in. The ticket types are locked first: payments in flight finish
    before the count is taken, and later ones wait for it and add to the corrected number.
    """
    valid_and_paid = Q(tickets__status=TicketStatus.VALID, tickets__order__status=OrderStatus.PAID)
    with transaction.atomic():
        list(TicketType.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        wrong = list(
            TicketType.objects.annotate(counted=Count("tickets", filter=valid_and_paid))
            .exclude(paid_tickets=F("counted"))
            .values_list("pk", "counted")
        )
        for ticket_type_id, counted in wrong:
            TicketType.objects.filter(pk=ticket_type_id).update(paid_tickets=counted)
    return len(wrong)
