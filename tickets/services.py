"""Writes of ticket sales: reserving, paying, issuing and releasing tickets."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.sql_rows import aware
from events.models import BookingMode, Event, EventQuerySet, EventStatus
from tickets.capacity import Availability, SaleState, availability, count_paid, sale_state, uncount_paid
from tickets.exceptions import LimitExceeded, NotOnSale, SoldOut, TicketingError
from tickets.models import Order, OrderLine, OrderStatus, Ticket, TicketStatus, TicketType

# No 0/O or 1/I/L: people read references aloud on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_ATTEMPTS = 5
# What a sale reads of an event, and the event's own fields that decide it (compared again under the lock).
SALE_FIELDS = (
    "slug",
    "status",
    "booking_mode",
    "ends_at",
    "capacity",
    "venue__wheelchair_spaces",
    "hall__seated_capacity",
    "hall__standing_capacity",
)
LOCKED_FIELDS = ("status", "booking_mode", "ends_at", "capacity", "hall_id")
# Written out: it runs once per reservation, and building it with the ORM cost more than running it.
LOCK_SQL = "SELECT {} FROM events_event WHERE id = %s".format(", ".join(LOCKED_FIELDS))  # noqa: S608


@dataclass(frozen=True)
class Buyer:
    name: str
    email: str
    is_resident: bool
    postcode: str
    country: str
    language: str
    newsletter_opt_in: bool = False


@dataclass(frozen=True)
class Item:
    ticket_type_id: int
    quantity: int


@dataclass(frozen=True)
class PlacedOrder:
    """A new order with its lines and their ticket types, so that nothing has to be read again."""

    order: Order
    lines: list[OrderLine]


def new_reference() -> str:
    return "HK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))


def events_for_sale() -> EventQuerySet:
    """Events with only what a sale needs of them: their state, hall capacity and wheelchair spaces."""
    return Event.objects.select_related("venue", "hall").only(*SALE_FIELDS)


def _check_on_sale(event: Event, now: datetime) -> None:
    if event.status != EventStatus.PUBLISHED or event.booking_mode == BookingMode.DROP_IN or event.ends_at < now:
        raise NotOnSale("This event does not sell tickets now.")


def _check_items(items: Sequence[Item], types: dict[int, TicketType], now: datetime) -> None:
    if not items:
        raise LimitExceeded("Choose at least one ticket.")
    if len({item.ticket_type_id for item in items}) != len(items):
        raise LimitExceeded("Each ticket type may appear once.")
    for item in items:
        ticket_type = types.get(item.ticket_type_id)
        if ticket_type is None or not ticket_type.is_visible:
            raise NotOnSale("This ticket type is not sold for this event.")
        if not ticket_type.is_in_sales_window(now):
            raise NotOnSale(f"{ticket_type.name} is not on sale now.")
        if not ticket_type.min_per_order <= item.quantity <= ticket_type.max_per_order:
            raise LimitExceeded(
                f"{ticket_type.name}: between {ticket_type.min_per_order} and {ticket_type.max_per_order} per order."
            )


def _check_free_registration(event: Event, items: Sequence[Item], types: dict[int, TicketType]) -> None:
    # a priced type on a free registration is a mistake in its set-up: never take money for it
    if event.booking_mode == BookingMode.FREE_REGISTRATION and any(
        types[item.ticket_type_id].price_ore for item in items
    ):
        raise NotOnSale("Registration for this event is free, but this ticket type has a price.")


def check_capacity(event: Event, items: Sequence[Item], types: dict[int, TicketType], current: Availability) -> None:
    """Raise SoldOut unless the items fit both each type's limit and the event's.

    Decisive only when counted while the event's row is locked; without the lock it is a pre-check.
    """
    wheelchair_spaces = event.venue.wheelchair_spaces
    for item in items:
        ticket_type = types[item.ticket_type_id]
        left = current.left_for(ticket_type, wheelchair_spaces)
        if left is not None and item.quantity > left:
            raise SoldOut(f"Only {left} left of {ticket_type.name}.")
    wanted = sum(item.quantity for item in items)
    if current.event_capacity is not None and current.taken_total + wanted > current.event_capacity:
        raise SoldOut(f"Only {max(0, current.event_capacity - current.taken_total)} tickets left.")


def place_order(*, event_id: int, items: Sequence[Item], buyer: Buyer, now: datetime | None = None) -> Order:
    """Reserve tickets for a limited time; free orders are confirmed and issued at once."""
    now = now or timezone.now()
    sale = sale_state(event_id=event_id, now=now)
    if sale is None:
        raise Event.DoesNotExist(f"No event {event_id}.")
    return reserve_tickets(sale=sale, items=items, buyer=buyer, now=now).order


def reserve_tickets(
    *, sale: SaleState, items: Sequence[Item], buyer: Buyer, now: datetime | None = None
) -> PlacedOrder:
    """Reserve tickets of an event read by `sale_state()`; free orders are confirmed and issued at once.

    Everything but the final count is checked before the event's row is locked, and when nothing
    is left the committed count read with the event answers sold out without waiting for the lock.
    Under the lock the count is repeated and the order inserted, so two buyers of the same event
    are counted one after the other and capacity can never be oversold.
    """
    now = now or timezone.now()
    event, types = sale.event, sale.types
    _check_on_sale(event, now)
    _check_items(items, types, now)
    _check_free_registration(event, items, types)
    check_capacity(event, items, types, sale.current)
    for _attempt in range(REFERENCE_ATTEMPTS):
        reference = new_reference()
        try:
            with transaction.atomic():
                locked = _lock_for_sale(event, now)
                _check_free_registration(locked, items, types)
                check_capacity(locked, items, types, availability(event=locked, now=now))
                return _insert_order(locked, items, types, buyer, reference, now)
        except IntegrityError:
            if not Order.objects.filter(reference=reference).exists():
                raise
            # a reference collision (1 in 28 million): draw again
    raise TicketingError("Could not create an order reference.")


def _lock_for_sale(event: Event, now: datetime) -> Event:
    """Lock the event's row and return the event, read again if it changed since it was read.

    FOR NO KEY UPDATE: it still queues buyers one after the other, but not the foreign-key checks
    of payments issuing tickets for the same event. (SQLite locks the whole database instead.)
    """
    lock = " FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update else ""
    with connection.cursor() as cursor:
        cursor.execute(LOCK_SQL + lock, [event.pk])
        status, booking_mode, ends_at, capacity, hall_id = cursor.fetchone()
    if (status, booking_mode, aware(ends_at), capacity, hall_id) == tuple(getattr(event, f) for f in LOCKED_FIELDS):
        return event
    sale = sale_state(event_id=event.pk, now=now)
    assert sale is not None  # locked: it cannot have gone
    _check_on_sale(sale.event, now)
    return sale.event


def _insert_order(
    event: Event, items: Sequence[Item], types: dict[int, TicketType], buyer: Buyer, reference: str, now: datetime
) -> PlacedOrder:
    lines = [
        OrderLine(
            ticket_type=types[item.ticket_type_id],
            quantity=item.quantity,
            unit_price_ore=types[item.ticket_type_id].price_ore,
            vat_rate=types[item.ticket_type_id].vat_rate,
        )
        for item in items
    ]
    order = Order.objects.create(
        reference=reference,
        event=event,
        expires_at=now + timedelta(minutes=settings.RESERVATION_MINUTES),
        total_ore=sum(line.unit_price_ore * line.quantity for line in lines),
        buyer_name=buyer.name,
        buyer_email=buyer.email,
        buyer_is_resident=buyer.is_resident,
        buyer_postcode=buyer.postcode,
        buyer_country=buyer.country,
        language=buyer.language,
        newsletter_opt_in=buyer.newsletter_opt_in,
    )
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    if order.total_ore == 0:
        mark_paid(order=order, now=now, lines=lines)
    return PlacedOrder(order=order, lines=lines)


def mark_paid(*, order: Order, now: datetime, lines: Iterable[OrderLine] | None = None) -> list[Ticket]:
    """Mark a locked order paid and issue one ticket per seat; doing it twice changes nothing."""
    if order.status == OrderStatus.PAID:
        return list(order.tickets.all())
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.save(update_fields=["status", "paid_at"])
    seats = [(line.ticket_type_id, line.quantity) for line in (order.lines.all() if lines is None else lines)]
    return issue_tickets(order_id=order.pk, event_id=order.event_id, seats=seats)


def issue_tickets(*, order_id: int, event_id: int, seats: Iterable[tuple[int, int]]) -> list[Ticket]:
    """Issue the tickets of an order just marked paid, `seats` being (ticket type, quantity), count them as
    paid, and queue its e-mail."""
    seats = list(seats)
    issued = Ticket.objects.bulk_create(
        Ticket(order_id=order_id, ticket_type_id=ticket_type_id, event_id=event_id)
        for ticket_type_id, quantity in seats
        for _seat in range(quantity)
    )
    count_paid(seats)
    # robust: the payment stands even if the e-mail cannot be queued (or, run eagerly, sent).
    # A lambda, not partial(): Django logs a robust callback's failure by its __qualname__.
    transaction.on_commit(lambda: _queue_order_confirmation(order_id), robust=True)
    return issued


def revoke_tickets(tickets: QuerySet[Ticket], *, now: datetime, reason: str = "") -> int:
    """Revoke the valid ones of these tickets (cancelled or refunded) and free their seats; how many.

    Valid tickets stand only on paid orders, so each one revoked leaves the paid count.
    """
    valid = tickets.filter(status=TicketStatus.VALID)
    uncount_paid(valid)
    return valid.update(status=TicketStatus.REVOKED, revoked_at=now, revoked_reason=reason)


def _queue_order_confirmation(order_id: int) -> None:
    from tickets.tasks import send_order_confirmation  # tasks import this module

    send_order_confirmation.delay(order_id)
