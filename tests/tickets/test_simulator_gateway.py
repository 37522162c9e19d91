"""The local payment simulator, and which gateway the settings choose."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

from tickets.payments import gateway as gateway_module
from tickets.payments.gateway import (
    CheckoutLine,
    CheckoutSession,
    InvalidWebhookSignature,
    RefundResult,
    get_gateway,
    is_simulated,
    sign_webhook_payload,
    success_url_for,
)
from tickets.payments.simulator import (
    SimulatorGateway,
    charge_refunded_object,
    checkout_session_completed_object,
    checkout_session_expired_object,
    payment_failed_object,
    payment_intent_id_for,
    simulated_event,
    simulator_webhook_secret,
)
from tickets.payments.stripe_gateway import API_VERSION, StripeGateway

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
SECRET = "whsec_sim_test"


@pytest.fixture
def simulator() -> SimulatorGateway:
    return SimulatorGateway(webhook_secret=SECRET, clock=lambda: NOW)


@pytest.fixture
def no_network():
    """Any HTTP request through `requests` fails the test instead of leaving the machine."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        assert len(mock.calls) == 0


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    return settings


def create_session(simulator: SimulatorGateway, **overrides) -> CheckoutSession:
    values = {
        "reference": "HK-7Q4M2",
        "lines": [CheckoutLine(name="Jazz på havnen – Voksen", unit_amount_ore=15000, quantity=2)],
        "customer_email": "buyer@example.dk",
        "locale": "da",
        "success_url": "/ordre/s3cr3t/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "/ordre/s3cr3t/betal/",
        "expires_at": NOW + timedelta(minutes=15),
        "idempotency_key": "order-42-checkout-1",
        "metadata": {"order_id": "42"},
    }
    return simulator.create_checkout_session(**values | overrides)


# The simulated provider


def test_simulated_checkout_points_at_the_simulator_page(simulator, no_network):
    # when an order goes to a simulated checkout
    session = create_session(simulator)

    # then the session has a Stripe-like id, the simulator page, and Stripe's 30-minute minimum life
    assert re.fullmatch(r"cs_sim_[0-9a-f]{24}", session.id)
    assert session.url == f"/payments/simulator/{session.id}/"
    assert session.expires_at == NOW + timedelta(minutes=31)


def test_a_retried_checkout_gets_the_same_session_as_with_stripe(simulator):
    # when the same checkout is asked twice with one idempotency key, and once with another
    first = create_session(simulator)
    again = create_session(simulator)
    other = create_session(simulator, idempotency_key="order-43-checkout-1")

    # then the key decides the session
    assert first == again
    assert other.id != first.id


def test_simulated_ids_depend_on_the_secret():
    # given two installations with different secrets
    ours = SimulatorGateway(webhook_secret=SECRET, clock=lambda: NOW)
    theirs = SimulatorGateway(webhook_secret="whsec_other", clock=lambda: NOW)

    # then the same idempotency key gives different, unguessable ids
    assert create_session(ours).id != create_session(theirs).id


def test_simulated_checkout_refuses_what_stripe_would(simulator):
    with pytest.raises(ValueError):
        create_session(simulator, lines=[])
    with pytest.raises(ValueError):
        create_session(simulator, expires_at=datetime(2026, 5, 1, 10, 45))


def test_simulated_expire_does_nothing(simulator, no_network):
    assert simulator.expire_checkout_session(session_id="cs_sim_abc", idempotency_key="order-42-expire-1") is None


def test_simulated_refund_succeeds_at_once(simulator, no_network):
    # when a payment is refunded twice with one key, and once with another
    first = simulator.create_refund(payment_intent_id="pi_sim_abc", amount_ore=5000, idempotency_key="refund-7")
    again = simulator.create_refund(payment_intent_id="pi_sim_abc", amount_ore=5000, idempotency_key="refund-7")
    other = simulator.create_refund(payment_intent_id="pi_sim_abc", amount_ore=5000, idempotency_key="refund-8")

    # then it succeeded, and the key decides the refund
    assert re.fullmatch(r"re_sim_[0-9a-f]{24}", first.id)
    assert first == again == RefundResult(id=first.id, status="succeeded")
    assert other.id != first.id


def test_simulated_refund_of_nothing_is_refused(simulator):
    with pytest.raises(ValueError):
        simulator.create_refund(payment_intent_id="pi_sim_abc", amount_ore=0, idempotency_key="refund-7")


