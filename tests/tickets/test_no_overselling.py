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
