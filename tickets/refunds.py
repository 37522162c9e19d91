"""Sending recorded refunds to the payment provider, and settling them by its answers and events.

Each attempt at a refund is sent under its own idempotency key (`Refund.idempotency_key`), so sending
it again never pays it out twice. While the provider cannot be reached the refund stays pending and
is asked again later under the same key. A new attempt (a new key) begins only when the provider has
said no for good and no send of the attempt went unanswered. What needs a person goes on the staff
to-do list (PaymentIssue).
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tickets import payment_issues
from tickets.models import PaymentIssueKind, Refund, RefundStatus
from tickets.payments.gateway import PaymentProviderError, RefundResult, get_gateway

logger = logging.getLogger(__name__)

# A pending refund never sent (its queue message lost, or its worker gone), or sent last this long ago,
# is sent again by the catch-up job: long after the task's own retries (about 16 minutes) have run out.
UNSENT_REFUND_AGE = timedelta(hours=1)
# A refund made at the provider and still pending after this long without news is asked after.
NEWS_EXPECTED_WITHIN = timedelta(days=1)
# Stripe answers a key it saw within 24 hours as it did then; after that the key starts a new refund.
KEY_REMEMBERED = timedelta(hours=23)
KEY_FORGOTTEN = (
    "The provider may have paid this refund out, and no longer knows the request: look at the payment at the "
    "provider and refund what is missing there."
)
# Stripe's answers that mean no refund was made under the key and none will be.
REFUSED_FOR_GOOD = ("invalid_request_error", "card_error")


class RefundNotSentYet(Exception):
    """The provider could not be asked (unreachable, busy, failing): the refund stays pending, to be
    asked again under the same key."""


def _locked() -> QuerySet[Refund]:
    """Refunds locked for a change, with their payment (only the refund's row is locked)."""
    return Refund.objects.select_for_update(of=("self",)).select_related("payment")


def queue_refund(refund_id: int) -> None:
    """Send a recorded refund to the provider in the background."""
    from tickets.tasks import send_refund_task  # tasks import this module

    send_refund_task.delay(refund_id)


def send_refund(*, refund_id: int, last_try: bool = True, now: datetime | None = None) -> Refund:
    """Ask the provider for a pending refund; a refusal or failure goes on the staff to-do list.

    Unless it is the `last_try`, a provider that cannot be reached raises RefundNotSentYet and leaves
    the refund pending.
    """
    now = now or timezone.now()
    with transaction.atomic():
        refund = _locked().get(pk=refund_id)
        if refund.status != RefundStatus.PENDING or refund.provider_refund_id:
            return refund  # settled, or made at the provider and waiting for its news
        first_sent = refund.key_first_sent_at
        if first_sent is not None:
            # Sent before, with no answer recorded since (its worker stopped, or the provider did not
            # answer): that send may have made it.
            refund.may_be_paid_out = True
            if first_sent < now - KEY_REMEMBERED:
                _fail(refund, KEY_FORGOTTEN)
                return refund
        refund.key_first_sent_at = first_sent or now
        refund.last_sent_at = now
        refund.save(update_fields=["key_first_sent_at", "last_sent_at", "may_be_paid_out"])
    attempt = refund.attempt
    try:
        result = get_gateway().create_refund(
            payment_intent_id=refund.payment.payment_intent_id,
            amount_ore=refund.amount_ore,
            idempotency_key=refund.idempotency_key,
            metadata={"refund": str(refund.pk), "attempt": str(attempt)},  # names it in the provider's events
        )
    except PaymentProviderError as error:
        return _refused(refund_id, attempt, error, last_try=last_try)
    except ValueError as error:  # a refund no provider would make (0 øre): a person must look at it
        with transaction.atomic():
            refund = _locked().get(pk=refund_id)
            if refund.status == RefundStatus.PENDING:
                _fail(refund, f"The refund cannot be sent: {error}")
        return refund
    return _answered(refund_id, attempt, result)


def _refused(refund_id: int, attempt: int, error: PaymentProviderError, *, last_try: bool) -> Refund:
    unanswered = error.retryable and error.error_type != "rate_limit_error"  # it may have been made
    with transaction.atomic():
        refund = _locked().get(pk=refund_id)
        if refund.status != RefundStatus.PENDING or refund.attempt != attempt or refund.provider_refund_id:
            return refund  # another send of it, or the provider's news, settled it meanwhile
        if unanswered and not refund.may_be_paid_out:
            refund.may_be_paid_out = True
            refund.save(update_fields=["may_be_paid_out"])
        if not error.retryable or last_try:
            refused_for_good = error.error_type in REFUSED_FOR_GOOD
            _fail(refund, str(error), next_attempt=refused_for_good and not refund.may_be_paid_out)
            return refund
    raise RefundNotSentYet(str(error)) from error  # asked again later, now that this is recorded


def _answered(refund_id: int, attempt: int, result: RefundResult) -> Refund:
    with transaction.atomic():  # the provider's events, or another send of it, may settle it at the same time
        refund = _locked().get(pk=refund_id)
        if refund.attempt != attempt:
            _on_staff_list(
                refund,
                f"The provider answered refund {refund.pk}'s earlier attempt {attempt} only now, with "
                f"{result.id} ({result.status}): check that it was not paid out twice.",
            )
            return refund
        if _awaits_provider_refund(refund):
            _attach(refund, result.id)
            settle_refund(refund, result.status, "refused when it was sent")
    return refund


def _awaits_provider_refund(refund: Refund) -> bool:
    """Whether the provider's refund for this attempt is still to be recorded: it is pending, or failed
    without an answer (so the provider may have made it after all)."""
    return not refund.provider_refund_id and (
        refund.status == RefundStatus.PENDING or (refund.status == RefundStatus.FAILED and refund.may_be_paid_out)
    )


def _attach(refund: Refund, provider_refund_id: str) -> None:
    """Record on a locked refund the provider refund its attempt made, to be settled by its status."""
    refund.status = RefundStatus.PENDING
    refund.provider_refund_id = provider_refund_id
    refund.may_be_paid_out = False
    refund.save(update_fields=["status", "provider_refund_id", "may_be_paid_out"])


def refund_for_provider_event(data: dict[str, Any]) -> Refund | None:
    """The locked refund a provider event about a refund object is about: by the provider refund's id, or,
    when that is not recorded yet (the event came before the answer, or the answer was lost), by the
    refund and attempt named in its metadata."""
    provider_refund_id = str(data.get("id") or "")
    if not provider_refund_id:
        return None
    refund = _locked().filter(provider_refund_id=provider_refund_id).first()
    if refund is not None:
        return refund
    metadata = data.get("metadata") or {}
    try:
        named = {
            "pk": int(str(metadata.get("refund"))),
            "attempt": int(str(metadata.get("attempt"))),
            "amount_ore": int(str(data.get("amount"))),
        }
    except (TypeError, ValueError):
        return None
    refund = _locked().filter(**named, payment__payment_intent_id=str(data.get("payment_intent") or "")).first()
    if refund is None or not _awaits_provider_refund(refund):
        return None
    _attach(refund, provider_refund_id)
    return refund


def settle_refund(refund: Refund, status: str, failure_reason: str) -> None:
    """A locked refund succeeded or failed at the provider; a failure goes on the staff to-do list.

    A refund's status only moves forward: a late `pending` never undoes `succeeded` or `failed`, and
    nothing undoes `failed`. A refund counted as paid out can still fail later (counted from the money
    returned on its charge while still on its way, or sent back by the buyer's bank): then it is failed.
    """
    if status == "succeeded" and refund.status == RefundStatus.PENDING:
        refund.status = RefundStatus.SUCCEEDED
        refund.save(update_fields=["status"])
        return
    if status not in ("failed", "canceled") or refund.status == RefundStatus.FAILED:
        return
    # The provider refund of this attempt failed: nothing was paid out under its key.
    _fail(
        refund,
        f"The provider did not pay out refund {refund.pk} ({refund.amount_ore} øre, {refund.provider_refund_id}): "
        f"{failure_reason or status}",
        next_attempt=True,
    )


def _fail(refund: Refund, message: str, *, next_attempt: bool = False) -> None:
    """Mark a locked refund failed and put it on the staff to-do list. With `next_attempt` (the provider
    said no for good), sending it again is a new attempt under a new key, no longer waiting for news of
    the provider refund that failed."""
    refund.status = RefundStatus.FAILED
    if next_attempt:
        refund.attempt += 1
        refund.provider_refund_id = ""
        refund.may_be_paid_out = False
        refund.key_first_sent_at = None
    refund.save(update_fields=["status", "attempt", "provider_refund_id", "may_be_paid_out", "key_first_sent_at"])
    _on_staff_list(refund, message)


def _on_staff_list(refund: Refund, message: str) -> None:
    payment = refund.payment
    payment_issues.open_issue(
        order=payment.order, payment=payment, kind=PaymentIssueKind.REFUND_FAILED, message=message
    )


def ask_after_refunds_without_news(*, now: datetime) -> int:
    """Settle refunds made at the provider that are still pending after a day without news (an event
    lost, or a webhook not subscribed to): asked of the provider, one by one. How many were asked."""
    since = now - NEWS_EXPECTED_WITHIN
    quiet = list(
        Refund.objects.filter(status=RefundStatus.PENDING)
        .filter(Q(last_sent_at__lte=since) | Q(last_sent_at=None, created_at__lte=since))
        .exclude(provider_refund_id="")
        .values_list("pk", "provider_refund_id")
    )
    gateway = get_gateway()
    for refund_id, provider_refund_id in quiet:
        try:
            seen = gateway.refund_status(refund_id=provider_refund_id)
        except PaymentProviderError:
            logger.warning("Could not ask the provider about refund %s; asking again later.", refund_id)
            continue
        with transaction.atomic():
            refund = _locked().get(pk=refund_id)
            if refund.provider_refund_id == provider_refund_id:
                settle_refund(refund, seen.status, "reported when asked")
    return len(quiet)


def unsent_refunds(*, now: datetime) -> list[int]:
    """Pending refunds not sent, or not answered, for an hour or more: their sending was lost."""
    lost = now - UNSENT_REFUND_AGE
    return list(
        Refund.objects.filter(status=RefundStatus.PENDING, provider_refund_id="", created_at__lte=lost)
        .exclude(last_sent_at__gt=lost)
        .values_list("pk", flat=True)
    )