def test_the_simulator_verifies_webhooks_like_stripe(simulator):
    # given an event signed with the simulator's secret, and the same one signed with another
    payload = json.dumps(
        {"id": "evt_1", "object": "event", "created": 1, "type": "checkout.session.expired", "data": {"object": {}}}
    ).encode()
    good = sign_webhook_payload(payload=payload, secret=SECRET)
    bad = sign_webhook_payload(payload=payload, secret="whsec_other")

    # then only the first is read
    assert simulator.parse_webhook(payload=payload, signature_header=good).type == "checkout.session.expired"
    with pytest.raises(InvalidWebhookSignature):
        simulator.parse_webhook(payload=payload, signature_header=bad)
    with pytest.raises(InvalidWebhookSignature):
        simulator.parse_webhook(payload=payload, signature_header="")


def test_success_url_gets_the_session_id_as_stripe_fills_it_in():
    assert success_url_for(success_url="/ordre/s3cr3t/?session_id={CHECKOUT_SESSION_ID}", session_id="cs_sim_1") == (
        "/ordre/s3cr3t/?session_id=cs_sim_1"
    )


# Simulated events through the same webhook code path


def test_a_simulated_payment_event_passes_the_webhook_check(development):
    # given the simulator page builds the event for a paid session
    session_id = "cs_sim_0123456789abcdef01234567"
    data_object = checkout_session_completed_object(
        session_id=session_id,
        reference="HK-7Q4M2",
        amount_total_ore=30000,
        payment_intent_id=payment_intent_id_for(session_id),
    )

    # when it is signed and read back through the configured gateway
    payload, header = simulated_event(type="checkout.session.completed", data_object=data_object)
    event = get_gateway().parse_webhook(payload=payload, signature_header=header)

    # then the webhook sees a Stripe-shaped event with that object
    assert re.fullmatch(r"evt_sim_[0-9a-f]{24}", event.id)
    assert event.type == "checkout.session.completed"
    assert event.data == data_object
    raw = json.loads(payload)
    assert (raw["object"], raw["livemode"], raw["api_version"]) == ("event", False, API_VERSION)
    assert raw["created"] == event.created


def test_a_simulated_event_can_be_replayed_with_its_id(development):
    payload, header = simulated_event(type="checkout.session.expired", data_object={"id": "cs_sim_1"}, event_id="evt_1")
    assert get_gateway().parse_webhook(payload=payload, signature_header=header).id == "evt_1"


def test_simulated_events_cannot_be_made_when_debug_is_off(settings):
    # given a production configuration (which checkout itself would also refuse)
    settings.DEBUG = False
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_live"

    # then no simulated event can be signed
    with pytest.raises(ImproperlyConfigured):
        simulated_event(type="checkout.session.completed", data_object={})


def test_simulated_events_cannot_be_made_next_to_a_real_stripe_account(development):
    # given a Stripe key, even in development
    development.STRIPE_SECRET_KEY = "sk_test_123"
    development.STRIPE_WEBHOOK_SECRET = "whsec_real"

    # then the simulator cannot forge events that Stripe's webhook secret would accept
    with pytest.raises(ImproperlyConfigured):
        simulated_event(type="checkout.session.completed", data_object={})


def test_the_simulator_secret_comes_from_secret_key_unless_a_webhook_secret_is_set(development):
    # given no webhook secret, the secret is derived from SECRET_KEY
    assert (
        simulator_webhook_secret()
        == "whsec_sim_"
        + salted_hmac("tickets.payments.simulator", "webhook-secret", secret=development.SECRET_KEY).hexdigest()
    )

    # given a webhook secret, that is used
    development.STRIPE_WEBHOOK_SECRET = "whsec_from_stripe_cli"
    assert simulator_webhook_secret() == "whsec_from_stripe_cli"


def test_checkout_session_objects_look_like_stripes():
    # when the simulator describes a paid and an expired session
    completed = checkout_session_completed_object(
        session_id="cs_sim_1", reference="HK-7Q4M2", amount_total_ore=30000, payment_intent_id="pi_sim_1"
    )
    expired = checkout_session_expired_object(session_id="cs_sim_1", reference="HK-7Q4M2", amount_total_ore=30000)

    # then they carry the fields the webhook reads, as Stripe names them
    assert completed == {
        "id": "cs_sim_1",
        "object": "checkout.session",
        "amount_subtotal": 30000,
        "amount_total": 30000,
        "client_reference_id": "HK-7Q4M2",
        "currency": "dkk",
        "customer_details": {"email": None},
        "customer_email": None,
        "livemode": False,
        "metadata": {"reference": "HK-7Q4M2"},
        "mode": "payment",
        "payment_intent": "pi_sim_1",
        "payment_method_types": ["card", "mobilepay"],
        "payment_status": "paid",
        "status": "complete",
        "url": None,
    }
    assert expired == completed | {"payment_intent": None, "payment_status": "unpaid", "status": "expired"}


