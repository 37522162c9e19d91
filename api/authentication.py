"""Scanner devices authenticate with `Authorization: Device <token>`, on the scanning endpoints only."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tickets.devices import device_for_token
from tickets.models import ScannerDevice

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
