"""Stripe Checkout, refunds and webhook signatures: the one module that talks to Stripe.

Every Stripe exception is turned into PaymentProviderError or InvalidWebhookSignature here.
"""

import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import stripe
from stripe.params.checkout import SessionCreateParams

from tickets.payments.gateway import (
    WEBHOOK_TOLERANCE_SECONDS,
    CheckoutLine,
    CheckoutSession,
    InvalidWebhookSignature,
    PaymentProviderError,
    RefundResult,
    RefundStatus,
    WebhookEvent,
    check_lines,
    clamp_session_expiry,
)

logger = logging.getLogger(__name__)

# The API version stripe-python pins; webhook endpoints in the Dashboard should use the same.
API_VERSION: str = stripe.api_version
PAYMENT_METHOD_TYPES = ("card", "mobilepay")
CURRENCY = "dkk"
CHECKOUT_LOCALES = frozenset({"da", "en", "sv", "de"})
# (connect, read) seconds: a buyer is waiting, so fail well before stripe-python's 80 s default.
HTTP_TIMEOUT = (5.0, 30.0)
REFUND_STATUSES: dict[str, RefundStatus] = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}

# Stripe's error families, and whether the same request may succeed when tried again later.
_ERROR_TYPES: tuple[tuple[type[stripe.StripeError], str, bool], ...] = (
    (stripe.CardError, "card_error", False),
    (stripe.RateLimitError, "rate_limit_error", True),
    (stripe.IdempotencyError, "idempotency_error", False),
    (stripe.InvalidRequestError, "invalid_request_error", False),
    (stripe.AuthenticationError, "authentication_error", False),
    (stripe.PermissionError, "permission_error", False),
    (stripe.APIConnectionError, "api_connection_error", True),
    (stripe.APIError, "api_error", True),
)


def provider_error(action: str, error: stripe.StripeError) -> PaymentProviderError:
    """Translate a Stripe exception into the gateway's error, keeping Stripe's code."""
    error_type, retryable = next(
        ((name, retry) for cls, name, retry in _ERROR_TYPES if isinstance(error, cls)), ("stripe_error", False)
    )
    # Stripe's messages run to several sentences and wrapped lines; the first sentence says enough.
    message = re.split(r"(?<=\.)\s", " ".join((error.user_message or error_type).split()), maxsplit=1)[0][:200]
    return PaymentProviderError(
        f"Stripe could not {action}: {message}", error_type=error_type, provider_code=error.code, retryable=retryable
    )


@contextmanager
def stripe_errors(action: str) -> Iterator[None]:
    """Let no Stripe exception leave this module."""
    try:
        yield
    except stripe.StripeError as error:
        raise provider_error(action, error) from error


def checkout_locale(locale: str) -> str:
    """Stripe Checkout's locale for one of the site's languages; `auto` for anything else."""
    return locale if locale in CHECKOUT_LOCALES else "auto"


def checkout_params(
    *,
    reference: str,
    lines: Sequence[CheckoutLine],
    customer_email: str,
    locale: str,
    success_url: str,
    cancel_url: str,
    expires_at: datetime,
    metadata: dict[str, str],
) -> SessionCreateParams:
    """The Checkout Session parameters for an order: cards and MobilePay, in DKK øre."""
    tagged = {**metadata, "reference": reference}
    return {
        "mode": "payment",
        # API 2026-09-30 removed `payment_method_types` from session creation; this list filters
        # the methods enabled in the Dashboard, so MobilePay must be switched on there.
        "allowed_payment_method_types": list(PAYMENT_METHOD_TYPES),
        "line_items": [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": line.unit_amount_ore,
                    "product_data": {"name": line.name},
                },
            }
            for line in lines
        ],
        "client_reference_id": reference,
        "customer_email": customer_email,
        "locale": checkout_locale(locale),
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(expires_at.timestamp()),
        "metadata": tagged,
        # Set on the PaymentIntent too, so payment_intent.* events (which carry no session) name the order.
        "payment_intent_data": {"metadata": tagged},
    }


def parse_signed_event(*, payload: bytes, signature_header: str, secret: str) -> WebhookEvent:
    """Verify a `Stripe-Signature` header as Stripe does (HMAC-SHA256, 300 s) and read the event."""
    if not secret:
        raise InvalidWebhookSignature("No webhook secret is configured.")
    try:
        stripe.WebhookSignature.verify_header(payload, signature_header, secret, WEBHOOK_TOLERANCE_SECONDS)
        event = json.loads(payload)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhookSignature(str(error).splitlines()[0]) from error
    except ValueError as error:  # JSON or UTF-8 that does not decode
        raise InvalidWebhookSignature("The webhook body is not valid JSON.") from error
    if not _is_event(event):
        raise InvalidWebhookSignature("The webhook body is not a Stripe event.")
    return WebhookEvent(id=event["id"], type=event["type"], created=event["created"], data=event["data"]["object"])


