"""Scanning tickets at the door: one clear answer per scan, every scan stored, one admission per ticket.

Admission is a conditional UPDATE of the ticket's door state, so when two gates scan the same ticket
at the same instant the database lets exactly one of them in. A scan's nonce makes retries harmless:
the same nonce always gets the first answer back and never a second record.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events.models import Event
from tickets import door_state, scan_sql
from tickets.access import may_scan_at
from tickets.exceptions import TicketingError
from tickets.models import (
    OrderStatus,
    RevocationReason,
    Scan,
    ScanDirection,
    ScanResult,
    Ticket,
    TicketStatus,
)
from tickets.qr import InvalidTicketCode, verify_ticket

# Doors let people in this long before the doors-open time (or the start when none is set).
ADMISSION_OPENS_BEFORE = timedelta(hours=1)
# A device clock may be a little ahead; an offline queue may be a few days old.
CLOCK_SKEW = timedelta(minutes=5)
OLDEST_SCAN = timedelta(days=7)
_INVALID_CODE_KEPT = 200


class NonceReused(TicketingError):
    code = "nonce_reused"


@dataclass(frozen=True)
class ScanInput:
    """One scan as a scanner sends it; `offline_result` is what a device answered while offline."""

    code: str
    gate: str
    nonce: str
    direction: str = ScanDirection.IN
    scanned_at: datetime | None = None
    expected_event: Event | None = None
    offline_result: str = ""
    device_scanned_at: datetime | None = None  # the device's time, when it was replaced (`believable_time`)
    offline_scanned_as: str = ""  # `Scanner.key` of who was signed in when it was scanned offline


@dataclass(frozen=True)
class Scanner:
    """Who scans: the venues they may scan at (None for all), and the user or device."""

    venue_ids: frozenset[int] | None
    user_id: int | None = None
    device_id: int | None = None

    @property
    def key(self) -> str:
        """Who scans, as a scanner page keeps it with the scans it queues: `device:7` or `user:12`."""
        return f"device:{self.device_id}" if self.device_id else f"user:{self.user_id}"


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    ticket: Ticket | None
    first_entry_at: datetime | None
    first_entry_gate: str
    is_replay: bool = False

    @property
    def result(self) -> str:
        return self.scan.result


def admission_opens_at(event: Event) -> datetime:
    return (event.doors_open_at or event.starts_at) - ADMISSION_OPENS_BEFORE


def believable_time(scan: ScanInput, now: datetime) -> ScanInput:
    """The scan with a time the server can go by: a device clock that cannot be right is replaced by `now`.

    A time further ahead than a clock may drift cannot be right, nor, for a scan made online (the holder
    is at the door now), one older than an offline queue may be. The device's time is kept beside it.
    """
    if scan.scanned_at is None:
        return scan
    is_ahead = scan.scanned_at > now + CLOCK_SKEW
    is_stale_online = not scan.offline_result and scan.scanned_at < now - OLDEST_SCAN
    if not (is_ahead or is_stale_online):
        return scan
    return replace(scan, scanned_at=now, device_scanned_at=scan.scanned_at)


def scan_ticket(*, scan: ScanInput, scanner: Scanner, now: datetime | None = None) -> ScanOutcome:
    """Check a scanned code, change the ticket's door state if it is let through, store the scan."""
    now = now or timezone.now()
    scan = believable_time(scan, now)
    try:
        if connection.in_atomic_block:
            # inside the caller's transaction: a savepoint keeps a refused nonce from spoiling it
            with transaction.atomic():
                return _scan(scan, scanner, now)
        # Each step that changes more than one row has its own transaction; the everyday admission
        # is a single statement, so it needs none (no BEGIN and COMMIT round trips).
        return _scan(scan, scanner, now)
    except IntegrityError:
        # The nonce is stored already (a retry, or the same scan arriving twice at once): the unique
        # nonce refused this scan's record, so everything it changed is rolled back; answer as the first did.
        replayed = _replay(scan, scanner)
        if replayed is None:
            raise
        return replayed


def record_scans(
    *, scans: list[ScanInput], scanner: Scanner, now: datetime | None = None
) -> list[ScanOutcome | NonceReused]:
    """Scans uploaded together (an offline queue), applied in the order they were made.

    A scan whose nonce was already used for another scan is answered with the error for that scan
    alone, so one bad item never blocks the rest of a queue.
    """
    now = now or timezone.now()
    scans = [believable_time(scan, now) for scan in scans]
    order = sorted(range(len(scans)), key=lambda i: (scans[i].scanned_at or now, i))
    outcomes: dict[int, ScanOutcome | NonceReused] = {}
    for index in order:
        try:
            outcomes[index] = scan_ticket(scan=scans[index], scanner=scanner, now=now)
        except NonceReused as error:
            outcomes[index] = error
    return [outcomes[i] for i in range(len(scans))]


