"""The statements of an everyday scan, written out: building them with the ORM cost more CPU than running them.

They run on PostgreSQL and SQLite alike and give back model instances like the ORM's (fields not
read are deferred), so the rest of scanning does not know which path read a row. Rare paths
(exits, double entries, replays) stay on the ORM.
"""

import functools
import uuid
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from config.sql_rows import ModelColumns
from events.models import Event, EventStatus
from tickets.models import Scan, ScannerDevice, Ticket, TicketStatus, TicketType

_TICKET = ModelColumns(
    Ticket,
    "t",
    *("id", "order", "ticket_type", "event", "status", "revoked_reason", "entered_at", "entry_gate", "is_inside"),
)
_TICKET_TYPE = ModelColumns(
    TicketType,
    "tt",
    *("id", "name_da", "name_en", "name_sv", "name_de", "is_companion", "requires_attention"),
)
_EVENT = ModelColumns(
    Event,
    "e",
    *("id", "slug", "title_da", "title_en", "title_sv", "title_de", "venue", "status"),
    *("starts_at", "ends_at", "doors_open_at", "allows_reentry"),
)
_DOOR_EVENT = ModelColumns(Event, "e", "id", "slug", "venue")
_DEVICE = ModelColumns(ScannerDevice, "d", *(field.name for field in ScannerDevice._meta.concrete_fields))
_SCAN_FIELDS = [field for field in Scan._meta.concrete_fields if not field.primary_key]

# The column lists come from the models' fields, once at import; every value is a parameter.
_TICKET_SQL = (
    f"SELECT {_TICKET.sql}, {_TICKET_TYPE.sql}, {_EVENT.sql}"  # noqa: S608
    " FROM tickets_ticket t"
    " JOIN tickets_tickettype tt ON tt.id = t.ticket_type_id"
    " JOIN events_event e ON e.id = t.event_id"
    " WHERE t.id = %s AND t.event_id = %s"
)
_DOOR_EVENT_SQL = f"SELECT {_DOOR_EVENT.sql} FROM events_event e WHERE e.slug = %s AND e.status <> %s"  # noqa: S608
# One row per venue (one with no venue for a device without any).
_DEVICE_SQL = (
    f"SELECT {_DEVICE.sql}, dv.venue_id FROM tickets_scannerdevice d"  # noqa: S608
    " LEFT JOIN tickets_scannerdevice_venues dv ON dv.scannerdevice_id = d.id"
    " WHERE d.token_hash = %s AND d.revoked_at IS NULL"
)
_INSERT_SCAN_SQL = "INSERT INTO tickets_scan ({}) VALUES ({})".format(  # noqa: S608
    ", ".join(str(field.column) for field in _SCAN_FIELDS), ", ".join(["%s"] * len(_SCAN_FIELDS))
)


def _datetime_param(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _ticket_id_param(ticket_id: uuid.UUID) -> Any:
    return Ticket._meta.pk.get_db_prep_value(ticket_id, connection)  # type: ignore[union-attr]


def ticket_for_scan(ticket_id: uuid.UUID, event_id: int) -> Ticket | None:
    """The ticket of a signed code, with its type and event: what a scan decides on and answers with."""
    with connection.cursor() as cursor:
        cursor.execute(_TICKET_SQL, [_ticket_id_param(ticket_id), event_id])
        row = cursor.fetchone()
    if row is None:
        return None
    ticket = _TICKET.instance(row)
    ticket.ticket_type = _TICKET_TYPE.instance(row, _TICKET.width)
    ticket.event = _EVENT.instance(row, _TICKET.width + _TICKET_TYPE.width)
    return ticket


# The latest scan time that let the holder through is kept: a scan made earlier (a late offline upload)
# then replays the ticket's door (tickets.door_state).
_LAST_PASSED_SQL = (
    "door_scanned_at = CASE WHEN door_scanned_at IS NULL OR door_scanned_at < %s THEN %s ELSE door_scanned_at END"
)
# Constant text only (no value is put into it): every value is a parameter.
_ADMIT_FIRST_TIME_SQL = (
    "UPDATE tickets_ticket SET entered_at = %s, entry_gate = %s, is_inside = %s, door_changed_at = %s, "  # noqa: S608
    f"{_LAST_PASSED_SQL} WHERE id = %s AND status = %s AND NOT is_inside AND entered_at IS NULL"
)
_ADMIT_AGAIN_SQL = (
    "UPDATE tickets_ticket SET is_inside = %s, door_changed_at = %s, "  # noqa: S608
    f"{_LAST_PASSED_SQL} WHERE id = %s AND status = %s AND NOT is_inside"
)
_LEAVE_SQL = (
    "UPDATE tickets_ticket SET is_inside = %s, door_changed_at = %s, "  # noqa: S608
    f"{_LAST_PASSED_SQL} WHERE id = %s AND is_inside"
)


@functools.cache
def _admit_and_store_sql() -> str:
    """PostgreSQL: the admission and its scan's record in one statement, the record only if the ticket was let in.

    The scan's values are cast to their columns' types: in a SELECT list PostgreSQL cannot infer them.
    """
    values = ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in _SCAN_FIELDS)
    columns = ", ".join(str(field.column) for field in _SCAN_FIELDS)
    return (
        f"WITH admitted AS ({_ADMIT_FIRST_TIME_SQL} RETURNING id)"  # noqa: S608
        f" INSERT INTO tickets_scan ({columns}) SELECT {values} FROM admitted RETURNING id"
    )


