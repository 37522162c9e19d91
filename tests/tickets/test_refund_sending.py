"""Refunds sent to the provider: asked again under the same key while it cannot be reached, one key
per attempt, and a sending that was lost caught up by the periodic job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import TicketTypeFactory, paid_tickets
from tickets.models import PaymentIssue, Refund, RefundStatus
from tickets.payments.gateway import PaymentProviderError, RefundResult
from tickets.payments.simulator import SimulatorGateway
from tickets.refunds import KEY_FORGOTTEN, RefundNotSentYet, send_refund
from tickets.tasks import ask_after_quiet_refunds, send_refund_task, send_unsent_refunds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]


def unreachable() -> PaymentProviderError:
    return PaymentProviderError("no answer", error_type="api_connection_error", retryable=True)


@pytest.fixture
def refund():
    order = paid_tickets(TicketTypeFactory(price_ore=15000), 2)[0].order
    return Refund.objects.create(payment=order.payments.get(), amount_ore=30000, reason="cancelled")


def test_run_in_process_a_refund_the_provider_cannot_be_asked_for_goes_on_the_staff_list(refund, refund_provider):
    refund_provider.errors = [unreachable()]

    assert send_refund_task.apply(args=[refund.pk]).get() == RefundStatus.FAILED

    assert refund_provider.keys == [f"refund-{refund.pk}"]
    refund.refresh_from_db()
    assert refund.attempt == 1  # it may have been made: "try again" keeps the key
    assert PaymentIssue.objects.get().kind == "refund_failed"


def test_a_refund_whose_sending_was_lost_is_sent_by_the_catch_up_job(refund, refund_provider):
    hour_ago = timezone.now() - timedelta(hours=1, minutes=1)
    Refund.objects.filter(pk=refund.pk).update(created_at=hour_ago)
    recent = Refund.objects.create(payment=refund.payment, amount_ore=100, reason="its task is on the way")
    at_provider = Refund.objects.create(payment=refund.payment, amount_ore=200, reason="paid out later")
    Refund.objects.filter(pk=at_provider.pk).update(created_at=hour_ago, provider_refund_id="re_pending")
    retrying = Refund.objects.create(payment=refund.payment, amount_ore=300, reason="sent again a minute ago")
    minute_ago = timezone.now() - timedelta(minutes=1)
    Refund.objects.filter(pk=retrying.pk).update(created_at=hour_ago, last_sent_at=minute_ago)

    assert send_unsent_refunds() == 1

    assert refund_provider.keys == [f"refund-{refund.pk}"]
    statuses = dict(Refund.objects.values_list("pk", "status"))
    assert statuses == {
        refund.pk: RefundStatus.SUCCEEDED,
        recent.pk: RefundStatus.PENDING,
        at_provider.pk: RefundStatus.PENDING,
        retrying.pk: RefundStatus.PENDING,
    }
    assert send_unsent_refunds() == 0


def test_a_refusal_of_the_key_itself_keeps_the_key_for_the_next_attempt(refund, refund_provider):
    refund_provider.errors = [PaymentProviderError("key in use", error_type="idempotency_error")]

    assert send_refund(refund_id=refund.pk).status == RefundStatus.FAILED

    refund.refresh_from_db()
    assert refund.attempt == 1


def test_an_error_does_not_undo_a_refund_another_send_settled_meanwhile(refund, refund_provider):
    refund_provider.errors = [PaymentProviderError("refused", error_type="invalid_request_error")]
    refund_provider.meanwhile = lambda: Refund.objects.filter(pk=refund.pk).update(
        status=RefundStatus.SUCCEEDED, provider_refund_id="re_other"
    )

    assert send_refund(refund_id=refund.pk).status == RefundStatus.SUCCEEDED

    assert not PaymentIssue.objects.exists()


def test_a_refund_that_may_have_been_made_is_never_sent_under_a_new_key(refund, refund_provider):
    refused = PaymentProviderError("charge already refunded", error_type="invalid_request_error")
    refund_provider.errors = [unreachable(), refused]

    with pytest.raises(RefundNotSentYet):
        send_refund(refund_id=refund.pk, last_try=False)  # no answer: it may have been made
    assert send_refund(refund_id=refund.pk).status == RefundStatus.FAILED
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)  # as "try again" does
    send_refund(refund_id=refund.pk)

    assert refund_provider.keys == [f"refund-{refund.pk}"] * 3  # the same key every time
    refund.refresh_from_db()
    assert (refund.status, refund.attempt, refund.may_be_paid_out) == (RefundStatus.SUCCEEDED, 1, False)


def test_a_refund_that_may_have_been_made_is_not_sent_once_the_provider_forgot_its_key(refund, refund_provider):
    refund_provider.errors = [unreachable()]
    send_refund(refund_id=refund.pk)  # unanswered on its last try
    two_days_later = timezone.now() + timedelta(days=2)
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)  # "try again", after a weekend

    assert send_refund(refund_id=refund.pk, now=two_days_later).status == RefundStatus.FAILED

    assert refund_provider.keys == [f"refund-{refund.pk}"]  # not asked again: it could pay out twice
    assert PaymentIssue.objects.order_by("pk").last().message == KEY_FORGOTTEN


def test_the_providers_memory_of_a_key_is_counted_from_its_first_send(refund, refund_provider):
    refund_provider.errors = [unreachable(), unreachable()]
    start = timezone.now()
    send_refund(refund_id=refund.pk, now=start)  # unanswered
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)
    send_refund(refund_id=refund.pk, now=start + timedelta(hours=20))  # unanswered again, same key
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)

    assert send_refund(refund_id=refund.pk, now=start + timedelta(hours=30)).status == RefundStatus.FAILED

    assert refund_provider.keys == [f"refund-{refund.pk}"] * 2  # not a third time: the key may be forgotten


def test_an_answer_after_a_failure_without_one_settles_the_refund(refund, refund_provider):
    def failed_unanswered_meanwhile():  # another send of the same attempt gave up meanwhile
        Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, may_be_paid_out=True)

    refund_provider.meanwhile = failed_unanswered_meanwhile

    assert send_refund(refund_id=refund.pk).status == RefundStatus.SUCCEEDED


def test_an_answer_for_an_attempt_no_longer_current_goes_on_the_staff_list(refund, refund_provider):
    refund_provider.meanwhile = lambda: Refund.objects.filter(pk=refund.pk).update(attempt=2)

    send_refund(refund_id=refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id) == (RefundStatus.PENDING, "")
    assert "earlier attempt 1" in PaymentIssue.objects.get().message


def test_a_refund_no_provider_would_make_goes_on_the_staff_list(refund):
    Refund.objects.filter(pk=refund.pk).update(amount_ore=0)

    assert send_refund(refund_id=refund.pk).status == RefundStatus.FAILED

    assert "cannot be sent" in PaymentIssue.objects.get().message


def test_a_refund_whose_worker_stopped_while_sending_is_sent_again_only_while_its_key_is_known(refund, refund_provider):
    now = timezone.now()
    other = Refund.objects.create(payment=refund.payment, amount_ore=100, reason="sent two days ago, no answer")
    for sent, ago in ((refund, timedelta(hours=3)), (other, timedelta(days=2))):
        then = now - ago
        Refund.objects.filter(pk=sent.pk).update(created_at=then, key_first_sent_at=then, last_sent_at=then)

    assert send_unsent_refunds() == 2

    assert refund_provider.keys == [f"refund-{refund.pk}"]  # the same key: the provider answers as it did then
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.SUCCEEDED
    other.refresh_from_db()
    assert (other.status, other.may_be_paid_out) == (RefundStatus.FAILED, True)
    assert PaymentIssue.objects.get().message == KEY_FORGOTTEN


def test_a_refund_made_at_the_provider_is_not_sent_again(refund, refund_provider):
    Refund.objects.filter(pk=refund.pk).update(provider_refund_id="re_on_its_way")

    assert send_refund(refund_id=refund.pk).status == RefundStatus.PENDING

    assert refund_provider.keys == []


@pytest.mark.parametrize(
    ("error", "attempts"),
    [
        (PaymentProviderError("balance too low", error_type="invalid_request_error"), [1, 2]),  # refused for good
        (unreachable(), [1, 1]),  # unanswered: it may have been made, so only its own key asks again
    ],
)
def test_a_refund_goes_again_under_a_new_key_only_after_a_refusal_for_good(refund, refund_provider, error, attempts):
    refund_provider.errors = [error]

    assert send_refund(refund_id=refund.pk).status == RefundStatus.FAILED
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)  # as "try again" does
    assert send_refund(refund_id=refund.pk).status == RefundStatus.SUCCEEDED

    keys = [f"refund-{refund.pk}" if attempt == 1 else f"refund-{refund.pk}-{attempt}" for attempt in attempts]
    assert refund_provider.keys == keys


def test_refunds_made_at_the_provider_without_news_for_a_day_are_asked_after(refund, monkeypatch):
    now = timezone.now()
    quiet = Refund.objects.create(payment=refund.payment, amount_ore=100, reason="its event was lost")
    failed_quietly = Refund.objects.create(payment=refund.payment, amount_ore=200, reason="failed, event lost")
    for made, provider_refund_id, ago in (
        (refund, "re_recent", timedelta(hours=2)),
        (quiet, "re_quiet", timedelta(days=2)),
        (failed_quietly, "re_failed", timedelta(days=2)),
    ):
        Refund.objects.filter(pk=made.pk).update(provider_refund_id=provider_refund_id, last_sent_at=now - ago)
    real_refund_status = SimulatorGateway.refund_status

    def refund_status(self, *, refund_id):
        if refund_id == "re_failed":
            return RefundResult(id=refund_id, status="failed")
        return real_refund_status(self, refund_id=refund_id)

    monkeypatch.setattr(SimulatorGateway, "refund_status", refund_status)

    assert ask_after_quiet_refunds() == 2

    statuses = dict(Refund.objects.values_list("pk", "status"))
    assert statuses == {
        refund.pk: RefundStatus.PENDING,  # its news may still come
        quiet.pk: RefundStatus.SUCCEEDED,
        failed_quietly.pk: RefundStatus.FAILED,
    }
    assert "re_failed" in PaymentIssue.objects.get().message