def _claimed_ticket_id(code: str) -> object:
    try:
        return verify_ticket(code).ticket_id
    except InvalidTicketCode:
        return None


def _replay(scan: ScanInput, scanner: Scanner) -> ScanOutcome | None:
    """The first answer to a scan sent again with its nonce, by the same scanner and for the same code."""
    stored = Scan.objects.select_related("ticket__ticket_type", "ticket__event").filter(nonce=scan.nonce).first()
    if stored is None:
        return None
    same_code = (
        stored.ticket_id == _claimed_ticket_id(scan.code)
        if stored.ticket_id
        else stored.invalid_code == scan.code[:_INVALID_CODE_KEPT]
    )
    same_scanner = (stored.device_id, stored.user_id) == (scanner.device_id, scanner.user_id)
    if not (same_code and same_scanner):
        # Another scanner's answer (its venue, its ticket) is not this one's to read.
        raise NonceReused("This nonce was already used for another scan.")
    ticket = stored.ticket
    return ScanOutcome(
        scan=stored,
        ticket=ticket,
        first_entry_at=ticket.entered_at if ticket else None,
        first_entry_gate=ticket.entry_gate if ticket else "",
        is_replay=True,
    )


def _scan(scan: ScanInput, scanner: Scanner, now: datetime) -> ScanOutcome:
    scanned_at = scan.scanned_at or now
    try:
        claim = verify_ticket(scan.code)
    except InvalidTicketCode:
        return _store(scan, scanner, now, ScanResult.INVALID, invalid_code=scan.code[:_INVALID_CODE_KEPT])
    ticket = scan_sql.ticket_for_scan(claim.ticket_id, claim.event_id)
    if ticket is None:
        return _store(scan, scanner, now, ScanResult.INVALID, invalid_code=scan.code[:_INVALID_CODE_KEPT])
    result = _rejection(scan, scanner, ticket, scanned_at, claim.valid_until)
    if scan.offline_result == ScanResult.OK and result not in door_state.OTHER_DOOR_RESULTS:
        # The device let the holder through: that happened, whatever the server would have answered.
        return _let_through_offline(scan, scanner, ticket, scanned_at, now, refusal=result)
    if result is not None:
        return _store(scan, scanner, now, result, ticket=ticket)
    if scan.offline_result:
        # The device turned the holder away: record its answer, the ticket's state is unchanged.
        return _store(scan, scanner, now, scan.offline_result, ticket=ticket)
    if scan.direction == ScanDirection.OUT:
        with transaction.atomic():
            left = scan_sql.leave(ticket.pk, scanned_at=scanned_at, now=now)
            return _store(scan, scanner, now, ScanResult.OK if left else ScanResult.NOT_INSIDE, ticket=ticket)
    return _admit(scan, scanner, ticket, scanned_at, now)


def _rejection(
    scan: ScanInput, scanner: Scanner, ticket: Ticket, scanned_at: datetime, valid_until: datetime
) -> str | None:
    """Why a genuine ticket may not pass here, or None."""
    event = ticket.event
    expected = scan.expected_event
    if not may_scan_at(scanner.venue_ids, event.venue_id):
        return ScanResult.WRONG_VENUE
    if expected is not None and expected.pk != event.pk:
        return ScanResult.WRONG_EVENT if expected.venue_id == event.venue_id else ScanResult.WRONG_VENUE
    if scan.direction == ScanDirection.OUT:
        return None  # anyone inside may leave
    if ticket.status == TicketStatus.REVOKED:
        return _revoked_result(ticket)
    if event.is_cancelled:
        return ScanResult.CANCELLED
    if scanned_at < admission_opens_at(event):
        return ScanResult.NOT_YET_VALID
    if scanned_at > valid_until:
        return ScanResult.EXPIRED
    return None


def _revoked_result(ticket: Ticket) -> str:
    if ticket.revoked_reason == RevocationReason.REFUNDED or (
        not ticket.revoked_reason and ticket.order.status == OrderStatus.REFUNDED
    ):
        return ScanResult.REFUNDED
    return ScanResult.CANCELLED


