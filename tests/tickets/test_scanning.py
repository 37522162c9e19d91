"""Scanning at the door: every answer a scanner can get, every scan stored, retries harmless."""

import uuid
from datetime import timedelta

import base45
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from events.models import EventStatus
from tests.factories import (
    EventFactory,
    ScannerDeviceFactory,
    TicketTypeFactory,
    UserFactory,
    VenueFactory,
    paid_tickets,
)
from tests.tickets.door import door_state, scan, staff_scanner, use_test_signing_key
from tickets.attendance import door_counts
from tickets.cancellation import cancel_order, cancel_tickets
from tickets.documents import VALID_AFTER_END, ticket_code
from tickets.models import RevocationReason, Scan, ScanResult, Ticket
from tickets.qr import sign_ticket
from tickets.scanning import ADMISSION_OPENS_BEFORE, NonceReused, Scanner

pytestmark = pytest.mark.django_db
NOTHING_YET = (None, "", False, None)


@pytest.fixture(autouse=True)
def _signing_key(settings):
    use_test_signing_key(settings)


@pytest.fixture
def concert():
    """A concert next week with one paid ticket, and door staff of its venue."""
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    ticket_type = TicketTypeFactory(event=event)
    (ticket,) = paid_tickets(ticket_type)
    return event, ticket, staff_scanner(event.venue)


def doors(event):
    """Half an hour before the concert starts."""
    return event.starts_at - timedelta(minutes=30)


def reject(code: str, *, ticket: Ticket | None, expected: str, **kwargs) -> Scan:
    """Scan a code that must be turned away; the ticket's door state stays as it was."""
    before = door_state(ticket) if ticket else None
    outcome = scan(code, **kwargs)
    assert outcome.result == expected
    assert (door_state(ticket) if ticket else None) == before
    return Scan.objects.get()


def test_a_valid_ticket_is_let_in_and_the_scan_is_stored(concert, django_assert_num_queries):
    # given a paid ticket and door staff at its venue
    event, ticket, staff = concert
    at = doors(event)

    # when its code is scanned at the main door half an hour before the start, received a second later
    outcome = scan(ticket_code(ticket), at=at, scanner=staff, nonce="n-ok-1", received_at=at + timedelta(seconds=1))

    # then it is let in, and the ticket remembers when and where
    assert (outcome.result, outcome.first_entry_at, outcome.first_entry_gate, outcome.is_replay) == (
        ScanResult.OK,
        at,
        "Main door",
        False,
    )
    assert door_state(ticket) == (at, "Main door", True, at + timedelta(seconds=1))
    # and the scan is stored with who, where and both times
    stored = Scan.objects.get()
    assert (
        stored.nonce,
        stored.result,
        stored.direction,
        stored.gate,
        stored.ticket_id,
        stored.event_id,
        stored.user_id,
        stored.device_id,
        stored.scanned_at,
        stored.received_at,
        stored.is_offline,
        stored.is_reentry,
        stored.is_double_entry,
    ) == (
        "n-ok-1",
        "ok",
        "in",
        "Main door",
        ticket.pk,
        event.pk,
        staff.user_id,
        None,
        at,
        at + timedelta(seconds=1),
        False,
        False,
        False,
    )
    # and the screen's ticket summary is there without another query
    with django_assert_num_queries(0):
        summary = (outcome.ticket.event.slug, outcome.ticket.ticket_type.name, outcome.ticket.ticket_type.is_companion)
    assert summary == (event.slug, ticket.ticket_type.name, False)


def test_a_device_scan_is_stored_with_the_device_and_no_user(concert):
    event, ticket, _staff = concert
    device = ScannerDeviceFactory(venues=[event.venue])

    outcome = scan(
        ticket_code(ticket),
        at=doors(event),
        scanner=Scanner(venue_ids=frozenset({event.venue_id}), device_id=device.pk),
    )

    assert outcome.result == ScanResult.OK
    assert list(Scan.objects.values_list("device_id", "user_id")) == [(device.pk, None)]


