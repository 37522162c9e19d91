"""Signed ticket codes that a scanner can check offline, and their QR images.

A code is "T1:" + base45(payload + Ed25519 signature of the payload), where the 26-byte payload is
version, key id, ticket id, event id and valid-until. Nothing personal goes in it. The 138
characters are all in the QR alphanumeric set, so they fit version 6 at error correction M.
"""

import functools
import io
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import base45
import qrcode
import qrcode.util
from cryptography.exceptions import InvalidSignature
from django.utils.html import escape
from PIL import Image

from tickets.signing_keys import key_ring

PREFIX = "T1:"
VERSION = 1
_PAYLOAD = struct.Struct(">BB16sII")  # version, key id, ticket id, event id, valid-until (Unix seconds)
PAYLOAD_LENGTH = _PAYLOAD.size
SIGNATURE_LENGTH = 64
CODE_LENGTH = len(PREFIX) + (PAYLOAD_LENGTH + SIGNATURE_LENGTH) // 2 * 3
_MAX_UINT32 = 2**32 - 1

QR_VERSION = 6
QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# Choosing the mask per code costs 8 trial encodings; mask 4 scores about as well on average.
QR_MASK_PATTERN = 4
QR_BORDER = 4  # the quiet zone the standard asks for, in modules


class InvalidTicketCode(Exception):
    """A scanned code that is not a ticket signed by one of our keys."""

    code = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TicketClaim:
    """What a verified code says about its ticket."""

    ticket_id: uuid.UUID
    event_id: int
    valid_until: datetime
    key_id: int


def sign_ticket(*, ticket_id: uuid.UUID, event_id: int, valid_until: datetime) -> str:
    """The signed code for a ticket, signed with the current key."""
    if valid_until.tzinfo is None:
        raise ValueError("valid_until must be timezone-aware.")
    timestamp = int(valid_until.timestamp())
    if not 0 <= event_id <= _MAX_UINT32 or not 0 <= timestamp <= _MAX_UINT32:
        raise ValueError("event_id and valid_until must fit in 4 unsigned bytes.")
    ring = key_ring()
    payload = _PAYLOAD.pack(VERSION, ring.signing_key_id, ticket_id.bytes, event_id, timestamp)
    return PREFIX + base45.b45encode(payload + ring.signing_key.sign(payload)).decode("ascii")


def verify_ticket(code: str) -> TicketClaim:
    """The claim of a code signed by a configured key; InvalidTicketCode for anything else.

    Expiry is left to the caller, who knows the time of the scan.
    """
    # Scanners that type like a keyboard add line ends. Stripping never breaks a real code: the
    # last character of a base45 triple is at most "W", never the space base45 also uses.
    text = code.strip() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or not text.startswith(PREFIX):
        raise InvalidTicketCode("Not a ticket code.")
    try:
        data = base45.b45decode(text[len(PREFIX) :])
    except ValueError:
        raise InvalidTicketCode("Not a ticket code.") from None
    if len(data) != PAYLOAD_LENGTH + SIGNATURE_LENGTH:
        raise InvalidTicketCode("Not a ticket code.")
    payload, signature = data[:PAYLOAD_LENGTH], data[PAYLOAD_LENGTH:]
    version, key_id, ticket_bytes, event_id, timestamp = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise InvalidTicketCode("Unknown ticket code version.")
    public_key = key_ring().public_keys.get(key_id)
    if public_key is None:
        raise InvalidTicketCode("Signed with an unknown or withdrawn key.")
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        raise InvalidTicketCode("The signature does not match.") from None
    return TicketClaim(
        ticket_id=uuid.UUID(bytes=ticket_bytes),
        event_id=event_id,
        valid_until=datetime.fromtimestamp(timestamp, tz=UTC),
        key_id=key_id,
    )


@functools.lru_cache(maxsize=512)
def qr_matrix(code: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a code's QR symbol, quiet zone included."""
    qr = qrcode.QRCode(
        version=QR_VERSION, error_correction=QR_ERROR_CORRECTION, border=QR_BORDER, mask_pattern=QR_MASK_PATTERN
    )
    qr.add_data(qrcode.util.QRData(code, mode=qrcode.util.MODE_ALPHA_NUM))
    qr.make(fit=False)
    return tuple(tuple(row) for row in qr.get_matrix())


def qr_svg(code: str, *, label: str = "") -> str:
    """An inline SVG of the code's QR symbol; `label` becomes its accessible name."""
    matrix = qr_matrix(code)
    size = len(matrix)
    accessible = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size * 5}" '
        f'height="{size * 5}" shape-rendering="crispEdges"{accessible}>'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{_svg_path(matrix)}"/></svg>'
    )


def qr_png(code: str, *, box_size: int = 8) -> bytes:
    """A black-and-white PNG of the code's QR symbol, `box_size` pixels per module."""
    if box_size < 1:
        raise ValueError("box_size must be at least 1.")
    matrix = qr_matrix(code)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST).save(buffer, format="PNG")
    return buffer.getvalue()


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """Each horizontal run of dark modules as (row, first column, length), for drawing."""
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs


def _svg_path(matrix: tuple[tuple[bool, ...], ...]) -> str:
    return "".join(f"M{x} {y}h{length}v1h-{length}z" for y, x, length in dark_runs(matrix))
