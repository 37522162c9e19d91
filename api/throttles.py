"""Throttles of the door's endpoints.

Scanner devices are anonymous to DRF (their token names a device, not a user), so the anonymous
throttle would count every phone at a venue together under the venue's one public address: a busy
door with several gates would be refused. A device is throttled on its own instead.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from tickets.models import ScannerDevice


def _device(request: Request) -> ScannerDevice | None:
    return request.auth if isinstance(request.auth, ScannerDevice) else None


class AnonymousExceptDevicesThrottle(AnonRateThrottle):
    """The anonymous throttle (`API_ANON_RATE`, per address), which leaves scanner devices alone."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return None if _device(request) is not None else super().get_cache_key(request, view)


class ScannerDeviceThrottle(SimpleRateThrottle):
    """Each scanner device on its own (`SCANNER_DEVICE_RATE`); staff and anonymous requests pass."""

    scope = "scanner_device"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        device = _device(request)
        return None if device is None else self.cache_format % {"scope": self.scope, "ident": device.pk}


class RegistrationThrottle(AnonRateThrottle):
    """Registering a device with a one-time code, per address: codes cannot be guessed by trying."""

    scope = "device_registration"
    rate = "20/minute"