def test_a_second_scan_is_already_used_with_the_first_entry_time_and_gate(concert):
    # given a ticket let in at the main door
    event, ticket, staff = concert
    first = doors(event)
    scan(ticket_code(ticket), at=first, scanner=staff)
    before = door_state(ticket)

    # when the same code is scanned again at the side door ten minutes later
    outcome = scan(ticket_code(ticket), at=first + timedelta(minutes=10), scanner=staff, gate="Side door")

    # then it is turned away, naming the first entry; the door state is unchanged
    assert (outcome.result, outcome.first_entry_at, outcome.first_entry_gate) == (
        ScanResult.ALREADY_USED,
        first,
        "Main door",
    )
    assert door_state(ticket) == before
    assert list(Scan.objects.order_by("id").values_list("result", "gate")) == [
        ("ok", "Main door"),
        ("already_used", "Side door"),
    ]


def _resigned(code: str, key: Ed25519PrivateKey) -> str:
    payload = base45.b45decode(code[3:])[:26]
    return "T1:" + base45.b45encode(payload + key.sign(payload)).decode()


def _tampered(code: str) -> str:
    data = bytearray(base45.b45decode(code[3:]))
    data[25] ^= 0x01  # the last byte of valid-until
    return "T1:" + base45.b45encode(bytes(data)).decode()


@pytest.mark.parametrize(
    "make_code",
    [
        pytest.param(lambda ticket: "hello, door", id="garbage"),
        pytest.param(lambda ticket: _resigned(ticket_code(ticket), Ed25519PrivateKey.generate()), id="forged"),
        pytest.param(lambda ticket: _tampered(ticket_code(ticket)), id="tampered"),
        pytest.param(
            lambda ticket: sign_ticket(
                ticket_id=uuid.uuid4(), event_id=ticket.event_id, valid_until=ticket.event.ends_at + VALID_AFTER_END
            ),
            id="unknown-ticket",
        ),
        pytest.param(
            lambda ticket: sign_ticket(
                ticket_id=ticket.pk, event_id=ticket.event_id + 1000, valid_until=ticket.event.ends_at + VALID_AFTER_END
            ),
            id="ticket-of-another-event-id",
        ),
    ],
)
def test_codes_that_are_not_our_tickets_are_invalid_and_stored_as_read(concert, make_code):
    # given a code that is garbage, forged with another key, altered, or signed for no such ticket
    event, ticket, staff = concert
    code = make_code(ticket)

    # when it is scanned, then it is invalid and nothing changes
    stored = reject(code, ticket=ticket, expected=ScanResult.INVALID, at=doors(event), scanner=staff, event=event)

    # and the scan is kept with what was read, at the event's door
    assert (stored.result, stored.ticket_id, stored.event_id, stored.invalid_code, stored.user_id) == (
        "invalid",
        None,
        event.pk,
        code,
        staff.user_id,
    )


def test_a_ticket_for_another_event_at_the_same_venue_is_wrong_event(concert):
    event, ticket, staff = concert
    tomorrow = EventFactory(venue=event.venue, starts_at=event.starts_at + timedelta(days=1))

    stored = reject(
        ticket_code(ticket),
        ticket=ticket,
        expected=ScanResult.WRONG_EVENT,
        at=doors(event),
        scanner=staff,
        event=tomorrow,
    )

    # the scan belongs to the door where it was made
    assert (stored.ticket_id, stored.event_id) == (ticket.pk, tomorrow.pk)


def test_a_ticket_for_an_event_at_another_venue_is_wrong_venue(concert):
    event, ticket, _staff = concert
    elsewhere = EventFactory(starts_at=event.starts_at)
    staff_elsewhere = staff_scanner(elsewhere.venue, event.venue)

    stored = reject(
        ticket_code(ticket),
        ticket=ticket,
        expected=ScanResult.WRONG_VENUE,
        at=doors(event),
        scanner=staff_elsewhere,
        event=elsewhere,
    )

    assert (stored.ticket_id, stored.event_id) == (ticket.pk, elsewhere.pk)


