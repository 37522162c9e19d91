"""Helpers for door-scanning tests: a fixed signing key, a scan at a given time, a ticket's door state."""

import base64
import uuid
from datetime import datetime

from tests.factories import UserFactory
from tickets.access import scan_venue_ids
from tickets.models import Ticket
from tickets.scanning import ScanInput, Scanner, ScanOutcome, scan_ticket

SIGNING_KEY = "1:" + base64.b64encode(bytes(range(32))).decode()


def use_test_signing_key(settings) -> None:
    """Production-like settings: DEBUG off and one configured key."""
    settings.DEBUG = False
    settings.TICKET_SIGNING_KEYS = SIGNING_KEY
    settings.TICKET_SIGNING_KEY_ID = ""


def staff_scanner(*venues) -> Scanner:
    """A new member of door staff at the given venues, as a scanner."""
    user = UserFactory()
    for venue in venues:
        venue.staff.add(user)
    return Scanner(venue_ids=scan_venue_ids(user=user), user_id=user.pk)


def scan(
    code: str,
    *,
    at: datetime,
    scanner: Scanner,
    gate: str = "Main door",
    direction: str = "in",
    nonce: str | None = None,
    event=None,
    received_at: datetime | None = None,
) -> ScanOutcome:
    """One online scan made at `at` (received at `received_at`, by default the same instant)."""
    return scan_ticket(
        scan=ScanInput(
            code=code,
            gate=gate,
            nonce=nonce or uuid.uuid4().hex,
            direction=direction,
            scanned_at=at,
            expected_event=event,
        ),
        scanner=scanner,
        now=received_at or at,
    )


def offline(code: str, *, at: datetime, gate: str, result: str = "ok", direction: str = "in", nonce: str = ""):
    """A scan a device made offline at `at` and answered with `result`."""
    return ScanInput(
        code=code,
        gate=gate,
        nonce=nonce or uuid.uuid4().hex,
        direction=direction,
        scanned_at=at,
        offline_result=result,
    )


def door_state(ticket: Ticket) -> tuple:
    """The ticket's door state as stored: first entry, gate, inside, last change."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (fresh.entered_at, fresh.entry_gate, fresh.is_inside, fresh.door_changed_at)
