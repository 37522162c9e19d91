"""Payments for ticket sales through Stripe Checkout."""

from tickets.payments.gateway import (
    CheckoutLine,
    CheckoutSession,
    InvalidWebhookSignature,
    PaymentGateway,
    PaymentProviderError,
    RefundResult,
    WebhookEvent,
    sign_webhook_payload,
)

__all__ = [
    "CheckoutLine",
    "CheckoutSession",
    "InvalidWebhookSignature",
    "PaymentGateway",
    "PaymentProviderError",
    "RefundResult",
    "WebhookEvent",
    "sign_webhook_payload",
]