def test_a_scanner_not_assigned_to_the_tickets_venue_gets_wrong_venue(concert):
    event, ticket, _staff = concert
    other_staff = staff_scanner(VenueFactory())

    stored = reject(
        ticket_code(ticket), ticket=ticket, expected=ScanResult.WRONG_VENUE, at=doors(event), scanner=other_staff
    )

    # Scanned at a door of another venue without naming an event: it is no door of this event.
    assert (stored.ticket_id, stored.event_id, stored.user_id) == (ticket.pk, None, other_staff.user_id)


def test_a_device_of_another_venue_gets_wrong_venue_also_for_exits(concert):
    event, ticket, staff = concert
    scan(ticket_code(ticket), at=doors(event), scanner=staff)
    device = ScannerDeviceFactory(venues=[VenueFactory()])
    before = door_state(ticket)

    outcome = scan(
        ticket_code(ticket),
        at=doors(event) + timedelta(minutes=5),
        scanner=Scanner(venue_ids=frozenset({device.venues.get().pk}), device_id=device.pk),
        direction="out",
    )

    assert outcome.result == ScanResult.WRONG_VENUE
    assert door_state(ticket) == before


def test_a_ticket_of_an_order_cancelled_without_refund_is_cancelled(concert):
    event, ticket, staff = concert
    cancel_order(order_id=ticket.order_id, refund_ore=0, reason="asked by phone")

    reject(ticket_code(ticket), ticket=ticket, expected=ScanResult.CANCELLED, at=doors(event), scanner=staff)

    assert Ticket.objects.get(pk=ticket.pk).revoked_reason == RevocationReason.CANCELLED


def test_a_valid_ticket_of_a_cancelled_event_is_cancelled(concert):
    event, ticket, staff = concert
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status"])

    reject(ticket_code(ticket), ticket=ticket, expected=ScanResult.CANCELLED, at=doors(event), scanner=staff)


def test_a_ticket_of_a_refunded_order_is_refunded(concert):
    event, ticket, staff = concert
    cancel_order(order_id=ticket.order_id, reason="illness")

    reject(ticket_code(ticket), ticket=ticket, expected=ScanResult.REFUNDED, at=doors(event), scanner=staff)


def test_a_single_refunded_ticket_is_refunded_and_the_rest_of_the_order_still_gets_in(concert):
    # given an order of two tickets, one of them cancelled with a refund
    event, _ticket, staff = concert
    kept, refunded = paid_tickets(event.ticket_types.get(), 2)
    cancel_tickets(order_id=refunded.order_id, ticket_ids=[refunded.pk], refund_ore=25000, reason="one is ill")

    # when both are scanned
    results = [scan(ticket_code(t), at=doors(event), scanner=staff).result for t in (refunded, kept)]

    # then only the refunded one is turned away
    assert results == [ScanResult.REFUNDED, ScanResult.OK]
    assert door_state(refunded) == NOTHING_YET


def test_before_admission_opens_a_ticket_is_not_yet_valid_and_at_the_opening_it_is_ok(concert):
    event, ticket, staff = concert
    opens = event.starts_at - ADMISSION_OPENS_BEFORE

    reject(
        ticket_code(ticket),
        ticket=ticket,
        expected=ScanResult.NOT_YET_VALID,
        at=opens - timedelta(seconds=1),
        scanner=staff,
    )
    assert scan(ticket_code(ticket), at=opens, scanner=staff).result == ScanResult.OK


def test_admission_opens_an_hour_before_the_doors_open_when_they_are_set(concert):
    event, ticket, staff = concert
    event.doors_open_at = event.starts_at - timedelta(minutes=30)
    event.save(update_fields=["doors_open_at"])
    opens = event.doors_open_at - ADMISSION_OPENS_BEFORE

    assert scan(ticket_code(ticket), at=opens - timedelta(seconds=1), scanner=staff).result == ScanResult.NOT_YET_VALID
    assert scan(ticket_code(ticket), at=opens, scanner=staff).result == ScanResult.OK


def test_after_valid_until_a_ticket_is_expired(concert):
    event, ticket, staff = concert
    valid_until = event.ends_at + VALID_AFTER_END

    reject(
        ticket_code(ticket),
        ticket=ticket,
        expected=ScanResult.EXPIRED,
        at=valid_until + timedelta(seconds=1),
        scanner=staff,
    )
    assert scan(ticket_code(ticket), at=valid_until, scanner=staff).result == ScanResult.OK


