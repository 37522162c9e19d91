"""Payments for ticket sales: Stripe Checkout, or a local simulator in development."""

from tickets.payments.gateway import (
    CheckoutLine,
    CheckoutSession,
    InvalidWebhookSignature,
    PaymentGateway,
    PaymentProviderError,
    RefundResult,
    WebhookEvent,
    get_gateway,
    is_simulated,
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
    "get_gateway",
    "is_simulated",
    "sign_webhook_payload",
]
