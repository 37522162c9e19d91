"""Sending recorded refunds to the payment provider, and settling them by its answers and events.

A refund is sent under an idempotency key of its attempt (`Refund.idempotency_key`), so sending it
again never pays it out twice. While the provider cannot be reached it stays pending and is asked
again later under the same key; a refusal or a failure at the provider goes on the staff to-do list.
"""

from datetime import datetime, timedelta

from django.db import transaction

from tickets.models import PaymentIssue, Refund, RefundStatus
from tickets.payments.gateway import PaymentProviderError, get_gateway

# A pending refund never sent (its queue message lost, or its worker gone) is sent again by the
# catch-up job once this old: long after the task's own retries (about 16 minutes) have run out.
UNSENT_REFUND_AGE = timedelta(hours=1)


class RefundNotSentYet(Exception):
    """The provider could not be asked (unreachable, busy, failing): the refund stays pending, to be
    asked again under the same key."""


def queue_refund(refund_id: int) -> None:
    """Send a recorded refund to the provider in the background."""
    from tickets.tasks import send_refund_task  # tasks import this module

    send_refund_task.delay(refund_id)


def send_refund(*, refund_id: int, last_try: bool = True) -> Refund:
    """Ask the provider for a pending refund; a refusal or failure goes on the staff to-do list.

    Unless it is the `last_try`, a provider that cannot be reached raises RefundNotSentYet and leaves
    the refund pending.
    """
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING:
        return refund
    try:
        result = get_gateway().create_refund(
            payment_intent_id=refund.payment.payment_intent_id,
            amount_ore=refund.amount_ore,
            idempotency_key=refund.idempotency_key,
        )
    except PaymentProviderError as error:
        if error.retryable and not last_try:
            raise RefundNotSentYet(str(error)) from error
        with transaction.atomic():  # another send of it may have settled it meanwhile
            refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
            if refund.status == RefundStatus.PENDING:
                fail_refund(refund, for_good=_refused_for_good(error))
                PaymentIssue.objects.create(
                    order=refund.payment.order, payment=refund.payment, kind="refund_failed", message=str(error)
                )
        return refund
    with transaction.atomic():  # the provider's events may settle it at the same time
        refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
        refund.provider_refund_id = result.id
        refund.save(update_fields=["provider_refund_id"])
        settle_refund(refund, result.status, "refused when it was sent")
    return refund


def _refused_for_good(error: PaymentProviderError) -> bool:
    """Whether the provider made no refund under this key and never will: then the next attempt needs a
    new key (the same one would get this refusal back for a day). Not so when the provider could not be
    asked, nor when it refused the key itself (a send of the same attempt still running)."""
    return (
        not error.retryable
        and error.error_type != "idempotency_error"
        and (error.provider_code != "idempotency_key_in_use")
    )


def settle_refund(refund: Refund, status: str, failure_reason: str) -> None:
    """A locked pending refund succeeded or failed at the provider; a failure goes on the staff to-do list.

    A refund's status only moves forward: a late `pending` never undoes `succeeded` or `failed`.
    """
    if refund.status != RefundStatus.PENDING or status not in ("succeeded", "failed", "canceled"):
        return
    if status == "succeeded":
        refund.status = RefundStatus.SUCCEEDED
        refund.save(update_fields=["status"])
        return
    paid_out_by = refund.provider_refund_id
    fail_refund(refund, for_good=True)
    PaymentIssue.objects.create(
        order=refund.payment.order,
        payment=refund.payment,
        kind="refund_failed",
        message=f"The provider did not pay out refund {refund.pk} ({refund.amount_ore} øre, "
        f"{paid_out_by}): {failure_reason or status}",
    )


def fail_refund(refund: Refund, *, for_good: bool) -> None:
    """Mark a refund failed. When the provider has said no for good, the next attempt is a new one:
    sent under a new idempotency key, no longer waiting for news of the provider refund that failed."""
    refund.status = RefundStatus.FAILED
    if for_good:
        refund.attempt += 1
        refund.provider_refund_id = ""
    refund.save(update_fields=["status", "attempt", "provider_refund_id"])


def unsent_refunds(*, now: datetime) -> list[int]:
    """Pending refunds the provider has not answered for an hour or more: their sending was lost."""
    return list(
        Refund.objects.filter(
            status=RefundStatus.PENDING, provider_refund_id="", created_at__lte=now - UNSENT_REFUND_AGE
        ).values_list("pk", flat=True)
    )