def test_scanning_out_a_ticket_that_never_came_in_is_not_inside(concert):
    event, ticket, staff = concert

    stored = reject(
        ticket_code(ticket),
        ticket=ticket,
        expected=ScanResult.NOT_INSIDE,
        at=doors(event),
        scanner=staff,
        direction="out",
    )

    assert (stored.direction, stored.ticket_id) == ("out", ticket.pk)


def test_a_retry_with_the_same_nonce_gets_the_first_answer_and_stores_nothing_new(concert):
    # given a scan that let a ticket in
    event, ticket, staff = concert
    first = scan(ticket_code(ticket), at=doors(event), scanner=staff, nonce="retry-1")

    # when the scanner, not having heard the answer, sends it again
    again = scan(
        ticket_code(ticket),
        at=doors(event),
        scanner=staff,
        nonce="retry-1",
        received_at=doors(event) + timedelta(seconds=3),
    )

    # then it gets the same "ok" from the same stored scan
    assert (again.result, again.scan.pk, again.is_replay, again.first_entry_at) == (
        ScanResult.OK,
        first.scan.pk,
        True,
        doors(event),
    )
    assert Scan.objects.count() == 1


def test_a_retry_after_the_ticket_changed_still_gets_the_first_answer(concert):
    # given a ticket let in, then scanned out, then refunded
    event, ticket, staff = concert
    first = scan(ticket_code(ticket), at=doors(event), scanner=staff, nonce="retry-2")
    scan(ticket_code(ticket), at=doors(event) + timedelta(minutes=1), scanner=staff, direction="out")
    cancel_order(order_id=ticket.order_id, reason="left early")
    before = door_state(ticket)

    # when the first scan is retried with its nonce
    again = scan(ticket_code(ticket), at=doors(event), scanner=staff, nonce="retry-2")

    # then the answer is the first one, and nothing is stored or changed
    assert (again.result, again.scan.pk, again.is_replay) == (ScanResult.OK, first.scan.pk, True)
    assert Scan.objects.count() == 2
    assert door_state(ticket) == before


def test_a_retried_invalid_code_gets_the_same_answer(concert):
    event, _ticket, staff = concert
    first = scan("not a ticket", at=doors(event), scanner=staff, nonce="retry-3")

    again = scan("not a ticket", at=doors(event), scanner=staff, nonce="retry-3")

    assert (again.result, again.scan.pk, again.is_replay) == (ScanResult.INVALID, first.scan.pk, True)
    assert Scan.objects.count() == 1


def test_another_scanners_nonce_is_refused_without_its_answer(concert):
    # given a scan stored under a nonce by one member of staff
    event, ticket, staff = concert
    scan(ticket_code(ticket), at=doors(event), scanner=staff, nonce="n-theirs")
    someone_else = Scanner(venue_ids=staff.venue_ids, user_id=UserFactory().pk)

    # when someone else sends the same code with that nonce, then it is refused, not answered as theirs
    with pytest.raises(NonceReused):
        scan(ticket_code(ticket), at=doors(event), scanner=someone_else, nonce="n-theirs")

    assert Scan.objects.count() == 1


@pytest.mark.parametrize("first_code", ["ticket", "garbage"])
def test_the_same_nonce_for_another_code_is_refused_and_nothing_is_stored(concert, first_code):
    # given a scan stored under a nonce
    event, ticket, staff = concert
    (other,) = paid_tickets(event.ticket_types.get())
    scan(ticket_code(ticket) if first_code == "ticket" else "garbage", at=doors(event), scanner=staff, nonce="n-1")
    before = door_state(other)

    # when another ticket is sent with the same nonce, then it is refused
    with pytest.raises(NonceReused) as raised:
        scan(ticket_code(other), at=doors(event), scanner=staff, nonce="n-1")

    assert raised.value.code == "nonce_reused"
    assert Scan.objects.count() == 1
    assert door_state(other) == before