def _is_event(value: object) -> bool:
    if not isinstance(value, dict) or value.get("object") != "event":
        return False
    data = value.get("data")
    return (
        isinstance(value.get("id"), str)
        and isinstance(value.get("type"), str)
        and isinstance(value.get("created"), int)
        and isinstance(data, dict)
        and isinstance(data.get("object"), dict)
    )


class StripeGateway:
    """Payments through Stripe Checkout (cards and MobilePay, DKK)."""

    def __init__(
        self,
        *,
        api_key: str,
        webhook_secret: str,
        max_network_retries: int = 2,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        # Retries resend the same idempotency key, so Stripe never acts twice.
        self._client = stripe.StripeClient(
            api_key, max_network_retries=max_network_retries, http_client=stripe.RequestsClient(timeout=HTTP_TIMEOUT)
        )
        self._webhook_secret = webhook_secret
        self._clock = clock

    def create_checkout_session(
        self,
        *,
        reference: str,
        lines: Sequence[CheckoutLine],
        customer_email: str,
        locale: str,
        success_url: str,
        cancel_url: str,
        expires_at: datetime,
        idempotency_key: str,
        metadata: dict[str, str],
    ) -> CheckoutSession:
        """Create a hosted Checkout Session; Stripe keeps it open 30 minutes at least."""
        check_lines(lines)
        params = checkout_params(
            reference=reference,
            lines=lines,
            customer_email=customer_email,
            locale=locale,
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=clamp_session_expiry(expires_at, now=self._clock()),
            metadata=metadata,
        )
        with stripe_errors("start the checkout"):
            session = self._client.v1.checkout.sessions.create(
                params=params,
                options={"idempotency_key": idempotency_key},
            )
        if not session.url:
            raise PaymentProviderError("Stripe returned a Checkout Session without a URL.", error_type="api_error")
        if "mobilepay" not in (session.payment_method_types or []):
            logger.warning("Checkout Session %s does not offer MobilePay; is it enabled in the Dashboard?", session.id)
        return CheckoutSession(
            id=session.id, url=session.url, expires_at=datetime.fromtimestamp(session.expires_at, tz=UTC)
        )

    def expire_checkout_session(self, *, session_id: str, idempotency_key: str) -> None:
        """Expire an open Checkout Session; one that is already expired or complete counts as done."""
        try:
            self._client.v1.checkout.sessions.expire(session_id, options={"idempotency_key": idempotency_key})
        except stripe.InvalidRequestError as error:
            # Stripe answers 400 "Only Checkout Sessions with a status in ["open"] can be expired";
            # the session's own status says whether that is the reason.
            if error.http_status != 400 or self._session_is_open(session_id):
                raise provider_error("expire the checkout", error) from error
        except stripe.StripeError as error:
            raise provider_error("expire the checkout", error) from error

    def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount_ore: int,
        idempotency_key: str,
        reason: str = "requested_by_customer",
        metadata: dict[str, str] | None = None,
    ) -> RefundResult:
        """Refund part or all of a payment; the status may stay pending until a webhook settles it."""
        if amount_ore <= 0:
            raise ValueError("A refund must be for more than 0 øre.")
        params: dict[str, Any] = {"payment_intent": payment_intent_id, "amount": amount_ore, "reason": reason}
        if metadata:
            params["metadata"] = metadata
        with stripe_errors("refund the payment"):
            refund = self._client.v1.refunds.create(
                params=params,  # type: ignore[arg-type]  # the TypedDict cannot be built up key by key
                options={"idempotency_key": idempotency_key},
            )
        return RefundResult(id=refund.id, status=REFUND_STATUSES.get(refund.status or "", "pending"))

    def refund_status(self, *, refund_id: str) -> RefundResult:
        """A refund made earlier, as Stripe sees it now."""
        with stripe_errors("read the refund"):
            refund = self._client.v1.refunds.retrieve(refund_id)
        return RefundResult(id=refund.id, status=REFUND_STATUSES.get(refund.status or "", "pending"))

    def parse_webhook(self, *, payload: bytes, signature_header: str) -> WebhookEvent:
        """Verify the Stripe-Signature header with the webhook secret and read the event."""
        return parse_signed_event(payload=payload, signature_header=signature_header, secret=self._webhook_secret)

    def _session_is_open(self, session_id: str) -> bool:
        with stripe_errors("read the checkout"):
            return self._client.v1.checkout.sessions.retrieve(session_id).status == "open"
