"""Gates scanning the same ticket at the same instant, each on its own database connection: one gets in."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import EventFactory, TicketTypeFactory, paid_tickets
from tests.tickets.door import door_state, scan, staff_scanner, use_test_signing_key
from tickets.documents import ticket_code
from tickets.models import Scan

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL connections; CI runs it there"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _signing_key(settings):
    use_test_signing_key(settings)


def race(jobs: list) -> list:
    """Run each job on its own thread and connection, all released at the same instant; their results."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:
            results[index] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def concert(allows_reentry: bool = False):
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), allows_reentry=allows_reentry)
    return event, TicketTypeFactory(event=event, max_per_order=10), staff_scanner(event.venue)


def test_two_gates_scanning_one_ticket_at_once_let_it_in_exactly_once():
    # given one ticket and two gates
    event, ticket_type, staff = concert()
    (ticket,) = paid_tickets(ticket_type)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)

    # when both gates scan it at the same instant
    results = race(
        [lambda gate=gate: (scan(code, at=at, scanner=staff, gate=gate).result, gate) for gate in ("North", "South")]
    )

    # then exactly one lets it in, the other says already used, and the ticket records the winner's gate
    assert sorted(result for result, _gate in results) == ["already_used", "ok"], results
    winner = next(gate for result, gate in results if result == "ok")
    assert door_state(ticket)[:3] == (at, winner, True)
    assert Scan.objects.filter(ticket=ticket).count() == 2


def test_ten_gates_racing_for_each_of_three_tickets_admit_each_ticket_once():
    # given three tickets, each scanned by ten gates at the same instant (thirty connections at once)
    event, ticket_type, staff = concert()
    tickets = paid_tickets(ticket_type, 3)
    at = event.starts_at - timedelta(minutes=30)
    jobs = [
        lambda ticket=ticket, gate=f"Gate {g}": (
            str(ticket.pk),
            scan(ticket_code(ticket), at=at, scanner=staff, gate=gate).result,
        )
        for ticket in tickets
        for g in range(10)
    ]

    # when they all scan
    results = race(jobs)

    # then each ticket got exactly one "ok" and nine "already used", and was entered once
    assert Counter(results) == Counter(
        {(str(t.pk), "ok"): 1 for t in tickets} | {(str(t.pk), "already_used"): 9 for t in tickets}
    ), results
    for ticket in tickets:
        ok = Scan.objects.get(ticket=ticket, result="ok")
        assert door_state(ticket)[:3] == (at, ok.gate, True)
        assert Scan.objects.filter(ticket=ticket).count() == 10


def test_ten_gates_letting_a_ticket_back_in_at_once_admit_it_once():
    # given a ticket that went out at an event with re-entry
    event, ticket_type, staff = concert(allows_reentry=True)
    (ticket,) = paid_tickets(ticket_type)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    scan(code, at=at, scanner=staff)
    scan(code, at=at + timedelta(minutes=10), scanner=staff, direction="out")

    # when ten gates scan it back in at once
    results = race(
        [
            lambda g=g: scan(code, at=at + timedelta(minutes=20), scanner=staff, gate=f"Gate {g}").result
            for g in range(10)
        ]
    )

    # then one re-entry is let in, nine are already used
    assert Counter(results) == Counter({"ok": 1, "already_used": 9}), results
    assert Scan.objects.filter(ticket=ticket, is_reentry=True).count() == 1
    assert door_state(ticket)[:3] == (at, "Main door", True)


def test_the_same_scan_sent_twice_at_once_is_stored_once_and_both_get_its_answer():
    # given one ticket
    event, ticket_type, staff = concert()
    (ticket,) = paid_tickets(ticket_type)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)

    # when a scanner's request and its retry arrive at the same instant with the same nonce
    results = race(
        [lambda: (lambda o: (o.result, o.scan.pk))(scan(code, at=at, scanner=staff, nonce="twice-at-once"))] * 4
    )

    # then there is one scan, and every request answers with it
    stored = Scan.objects.get()
    assert results == [("ok", stored.pk)] * 4
    assert door_state(ticket)[:3] == (at, "Main door", True)
