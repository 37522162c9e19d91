"""Scanner devices: a one-time registration code shown to staff, exchanged for a device token.

Only SHA-256 hashes of codes and tokens are stored, so a database leak gives no working token.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tickets import scan_sql
from tickets.exceptions import TicketingError
from tickets.models import ScannerDevice

REGISTRATION_CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: the code is read off a screen and typed on a phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 8
_LAST_SEEN_EVERY = timedelta(minutes=1)
# Where `device_for_token` keeps the venue ids it read with the device, for this request only.
_VENUE_IDS = "_venue_ids_read"


class RegistrationCodeInvalid(TicketingError):
    code = "registration_code_invalid"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def new_registration_code(*, device_id: int, now: datetime | None = None) -> str:
    """A fresh one-time code for a device (any earlier code stops working), e.g. `K7QM-2XPD`."""
    now = now or timezone.now()
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    ScannerDevice.objects.filter(pk=device_id).update(
        registration_code_hash=_digest(code), registration_code_expires_at=now + REGISTRATION_CODE_LIFETIME
    )
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def register_device(*, code: str, now: datetime | None = None) -> tuple[ScannerDevice, str]:
    """Exchange a valid one-time code for the device's token; the code cannot be used again."""
    now = now or timezone.now()
    normalised = _normalise_code(code)
    device = (
        ScannerDevice.objects.select_for_update()
        .filter(
            registration_code_hash=_digest(normalised) if len(normalised) == _CODE_LENGTH else "-",
            registration_code_expires_at__gt=now,
            revoked_at__isnull=True,
        )
        .first()
    )
    if device is None:
        raise RegistrationCodeInvalid("This code is unknown, used or expired. Ask for a new one.")
    token = secrets.token_urlsafe(32)
    device.token_hash = _digest(token)
    device.registration_code_hash = ""
    device.registration_code_expires_at = None
    device.registered_at = now
    device.last_seen_at = now
    device.save(
        update_fields=[
            "token_hash",
            "registration_code_hash",
            "registration_code_expires_at",
            "registered_at",
            "last_seen_at",
        ]
    )
    return device, token


def device_for_token(token: str, *, now: datetime | None = None) -> ScannerDevice | None:
    """The active device holding this token, or None; its venues are read in the same statement."""
    if not token:
        return None
    found = scan_sql.active_device(_digest(token))
    if found is None:
        return None
    device, venue_ids = found
    vars(device)[_VENUE_IDS] = venue_ids
    now = now or timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > _LAST_SEEN_EVERY:
        ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
    return device


def venue_ids_read_with(device: ScannerDevice) -> frozenset[int] | None:
    """The venues `device_for_token` read together with this device, or None for a device read otherwise."""
    read: frozenset[int] | None = vars(device).get(_VENUE_IDS)
    return read


def revoke_device(*, device_id: int, now: datetime | None = None) -> None:
    """The device's token stops working at once; its scans stay."""
    ScannerDevice.objects.filter(pk=device_id, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), registration_code_hash="", registration_code_expires_at=None
    )
