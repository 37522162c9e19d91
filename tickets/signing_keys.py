"""The Ed25519 keys that sign ticket codes, read from settings, with ids so they can rotate.

`TICKET_SIGNING_KEYS` lists every key still honoured at the door ("1:<base64>,2:<base64>");
`TICKET_SIGNING_KEY_ID` picks the one that signs new codes (default: the highest id).
Removing a key from the list revokes every code it signed.
"""

import base64
import binascii
import functools
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_KEY_ID = 255
DEVELOPMENT_KEY_ID = 0
_DEVELOPMENT_KEY_INFO = b"helsingor-kultur ticket signing development key"


@dataclass(frozen=True)
class KeyRing:
    """The key that signs new codes and the public keys that codes are checked against."""

    signing_key_id: int
    signing_key: Ed25519PrivateKey
    public_keys: dict[int, Ed25519PublicKey]


def key_ring() -> KeyRing:
    """The configured keys; a key derived from SECRET_KEY in development when none are set."""
    return _key_ring(
        str(getattr(settings, "TICKET_SIGNING_KEYS", "") or ""),
        str(getattr(settings, "TICKET_SIGNING_KEY_ID", "") or ""),
        bool(settings.DEBUG),
        str(settings.SECRET_KEY),
    )


def public_keys() -> dict[int, str]:
    """Key id → base64 of the raw 32-byte public key, for scanners that check codes offline."""
    return {key_id: _public_base64(key) for key_id, key in sorted(key_ring().public_keys.items())}


def generate_key_setting(key_id: int) -> str:
    """A new random key as one `id:base64` entry of TICKET_SIGNING_KEYS."""
    if not 0 <= key_id <= MAX_KEY_ID:
        raise ValueError(f"Key ids run from 0 to {MAX_KEY_ID}.")
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return f"{key_id}:{base64.b64encode(raw).decode()}"


@functools.lru_cache(maxsize=8)
def _key_ring(keys_setting: str, key_id_setting: str, debug: bool, secret_key: str) -> KeyRing:
    private_keys = _parse_keys(keys_setting)
    if not private_keys:
        if not debug:
            raise ImproperlyConfigured("TICKET_SIGNING_KEYS must be set when DEBUG is off.")
        private_keys = {DEVELOPMENT_KEY_ID: _development_key(secret_key)}
    signing_key_id = _parse_signing_key_id(key_id_setting, private_keys)
    return KeyRing(
        signing_key_id=signing_key_id,
        signing_key=private_keys[signing_key_id],
        public_keys={key_id: key.public_key() for key_id, key in private_keys.items()},
    )


def _parse_keys(keys_setting: str) -> dict[int, Ed25519PrivateKey]:
    keys: dict[int, Ed25519PrivateKey] = {}
    for position, entry in enumerate((item.strip() for item in keys_setting.split(",") if item.strip()), 1):
        # Never echo the entry itself: it is a secret.
        key_id_text, separator, key_text = entry.partition(":")
        key_id = _parse_key_id(key_id_text)
        if not separator or key_id is None:
            raise ImproperlyConfigured(
                f"TICKET_SIGNING_KEYS entry {position} is not in the form id:base64-key with an id from 0 to 255."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"TICKET_SIGNING_KEYS names key id {key_id} twice.")
        try:
            raw = base64.b64decode(key_text.strip(), validate=True)
        except binascii.Error:
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(f"TICKET_SIGNING_KEYS key {key_id} is not base64 of 32 bytes.")
        keys[key_id] = Ed25519PrivateKey.from_private_bytes(raw)
    return keys


def _parse_signing_key_id(key_id_setting: str, keys: dict[int, Ed25519PrivateKey]) -> int:
    if not key_id_setting.strip():
        return max(keys)
    key_id = _parse_key_id(key_id_setting)
    if key_id is None or key_id not in keys:
        raise ImproperlyConfigured("TICKET_SIGNING_KEY_ID must be one of the ids in TICKET_SIGNING_KEYS.")
    return key_id


def _parse_key_id(text: str) -> int | None:
    """A key id written as a plain number from 0 to 255, else None."""
    match = re.fullmatch(r"\s*([0-9]{1,3})\s*", text)
    key_id = int(match.group(1)) if match else None
    return key_id if key_id is not None and key_id <= MAX_KEY_ID else None


def _development_key(secret_key: str) -> Ed25519PrivateKey:
    """A key derived from SECRET_KEY, so local demos work without configuration."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DEVELOPMENT_KEY_INFO)
    return Ed25519PrivateKey.from_private_bytes(hkdf.derive(secret_key.encode()))


def _public_base64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()
