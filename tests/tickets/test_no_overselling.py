"""Many buyers at the same instant, each on its own database connection, never oversell."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import EventFactory, HallFactory, TicketTypeFactory, buyer
from tickets.capacity import availability
from tickets.exceptions import SoldOut
from tickets.models import OrderLine
from tickets.services import Item, place_order

BUYERS = 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks; CI runs it there")
@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_racing_for_the_last_twenty_seats_never_oversell():
    # given a hall with 20 seats shared by two ticket types, the balcony limited to 8
    hall = HallFactory(seated_capacity=20, standing_capacity=None)
    event = EventFactory(venue=hall.venue, hall=hall)
    stalls = TicketTypeFactory(event=event)
    balcony = TicketTypeFactory(event=event, capacity=8)
    start = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(index: int) -> None:
        ticket_type = balcony if index % 2 else stalls
        start.wait()
        try:
            place_order(event_id=event.pk, items=[Item(ticket_type.pk, 1)], buyer=buyer(email=f"b{index}@example.dk"))
            outcome = f"reserved-{'balcony' if index % 2 else 'stalls'}"
        except SoldOut:
            outcome = "sold_out"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    # when 50 buyers press "Buy" at the same instant
    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then exactly the 20 seats are reserved, the balcony holds at most 8, everyone else got sold_out
    counts = Counter(outcomes)
    assert sum(counts.values()) == BUYERS
    assert counts["reserved-stalls"] + counts["reserved-balcony"] == 20, counts
    assert counts["reserved-balcony"] <= 8, counts
    assert counts["sold_out"] == 30, counts
    assert availability(event=event, now=timezone.now()).taken_total == 20
    assert sum(OrderLine.objects.filter(order__event=event).values_list("quantity", flat=True)) == 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks; CI runs it there")
@pytest.mark.django_db(transaction=True)
def test_a_payment_at_the_last_moment_and_a_buyer_just_after_it_never_share_the_seats(settings):
    # given a full hall held by a reservation that ends in a moment
    from datetime import timedelta

    from django.db import transaction

    from tickets.payments.gateway import WebhookEvent
    from tickets.webhooks import handle_webhook_event

    settings.DEBUG, settings.STRIPE_SECRET_KEY = True, ""
    hall = HallFactory(seated_capacity=4, standing_capacity=None)
    event = EventFactory(venue=hall.venue, hall=hall)
    ticket_type = TicketTypeFactory(event=event, price_ore=100)
    held = place_order(event_id=event.pk, items=[Item(ticket_type.pk, 4)], buyer=buyer())
    paying, rival_started, outcome = threading.Event(), threading.Event(), {}

    def payment_just_before_the_end() -> None:
        try:
            with transaction.atomic():  # still open while the rival buys
                data = {"id": "cs_x", "client_reference_id": held.reference, "amount_total": held.total_ore}
                event_ = WebhookEvent(id="evt_last_moment", type="checkout.session.completed", created=0, data=data)
                outcome["payment"] = handle_webhook_event(event_, now=held.expires_at - timedelta(milliseconds=5))
                paying.set()
                rival_started.wait(10)
                threading.Event().wait(0.5)  # the rival counts now, unless the lock makes it wait
        finally:
            connections.close_all()

    def buyer_just_after_the_end() -> None:
        paying.wait(10)
        rival_started.set()
        try:
            later = held.expires_at + timedelta(milliseconds=5)
            place_order(event_id=event.pk, items=[Item(ticket_type.pk, 4)], buyer=buyer(), now=later)
            outcome["rival"] = "reserved"
        except SoldOut:
            outcome["rival"] = "sold_out"
        finally:
            connections.close_all()

    # when the payment is being applied as the reservation ends, and another buyer asks for the same seats
    threads = [threading.Thread(target=payment_just_before_the_end), threading.Thread(target=buyer_just_after_the_end)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the payment keeps its seats and the other buyer hears "sold out"
    assert outcome == {"payment": "handled", "rival": "sold_out"}
    taken = availability(event=event, now=held.expires_at + timedelta(seconds=1)).taken_total
    assert taken == 4
