"""Writes of ticket sales: reserving, paying, issuing and releasing tickets."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import BookingMode, Event, EventStatus
from tickets.capacity import availability
from tickets.exceptions import LimitExceeded, NotOnSale, SoldOut, TicketingError
from tickets.models import Order, OrderLine, OrderStatus, Ticket, TicketType

# No 0/O or 1/I/L: people read references aloud on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


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


def new_reference() -> str:
    return "HK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))


def _check_items(event: Event, items: Sequence[Item], types: dict[int, TicketType], now: datetime) -> None:
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


def check_capacity(event: Event, items: Sequence[Item], types: dict[int, TicketType], now: datetime) -> None:
    """Raise SoldOut unless the items fit both each type's limit and the event's; lock the event first."""
    current = availability(event=event, now=now)
    wheelchair_spaces = event.venue.wheelchair_spaces
    for item in items:
        left = current.left_for(types[item.ticket_type_id], wheelchair_spaces)
        if left is not None and item.quantity > left:
            raise SoldOut(f"Only {left} left of {types[item.ticket_type_id].name}.")
    wanted = sum(item.quantity for item in items)
    if current.event_capacity is not None and current.taken_total + wanted > current.event_capacity:
        raise SoldOut(f"Only {max(0, current.event_capacity - current.taken_total)} tickets left.")


@transaction.atomic
def place_order(*, event_id: int, items: Sequence[Item], buyer: Buyer, now: datetime | None = None) -> Order:
    """Reserve tickets for a limited time; free orders are confirmed and issued at once.

    The event row is locked for the length of this short transaction, so two buyers of the
    same event are counted one after the other and capacity can never be oversold.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update(of=("self",)).select_related("venue", "hall").get(pk=event_id)
    if event.status != EventStatus.PUBLISHED or event.booking_mode == BookingMode.DROP_IN or event.ends_at < now:
        raise NotOnSale("This event does not sell tickets now.")
    types = {t.pk: t for t in TicketType.objects.filter(event=event)}
    _check_items(event, items, types, now)
    check_capacity(event, items, types, now)
    total = sum(types[item.ticket_type_id].price_ore * item.quantity for item in items)
    order = _create_order(event=event, buyer=buyer, total_ore=total, now=now)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            ticket_type=types[item.ticket_type_id],
            quantity=item.quantity,
            unit_price_ore=types[item.ticket_type_id].price_ore,
            vat_rate=types[item.ticket_type_id].vat_rate,
        )
        for item in items
    )
    if total == 0:
        mark_paid(order=order, now=now)
    return order


def _create_order(*, event: Event, buyer: Buyer, total_ore: int, now: datetime) -> Order:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    reference=new_reference(),
                    event=event,
                    expires_at=now + timedelta(minutes=settings.RESERVATION_MINUTES),
                    total_ore=total_ore,
                    buyer_name=buyer.name,
                    buyer_email=buyer.email,
                    buyer_is_resident=buyer.is_resident,
                    buyer_postcode=buyer.postcode,
                    buyer_country=buyer.country,
                    language=buyer.language,
                    newsletter_opt_in=buyer.newsletter_opt_in,
                )
        except IntegrityError:
            continue  # a reference collision (1 in 28 million); draw again
    raise TicketingError("Could not create an order reference.")


def mark_paid(*, order: Order, now: datetime) -> list[Ticket]:
    """Mark a locked order paid and issue one ticket per seat; doing it twice changes nothing."""
    if order.status == OrderStatus.PAID:
        return list(order.tickets.all())
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.save(update_fields=["status", "paid_at"])
    tickets = [
        Ticket(order=order, ticket_type_id=line.ticket_type_id, event_id=order.event_id)
        for line in order.lines.all()
        for _seat in range(line.quantity)
    ]
    issued = Ticket.objects.bulk_create(tickets)
    # robust: the payment stands even if the e-mail cannot be queued (or, run eagerly, sent).
    # A lambda, not partial(): Django logs a robust callback's failure by its __qualname__.
    order_id = order.pk
    transaction.on_commit(lambda: _queue_order_confirmation(order_id), robust=True)
    return issued


def _queue_order_confirmation(order_id: int) -> None:
    from tickets.tasks import send_order_confirmation  # tasks import this module

    send_order_confirmation.delay(order_id)
