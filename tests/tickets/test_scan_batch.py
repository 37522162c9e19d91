"""Offline queues uploaded later: applied in the order they were scanned, conflicts kept and marked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, ScannerDeviceFactory, TicketTypeFactory, paid_tickets
from tests.tickets.door import door_state, offline, use_test_signing_key
from tickets.attendance import GateAttendance, event_attendance
from tickets.documents import ticket_code
from tickets.models import Scan
from tickets.scanning import Scanner, record_scans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_key(settings):
    use_test_signing_key(settings)


@pytest.fixture
def concert():
    """A concert next week with one paid ticket and two scanner devices at its venue."""
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    (ticket,) = paid_tickets(TicketTypeFactory(event=event))
    devices = [
        Scanner(venue_ids=frozenset({event.venue_id}), device_id=ScannerDeviceFactory(venues=[event.venue]).pk)
        for _ in range(2)
    ]
    return event, ticket, devices


def test_a_queue_is_applied_in_the_order_it_was_scanned_and_answered_in_the_order_sent(concert):
    # given a device's queue in which the exit was sent before the entry it follows
    event, ticket, (device, _) = concert
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    queue = [
        offline(code, at=at + timedelta(minutes=5), gate="Main door", direction="out", nonce="q-out"),
        offline(code, at=at, gate="Main door", nonce="q-in"),
    ]
    uploaded = at + timedelta(hours=1)

    # when it is uploaded
    outcomes = record_scans(scans=queue, scanner=device, now=uploaded)

    # then the entry was applied first, so both pass, and the answers follow the order sent
    assert [(o.scan.nonce, o.result) for o in outcomes] == [("q-out", "ok"), ("q-in", "ok")]
    assert door_state(ticket) == (at, "Main door", False, uploaded)
    stored = Scan.objects.order_by("id")
    assert [(s.nonce, s.scanned_at, s.received_at, s.is_offline, s.offline_result, s.device_id) for s in stored] == [
        ("q-in", at, uploaded, True, "ok", device.device_id),
        ("q-out", at + timedelta(minutes=5), uploaded, True, "ok", device.device_id),
    ]


def test_a_scan_the_device_turned_away_offline_is_stored_as_rejected_and_changes_nothing(concert):
    # given a valid ticket that a device turned away while offline (it thought the ticket used)
    event, ticket, (device, _) = concert
    at = event.starts_at - timedelta(minutes=30)

    # when the queue is uploaded
    (outcome,) = record_scans(
        scans=[offline(ticket_code(ticket), at=at, gate="Main door", result="already_used")],
        scanner=device,
        now=at + timedelta(hours=1),
    )

    # then the device's answer is kept and the ticket is still unused
    assert (outcome.result, outcome.scan.is_offline, outcome.scan.is_double_entry) == ("already_used", True, False)
    assert door_state(ticket) == (None, "", False, None)


def test_an_uploaded_queue_is_retried_harmlessly(concert):
    event, ticket, (device, _) = concert
    at = event.starts_at - timedelta(minutes=30)
    queue = [offline(ticket_code(ticket), at=at, gate="Main door", nonce="q-1")]
    first = record_scans(scans=queue, scanner=device, now=at + timedelta(hours=1))

    again = record_scans(scans=queue, scanner=device, now=at + timedelta(hours=2))

    assert [(o.result, o.scan.pk, o.is_replay) for o in again] == [("ok", first[0].scan.pk, True)]
    assert Scan.objects.count() == 1


def _two_devices_admit_offline(concert, *, upload_later_first: bool):
    event, ticket, (north, south) = concert
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    earlier = (north, offline(code, at=at, gate="North", nonce="north-1"))
    later = (south, offline(code, at=at + timedelta(minutes=5), gate="South", nonce="south-1"))
    uploads = [later, earlier] if upload_later_first else [earlier, later]
    for minutes, (device, queued) in enumerate(uploads, start=60):
        record_scans(scans=[queued], scanner=device, now=at + timedelta(minutes=minutes))
    return event, ticket, at


@pytest.mark.parametrize("upload_later_first", [False, True], ids=["in-order", "later-uploaded-first"])
def test_two_devices_admitting_one_ticket_offline_keep_both_scans_and_the_later_is_a_double_entry(
    concert, upload_later_first
):
    # given two devices that both let the same ticket in while offline, five minutes apart
    # when their queues are uploaded, in either order
    _event, ticket, at = _two_devices_admit_offline(concert, upload_later_first=upload_later_first)

    # then both scans are kept, and the later one (by scan time) is the double entry
    assert list(Scan.objects.order_by("scanned_at").values_list("nonce", "is_double_entry")) == [
        ("north-1", False),
        ("south-1", True),
    ]
    # and the earlier scan is the ticket's admission
    assert door_state(ticket)[:3] == (at, "North", True)
    assert Scan.objects.get(nonce="north-1").result == "ok"


@pytest.mark.parametrize("upload_later_first", [False, True], ids=["in-order", "later-uploaded-first"])
def test_attendance_of_a_double_entry_does_not_depend_on_the_upload_order(concert, upload_later_first):
    event, _ticket, at = _two_devices_admit_offline(concert, upload_later_first=upload_later_first)

    attendance = event_attendance(event=event, now=at + timedelta(hours=2))

    # both devices let someone in; neither scan was a rejection at the door
    assert (attendance.counts.checked_in, attendance.double_entries, attendance.rejected_scans) == (1, 1, 0)
    assert attendance.by_gate == [
        GateAttendance(gate="North", first_entries=1, entries=1, exits=0),
        GateAttendance(gate="South", first_entries=0, entries=1, exits=0),
    ]


def test_an_offline_admission_after_an_online_one_is_a_double_entry(concert):
    # given a ticket let in online at the main door
    event, ticket, (north, south) = concert
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    record_scans(
        scans=[offline(code, at=at, gate="Main door", result="")],  # an online scan: no offline answer
        scanner=north,
        now=at,
    )

    # when a device that let it in offline later uploads its scan
    (outcome,) = record_scans(
        scans=[offline(code, at=at + timedelta(minutes=10), gate="South")], scanner=south, now=at + timedelta(hours=1)
    )

    # then the offline scan is kept as a double entry and the first admission stands
    assert (outcome.result, outcome.scan.is_double_entry, outcome.first_entry_gate) == (
        "already_used",
        True,
        "Main door",
    )
    assert door_state(ticket) == (at, "Main door", True, at)


@pytest.mark.parametrize("upload_later_first", [False, True], ids=["in-order", "later-uploaded-first"])
def test_with_reentry_the_later_of_two_offline_admissions_is_still_the_double_entry(concert, upload_later_first):
    # given an event with re-entry, and two devices that let the same ticket in offline without an exit between
    event, _ticket, _devices = concert
    event.allows_reentry = True
    event.save(update_fields=["allows_reentry"])

    # when both queues are uploaded
    _event, ticket, at = _two_devices_admit_offline(concert, upload_later_first=upload_later_first)

    # then the earlier scan is the admission and the later one the double entry
    assert list(Scan.objects.order_by("scanned_at").values_list("nonce", "is_double_entry", "is_reentry")) == [
        ("north-1", False, False),
        ("south-1", True, False),
    ]
    assert door_state(ticket)[:3] == (at, "North", True)


def test_an_offline_admission_made_before_an_online_one_and_its_exit_becomes_the_admission(concert):
    # given an event with re-entry, a ticket let in online at the main door and let out again
    event, ticket, (north, south) = concert
    event.allows_reentry = True
    event.save(update_fields=["allows_reentry"])
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    for minutes, direction in [(5, "in"), (30, "out")]:
        record_scans(
            scans=[offline(code, at=at + timedelta(minutes=minutes), gate="Main door", result="", direction=direction)],
            scanner=north,
            now=at + timedelta(minutes=minutes),
        )

    # when a device that let it in offline five minutes before the online scan uploads its queue
    uploaded = at + timedelta(hours=1)
    (outcome,) = record_scans(
        scans=[offline(code, at=at, gate="South", nonce="south-early")], scanner=south, now=uploaded
    )

    # then the offline scan is the admission, the online entry is the double entry, and the holder is still outside
    assert (outcome.result, outcome.scan.is_reentry, outcome.scan.is_double_entry) == ("ok", False, False)
    assert list(Scan.objects.order_by("scanned_at").values_list("gate", "direction", "is_double_entry")) == [
        ("South", "in", False),
        ("Main door", "in", True),
        ("Main door", "out", False),
    ]
    assert door_state(ticket) == (at, "South", False, uploaded)
