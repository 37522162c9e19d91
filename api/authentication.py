"""Scanner devices authenticate with `Authorization: Device <token>`, on the scanning endpoints only."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from config.sql_rows import ModelColumns
from tickets.access import remember_staffed_venues
from tickets.devices import device_for_token
from tickets.models import ScannerDevice
from venues.models import Venue

KEYWORD = "Device"


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    """A registered scanner device: the user stays anonymous and `request.auth` is the device."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ScannerDevice] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace") != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid device token header.")
        device = device_for_token(parts[1].decode(errors="replace"))
        if device is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked device token.")
        return AnonymousUser(), device

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


User = get_user_model()
_USER = ModelColumns(User, "u", *(field.name for field in User._meta.concrete_fields))
# One row per venue the user staffs (one with no venue for a user who staffs none).
_TOKEN_USER_SQL = (
    f"SELECT {_USER.sql}, vs.venue_id FROM {Token._meta.db_table} tok"  # noqa: S608
    f" JOIN {User._meta.db_table} u ON u.id = tok.user_id"
    f" LEFT JOIN {Venue.staff.through._meta.db_table} vs ON vs.user_id = u.id"
    " WHERE tok.key = %s"
)


class ScannerTokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Token` authentication, reading the user and the venues they staff in one statement.

    Used on the door's endpoints, where every scan authenticates: the same answers as DRF's, one
    statement instead of two.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        with connection.cursor() as cursor:
            cursor.execute(_TOKEN_USER_SQL, [key])
            rows = cursor.fetchall()
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = _USER.instance(rows[0])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_staffed_venues(user, frozenset(row[-1] for row in rows if row[-1] is not None))
        return user, Token(key=key, user=user)


class DeviceTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A scanner device\'s token, as "Device <token>".',
        }


class ScannerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.ScannerTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A staff user\'s API token, as "Token <key>" (the same tokens as `tokenAuth`).',
        }
