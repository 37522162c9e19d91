"""Background refunds run on a real Celery worker through a real Redis broker, retries included."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from tests.factories import EventFactory, TicketTypeFactory, buyer
from tickets.models import Payment, PaymentIssue, PaymentStatus, Refund, RefundStatus
from tickets.payments.gateway import PaymentProviderError
from tickets.services import Item, mark_paid, place_order
from tickets.tasks import send_refund_task

BROKER = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_worker(settings):
    settings.DEBUG = True  # the payment simulator stands in for Stripe
    settings.STRIPE_SECRET_KEY = ""
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue="test-tickets")
    _forget_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["test-tickets"]):
        yield
    app.conf.update(task_always_eager=True)
    _forget_connections()


def _forget_connections() -> None:
    """Earlier tests may have opened the app's pools on another broker; start from fresh ones."""
    app.close()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_a_refund_is_sent_by_a_worker_and_a_second_delivery_changes_nothing(redis_worker):
    event = EventFactory()
    order = place_order(event_id=event.pk, items=[Item(TicketTypeFactory(event=event).pk, 1)], buyer=buyer())
    mark_paid(order=order, now=order.created_at)
    payment = Payment.objects.create(
        order=order,
        provider="simulator",
        payment_intent_id="pi_sim_1",
        amount_ore=order.total_ore,
        status=PaymentStatus.SUCCEEDED,
    )
    refund = Refund.objects.create(payment=payment, amount_ore=order.total_ore, reason="test")

    send_refund_task.delay(refund.pk)

    deadline = time.monotonic() + 20
    while Refund.objects.get(pk=refund.pk).status == RefundStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.provider_refund_id.startswith("re_sim_")

    # a second delivery of the same task (Celery delivers at least once) changes nothing
    assert send_refund_task.apply(args=[refund.pk]).get() == RefundStatus.SUCCEEDED
    assert Refund.objects.get(pk=refund.pk).provider_refund_id == refund.provider_refund_id


def _refund_being_sent(monkeypatch) -> Refund:
    """A paid order's refund; the worker asks again at once while the provider cannot be reached."""
    event = EventFactory()
    order = place_order(event_id=event.pk, items=[Item(TicketTypeFactory(event=event).pk, 1)], buyer=buyer())
    mark_paid(order=order, now=order.created_at)
    payment = Payment.objects.create(
        order=order, provider="simulator", payment_intent_id="pi_sim_2", amount_ore=order.total_ore
    )
    monkeypatch.setattr("tickets.tasks.REFUND_RETRY_SECONDS", 0)
    return Refund.objects.create(payment=payment, amount_ore=order.total_ore, reason="test")


def _settled(refund: Refund) -> Refund:
    deadline = time.monotonic() + 30
    while Refund.objects.get(pk=refund.pk).status == RefundStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
    return Refund.objects.get(pk=refund.pk)


def _unreachable() -> PaymentProviderError:
    return PaymentProviderError("no answer", error_type="api_connection_error", retryable=True)


@pytest.mark.django_db(transaction=True)
def test_a_refund_is_asked_again_under_the_same_key_while_the_provider_cannot_be_reached(
    redis_worker, monkeypatch, refund_provider
):
    refund = _refund_being_sent(monkeypatch)
    refund_provider.errors = [_unreachable(), _unreachable()]

    send_refund_task.delay(refund.pk)

    assert _settled(refund).status == RefundStatus.SUCCEEDED
    assert refund_provider.keys == [f"refund-{refund.pk}"] * 3
    assert not PaymentIssue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refund_still_unsent_after_the_last_try_goes_on_the_staff_list(redis_worker, monkeypatch, refund_provider):
    refund = _refund_being_sent(monkeypatch)
    refund_provider.errors = [_unreachable() for _ in range(10)]

    send_refund_task.delay(refund.pk)

    settled = _settled(refund)
    assert (settled.status, settled.attempt) == (RefundStatus.FAILED, 1)  # may have been made: same key next
    assert refund_provider.keys == [f"refund-{refund.pk}"] * 6  # the first try and five more
    assert PaymentIssue.objects.get().kind == "refund_failed"
