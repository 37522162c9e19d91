"""A local stand-in for Stripe Checkout, for development without keys or network.

It keeps no state: ids are derived from the idempotency keys (so a retried request gets the
same session, as with Stripe), and the simulator page pays by posting a signed Stripe-shaped
event through the real webhook endpoint. `get_gateway()` hands it out only when DEBUG is on.
"""

import json
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

from tickets.payments.gateway import (
    CheckoutLine,
    CheckoutSession,
    RefundResult,
    WebhookEvent,
    check_lines,
    clamp_session_expiry,
    is_simulated,
    sign_webhook_payload,
)
from tickets.payments.stripe_gateway import API_VERSION, CURRENCY, PAYMENT_METHOD_TYPES, parse_signed_event

SALT = "tickets.payments.simulator"


def simulator_webhook_secret() -> str:
    """STRIPE_WEBHOOK_SECRET if set, else a development secret derived from SECRET_KEY."""
    configured: str = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    return configured or "whsec_sim_" + salted_hmac(SALT, "webhook-secret").hexdigest()


def payment_intent_id_for(session_id: str) -> str:
    """The simulated PaymentIntent behind a simulated Checkout Session."""
    return "pi_sim_" + session_id.removeprefix("cs_sim_")


class SimulatorGateway:
    """Answers like Stripe without the network; the database holds everything that matters."""

    def __init__(self, *, webhook_secret: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
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
        """Return a simulated session whose page is `/payments/simulator/<id>/`, expiring as Stripe's would."""
        check_lines(lines)
        session_id = "cs_sim_" + self._token("checkout", idempotency_key)
        return CheckoutSession(
            id=session_id,
            url=f"/payments/simulator/{session_id}/",
            expires_at=clamp_session_expiry(expires_at, now=self._clock()).replace(microsecond=0),
        )

    def expire_checkout_session(self, *, session_id: str, idempotency_key: str) -> None:
        """Nothing to do: the simulator page asks the database whether the order is still open."""

    def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount_ore: int,
        idempotency_key: str,
        reason: str = "requested_by_customer",
        metadata: dict[str, str] | None = None,
    ) -> RefundResult:
        """Refund at once; Stripe may answer `pending` and settle it later."""
        if amount_ore <= 0:
            raise ValueError("A refund must be for more than 0 øre.")
        return RefundResult(id="re_sim_" + self._token("refund", idempotency_key), status="succeeded")

    def refund_status(self, *, refund_id: str) -> RefundResult:
        """The simulator's refunds are paid out at once."""
        return RefundResult(id=refund_id, status="succeeded")

    def parse_webhook(self, *, payload: bytes, signature_header: str) -> WebhookEvent:
        """Verify and read an event exactly as the Stripe gateway does, with the simulator's secret."""
        return parse_signed_event(payload=payload, signature_header=signature_header, secret=self._webhook_secret)

    def _token(self, kind: str, idempotency_key: str) -> str:
        return salted_hmac(SALT, f"{kind}:{idempotency_key}", secret=self._webhook_secret).hexdigest()[:24]


def simulated_event(*, type: str, data_object: dict[str, Any], event_id: str | None = None) -> tuple[bytes, str]:
    """Build a Stripe-shaped event and its `Stripe-Signature` header, for the simulator's buttons.

    Refused unless payments are simulated, so it can never forge events for a real Stripe account.
    """
    if not is_simulated():
        raise ImproperlyConfigured("Simulated payment events need DEBUG on and no STRIPE_SECRET_KEY.")
    event = {
        "id": event_id or "evt_sim_" + secrets.token_hex(12),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": data_object},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
    }
    payload = json.dumps(event).encode()
    return payload, sign_webhook_payload(payload=payload, secret=simulator_webhook_secret())


def checkout_session_completed_object(
    *, session_id: str, reference: str, amount_total_ore: int, payment_intent_id: str, customer_email: str = ""
) -> dict[str, Any]:
    """A paid `checkout.session` as in a `checkout.session.completed` event."""
    return _checkout_session(
        session_id=session_id,
        reference=reference,
        amount_total_ore=amount_total_ore,
        customer_email=customer_email,
        status="complete",
        payment_status="paid",
        payment_intent_id=payment_intent_id,
    )


def checkout_session_expired_object(
    *, session_id: str, reference: str, amount_total_ore: int, customer_email: str = ""
) -> dict[str, Any]:
    """An unpaid `checkout.session` as in a `checkout.session.expired` event."""
    return _checkout_session(
        session_id=session_id,
        reference=reference,
        amount_total_ore=amount_total_ore,
        customer_email=customer_email,
        status="expired",
        payment_status="unpaid",
        payment_intent_id=None,
    )


def payment_failed_object(
    *,
    payment_intent_id: str,
    reference: str,
    amount_ore: int,
    failure_code: str = "card_declined",
    failure_message: str = "Your card was declined.",
) -> dict[str, Any]:
    """A `payment_intent` as in a `payment_intent.payment_failed` event."""
    return {
        "id": payment_intent_id,
        "object": "payment_intent",
        "amount": amount_ore,
        "amount_received": 0,
        "currency": CURRENCY,
        "last_payment_error": {"type": "card_error", "code": failure_code, "message": failure_message},
        "livemode": False,
        "metadata": {"reference": reference},
        "status": "requires_payment_method",
    }


def charge_refunded_object(
    *, payment_intent_id: str, amount_refunded_ore: int, reference: str, amount_ore: int | None = None
) -> dict[str, Any]:
    """A `charge` as in a `charge.refunded` event; `amount_ore` (the charge) defaults to the refunded amount."""
    amount = amount_refunded_ore if amount_ore is None else amount_ore
    return {
        "id": "ch_sim_" + payment_intent_id.removeprefix("pi_sim_"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded_ore,
        "captured": True,
        "currency": CURRENCY,
        "livemode": False,
        "metadata": {"reference": reference},
        "paid": True,
        "payment_intent": payment_intent_id,
        "refunded": amount_refunded_ore >= amount,
        "status": "succeeded",
    }


def _checkout_session(
    *,
    session_id: str,
    reference: str,
    amount_total_ore: int,
    customer_email: str,
    status: str,
    payment_status: str,
    payment_intent_id: str | None,
) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": amount_total_ore,
        "amount_total": amount_total_ore,
        "client_reference_id": reference,
        "currency": CURRENCY,
        "customer_details": {"email": customer_email or None},
        "customer_email": customer_email or None,
        "livemode": False,
        "metadata": {"reference": reference},
        "mode": "payment",
        "payment_intent": payment_intent_id,
        "payment_method_types": list(PAYMENT_METHOD_TYPES),
        "payment_status": payment_status,
        "status": status,
        "url": None,
    }
