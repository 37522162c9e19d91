"""Offline queues uploaded later: applied in the order they were scanned, conflicts kept and marked."""

from datetime import timedelta
from itertools import permutations

import pytest
from django.utils import timezone

from tests.factories import EventFactory, ScannerDeviceFactory, TicketTypeFactory, paid_tickets
from tests.tickets.door import door_state, offline, use_test_signing_key
from tickets.attendance import DoorCounts, GateAttendance, event_attendance
from tickets.documents import VALID_AFTER_END, ticket_code
from tickets.models import RevocationReason, Scan, Ticket
from tickets.scanning import Scanner, record_scans
from tickets.services import revoke_tickets

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

    # then the offline scan is kept as a double entry and the first admission stands; the ticket's latest
    # passage is now the offline one, which devices sync again
    assert (outcome.result, outcome.scan.is_double_entry, outcome.first_entry_gate) == (
        "already_used",
        True,
        "Main door",
    )
    assert door_state(ticket) == (at, "Main door", True, at + timedelta(hours=1))
    assert Ticket.objects.get(pk=ticket.pk).door_scanned_at == at + timedelta(minutes=10)


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


def _allow_reentry(event):
    event.allows_reentry = True
    event.save(update_fields=["allows_reentry"])


def _passages(ticket):
    """The ticket's scans by scan time: gate, direction, result, re-entry, double entry."""
    return list(
        Scan.objects.filter(ticket=ticket)
        .order_by("scanned_at")
        .values_list("gate", "direction", "result", "is_reentry", "is_double_entry")
    )


def test_with_reentry_an_exit_uploaded_after_the_return_it_preceded_leaves_the_holder_inside(concert):
    # given an event with re-entry and a ticket let in online at 19:00
    event, ticket, (north, south) = concert
    _allow_reentry(event)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=50)
    record_scans(scans=[offline(code, at=at, gate="A", result="")], scanner=north, now=at)
    uploaded = at + timedelta(hours=1)

    # when the return at 19:45 reaches the server before the exit at 19:30 that it followed
    record_scans(scans=[offline(code, at=at + timedelta(minutes=45), gate="C")], scanner=south, now=uploaded)
    (exit_,) = record_scans(
        scans=[offline(code, at=at + timedelta(minutes=30), gate="B", direction="out")],
        scanner=north,
        now=uploaded + timedelta(minutes=1),
    )

    # then the return is a re-entry, not a double entry, and the holder is inside
    assert exit_.result == "ok"
    assert _passages(ticket) == [
        ("A", "in", "ok", False, False),
        ("B", "out", "ok", False, False),
        ("C", "in", "ok", True, False),
    ]
    assert door_state(ticket) == (at, "A", True, uploaded)  # since the return's upload: its passage is the latest
    attendance = event_attendance(event=event, now=uploaded)
    assert (attendance.counts.inside_now, attendance.double_entries, attendance.rejected_scans) == (1, 0, 0)


def test_with_reentry_an_earlier_offline_visit_makes_an_online_entry_a_reentry_not_a_double_entry(concert):
    # given an event with re-entry and a ticket let in online at 19:00
    event, ticket, (north, south) = concert
    _allow_reentry(event)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=50)
    online_at = at + timedelta(minutes=10)
    record_scans(scans=[offline(code, at=online_at, gate="A", result="")], scanner=north, now=online_at)

    # when a device uploads that it let the holder in at 18:50 and out at 18:55, offline
    uploaded = at + timedelta(hours=1)
    outcomes = record_scans(
        scans=[offline(code, at=at, gate="B"), offline(code, at=at + timedelta(minutes=5), gate="B", direction="out")],
        scanner=south,
        now=uploaded,
    )

    # then the offline entry is the first admission, the online entry a re-entry, and nobody entered twice
    assert [o.result for o in outcomes] == ["ok", "ok"]
    assert _passages(ticket) == [
        ("B", "in", "ok", False, False),
        ("B", "out", "ok", False, False),
        ("A", "in", "ok", True, False),
    ]
    assert door_state(ticket) == (at, "B", True, uploaded)
    attendance = event_attendance(event=event, now=uploaded)
    assert (attendance.counts.checked_in, attendance.counts.inside_now, attendance.double_entries) == (1, 1, 0)


@pytest.mark.parametrize("upload_order", list(permutations(range(3))), ids=str)
def test_with_reentry_the_door_state_does_not_depend_on_the_order_of_the_uploads(concert, upload_order):
    # given an event with re-entry and three offline scans of one ticket: in, out, in again
    event, ticket, (north, _) = concert
    _allow_reentry(event)
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=50)
    made = [
        offline(code, at=at, gate="A"),
        offline(code, at=at + timedelta(minutes=30), gate="B", direction="out"),
        offline(code, at=at + timedelta(minutes=45), gate="C"),
    ]

    # when the devices upload them one by one, in any order
    for minutes, index in enumerate(upload_order, start=60):
        record_scans(scans=[made[index]], scanner=north, now=at + timedelta(minutes=minutes))

    # then the result is always that of the order they were made in
    assert _passages(ticket) == [
        ("A", "in", "ok", False, False),
        ("B", "out", "ok", False, False),
        ("C", "in", "ok", True, False),
    ]
    assert door_state(ticket)[:3] == (at, "A", True)