def test_payment_failed_object_looks_like_stripes():
    assert payment_failed_object(payment_intent_id="pi_sim_1", reference="HK-7Q4M2", amount_ore=30000) == {
        "id": "pi_sim_1",
        "object": "payment_intent",
        "amount": 30000,
        "amount_received": 0,
        "currency": "dkk",
        "last_payment_error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."},
        "livemode": False,
        "metadata": {"reference": "HK-7Q4M2"},
        "status": "requires_payment_method",
    }


def test_charge_refunded_object_looks_like_stripes():
    # when part of a 300 kr. charge is refunded, and then all of it
    partial = charge_refunded_object(
        payment_intent_id="pi_sim_1", amount_refunded_ore=10000, reference="HK-7Q4M2", amount_ore=30000
    )
    full = charge_refunded_object(payment_intent_id="pi_sim_1", amount_refunded_ore=30000, reference="HK-7Q4M2")

    # then `refunded` is true only for the whole amount
    assert partial == {
        "id": "ch_sim_1",
        "object": "charge",
        "amount": 30000,
        "amount_captured": 30000,
        "amount_refunded": 10000,
        "captured": True,
        "currency": "dkk",
        "livemode": False,
        "metadata": {"reference": "HK-7Q4M2"},
        "paid": True,
        "payment_intent": "pi_sim_1",
        "refunded": False,
        "status": "succeeded",
    }
    assert full == partial | {"amount_refunded": 30000, "refunded": True}


def test_payment_intent_id_follows_the_session():
    assert payment_intent_id_for("cs_sim_0123") == "pi_sim_0123"


# Choosing the gateway


def test_development_without_keys_uses_the_simulator(development):
    assert isinstance(get_gateway(), SimulatorGateway)
    assert is_simulated() is True


def test_production_without_a_key_refuses_to_start_payments(settings):
    # given DEBUG off and no Stripe key
    settings.DEBUG = False
    settings.STRIPE_SECRET_KEY = ""

    # then there is no gateway at all, and nothing claims to be simulated
    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        get_gateway()
    assert is_simulated() is False


def test_production_without_the_settings_at_all_refuses_too(settings):
    settings.DEBUG = False
    del settings.STRIPE_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        get_gateway()


@pytest.mark.parametrize("debug", [True, False])
def test_a_stripe_key_chooses_stripe(settings, debug):
    # given a Stripe key and webhook secret
    settings.DEBUG = debug
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"

    # then Stripe is used, in development too
    assert isinstance(get_gateway(), StripeGateway)
    assert is_simulated() is False


def test_a_stripe_key_without_a_webhook_secret_is_refused(settings):
    # given a key but no webhook secret, so payments could never be matched
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = ""

    # then there is no gateway
    with pytest.raises(ImproperlyConfigured, match="STRIPE_WEBHOOK_SECRET"):
        get_gateway()


def test_the_stripe_gateway_is_reused_per_key(settings):
    # given one Stripe configuration
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    gateway_module._stripe_gateway.cache_clear()

    # then the gateway (and its HTTP connections) is made once, and anew when the key changes
    first = get_gateway()
    assert get_gateway() is first
    settings.STRIPE_SECRET_KEY = "sk_test_456"
    assert get_gateway() is not first


def test_the_stripe_gateway_verifies_with_the_configured_secret(settings):
    # given Stripe is configured
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    payload = json.dumps(
        {"id": "evt_1", "object": "event", "created": 1, "type": "charge.refunded", "data": {"object": {}}}
    ).encode()

    # then an event signed with that secret is read, and one signed with another is not
    good = sign_webhook_payload(payload=payload, secret="whsec_test")
    assert get_gateway().parse_webhook(payload=payload, signature_header=good).id == "evt_1"
    forged = sign_webhook_payload(payload=payload, secret="whsec_other")
    with pytest.raises(InvalidWebhookSignature):
        get_gateway().parse_webhook(payload=payload, signature_header=forged)
