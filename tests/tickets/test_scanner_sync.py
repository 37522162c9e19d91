"""What a scanner downloads to work offline: keys, valid, revoked and used tickets, in full or since last time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, TicketTypeFactory, paid_tickets
from tests.tickets.door import scan, staff_scanner, use_test_signing_key
from tickets.attendance import DoorCounts
from tickets.cancellation import cancel_order, cancel_tickets
from tickets.documents import ticket_code
from tickets.models import Ticket
from tickets.scanner_sync import SYNC_OVERLAP, UsedTicket, scanner_sync
from tickets.signing_keys import public_keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_key(settings):
    use_test_signing_key(settings)


@pytest.fixture
def concert():
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), capacity=100)
    return event, TicketTypeFactory(event=event), staff_scanner(event.venue)


def issued(ticket: Ticket, at) -> Ticket:
    """Pretend the ticket was issued at `at`."""
    Ticket.objects.filter(pk=ticket.pk).update(issued_at=at)
    return ticket


def test_a_full_sync_lists_valid_revoked_and_used_tickets_with_the_keys(concert):
    # given valid tickets (one used and gone out), one cancelled and one refunded ticket
    event, ticket_type, staff = concert
    unused, used, left = paid_tickets(ticket_type, 3)
    (cancelled,) = paid_tickets(ticket_type)
    (refunded,) = paid_tickets(ticket_type)
    cancel_order(order_id=cancelled.order_id, refund_ore=0, reason="asked")
    cancel_tickets(order_id=refunded.order_id, ticket_ids=[refunded.pk], refund_ore=25000, reason="ill")
    at = event.starts_at - timedelta(minutes=30)
    scan(ticket_code(used), at=at, scanner=staff, gate="Main")
    scan(ticket_code(left), at=at, scanner=staff, gate="Side")
    scan(ticket_code(left), at=at + timedelta(minutes=1), scanner=staff, gate="Side", direction="out")
    now = at + timedelta(minutes=5)

    # when a device syncs for the first time
    sync = scanner_sync(event=event, since=None, now=now)

    # then it gets everything it needs to check codes alone
    assert (sync.event, sync.is_incremental, sync.server_time, sync.capacity) == (event, False, now, 100)
    assert sync.public_keys == public_keys() == {1: public_keys()[1]}
    assert sync.ticket_types == [ticket_type]
    assert sorted(sync.tickets) == sorted((str(t.pk), ticket_type.pk) for t in (unused, used, left))
    assert sorted(sync.revoked) == sorted([(str(cancelled.pk), "cancelled"), (str(refunded.pk), "refunded")])
    assert sorted(sync.used, key=lambda u: u.entry_gate) == [
        UsedTicket(ticket_id=str(used.pk), entered_at=at, entry_gate="Main", is_inside=True, passed_at=at),
        UsedTicket(
            ticket_id=str(left.pk),
            entered_at=at,
            entry_gate="Side",
            is_inside=False,
            passed_at=at + timedelta(minutes=1),
        ),
    ]
    assert sync.counts == DoorCounts(sold=3, checked_in=2, inside_now=1, no_shows=None)


def test_a_revoked_ticket_without_a_recorded_reason_takes_it_from_the_order(concert):
    # tickets revoked before reasons were recorded
    event, ticket_type, _staff = concert
    (refunded,) = paid_tickets(ticket_type)
    (cancelled,) = paid_tickets(ticket_type)
    cancel_order(order_id=refunded.order_id, reason="ill")
    cancel_order(order_id=cancelled.order_id, refund_ore=0, reason="asked")
    Ticket.objects.update(revoked_reason="")

    sync = scanner_sync(event=event, since=None, now=timezone.now())

    assert sorted(sync.revoked) == sorted([(str(refunded.pk), "refunded"), (str(cancelled.pk), "cancelled")])


def test_an_incremental_sync_sends_only_what_changed_since_with_a_minute_of_overlap(concert):
    # given a device that last synced at `since`
    event, ticket_type, staff = concert
    since = event.starts_at - timedelta(minutes=30)
    overlap_starts = since - SYNC_OVERLAP
    old, old_used, old_revoked, new, just_in_overlap, just_before_overlap = paid_tickets(ticket_type, 6)
    for ticket in (old, old_used, old_revoked):
        issued(ticket, since - timedelta(hours=2))
    issued(new, since + timedelta(minutes=1))
    issued(just_in_overlap, overlap_starts)
    issued(just_before_overlap, overlap_starts - timedelta(microseconds=1))
    # and, before the overlap, a scan and a revocation the device already has
    (revoked_earlier,) = paid_tickets(ticket_type)
    issued(revoked_earlier, since - timedelta(hours=2))
    cancel_order(order_id=revoked_earlier.order_id, refund_ore=0, reason="asked", now=since - timedelta(minutes=5))
    assert scan(ticket_code(old), at=since - timedelta(minutes=5), scanner=staff).result == "ok"
    # and after it, a scan and a refund the device does not have yet
    scan(ticket_code(old_used), at=since + timedelta(minutes=2), scanner=staff, gate="Side")
    cancel_tickets(
        order_id=old_revoked.order_id,
        ticket_ids=[old_revoked.pk],
        refund_ore=25000,
        reason="ill",
        now=since + timedelta(minutes=3),
    )
    now = since + timedelta(minutes=10)

    # when it syncs again with `since`
    sync = scanner_sync(event=event, since=since, now=now)

    # then it gets only the tickets issued, revoked and scanned after since minus the overlap
    assert sync.is_incremental is True
    assert sorted(sync.tickets) == sorted((str(t.pk), ticket_type.pk) for t in (new, just_in_overlap))
    assert sync.revoked == [(str(old_revoked.pk), "refunded")]
    assert sync.used == [
        UsedTicket(
            ticket_id=str(old_used.pk),
            entered_at=since + timedelta(minutes=2),
            entry_gate="Side",
            is_inside=True,
            passed_at=since + timedelta(minutes=2),
        )
    ]
    # while the counts are always the whole event's
    assert sync.counts == DoorCounts(sold=5, checked_in=2, inside_now=2, no_shows=None)


def test_an_exit_since_the_last_sync_is_sent_as_a_change(concert):
    event, ticket_type, staff = concert
    since = event.starts_at - timedelta(minutes=30)
    (ticket,) = paid_tickets(ticket_type)
    scan(ticket_code(ticket), at=since - timedelta(minutes=10), scanner=staff)
    scan(ticket_code(ticket), at=since + timedelta(minutes=1), scanner=staff, direction="out")

    sync = scanner_sync(event=event, since=since, now=since + timedelta(minutes=2))

    assert sync.used == [
        UsedTicket(
            ticket_id=str(ticket.pk),
            entered_at=since - timedelta(minutes=10),
            entry_gate="Main door",
            is_inside=False,
            passed_at=since + timedelta(minutes=1),  # the exit: newer than a device's record of the entry
        )
    ]


def test_a_sync_of_one_event_says_nothing_of_another(concert):
    event, ticket_type, _staff = concert
    other = EventFactory(venue=event.venue)
    paid_tickets(ticket_type, 2)

    sync = scanner_sync(event=other, since=None, now=timezone.now())

    assert (sync.tickets, sync.revoked, sync.used, sync.ticket_types) == ([], [], [], [])


def test_a_since_at_the_very_beginning_of_time_sends_everything(concert):
    # given a used ticket
    event, ticket_type, staff = concert
    (ticket,) = paid_tickets(ticket_type)
    at = event.starts_at - timedelta(minutes=30)
    scan(ticket_code(ticket), at=at, scanner=staff)

    # when a device asks for the changes since the earliest time there is
    sync = scanner_sync(event=event, since=datetime.min.replace(tzinfo=UTC), now=at)

    # then it gets every ticket, as changes
    assert sync.is_incremental is True
    assert sync.tickets == [(str(ticket.pk), ticket_type.pk)]
    assert [used.ticket_id for used in sync.used] == [str(ticket.pk)]