def test_without_reentry_a_return_uploaded_before_the_exit_it_followed_is_a_double_entry_of_someone_inside(concert):
    # given an event without re-entry and a ticket let in online
    event, ticket, (north, south) = concert
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=50)
    record_scans(scans=[offline(code, at=at, gate="A", result="")], scanner=north, now=at)

    # when a device that let the holder back in at 19:45 uploads before the one that let them out at 19:30
    uploaded = at + timedelta(hours=1)
    record_scans(scans=[offline(code, at=at + timedelta(minutes=45), gate="C")], scanner=south, now=uploaded)
    record_scans(
        scans=[offline(code, at=at + timedelta(minutes=30), gate="B", direction="out")], scanner=north, now=uploaded
    )

    # then the return is the double entry (the ticket let someone in twice) and the holder is inside
    assert _passages(ticket) == [
        ("A", "in", "ok", False, False),
        ("B", "out", "ok", False, False),
        ("C", "in", "already_used", False, True),
    ]
    assert door_state(ticket)[:3] == (at, "A", True)


def _refund(ticket):
    revoke_tickets(Ticket.objects.filter(pk=ticket.pk), now=timezone.now(), reason=RevocationReason.REFUNDED)


def test_a_ticket_refunded_since_the_last_sync_and_let_in_offline_keeps_the_reason_and_counts_as_let_in(concert):
    # given a ticket refunded after the device last synced
    event, ticket, (device, _) = concert
    _refund(ticket)
    at = event.starts_at - timedelta(minutes=30)

    # when the device, which let its holder in offline, uploads the scan
    uploaded = at + timedelta(hours=1)
    (outcome,) = record_scans(scans=[offline(ticket_code(ticket), at=at, gate="Main")], scanner=device, now=uploaded)

    # then the scan keeps the reason, is an offline conflict for staff, and the holder counts as let in
    assert (outcome.result, outcome.scan.offline_result, outcome.scan.is_double_entry) == ("refunded", "ok", False)
    assert list(Scan.objects.offline_conflicts().values_list("pk", flat=True)) == [outcome.scan.pk]
    assert door_state(ticket) == (at, "Main", True, uploaded)
    attendance = event_attendance(event=event, now=event.ends_at)
    assert attendance.counts == DoorCounts(sold=0, checked_in=1, inside_now=1, no_shows=0)
    assert (attendance.rejected_scans, attendance.double_entries) == (0, 0)
    assert attendance.by_gate == [GateAttendance(gate="Main", first_entries=1, entries=1, exits=0)]


def test_a_ticket_let_in_offline_after_it_expired_keeps_the_reason_and_counts_as_checked_in(concert):
    # given a device whose clock let a ticket in offline after the ticket's last valid moment
    event, ticket, (device, _) = concert
    late = event.ends_at + VALID_AFTER_END + timedelta(minutes=1)

    # when the scan is uploaded
    (outcome,) = record_scans(scans=[offline(ticket_code(ticket), at=late, gate="Main")], scanner=device, now=late)

    # then it is stored as expired, flagged as a conflict, and the ticket counts as checked in
    assert (outcome.result, outcome.scan.offline_result) == ("expired", "ok")
    assert Scan.objects.offline_conflicts().get() == outcome.scan
    attendance = event_attendance(event=event, now=late)
    assert attendance.counts == DoorCounts(sold=1, checked_in=1, inside_now=1, no_shows=0)
    assert attendance.rejected_scans == 0


def test_a_refunded_ticket_the_device_turned_away_offline_is_no_conflict_and_changes_nothing(concert):
    event, ticket, (device, _) = concert
    _refund(ticket)
    at = event.starts_at - timedelta(minutes=30)

    (outcome,) = record_scans(
        scans=[offline(ticket_code(ticket), at=at, gate="Main", result="refunded")], scanner=device, now=at
    )

    assert (outcome.result, outcome.scan.offline_result) == ("refunded", "refunded")
    assert not Scan.objects.offline_conflicts().exists()
    assert door_state(ticket) == (None, "", False, None)
    assert event_attendance(event=event, now=at).rejected_scans == 1


def test_staff_find_the_offline_conflicts_with_one_filter_of_the_scan_admin(concert, admin_client):
    # given a refunded ticket let in offline, a double entry, and a scan that passed without conflict
    event, ticket, (north, south) = concert
    (other,) = paid_tickets(TicketTypeFactory(event=event))
    code, at = ticket_code(ticket), event.starts_at - timedelta(minutes=30)
    record_scans(scans=[offline(code, at=at, gate="North", nonce="first")], scanner=north, now=at)
    record_scans(
        scans=[offline(code, at=at + timedelta(minutes=1), gate="South", nonce="double")], scanner=south, now=at
    )
    _refund(other)
    record_scans(scans=[offline(ticket_code(other), at=at, gate="North", nonce="refunded")], scanner=north, now=at)

    # when staff filter the scans by offline conflicts
    response = admin_client.get("/admin/tickets/scan/", {"offline_conflict": "yes"})

    # then they see the double entry and the refunded ticket, and not the scan that passed
    assert response.status_code == 200
    assert sorted(scan.nonce for scan in response.context["cl"].result_list) == ["double", "refunded"]
