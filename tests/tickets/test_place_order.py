"""Reserving tickets: limits, sales windows, capacity at two levels, expiry."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from events.models import BookingMode, EventStatus
from tests.factories import EventFactory, HallFactory, TicketTypeFactory, VenueFactory, buyer, paid_tickets
from tickets.cancellation import cancel_order, cancel_tickets
from tickets.capacity import availability, sale_state
from tickets.checkout import expire_lapsed_reservations
from tickets.exceptions import LimitExceeded, NotOnSale, SoldOut
from tickets.models import Order, OrderStatus, Ticket, TicketType
from tickets.payments.gateway import WebhookEvent
from tickets.services import Item, place_order, reserve_tickets
from tickets.webhooks import handle_webhook_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def concert():
    hall = HallFactory(seated_capacity=10, standing_capacity=None)
    return EventFactory(venue=hall.venue, hall=hall)


def test_a_reservation_holds_tickets_until_it_expires(concert, settings):
    settings.RESERVATION_MINUTES = 15
    adult = TicketTypeFactory(event=concert, price_ore=25000)
    now = timezone.now()

    order = place_order(event_id=concert.pk, items=[Item(adult.pk, 3)], buyer=buyer(), now=now)

    assert (order.status, order.total_ore, order.currency) == (OrderStatus.RESERVED, 75000, "DKK")
    assert order.expires_at == now + timedelta(minutes=15)
    assert order.reference.startswith("HK-") and len(order.reference) == 8
    assert availability(event=concert, now=now).taken_total == 3
    assert availability(event=concert, now=order.expires_at).taken_total == 0
    assert not Ticket.objects.exists()


def test_the_hall_limits_all_ticket_types_together(concert):
    adult, child = TicketTypeFactory(event=concert), TicketTypeFactory(event=concert, price_ore=10000)
    place_order(event_id=concert.pk, items=[Item(adult.pk, 6)], buyer=buyer())

    with pytest.raises(SoldOut) as raised:
        place_order(event_id=concert.pk, items=[Item(child.pk, 5)], buyer=buyer())

    assert raised.value.code == "sold_out"
    assert Order.objects.count() == 1
    assert place_order(event_id=concert.pk, items=[Item(child.pk, 4)], buyer=buyer()).total_ore == 40000


def test_a_ticket_type_has_its_own_limit_too(concert):
    balcony = TicketTypeFactory(event=concert, capacity=2)
    with pytest.raises(SoldOut):
        place_order(event_id=concert.pk, items=[Item(balcony.pk, 3)], buyer=buyer())
    assert not Order.objects.exists()


def test_companion_tickets_are_limited_to_wheelchair_spaces(db):
    venue = VenueFactory(wheelchair_spaces=2)
    event = EventFactory(venue=venue)
    companion = TicketTypeFactory(event=event, is_companion=True, price_ore=0)

    place_order(event_id=event.pk, items=[Item(companion.pk, 2)], buyer=buyer())
    with pytest.raises(SoldOut):
        place_order(event_id=event.pk, items=[Item(companion.pk, 1)], buyer=buyer())


def test_an_expired_reservation_frees_its_seats_without_any_job(concert):
    adult = TicketTypeFactory(event=concert)
    now = timezone.now()
    place_order(event_id=concert.pk, items=[Item(adult.pk, 10)], buyer=buyer(), now=now)
    later = now + timedelta(minutes=16)

    order = place_order(event_id=concert.pk, items=[Item(adult.pk, 10)], buyer=buyer(), now=later)

    assert order.status == OrderStatus.RESERVED
    assert expire_lapsed_reservations(now=later) == 1
    assert list(Order.objects.values_list("status", flat=True).order_by("created_at")) == ["expired", "reserved"]


@pytest.mark.parametrize(
    ("overrides", "quantity", "error"),
    [
        ({"max_per_order": 4}, 5, LimitExceeded),
        ({"min_per_order": 2}, 1, LimitExceeded),
        ({"is_visible": False}, 1, NotOnSale),
        ({"on_sale_at": timezone.now() + timedelta(days=1)}, 1, NotOnSale),
        (
            {"off_sale_at": timezone.now() - timedelta(minutes=1), "on_sale_at": timezone.now() - timedelta(days=9)},
            1,
            NotOnSale,
        ),
    ],
)
def test_limits_and_sales_windows(concert, overrides, quantity, error):
    ticket_type = TicketTypeFactory(event=concert, **overrides)
    with pytest.raises(error):
        place_order(event_id=concert.pk, items=[Item(ticket_type.pk, quantity)], buyer=buyer())
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "event_overrides",
    [{"status": EventStatus.CANCELLED}, {"status": EventStatus.DRAFT}, {"booking_mode": BookingMode.DROP_IN}],
)
def test_events_that_do_not_sell(db, event_overrides):
    event = EventFactory(**event_overrides)
    ticket_type = TicketTypeFactory(event=event)
    with pytest.raises(NotOnSale):
        place_order(event_id=event.pk, items=[Item(ticket_type.pk, 1)], buyer=buyer())


def test_a_ticket_type_of_another_event_is_refused(concert):
    other = TicketTypeFactory()
    with pytest.raises(NotOnSale):
        place_order(event_id=concert.pk, items=[Item(other.pk, 1)], buyer=buyer())


def test_a_free_registration_is_confirmed_and_ticketed_at_once(db):
    talk = EventFactory(booking_mode=BookingMode.FREE_REGISTRATION, is_free=True, capacity=40)
    seat = TicketTypeFactory(event=talk, price_ore=0, vat_rate=0)

    order = place_order(event_id=talk.pk, items=[Item(seat.pk, 2)], buyer=buyer())

    assert order.status == OrderStatus.PAID
    assert order.tickets.count() == 2
    assert set(order.tickets.values_list("event_id", flat=True)) == {talk.pk}


def test_a_priced_ticket_type_on_a_free_registration_takes_no_order_and_no_money(db):
    talk = EventFactory(booking_mode=BookingMode.FREE_REGISTRATION, is_free=True, capacity=40)
    mistaken = TicketTypeFactory(event=talk, price_ore=5000)

    with pytest.raises(NotOnSale):
        place_order(event_id=talk.pk, items=[Item(mistaken.pk, 1)], buyer=buyer())

    assert not Order.objects.exists()


def test_an_event_made_a_free_registration_while_a_buyer_chose_takes_no_priced_order(db):
    # given a buyer who read the sale while the event still sold tickets
    concert = EventFactory(booking_mode=BookingMode.TICKETS, capacity=40)
    priced = TicketTypeFactory(event=concert, price_ore=5000)
    sale = sale_state(event_id=concert.pk, now=timezone.now())
    # when the organiser makes it a free registration before the order is placed
    concert.booking_mode = BookingMode.FREE_REGISTRATION
    concert.save(update_fields=["booking_mode"])

    with pytest.raises(NotOnSale):
        reserve_tickets(sale=sale, items=[Item(priced.pk, 1)], buyer=buyer())

    assert not Order.objects.exists()


def test_a_free_registrations_ticket_types_must_be_free(db):
    talk = EventFactory(booking_mode=BookingMode.FREE_REGISTRATION, is_free=True)
    concert = EventFactory(booking_mode=BookingMode.TICKETS)

    with pytest.raises(ValidationError) as refused:
        TicketTypeFactory.build(event=talk, price_ore=5000).full_clean()

    assert list(refused.value.message_dict) == ["price_ore"]
    TicketTypeFactory.build(event=talk, price_ore=0).full_clean()
    TicketTypeFactory.build(event=concert, price_ore=5000).full_clean()


def _cancel_whole_order(ticket):
    cancel_order(order_id=ticket.order_id, reason="ill")


def _cancel_every_ticket(ticket):
    order = ticket.order
    cancel_tickets(order_id=order.pk, ticket_ids=[t.pk for t in order.tickets.all()], refund_ore=0, reason="ill")


def _refunded_at_the_provider(ticket):
    payment = ticket.order.payments.get()
    data = {"payment_intent": payment.payment_intent_id, "amount_refunded": payment.amount_ore}
    handle_webhook_event(WebhookEvent(id="evt_refund", type="charge.refunded", created=0, data=data))


@pytest.mark.parametrize("end_order", [_cancel_whole_order, _cancel_every_ticket, _refunded_at_the_provider])
def test_the_seats_of_a_paid_order_that_ends_can_be_sold_again(concert, end_order):
    adult = TicketTypeFactory(event=concert, capacity=4)
    first, *_rest = paid_tickets(adult, quantity=4)
    assert (adult_row := TicketType.objects.get(pk=adult.pk)).paid_tickets == 4
    with pytest.raises(SoldOut):
        place_order(event_id=concert.pk, items=[Item(adult.pk, 1)], buyer=buyer())

    end_order(first)

    assert TicketType.objects.get(pk=adult_row.pk).paid_tickets == 0
    assert place_order(event_id=concert.pk, items=[Item(adult.pk, 4)], buyer=buyer()).status == OrderStatus.RESERVED


def test_a_cancelled_ticket_of_a_paid_order_frees_its_seat_and_only_its_seat(concert):
    adult = TicketTypeFactory(event=concert, capacity=4)
    first, *_rest = paid_tickets(adult, quantity=4)

    cancel_tickets(order_id=first.order_id, ticket_ids=[first.pk], refund_ore=0, reason="ill")

    assert TicketType.objects.get(pk=adult.pk).paid_tickets == 3
    with pytest.raises(SoldOut):
        place_order(event_id=concert.pk, items=[Item(adult.pk, 2)], buyer=buyer())
    assert place_order(event_id=concert.pk, items=[Item(adult.pk, 1)], buyer=buyer()).status == OrderStatus.RESERVED


def test_refunding_the_rest_of_a_partly_cancelled_order_frees_only_the_seats_still_held(concert):
    adult = TicketTypeFactory(event=concert, capacity=4)
    first, *_rest = paid_tickets(adult, quantity=4)
    cancel_tickets(order_id=first.order_id, ticket_ids=[first.pk], refund_ore=0, reason="ill")

    _refunded_at_the_provider(first)

    assert TicketType.objects.get(pk=adult.pk).paid_tickets == 0
    assert place_order(event_id=concert.pk, items=[Item(adult.pk, 4)], buyer=buyer()).status == OrderStatus.RESERVED


def test_the_paid_count_can_be_counted_again_from_the_tickets(concert):
    # given a count that went wrong (say, sales by processes of the release before it)
    adult = TicketTypeFactory(event=concert)
    child = TicketTypeFactory(event=concert, price_ore=10000)
    paid_tickets(adult, quantity=3)
    paid_tickets(child, quantity=2)
    TicketType.objects.filter(pk=adult.pk).update(paid_tickets=0)
    out = io.StringIO()

    call_command("recount_paid_tickets", stdout=out)

    assert out.getvalue().strip() == "Ticket types whose paid count was corrected: 1"
    assert dict(TicketType.objects.values_list("pk", "paid_tickets")) == {adult.pk: 3, child.pk: 2}


def test_saving_a_ticket_type_while_it_sells_keeps_the_sales(concert):
    # given staff editing a ticket type read before a sale
    adult = TicketTypeFactory(event=concert)
    edited = TicketType.objects.get(pk=adult.pk)
    paid_tickets(adult, quantity=2)
    # when the edit is saved
    edited.capacity = 50
    edited.save()
    # then the sale made meanwhile still counts
    assert TicketType.objects.values_list("capacity", "paid_tickets").get(pk=adult.pk) == (50, 2)
