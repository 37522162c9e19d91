"""One place that maps errors to HTTP: DRF's shapes plus a machine-readable `code`."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from events.exceptions import CatalogueError
from tickets.exceptions import PaymentsUnavailable, TicketingError
from tickets.payments.gateway import InvalidWebhookSignature, PaymentProviderError
from visitor_stats.figures import FigureRejected

# Domain errors and their HTTP status; later apps add theirs here.
DOMAIN_ERROR_STATUS: dict[type[Exception], int] = {
    CatalogueError: status.HTTP_400_BAD_REQUEST,
    PaymentsUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
    TicketingError: status.HTTP_409_CONFLICT,
    InvalidWebhookSignature: status.HTTP_400_BAD_REQUEST,
    PaymentProviderError: status.HTTP_502_BAD_GATEWAY,
    FigureRejected: status.HTTP_400_BAD_REQUEST,
}


def _first_code(codes: Any) -> str:
    if isinstance(codes, dict):
        return _first_code(next(iter(codes.values()), "invalid"))
    if isinstance(codes, list):
        return _first_code(codes[0]) if codes else "invalid"
    return str(codes)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every API error as {"code", "detail"} and, for bad input, field-level `errors`."""
    for error_class, http_status in DOMAIN_ERROR_STATUS.items():
        if isinstance(exc, error_class):
            code = getattr(exc, "code", "error")
            return Response({"code": code, "detail": str(exc)}, status=http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"code": "invalid_input", "detail": _("Invalid input."), "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"code": _first_code(exc.get_codes()), "detail": str(exc.detail)}
    return response
