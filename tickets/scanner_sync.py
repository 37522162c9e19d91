"""What a scanner device needs to check an event's tickets alone when the network fails.

Incremental: with `since` (the `next_since` of the previous answer) only what changed since then is
sent, with an overlap so that a change whose transaction committed late is never missed.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from events.models import Event
from tickets.attendance import DoorCounts, door_counts
from tickets.capacity import event_capacity
from tickets.models import RevocationReason, Ticket, TicketStatus, TicketType
from tickets.signing_keys import public_keys

SYNC_OVERLAP = timedelta(seconds=60)
# Nothing changed before this: a `since` earlier than it asks for everything.
_EARLIEST_CHANGE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class UsedTicket:
    ticket_id: str
    entered_at: datetime
    entry_gate: str
    is_inside: bool
    passed_at: datetime  # scan time of the latest passage through the door, in or out


@dataclass(frozen=True)
class ScannerSync:
    event: Event
    public_keys: dict[int, str]
    ticket_types: list[TicketType]
    tickets: list[tuple[str, int]]  # valid tickets: (id, ticket type id)
    revoked: list[tuple[str, str]]  # (id, "cancelled" | "refunded")
    used: list[UsedTicket]
    counts: DoorCounts
    capacity: int | None
    is_incremental: bool
    server_time: datetime


def scanner_sync(*, event: Event, since: datetime | None, now: datetime) -> ScannerSync:
    """The event's keys and ticket lists, all of them or those changed after `since`."""
    tickets = Ticket.objects.filter(event=event)
    if since is not None:
        after = max(since, _EARLIEST_CHANGE) - SYNC_OVERLAP
        issued, revoked, used = (
            tickets.filter(issued_at__gte=after),
            tickets.filter(revoked_at__gte=after),
            tickets.filter(door_changed_at__gte=after),
        )
    else:
        issued, revoked, used = tickets, tickets, tickets
    return ScannerSync(
        event=event,
        public_keys=public_keys(),
        ticket_types=list(TicketType.objects.filter(event=event).order_by("position", "id")),
        tickets=[
            (str(pk), type_id)
            for pk, type_id in issued.filter(status=TicketStatus.VALID).values_list("pk", "ticket_type_id")
        ],
        revoked=[
            (str(pk), _reason(reason, order_status))
            for pk, reason, order_status in revoked.filter(status=TicketStatus.REVOKED).values_list(
                "pk", "revoked_reason", "order__status"
            )
        ],
        used=[
            UsedTicket(
                ticket_id=str(pk),
                entered_at=entered_at,
                entry_gate=gate,
                is_inside=inside,
                passed_at=passed_at or entered_at,
            )
            for pk, entered_at, gate, inside, passed_at in used.filter(entered_at__isnull=False).values_list(
                "pk", "entered_at", "entry_gate", "is_inside", "door_scanned_at"
            )
            if entered_at is not None
        ],
        counts=door_counts(event=event, now=now),
        capacity=event_capacity(event),
        is_incremental=since is not None,
        server_time=now,
    )


def _reason(reason: str, order_status: str) -> str:
    if reason:
        return reason
    return RevocationReason.REFUNDED if order_status == "refunded" else RevocationReason.CANCELLED