def admit_first_time(ticket_id: uuid.UUID, *, entered_at: datetime, gate: str, now: datetime, scan: Scan) -> bool:
    """Let a valid ticket in for the first time and store `scan`, its record; False, and nothing stored,
    when the ticket is no longer valid, unused and outside.

    On PostgreSQL it is one statement, atomic without a transaction around it; elsewhere two, in one.
    A nonce already stored raises IntegrityError and leaves the ticket as it was.
    """
    admission = [
        _datetime_param(entered_at),
        gate,
        True,
        _datetime_param(now),
        *_last_passed_params(entered_at),
        _ticket_id_param(ticket_id),
        TicketStatus.VALID.value,
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_admit_and_store_sql(), admission + _scan_params(scan))
            row = cursor.fetchone()
        if row is None:
            return False
        _stored(scan, row[0])
        return True
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ADMIT_FIRST_TIME_SQL, admission)
        if cursor.rowcount != 1:
            return False
        insert_scan(scan)
        return True


def admit_again(ticket_id: uuid.UUID, *, scanned_at: datetime, now: datetime) -> bool:
    """Let a valid ticket in again (re-entry); False when it is no longer valid or already inside."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ADMIT_AGAIN_SQL,
            [
                True,
                _datetime_param(now),
                *_last_passed_params(scanned_at),
                _ticket_id_param(ticket_id),
                TicketStatus.VALID.value,
            ],
        )
        return cursor.rowcount == 1


def leave(ticket_id: uuid.UUID, *, scanned_at: datetime, now: datetime) -> bool:
    """Let the holder of a ticket out; False when they are not inside."""
    with connection.cursor() as cursor:
        cursor.execute(
            _LEAVE_SQL, [False, _datetime_param(now), *_last_passed_params(scanned_at), _ticket_id_param(ticket_id)]
        )
        return cursor.rowcount == 1


def _last_passed_params(scanned_at: datetime) -> list[Any]:
    return [_datetime_param(scanned_at)] * 2


def insert_scan(scan: Scan) -> None:
    """Store a new scan and give it its id; a nonce already stored raises IntegrityError."""
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(_INSERT_SCAN_SQL + " RETURNING id", _scan_params(scan))
            _stored(scan, cursor.fetchone()[0])
        else:
            cursor.execute(_INSERT_SCAN_SQL, _scan_params(scan))
            _stored(scan, cursor.lastrowid)


def _scan_params(scan: Scan) -> list[Any]:
    return [field.get_db_prep_save(getattr(scan, field.attname), connection) for field in _SCAN_FIELDS]


def _stored(scan: Scan, scan_id: int) -> None:
    scan.id = scan_id
    scan._state.adding, scan._state.db = False, connection.alias


def door_event(slug: str) -> Event | None:
    """The event (id, slug and venue) whose door a scan is made at, unless it is a draft."""
    with connection.cursor() as cursor:
        cursor.execute(_DOOR_EVENT_SQL, [slug, EventStatus.DRAFT.value])
        row = cursor.fetchone()
    return None if row is None else _DOOR_EVENT.instance(row)


def active_device(token_hash: str) -> tuple[ScannerDevice, frozenset[int]] | None:
    """The unrevoked device with this token hash and its venues, read together."""
    with connection.cursor() as cursor:
        cursor.execute(_DEVICE_SQL, [token_hash])
        rows = cursor.fetchall()
    if not rows:
        return None
    return _DEVICE.instance(rows[0]), frozenset(row[-1] for row in rows if row[-1] is not None)
