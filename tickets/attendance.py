"""Attendance of an event as the door sees it: sold, checked in, inside now, no-shows, per type and gate."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from events.models import Event
from tickets.capacity import event_capacity
from tickets.models import Scan, ScanDirection, Ticket, TicketStatus, TicketType


@dataclass(frozen=True)
class DoorCounts:
    sold: int
    checked_in: int
    inside_now: int
    no_shows: int | None  # known only once the event has ended


@dataclass(frozen=True)
class TicketTypeAttendance:
    ticket_type: TicketType
    counts: DoorCounts


@dataclass(frozen=True)
class GateAttendance:
    gate: str
    first_entries: int
    entries: int
    exits: int


@dataclass(frozen=True)
class Attendance:
    event: Event
    capacity: int | None
    counts: DoorCounts
    by_ticket_type: list[TicketTypeAttendance]
    by_gate: list[GateAttendance]
    double_entries: int
    rejected_scans: int


# Checked in counts every ticket whose holder was let in, also one refunded or cancelled after a
# device working offline let its holder in; no-shows are the valid tickets never let in.
_COUNTS = {
    "sold": Count("pk", filter=Q(status=TicketStatus.VALID)),
    "checked_in": Count("pk", filter=Q(entered_at__isnull=False)),
    "inside_now": Count("pk", filter=Q(is_inside=True)),
    "never_entered": Count("pk", filter=Q(status=TicketStatus.VALID, entered_at__isnull=True)),
}


def _door_counts(row: Mapping[str, Any], *, has_ended: bool) -> DoorCounts:
    return DoorCounts(
        sold=row.get("sold") or 0,
        checked_in=row.get("checked_in") or 0,
        inside_now=row.get("inside_now") or 0,
        no_shows=(row.get("never_entered") or 0) if has_ended else None,
    )


def door_counts(*, event: Event, now: datetime) -> DoorCounts:
    """The event's totals in one query."""
    return _door_counts(Ticket.objects.filter(event=event).aggregate(**_COUNTS), has_ended=event.ends_at <= now)


def event_attendance(*, event: Event, now: datetime) -> Attendance:
    """Everything the organiser and the door want to know about who came."""
    has_ended = event.ends_at <= now
    by_type_rows: dict[int, dict[str, Any]] = {
        row["ticket_type_id"]: dict(row)
        for row in Ticket.objects.filter(event=event).values("ticket_type_id").annotate(**_COUNTS)
    }
    by_ticket_type = [
        TicketTypeAttendance(
            ticket_type=ticket_type, counts=_door_counts(by_type_rows.get(ticket_type.pk, {}), has_ended=has_ended)
        )
        for ticket_type in TicketType.objects.filter(event=event).order_by("position", "id")
    ]
    totals = _door_counts({key: sum(row[key] for row in by_type_rows.values()) for key in _COUNTS}, has_ended=has_ended)
    return Attendance(
        event=event,
        capacity=event_capacity(event),
        counts=totals,
        by_ticket_type=by_ticket_type,
        by_gate=_by_gate(event),
        double_entries=Scan.objects.filter(event=event, is_double_entry=True).count(),
        rejected_scans=Scan.objects.turned_away().filter(event=event).count(),
    )


def _by_gate(event: Event) -> list[GateAttendance]:
    first = dict(
        Ticket.objects.filter(event=event, entered_at__isnull=False)
        .values_list("entry_gate")
        .annotate(n=Count("pk"))
        .values_list("entry_gate", "n")
    )
    passed = (
        Scan.objects.passed()
        .filter(event=event)
        .values("gate")
        .annotate(
            entries=Count("pk", filter=Q(direction=ScanDirection.IN)),
            exits=Count("pk", filter=Q(direction=ScanDirection.OUT)),
        )
    )
    by_gate = {row["gate"]: (row["entries"], row["exits"]) for row in passed}
    return [
        GateAttendance(
            gate=gate,
            first_entries=first.get(gate, 0),
            entries=by_gate.get(gate, (0, 0))[0],
            exits=by_gate.get(gate, (0, 0))[1],
        )
        for gate in sorted(set(first) | set(by_gate))
    ]
