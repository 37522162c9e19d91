"""The Stripe gateway at the HTTP level: what goes to api.stripe.com, and how answers map back."""

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import pytest
import requests
import responses
import stripe

from tickets.payments.gateway import (
    CheckoutLine,
    CheckoutSession,
    InvalidWebhookSignature,
    PaymentProviderError,
    RefundResult,
    WebhookEvent,
    sign_webhook_payload,
)
from tickets.payments.stripe_gateway import StripeGateway

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
API = "https://api.stripe.com/v1"
SESSIONS = f"{API}/checkout/sessions"
REFUNDS = f"{API}/refunds"
SECRET = "whsec_test_secret"


@pytest.fixture
def gateway() -> StripeGateway:
    return StripeGateway(api_key="sk_test_123", webhook_secret=SECRET, max_network_retries=0, clock=lambda: NOW)


@pytest.fixture
def stripe_api():
    """Stripe's API, faked; a request that matches nothing is refused, so nothing leaves the machine."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def form(call) -> dict[str, str]:
    return dict(parse_qsl(call.request.body))


def stripe_error(status: int, **error: str) -> dict:
    return {"status": status, "json": {"error": {"message": "Something went wrong.", **error}}}


def session_json(*, expires_at: datetime, methods: tuple[str, ...] = ("card", "mobilepay"), status="open") -> dict:
    return {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
        "expires_at": int(expires_at.timestamp()),
        "payment_method_types": list(methods),
        "status": status,
    }


def create_session(gateway: StripeGateway, **overrides) -> CheckoutSession:
    values = {
        "reference": "HK-7Q4M2",
        "lines": [CheckoutLine(name="Jazz på havnen – Voksen", unit_amount_ore=15000, quantity=2)],
        "customer_email": "buyer@example.dk",
        "locale": "da",
        "success_url": "https://kultur.example/ordre/s3cr3t/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://kultur.example/ordre/s3cr3t/betal/",
        "expires_at": NOW + timedelta(minutes=15),
        "idempotency_key": "order-42-checkout-1",
        "metadata": {"order_id": "42"},
    }
    return gateway.create_checkout_session(**values | overrides)


# Checkout Sessions


def test_checkout_session_asks_for_cards_and_mobilepay_in_dkk_ore(gateway, stripe_api):
    # given Stripe accepts the session
    stripe_api.post(SESSIONS, json=session_json(expires_at=NOW + timedelta(minutes=31)))
    lines = [
        CheckoutLine(name="Jazz på havnen – Voksen", unit_amount_ore=15000, quantity=2),
        CheckoutLine(name="Jazz på havnen – Barn", unit_amount_ore=7550, quantity=1),
    ]

    # when an order of a 15-minute reservation goes to checkout
    session = create_session(gateway, lines=lines)

    # then the form body holds everything Stripe needs, amounts in øre, expiry moved to 31 minutes
    (call,) = stripe_api.calls
    assert call.request.method == "POST"
    assert form(call) == {
        "mode": "payment",
        "allowed_payment_method_types[0]": "card",
        "allowed_payment_method_types[1]": "mobilepay",
        "line_items[0][quantity]": "2",
        "line_items[0][price_data][currency]": "dkk",
        "line_items[0][price_data][unit_amount]": "15000",
        "line_items[0][price_data][product_data][name]": "Jazz på havnen – Voksen",
        "line_items[1][quantity]": "1",
        "line_items[1][price_data][currency]": "dkk",
        "line_items[1][price_data][unit_amount]": "7550",
        "line_items[1][price_data][product_data][name]": "Jazz på havnen – Barn",
        "client_reference_id": "HK-7Q4M2",
        "customer_email": "buyer@example.dk",
        "locale": "da",
        "success_url": "https://kultur.example/ordre/s3cr3t/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://kultur.example/ordre/s3cr3t/betal/",
        "expires_at": str(int((NOW + timedelta(minutes=31)).timestamp())),
        "metadata[order_id]": "42",
        "metadata[reference]": "HK-7Q4M2",
        "payment_intent_data[metadata][order_id]": "42",
        "payment_intent_data[metadata][reference]": "HK-7Q4M2",
    }
    assert call.request.headers["Idempotency-Key"] == "order-42-checkout-1"
    assert call.request.headers["Authorization"] == "Bearer sk_test_123"
    assert call.request.headers["Stripe-Version"] == stripe.api_version
    assert session == CheckoutSession(
        id="cs_test_a1",
        url="https://checkout.stripe.com/c/pay/cs_test_a1",
        expires_at=NOW + timedelta(minutes=31),
    )


def test_checkout_session_never_sends_the_removed_payment_method_types(gateway, stripe_api):
    # given Stripe accepts the session
    stripe_api.post(SESSIONS, json=session_json(expires_at=NOW + timedelta(minutes=31)))

    # when a session is created
    create_session(gateway)

    # then the list goes as `allowed_payment_method_types` (API 2026-09-30 removed the old name)
    assert not [key for key in form(stripe_api.calls[0]) if key.startswith("payment_method_types")]


@pytest.mark.parametrize(
    ("wanted", "sent"),
    [
        (NOW - timedelta(minutes=5), NOW + timedelta(minutes=31)),
        (NOW + timedelta(minutes=31), NOW + timedelta(minutes=31)),
        (NOW + timedelta(hours=2), NOW + timedelta(hours=2)),
        (NOW + timedelta(days=3), NOW + timedelta(hours=24) - timedelta(minutes=1)),
    ],
)
def test_checkout_expiry_is_moved_into_stripes_window(gateway, stripe_api, wanted, sent):
    # given Stripe accepts sessions that live 30 minutes to 24 hours
    stripe_api.post(SESSIONS, json=session_json(expires_at=sent))

    # when a session is asked to expire at `wanted`
    session = create_session(gateway, expires_at=wanted)

    # then Stripe is asked for the nearest expiry it accepts, with a minute to spare
    assert form(stripe_api.calls[0])["expires_at"] == str(int(sent.timestamp()))
    assert session.expires_at == sent


@pytest.mark.parametrize(
    ("language", "locale"), [("da", "da"), ("en", "en"), ("sv", "sv"), ("de", "de"), ("fr", "auto")]
)
def test_checkout_is_shown_in_the_buyers_language(gateway, stripe_api, language, locale):
    # given Stripe accepts the session
    stripe_api.post(SESSIONS, json=session_json(expires_at=NOW + timedelta(minutes=31)))

    # when a buyer with `language` goes to checkout
    create_session(gateway, locale=language)

    # then Checkout uses that language, or the browser's for one Stripe is not told about
    assert form(stripe_api.calls[0])["locale"] == locale


def test_a_session_without_mobilepay_is_logged(gateway, stripe_api, caplog):
    # given MobilePay is not enabled in the Stripe Dashboard
    stripe_api.post(SESSIONS, json=session_json(expires_at=NOW + timedelta(minutes=31), methods=("card",)))

    # when a session is created
    with caplog.at_level(logging.WARNING, logger="tickets.payments.stripe_gateway"):
        session = create_session(gateway)

    # then it still works with cards, and someone is told
    assert session.id == "cs_test_a1"
    assert [record.getMessage() for record in caplog.records if record.name == "tickets.payments.stripe_gateway"] == [
        "Checkout Session cs_test_a1 does not offer MobilePay; is it enabled in the Dashboard?"
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"lines": []},
        {"lines": [CheckoutLine(name="Voksen", unit_amount_ore=-1, quantity=1)]},
        {"lines": [CheckoutLine(name="Voksen", unit_amount_ore=100, quantity=0)]},
        {"expires_at": datetime(2026, 5, 1, 10, 45)},
    ],
)
def test_impossible_checkouts_are_refused_before_calling_stripe(gateway, stripe_api, changes):
    # when a checkout is asked with no lines, a negative price, no tickets or a naive expiry
    with pytest.raises(ValueError):
        create_session(gateway, **changes)

    # then nothing was sent
    assert len(stripe_api.calls) == 0


@pytest.mark.parametrize(
    ("answer", "error_type", "provider_code", "retryable"),
    [
        (
            stripe_error(400, type="invalid_request_error", code="parameter_unknown"),
            "invalid_request_error",
            "parameter_unknown",
            False,
        ),
        (stripe_error(401, type="invalid_request_error"), "authentication_error", None, False),
        (stripe_error(429, type="invalid_request_error", code="rate_limit"), "rate_limit_error", None, True),
        (stripe_error(500, type="api_error"), "api_error", None, True),
        ({"body": requests.ConnectionError("connection reset")}, "api_connection_error", None, True),
    ],
)
def test_checkout_failures_become_payment_provider_errors(
    gateway, stripe_api, answer, error_type, provider_code, retryable
):
    # given Stripe fails in one of its ways
    stripe_api.post(SESSIONS, **answer)

    # when a session is created
    with pytest.raises(PaymentProviderError) as raised:
        create_session(gateway)

    # then the gateway's own error comes out, with Stripe's family and code
    assert raised.value.code == "payment_provider_error"
    assert (raised.value.error_type, raised.value.provider_code, raised.value.retryable) == (
        error_type,
        provider_code,
        retryable,
    )
    assert not isinstance(raised.value, stripe.StripeError)


def test_nothing_reaches_the_internet(gateway):
    # given a fake Stripe that knows no endpoint at all
    with responses.RequestsMock(assert_all_requests_are_fired=False) as nothing:
        # when a session is created
        with pytest.raises(PaymentProviderError) as raised:
            create_session(gateway)
        calls = list(nothing.calls)

    # then the one attempt was stopped by the fake, and reported as a connection error
    (call,) = calls
    assert call.request.url == SESSIONS
    assert isinstance(call.response, requests.ConnectionError)
    assert raised.value.error_type == "api_connection_error"
    assert str(raised.value) == "Stripe could not start the checkout: Unexpected error communicating with Stripe."


def test_a_failed_request_is_retried_with_the_same_idempotency_key(stripe_api, monkeypatch):
    # given Stripe fails once, then answers, and the gateway retries as in production
    monkeypatch.setattr(stripe.RequestsClient, "_sleep_time_seconds", lambda self, num_retries: 0)
    gateway = StripeGateway(api_key="sk_test_123", webhook_secret=SECRET, clock=lambda: NOW)
    stripe_api.post(SESSIONS, **stripe_error(500, type="api_error"))
    stripe_api.post(SESSIONS, json=session_json(expires_at=NOW + timedelta(minutes=31)))

    # when a session is created
    session = create_session(gateway)

    # then both attempts carried the same key, so Stripe creates one session
    assert [call.request.headers["Idempotency-Key"] for call in stripe_api.calls] == ["order-42-checkout-1"] * 2
    assert session.id == "cs_test_a1"


# Expiring sessions


def test_expire_ends_an_open_session(gateway, stripe_api):
    # given an open session
    stripe_api.post(f"{SESSIONS}/cs_test_a1/expire", json=session_json(expires_at=NOW, status="expired"))

    # when it is expired
    result = gateway.expire_checkout_session(session_id="cs_test_a1", idempotency_key="order-42-expire-1")

    # then Stripe was asked once, with the key
    assert result is None
    (call,) = stripe_api.calls
    assert call.request.headers["Idempotency-Key"] == "order-42-expire-1"


@pytest.mark.parametrize("status", ["expired", "complete"])
def test_expire_of_a_session_that_is_no_longer_open_is_done(gateway, stripe_api, status):
    # given a session that already expired or was paid, which Stripe refuses to expire
    stripe_api.post(
        f"{SESSIONS}/cs_test_a1/expire",
        **stripe_error(
            400,
            type="invalid_request_error",
            message='Only Checkout Sessions with a status in ["open"] can be expired. '
            f"This Checkout Session has a status of `{status}`.",
        ),
    )
    stripe_api.get(f"{SESSIONS}/cs_test_a1", json=session_json(expires_at=NOW, status=status))

    # when it is expired
    result = gateway.expire_checkout_session(session_id="cs_test_a1", idempotency_key="order-42-expire-1")

    # then that counts as done: the session was read to be sure
    assert result is None
    assert [call.request.method for call in stripe_api.calls] == ["POST", "GET"]


def test_expire_refused_while_the_session_is_still_open_is_an_error(gateway, stripe_api):
    # given Stripe refuses to expire a session that is still open
    stripe_api.post(f"{SESSIONS}/cs_test_a1/expire", **stripe_error(400, type="invalid_request_error"))
    stripe_api.get(f"{SESSIONS}/cs_test_a1", json=session_json(expires_at=NOW, status="open"))

    # when it is expired
    with pytest.raises(PaymentProviderError) as raised:
        gateway.expire_checkout_session(session_id="cs_test_a1", idempotency_key="order-42-expire-1")

    # then the caller hears about it
    assert raised.value.error_type == "invalid_request_error"
    assert str(raised.value) == "Stripe could not expire the checkout: Something went wrong."


@pytest.mark.parametrize(
    ("answer", "error_type", "provider_code"),
    [
        (
            stripe_error(404, type="invalid_request_error", code="resource_missing"),
            "invalid_request_error",
            "resource_missing",
        ),
        (stripe_error(401, type="invalid_request_error"), "authentication_error", None),
        (stripe_error(500, type="api_error"), "api_error", None),
        ({"body": requests.ConnectionError("no route")}, "api_connection_error", None),
    ],
)
def test_other_expire_failures_are_errors(gateway, stripe_api, answer, error_type, provider_code):
    # given Stripe fails for another reason than the session being closed
    stripe_api.post(f"{SESSIONS}/cs_test_a1/expire", **answer)

    # when it is expired
    with pytest.raises(PaymentProviderError) as raised:
        gateway.expire_checkout_session(session_id="cs_test_a1", idempotency_key="order-42-expire-1")

    # then it is an error, and the session was not looked up
    assert (raised.value.error_type, raised.value.provider_code) == (error_type, provider_code)
    assert len(stripe_api.calls) == 1


# Refunds


def test_refund_sends_the_payment_intent_amount_and_key(gateway, stripe_api):
    # given Stripe refunds at once
    stripe_api.post(REFUNDS, json={"id": "re_1", "object": "refund", "amount": 5000, "status": "succeeded"})

    # when part of a payment is refunded
    result = gateway.create_refund(payment_intent_id="pi_1", amount_ore=5000, idempotency_key="refund-7")

    # then Stripe got the intent, the amount in øre and the key
    (call,) = stripe_api.calls
    assert form(call) == {"payment_intent": "pi_1", "amount": "5000", "reason": "requested_by_customer"}
    assert call.request.headers["Idempotency-Key"] == "refund-7"
    assert result == RefundResult(id="re_1", status="succeeded")


def test_refund_sends_its_metadata_for_the_events_about_it(gateway, stripe_api):
    stripe_api.post(REFUNDS, json={"id": "re_1", "object": "refund", "amount": 5000, "status": "pending"})

    metadata = {"refund": "7", "attempt": "2"}
    gateway.create_refund(payment_intent_id="pi_1", amount_ore=5000, idempotency_key="refund-7-2", metadata=metadata)

    (call,) = stripe_api.calls
    assert form(call) == {
        "payment_intent": "pi_1",
        "amount": "5000",
        "reason": "requested_by_customer",
        "metadata[refund]": "7",
        "metadata[attempt]": "2",
    }


def test_a_refund_is_read_back_with_its_status(gateway, stripe_api):
    stripe_api.get(f"{REFUNDS}/re_1", json={"id": "re_1", "object": "refund", "status": "canceled"})

    assert gateway.refund_status(refund_id="re_1") == RefundResult(id="re_1", status="failed")


@pytest.mark.parametrize(
    ("stripe_status", "status"),
    [
        ("pending", "pending"),
        ("requires_action", "pending"),
        ("succeeded", "succeeded"),
        ("failed", "failed"),
        ("canceled", "failed"),
    ],
)
def test_refund_status_is_mapped(gateway, stripe_api, stripe_status, status):
    # given Stripe answers a refund with `stripe_status`
    stripe_api.post(REFUNDS, json={"id": "re_1", "object": "refund", "status": stripe_status})

    # when a payment is refunded
    result = gateway.create_refund(payment_intent_id="pi_1", amount_ore=100, idempotency_key="refund-7")

    # then the gateway's status says pending, succeeded or failed
    assert result == RefundResult(id="re_1", status=status)


@pytest.mark.parametrize(
    ("answer", "error_type", "provider_code", "retryable", "message"),
    [
        (
            stripe_error(402, type="card_error", code="card_declined", message="Your card was declined."),
            "card_error",
            "card_declined",
            False,
            "Stripe could not refund the payment: Your card was declined.",
        ),
        (
            stripe_error(
                400,
                type="invalid_request_error",
                code="charge_already_refunded",
                message="Charge ch_1 has already been refunded.",
            ),
            "invalid_request_error",
            "charge_already_refunded",
            False,
            "Stripe could not refund the payment: Charge ch_1 has already been refunded.",
        ),
        (
            stripe_error(500, type="api_error", message="An unknown error occurred."),
            "api_error",
            None,
            True,
            "Stripe could not refund the payment: An unknown error occurred.",
        ),
        (
            {"body": requests.ConnectionError("connection reset")},
            "api_connection_error",
            None,
            True,
            "Stripe could not refund the payment: Unexpected error communicating with Stripe.",
        ),
    ],
)
def test_refund_failures_become_payment_provider_errors(
    gateway, stripe_api, answer, error_type, provider_code, retryable, message
):
    # given Stripe fails in one of its ways
    stripe_api.post(REFUNDS, **answer)

    # when a payment is refunded
    with pytest.raises(PaymentProviderError) as raised:
        gateway.create_refund(payment_intent_id="pi_1", amount_ore=5000, idempotency_key="refund-7")

    # then a short message, Stripe's family and code, and whether to try again later
    assert str(raised.value) == message
    assert (raised.value.error_type, raised.value.provider_code, raised.value.retryable) == (
        error_type,
        provider_code,
        retryable,
    )
    assert isinstance(raised.value.__cause__, stripe.StripeError)


@pytest.mark.parametrize("amount_ore", [0, -100])
def test_a_refund_of_nothing_is_refused_before_calling_stripe(gateway, stripe_api, amount_ore):
    with pytest.raises(ValueError):
        gateway.create_refund(payment_intent_id="pi_1", amount_ore=amount_ore, idempotency_key="refund-7")
    assert len(stripe_api.calls) == 0


# Webhooks


def event_payload(**changes) -> bytes:
    event = {
        "id": "evt_1",
        "object": "event",
        "api_version": stripe.api_version,
        "created": 1777629600,
        "data": {"object": {"id": "cs_test_a1", "object": "checkout.session", "client_reference_id": "HK-7Q4M2"}},
        "livemode": False,
        "type": "checkout.session.completed",
    }
    return json.dumps(event | changes).encode()


def test_a_correctly_signed_webhook_is_read(gateway):
    # given an event signed with the webhook secret
    payload = event_payload()
    header = sign_webhook_payload(payload=payload, secret=SECRET)

    # when it arrives
    event = gateway.parse_webhook(payload=payload, signature_header=header)

    # then its id, type, time and object come out
    assert event == WebhookEvent(
        id="evt_1",
        type="checkout.session.completed",
        created=1777629600,
        data={"id": "cs_test_a1", "object": "checkout.session", "client_reference_id": "HK-7Q4M2"},
    )


def test_a_webhook_signed_almost_five_minutes_ago_is_read(gateway):
    payload = event_payload()
    header = sign_webhook_payload(payload=payload, secret=SECRET, timestamp=int(time.time()) - 290)
    assert gateway.parse_webhook(payload=payload, signature_header=header).id == "evt_1"


def test_our_signature_is_the_one_stripe_computes():
    payload = event_payload()
    assert sign_webhook_payload(payload=payload, secret=SECRET, timestamp=1777629600) == (
        stripe.WebhookSignature.generate_signature_header(payload.decode(), SECRET, timestamp=1777629600)
    )


def signed(payload: bytes, *, secret: str = SECRET, age: int = 0) -> tuple[bytes, str]:
    return payload, sign_webhook_payload(payload=payload, secret=secret, timestamp=int(time.time()) - age)


@pytest.mark.parametrize(
    ("payload", "header"),
    [
        pytest.param(*signed(event_payload(), secret="whsec_someone_else"), id="wrong secret"),
        pytest.param(event_payload(type="charge.refunded"), signed(event_payload())[1], id="tampered body"),
        pytest.param(event_payload(), "", id="missing header"),
        pytest.param(event_payload(), "v1=abc", id="no timestamp"),
        pytest.param(event_payload(), "t=abc,v1=abc", id="timestamp not a number"),
        pytest.param(event_payload(), "garbage", id="malformed header"),
        pytest.param(event_payload(), signed(event_payload())[1].replace("v1=", "v0="), id="no v1 signature"),
        pytest.param(*signed(event_payload(), age=301), id="older than 300 s"),
        pytest.param(*signed(b"{not json"), id="invalid JSON"),
        pytest.param(*signed(b"\xff\xfe"), id="not UTF-8"),
        pytest.param(*signed(b"[]"), id="not an object"),
        pytest.param(*signed(b'{"id": "evt_1", "type": "x"}'), id="not an event"),
        pytest.param(*signed(event_payload(data={"object": None})), id="event without object"),
        pytest.param(*signed(event_payload(object="v2.core.event")), id="thin event"),
    ],
)
def test_unverifiable_webhooks_are_rejected(gateway, payload, header):
    with pytest.raises(InvalidWebhookSignature) as raised:
        gateway.parse_webhook(payload=payload, signature_header=header)
    assert raised.value.code == "invalid_signature"


def test_without_a_webhook_secret_every_webhook_is_rejected():
    # given a gateway whose webhook secret is missing
    gateway = StripeGateway(api_key="sk_test_123", webhook_secret="")
    payload, header = signed(event_payload(), secret="")

    # then even a payload "signed" with the empty secret is refused
    with pytest.raises(InvalidWebhookSignature):
        gateway.parse_webhook(payload=payload, signature_header=header)