def test_without_reentry_a_ticket_that_went_out_cannot_come_back_in(concert):
    # given an event without re-entry and a ticket that came in and went out
    event, ticket, staff = concert
    at = doors(event)
    assert scan(ticket_code(ticket), at=at, scanner=staff).result == ScanResult.OK
    out = scan(ticket_code(ticket), at=at + timedelta(minutes=20), scanner=staff, direction="out", gate="Side door")
    assert out.result == ScanResult.OK
    assert door_counts(event=event, now=at).inside_now == 0

    # when it is scanned in again
    again = scan(ticket_code(ticket), at=at + timedelta(minutes=40), scanner=staff)

    # then it is already used, and the holder is still counted outside
    assert (again.result, again.first_entry_at, again.first_entry_gate) == (ScanResult.ALREADY_USED, at, "Main door")
    assert door_state(ticket) == (at, "Main door", False, at + timedelta(minutes=20))
    assert door_counts(event=event, now=at).inside_now == 0


def test_with_reentry_a_ticket_may_go_out_and_in_again_and_inside_now_follows(concert):
    # given an event that allows re-entry
    event, ticket, staff = concert
    event.allows_reentry = True
    event.save(update_fields=["allows_reentry"])
    at = doors(event)
    code = ticket_code(ticket)
    inside = []

    # when the holder comes in, goes out, and comes in again at another door
    results = []
    for minutes, direction, gate in [(0, "in", "Main door"), (20, "out", "Main door"), (40, "in", "Side door")]:
        outcome = scan(code, at=at + timedelta(minutes=minutes), scanner=staff, direction=direction, gate=gate)
        results.append((outcome.result, outcome.scan.is_reentry))
        inside.append(door_counts(event=event, now=at).inside_now)

    # then each passes, the second entry is a re-entry, and the first entry stays the first
    assert results == [("ok", False), ("ok", False), ("ok", True)]
    assert inside == [1, 0, 1]
    assert door_state(ticket) == (at, "Main door", True, at + timedelta(minutes=40))
    # and a second "in" while inside is refused
    assert scan(code, at=at + timedelta(minutes=50), scanner=staff).result == ScanResult.ALREADY_USED


def test_scanning_out_twice_is_not_inside_the_second_time(concert):
    event, ticket, staff = concert
    at = doors(event)
    scan(ticket_code(ticket), at=at, scanner=staff)
    scan(ticket_code(ticket), at=at + timedelta(minutes=1), scanner=staff, direction="out")
    before = door_state(ticket)

    second = scan(ticket_code(ticket), at=at + timedelta(minutes=2), scanner=staff, direction="out")

    assert second.result == ScanResult.NOT_INSIDE
    assert door_state(ticket) == before


def test_a_revoked_ticket_inside_may_still_leave(concert):
    event, ticket, staff = concert
    at = doors(event)
    scan(ticket_code(ticket), at=at, scanner=staff)
    cancel_order(order_id=ticket.order_id, reason="refunded at the bar")

    out = scan(ticket_code(ticket), at=at + timedelta(minutes=5), scanner=staff, direction="out")

    assert out.result == ScanResult.OK
    assert door_state(ticket) == (at, "Main door", False, at + timedelta(minutes=5))


def test_a_retry_of_an_entry_after_the_holder_went_out_does_not_let_them_back_in(concert):
    # given an event with re-entry and a holder who came in and went out again
    event, ticket, staff = concert
    event.allows_reentry = True
    event.save(update_fields=["allows_reentry"])
    at = doors(event)
    first = scan(ticket_code(ticket), at=at, scanner=staff, nonce="in-1")
    scan(ticket_code(ticket), at=at + timedelta(minutes=5), scanner=staff, direction="out")
    before = door_state(ticket)

    # when the first entry's request arrives once more
    again = scan(ticket_code(ticket), at=at, scanner=staff, nonce="in-1", received_at=at + timedelta(minutes=6))

    # then it answers as the first time, and the holder is still outside: no re-entry was recorded
    assert (again.result, again.scan.pk, again.is_replay) == (ScanResult.OK, first.scan.pk, True)
    assert door_state(ticket) == before
    assert Scan.objects.count() == 2
