"""Attendance as the door saw it: sold, checked in, inside now, no-shows, per ticket type and gate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, TicketTypeFactory, paid_tickets
from tests.tickets.door import scan, staff_scanner, use_test_signing_key
from tickets.attendance import DoorCounts, GateAttendance, door_counts, event_attendance
from tickets.cancellation import cancel_tickets
from tickets.documents import ticket_code
from tickets.models import Scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_key(settings):
    use_test_signing_key(settings)


@pytest.fixture
def evening():
    """A concert for 300 with standard and child tickets sold, one refunded, and a companion type unsold.

    At the door: standard A in at Main, standard B in and out at Side, child A in at Main and again
    at Side (already used), the refunded ticket and a piece of garbage turned away at Main.
    """
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), capacity=300)
    standard = TicketTypeFactory(event=event, name_en="Standard", position=1)
    child = TicketTypeFactory(event=event, name_en="Child", requires_attention=True, position=2)
    companion = TicketTypeFactory(event=event, name_en="Companion", is_companion=True, price_ore=0, position=3)
    standard_a, standard_b, refunded = paid_tickets(standard, 3)
    child_a, _child_b = paid_tickets(child, 2)
    cancel_tickets(order_id=refunded.order_id, ticket_ids=[refunded.pk], refund_ore=25000, reason="ill")
    staff = staff_scanner(event.venue)
    at = starts_at - timedelta(minutes=30)
    for code, minutes, gate, direction in [
        (ticket_code(standard_a), 0, "Main", "in"),
        (ticket_code(standard_b), 1, "Side", "in"),
        (ticket_code(standard_b), 2, "Side", "out"),
        (ticket_code(child_a), 3, "Main", "in"),
        (ticket_code(child_a), 4, "Side", "in"),
        (ticket_code(refunded), 5, "Main", "in"),
        ("garbage", 6, "Main", "in"),
    ]:
        scan(code, at=at + timedelta(minutes=minutes), scanner=staff, gate=gate, direction=direction, event=event)
    return event, (standard, child, companion)


def test_before_the_end_the_counts_are_known_and_no_shows_are_not(evening):
    event, (standard, child, companion) = evening

    attendance = event_attendance(event=event, now=event.ends_at - timedelta(seconds=1))

    assert (attendance.capacity, attendance.counts) == (
        300,
        DoorCounts(sold=4, checked_in=3, inside_now=2, no_shows=None),
    )
    assert [(row.ticket_type.pk, row.counts) for row in attendance.by_ticket_type] == [
        (standard.pk, DoorCounts(sold=2, checked_in=2, inside_now=1, no_shows=None)),
        (child.pk, DoorCounts(sold=2, checked_in=1, inside_now=1, no_shows=None)),
        (companion.pk, DoorCounts(sold=0, checked_in=0, inside_now=0, no_shows=None)),
    ]


def test_after_the_end_no_shows_are_the_sold_tickets_never_scanned_in(evening):
    event, (_standard, _child, _companion) = evening

    attendance = event_attendance(event=event, now=event.ends_at)

    assert attendance.counts == DoorCounts(sold=4, checked_in=3, inside_now=2, no_shows=1)
    assert [row.counts.no_shows for row in attendance.by_ticket_type] == [0, 1, 0]


def test_each_gate_counts_first_entries_entries_and_exits(evening):
    event, _types = evening

    attendance = event_attendance(event=event, now=event.ends_at)

    assert attendance.by_gate == [
        GateAttendance(gate="Main", first_entries=2, entries=2, exits=0),
        GateAttendance(gate="Side", first_entries=1, entries=1, exits=1),
    ]


def test_rejected_scans_count_every_turned_away_scan_and_there_are_no_double_entries(evening):
    event, _types = evening

    attendance = event_attendance(event=event, now=event.ends_at)

    assert (attendance.rejected_scans, attendance.double_entries) == (3, 0)
    assert sorted(Scan.objects.exclude(result="ok").values_list("result", flat=True)) == [
        "already_used",
        "invalid",
        "refunded",
    ]


def test_door_counts_are_the_totals_of_the_attendance(evening):
    event, _types = evening

    assert door_counts(event=event, now=event.ends_at) == event_attendance(event=event, now=event.ends_at).counts


def test_an_event_nobody_bought_tickets_for_has_zero_counts():
    event = EventFactory()
    ticket_type = TicketTypeFactory(event=event)

    attendance = event_attendance(event=event, now=event.ends_at)

    assert attendance.counts == DoorCounts(sold=0, checked_in=0, inside_now=0, no_shows=0)
    assert [(row.ticket_type.pk, row.counts) for row in attendance.by_ticket_type] == [
        (ticket_type.pk, DoorCounts(sold=0, checked_in=0, inside_now=0, no_shows=0))
    ]
    assert (attendance.by_gate, attendance.rejected_scans, attendance.double_entries) == ([], 0, 0)


def test_scans_at_another_event_do_not_count(evening):
    event, _types = evening
    other = EventFactory(venue=event.venue)

    attendance = event_attendance(event=other, now=other.ends_at)

    assert (attendance.counts, attendance.by_gate, attendance.rejected_scans) == (
        DoorCounts(sold=0, checked_in=0, inside_now=0, no_shows=0),
        [],
        0,
    )
