"""The payment seam: what ticket sales need from a payment provider, in plain values.

`get_gateway()` returns Stripe when a secret key is configured, and the local payment
simulator only in development. Nothing here imports Stripe: `stripe_gateway` is the one
module that talks to it.
"""

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from tickets.payments.stripe_gateway import StripeGateway

# Stripe replaces this in a success URL with the Checkout Session's id; it must not be URL-encoded.
CHECKOUT_SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}"
WEBHOOK_TOLERANCE_SECONDS = 300
# Stripe accepts a Checkout Session expiry from 30 minutes to 24 hours after creation; the margin
# covers the request's travel time and clock differences.
SESSION_LIFETIME_MIN = timedelta(minutes=30)
SESSION_LIFETIME_MAX = timedelta(hours=24)
SESSION_LIFETIME_MARGIN = timedelta(minutes=1)

RefundStatus = Literal["pending", "succeeded", "failed"]


@dataclass(frozen=True)
class CheckoutLine:
    name: str
    unit_amount_ore: int
    quantity: int


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: RefundStatus


@dataclass(frozen=True)
class WebhookEvent:
    """A verified provider event; `data` is the event's `data.object` (a session, intent or charge)."""

    id: str
    type: str
    created: int
    data: dict[str, Any]


class PaymentProviderError(Exception):
    """The provider refused a request or could not be reached.

    `error_type` is Stripe's error family (`card_error`, `invalid_request_error`,
    `api_connection_error`, ...), `provider_code` Stripe's own code (`card_declined`, ...) when
    it sent one, and `retryable` says whether the same request may succeed later.
    """

    code = "payment_provider_error"

    def __init__(
        self, message: str, *, error_type: str, provider_code: str | None = None, retryable: bool = False
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.provider_code = provider_code
        self.retryable = retryable


class InvalidWebhookSignature(Exception):
    code = "invalid_signature"


class PaymentGateway(Protocol):
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
        """Start a hosted checkout; the returned expiry may be later than asked (30 minutes at least)."""
        ...

    def expire_checkout_session(self, *, session_id: str, idempotency_key: str) -> None:
        """End an open checkout early; a session that is already expired or complete is left alone."""
        ...

    def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount_ore: int,
        idempotency_key: str,
        reason: str = "requested_by_customer",
        metadata: dict[str, str] | None = None,
    ) -> RefundResult:
        """Refund all or part of a payment; `metadata` comes back with the provider's events about it."""
        ...

    def refund_status(self, *, refund_id: str) -> RefundResult:
        """A refund made earlier, as the provider sees it now."""
        ...

    def parse_webhook(self, *, payload: bytes, signature_header: str) -> WebhookEvent:
        """Verify a signed webhook and read its event, or raise InvalidWebhookSignature."""
        ...


def sign_webhook_payload(*, payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """Return a `Stripe-Signature` header value for a payload, signed the way Stripe signs webhooks."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def clamp_session_expiry(expires_at: datetime, *, now: datetime) -> datetime:
    """Move a wanted checkout expiry into the window Stripe accepts."""
    if expires_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("Checkout expiry times must be timezone-aware.")
    earliest = now + SESSION_LIFETIME_MIN + SESSION_LIFETIME_MARGIN
    latest = now + SESSION_LIFETIME_MAX - SESSION_LIFETIME_MARGIN
    return min(max(expires_at, earliest), latest)


def check_lines(lines: Sequence[CheckoutLine]) -> None:
    """Refuse checkout lines no provider would accept: none, negative prices, empty quantities."""
    if not lines:
        raise ValueError("A checkout needs at least one line.")
    for line in lines:
        if line.unit_amount_ore < 0 or line.quantity < 1:
            raise ValueError(f"Invalid checkout line: {line!r}")


def success_url_for(*, success_url: str, session_id: str) -> str:
    """Fill in the session id the way Stripe does when it sends the buyer back."""
    return success_url.replace(CHECKOUT_SESSION_ID_PLACEHOLDER, session_id)


def is_simulated() -> bool:
    """Whether payments go to the local simulator (no Stripe key, DEBUG on)."""
    return not getattr(settings, "STRIPE_SECRET_KEY", "") and bool(settings.DEBUG)


def get_gateway() -> PaymentGateway:
    """Return Stripe when a secret key is set; the simulator only in development."""
    api_key = getattr(settings, "STRIPE_SECRET_KEY", "")
    if api_key:
        webhook_secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
        if not webhook_secret:
            raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set.")
        return _stripe_gateway(api_key, webhook_secret)
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "STRIPE_SECRET_KEY must be set when DEBUG is off: the payment simulator runs only in development."
        )
    # Imported here: the simulator and Stripe modules import this one.
    from tickets.payments.simulator import SimulatorGateway, simulator_webhook_secret

    return SimulatorGateway(webhook_secret=simulator_webhook_secret())


@lru_cache(maxsize=4)
def _stripe_gateway(api_key: str, webhook_secret: str) -> "StripeGateway":
    """One client per key, so HTTP connections to Stripe are reused."""
    from tickets.payments.stripe_gateway import StripeGateway

    return StripeGateway(api_key=api_key, webhook_secret=webhook_secret)
