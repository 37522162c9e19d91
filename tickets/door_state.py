"""A ticket's door state worked out from the scans that let its holder through, in the order they were made.

Offline devices upload late and in any order. When a scan that let someone through was made before
the latest one already applied to its ticket, the ticket's state and the verdicts of the later scans
were worked out in the wrong order: they are replayed from every scan that passed, by scan time.
What a door answered online stays as it was; the server's reading of each passage (first entry,
re-entry, double entry, and for offline scans "ok", "already used" or "not inside") follows the order.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from tickets.models import Scan, ScanDirection, ScanResult, Ticket

# Scans made at another event's door say nothing about this ticket's door.
OTHER_DOOR_RESULTS = frozenset({ScanResult.WRONG_VENUE, ScanResult.WRONG_EVENT, ScanResult.INVALID})
# The results that depend on what happened before: every other result is a reason kept as it is.
_ORDER_DEPENDENT_RESULTS = frozenset({ScanResult.OK, ScanResult.ALREADY_USED, ScanResult.NOT_INSIDE})
_DOOR_FIELDS = ["entered_at", "entry_gate", "is_inside", "door_scanned_at"]
_REPLAYED_FIELDS = ["result", "is_reentry", "is_double_entry"]


@dataclass(frozen=True)
class DoorState:
    entered_at: datetime | None = None
    entry_gate: str = ""
    is_inside: bool = False
    last_passed_at: datetime | None = None  # scan time of the latest scan that let the holder through


@dataclass(frozen=True)
class Passage:
    """What one passage through the door was."""

    result: str
    is_reentry: bool = False
    is_double_entry: bool = False


def pass_door(
    state: DoorState, *, direction: str, gate: str, scanned_at: datetime, allows_reentry: bool
) -> tuple[DoorState, Passage]:
    """The door state after the holder was let through, and what that passage was."""
    last = scanned_at if state.last_passed_at is None else max(state.last_passed_at, scanned_at)
    if direction == ScanDirection.OUT:
        if not state.is_inside:
            return replace(state, last_passed_at=last), Passage(ScanResult.NOT_INSIDE)
        return replace(state, is_inside=False, last_passed_at=last), Passage(ScanResult.OK)
    if state.entered_at is None:
        return DoorState(scanned_at, gate, True, last), Passage(ScanResult.OK)
    if allows_reentry and not state.is_inside:
        return replace(state, is_inside=True, last_passed_at=last), Passage(ScanResult.OK, is_reentry=True)
    # In while inside, or back in where re-entry is not allowed: one ticket let someone in twice.
    return replace(state, is_inside=True, last_passed_at=last), Passage(ScanResult.ALREADY_USED, is_double_entry=True)


def has_passed(scan: Scan) -> bool:
    """Whether the door let the holder through: the device's answer offline, the server's online."""
    return (scan.offline_result if scan.is_offline else scan.result) == ScanResult.OK


def locked_door_state(ticket: Ticket) -> DoorState:
    """The ticket's door state, its row locked until the transaction ends (copied onto `ticket`)."""
    door = Ticket.objects.select_for_update().only(*_DOOR_FIELDS).get(pk=ticket.pk)
    ticket.entered_at, ticket.entry_gate, ticket.is_inside = door.entered_at, door.entry_gate, door.is_inside
    ticket.door_scanned_at = door.door_scanned_at
    return DoorState(door.entered_at, door.entry_gate, door.is_inside, door.door_scanned_at)


def save_door_state(ticket: Ticket, state: DoorState, *, now: datetime) -> None:
    """Store a locked ticket's new door state (read by `locked_door_state`). `door_changed_at` moves when
    anything devices sync changed, its latest passage too: they compare it with their own record."""
    synced = (state.entered_at, state.entry_gate, state.is_inside, state.last_passed_at)
    if synced == (ticket.entered_at, ticket.entry_gate, ticket.is_inside, ticket.door_scanned_at):
        return
    Ticket.objects.filter(pk=ticket.pk).update(
        entered_at=state.entered_at,
        entry_gate=state.entry_gate,
        is_inside=state.is_inside,
        door_scanned_at=state.last_passed_at,
        door_changed_at=now,
    )
    ticket.entered_at, ticket.entry_gate, ticket.is_inside = state.entered_at, state.entry_gate, state.is_inside
    ticket.door_scanned_at = state.last_passed_at


def replay_door(ticket: Ticket, *, allows_reentry: bool, now: datetime) -> dict[int, Scan]:
    """Work out a locked ticket's door state and its scans' verdicts again from every scan, in scan-time order.

    Answers with the ticket's scans at its door by id, as they are now stored.
    """
    scans = list(
        Scan.objects.filter(ticket=ticket)
        .exclude(result__in=OTHER_DOOR_RESULTS)
        .order_by("scanned_at", "id")
        .only(*_REPLAYED_FIELDS, "scanned_at", "direction", "gate", "is_offline", "offline_result")
    )
    state, changed = DoorState(), []
    for scan in scans:
        if not has_passed(scan):
            continue
        state, passage = pass_door(
            state, direction=scan.direction, gate=scan.gate, scanned_at=scan.scanned_at, allows_reentry=allows_reentry
        )
        if _record_passage(scan, passage):
            changed.append(scan)
    Scan.objects.bulk_update(changed, _REPLAYED_FIELDS)
    save_door_state(ticket, state, now=now)
    return {scan.pk: scan for scan in scans}


def _record_passage(scan: Scan, passage: Passage) -> bool:
    """Give a stored scan the verdict of its passage; whether anything changed."""
    before = (scan.result, scan.is_reentry, scan.is_double_entry)
    if scan.is_offline and scan.result in _ORDER_DEPENDENT_RESULTS:
        scan.result = passage.result
    scan.is_reentry, scan.is_double_entry = passage.is_reentry, passage.is_double_entry
    return before != (scan.result, scan.is_reentry, scan.is_double_entry)