def _admit(scan: ScanInput, scanner: Scanner, ticket: Ticket, scanned_at: datetime, now: datetime) -> ScanOutcome:
    """An online entry: the holder stands at the door and is let in or turned away on the state as it is."""
    if ticket.entered_at is None:
        stored = _new_scan(scan, scanner, now, ScanResult.OK, ticket=ticket)
        if scan_sql.admit_first_time(ticket.pk, entered_at=scanned_at, gate=scan.gate, now=now, scan=stored):
            ticket.entered_at, ticket.entry_gate = scanned_at, scan.gate
            return _outcome(stored, ticket)
    elif ticket.event.allows_reentry:
        with transaction.atomic():
            if scan_sql.admit_again(ticket.pk, scanned_at=scanned_at, now=now):
                return _store(scan, scanner, now, ScanResult.OK, ticket=ticket, is_reentry=True)
    if ticket.entered_at is None or ticket.event.allows_reentry:
        # The update found the ticket changed since it was read: read again why it may not pass.
        ticket.refresh_from_db(fields=["status", "revoked_reason", "entered_at", "entry_gate", "is_inside"])
    if ticket.status == TicketStatus.REVOKED:
        return _store(scan, scanner, now, _revoked_result(ticket), ticket=ticket)
    return _store(scan, scanner, now, ScanResult.ALREADY_USED, ticket=ticket)


def _let_through_offline(
    scan: ScanInput, scanner: Scanner, ticket: Ticket, scanned_at: datetime, now: datetime, *, refusal: str | None
) -> ScanOutcome:
    """A device let the holder through offline: the passage is applied in the order the scans were made.

    Both scans stay when two devices let one ticket in; the later one by scan time is the double entry.
    A scan made before the latest passage already applied replays the ticket's door (tickets.door_state).
    A ticket the server refuses now (`refusal`: refunded, expired...) keeps that reason as its result,
    and still counts as let in.
    """
    with transaction.atomic():
        state = door_state.locked_door_state(ticket)
        if state.last_passed_at is not None and scanned_at < state.last_passed_at:
            stored = _store(scan, scanner, now, refusal or ScanResult.OK, ticket=ticket).scan
            replayed = door_state.replay_door(ticket, allows_reentry=ticket.event.allows_reentry, now=now)[stored.pk]
            stored.result, stored.is_reentry = replayed.result, replayed.is_reentry
            stored.is_double_entry = replayed.is_double_entry
            return _outcome(stored, ticket)
        state, passage = door_state.pass_door(
            state,
            direction=scan.direction,
            gate=scan.gate,
            scanned_at=scanned_at,
            allows_reentry=ticket.event.allows_reentry,
        )
        door_state.save_door_state(ticket, state, now=now)
        return _store(
            scan,
            scanner,
            now,
            refusal or passage.result,
            ticket=ticket,
            is_reentry=passage.is_reentry,
            is_double_entry=passage.is_double_entry,
        )


def _store(
    scan: ScanInput, scanner: Scanner, now: datetime, result: str, *, ticket: Ticket | None = None, **flags: Any
) -> ScanOutcome:
    """Store the record of a scan (`flags`: those of `_new_scan`) and answer with it."""
    stored = _new_scan(scan, scanner, now, result, ticket=ticket, **flags)
    scan_sql.insert_scan(stored)
    return _outcome(stored, ticket)


def _new_scan(
    scan: ScanInput,
    scanner: Scanner,
    now: datetime,
    result: str,
    *,
    ticket: Ticket | None = None,
    invalid_code: str = "",
    is_reentry: bool = False,
    is_double_entry: bool = False,
) -> Scan:
    """The record of a scan, not yet stored."""
    # A scan belongs to the event whose door it was made at, which may not be the ticket's; a
    # ticket of another venue scanned without naming the event belongs to no event's door.
    if scan.expected_event is not None:
        event_id: int | None = scan.expected_event.pk
    elif ticket is not None and result != ScanResult.WRONG_VENUE:
        event_id = ticket.event_id
    else:
        event_id = None
    return Scan(
        nonce=scan.nonce,
        result=result,
        direction=scan.direction,
        gate=scan.gate,
        ticket=ticket,
        event_id=event_id,
        invalid_code=invalid_code,
        device_id=scanner.device_id,
        user_id=scanner.user_id,
        scanned_at=scan.scanned_at or now,
        device_scanned_at=scan.device_scanned_at,
        received_at=now,
        is_offline=bool(scan.offline_result),
        offline_result=scan.offline_result,
        offline_scanned_as=_other_than(scan.offline_scanned_as, scanner),
        is_reentry=is_reentry,
        is_double_entry=is_double_entry,
    )


def _other_than(scanned_as: str, scanner: Scanner) -> str:
    """Who a device said was signed in when it scanned offline, kept only when not the uploader."""
    return scanned_as if scanned_as and scanned_as != scanner.key else ""


def _outcome(stored: Scan, ticket: Ticket | None) -> ScanOutcome:
    return ScanOutcome(
        scan=stored,
        ticket=ticket,
        first_entry_at=ticket.entered_at if ticket else None,
        first_entry_gate=ticket.entry_gate if ticket else "",
    )
