"""What each payment event from the provider does, applied once however often and in whatever order it comes.

Every payment ends matched to a paid order, refunded, or on the staff to-do list (tickets.payment_issues).
"""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from events.models import EventStatus
from tickets import payment_issues
from tickets.capacity import availability
from tickets.checkout import paying_payment, provider_name
from tickets.exceptions import PaymentsUnavailable, SoldOut
from tickets.models import (
    ALREADY_PAID,
    SOLD_OUT_BEFORE_PAYMENT,
    Order,
    OrderStatus,
    Payment,
    PaymentIssueKind,
    PaymentStatus,
    ProcessedWebhookEvent,
    Refund,
    RefundStatus,
)
from tickets.payments.gateway import WebhookEvent, get_gateway
from tickets.refunds import queue_refund, refund_for_provider_event, settle_refund
from tickets.services import Item, check_capacity, events_for_sale, issue_tickets, mark_paid, revoke_tickets

logger = logging.getLogger(__name__)


def handle_webhook_event(event: WebhookEvent, *, now: datetime | None = None) -> str:
    """Apply a verified provider event once; a repeat answers `duplicate` and changes nothing."""
    now = now or timezone.now()
    handler = HANDLERS.get(event.type)
    if handler is None:
        return "ignored"
    try:
        with transaction.atomic():
            ProcessedWebhookEvent.objects.create(event_id=event.id, type=event.type)
            refunds = handler(event.data, now)
    except IntegrityError:
        # Only a repeat of the event is harmless; any other refusal is an error to see (and the
        # provider sends the event again).
        if ProcessedWebhookEvent.objects.filter(event_id=event.id).exists():
            return "duplicate"
        raise
    for refund_id in refunds:
        transaction.on_commit(partial(queue_refund, refund_id))
    return "handled"


def _reference(data: dict[str, Any]) -> str:
    return str(data.get("client_reference_id") or (data.get("metadata") or {}).get("reference") or "")


def _session_completed(data: dict[str, Any], now: datetime) -> list[int]:
    """Payment arrived: mark the order paid, honour a late payment if seats remain, else refund it."""
    amount = int(data.get("amount_total") or 0)
    if _pay_open_reservation(data, amount, now):
        return []
    order = Order.objects.select_for_update().filter(reference=_reference(data)).first()
    payment = _payment_for_session(data, order, amount)
    _record_success(payment, data)
    if order is None:
        return [_refund(payment, amount, "payment without an order", issue=True)]
    if amount != order.total_ore:
        return [_refund(payment, amount, f"paid {amount} øre for an order of {order.total_ore} øre", issue=True)]
    if order.status == OrderStatus.PAID:
        paid_twice = order.payments.filter(status=PaymentStatus.SUCCEEDED).exclude(pk=payment.pk).exists()
        return [_refund(payment, amount, ALREADY_PAID)] if paid_twice else []
    if order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        return [_refund(payment, amount, "the order was cancelled before the payment arrived", notify=True)]
    return _pay_reservation(order, payment, amount, now)


# A payment this close to its reservation's end takes the locked path: a reservation placed meanwhile
# may already count those seats as free, and only the event's lock decides between the two. A payment
# with more time left is applied without the lock (no webhook transaction runs for this long).
UNLOCKED_PAYMENT_MARGIN = timedelta(minutes=2)

# The usual payment's statements, written out: the webhook of every sale runs them.
_PAY_HELD_SQL = (
    "UPDATE tickets_order SET status = %s, paid_at = %s"
    " WHERE reference = %s AND status = %s AND expires_at > %s AND total_ore = %s"
    " AND EXISTS (SELECT 1 FROM events_event e WHERE e.id = tickets_order.event_id AND e.status = %s)"
    " RETURNING id, event_id"
)
_SEATS_SQL = "SELECT ticket_type_id, quantity FROM tickets_orderline WHERE order_id = %s"
_PAYMENT_SUCCEEDED_SQL = (
    "UPDATE tickets_payment SET status = %s, payment_intent_id = %s, updated_at = %s WHERE checkout_session_id = %s"
)


def _pay_open_reservation(data: dict[str, Any], amount: int, now: datetime) -> bool:
    """The usual case, in few statements: the full amount for a reservation of a published event, held well
    beyond now. False otherwise."""
    reference = _reference(data)
    if not reference or not connection.features.can_return_columns_from_insert:  # no UPDATE … RETURNING
        return False
    at = connection.ops.adapt_datetimefield_value(now)
    held_beyond = connection.ops.adapt_datetimefield_value(now + UNLOCKED_PAYMENT_MARGIN)
    with connection.cursor() as cursor:
        cursor.execute(
            _PAY_HELD_SQL,
            [
                OrderStatus.PAID.value,
                at,
                reference,
                OrderStatus.RESERVED.value,
                held_beyond,
                amount,
                EventStatus.PUBLISHED.value,
            ],
        )
        held = cursor.fetchone()
        if held is None:
            return False
        order_id, event_id = held
        cursor.execute(_SEATS_SQL, [order_id])
        seats = cursor.fetchall()
        session_id = str(data.get("id") or "")
        intent_id = str(data.get("payment_intent") or "")
        cursor.execute(_PAYMENT_SUCCEEDED_SQL, [PaymentStatus.SUCCEEDED.value, intent_id, at, session_id])
        recorded = cursor.rowcount
    if not recorded:
        Payment.objects.create(
            order_id=order_id,
            provider=provider_name(),
            checkout_session_id=session_id or None,
            amount_ore=amount,
            status=PaymentStatus.SUCCEEDED,
            payment_intent_id=intent_id,
        )
    issue_tickets(order_id=order_id, event_id=event_id, seats=seats)
    return True


def _record_success(payment: Payment, data: dict[str, Any]) -> None:
    payment.status = PaymentStatus.SUCCEEDED
    payment.payment_intent_id = str(data.get("payment_intent") or "")
    payment.save(update_fields=["status", "payment_intent_id", "updated_at"])


def _pay_reservation(order: Order, payment: Payment, amount: int, now: datetime) -> list[int]:
    """A locked order, reserved or lapsed, paid in full: sell its seats if they are still its own or free.

    Decided under the event's lock, as reservations are: a reservation placed before the lock was
    taken has been counted, and one placed after it counts this order once it is paid.
    """
    locked_event = events_for_sale().select_for_update(of=("self",), no_key=True).get(pk=order.event_id)
    now = max(now, timezone.now())
    if locked_event.status != EventStatus.PUBLISHED or locked_event.ends_at <= now:
        return [_refund(payment, amount, "the event is cancelled or over", notify=True)]
    if order.status == OrderStatus.RESERVED and order.expires_at > now:
        mark_paid(order=order, now=now)
        return []
    lines = list(order.lines.select_related("ticket_type"))
    types = {line.ticket_type_id: line.ticket_type for line in lines}
    items = [Item(line.ticket_type_id, line.quantity) for line in lines]
    try:
        check_capacity(locked_event, items, types, availability(event=locked_event, now=now))
    except SoldOut:
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = now
        order.save(update_fields=["status", "cancelled_at"])
        return [_refund(payment, amount, SOLD_OUT_BEFORE_PAYMENT, notify=True)]
    mark_paid(order=order, now=now, lines=lines)
    return []


def _payment_for_session(data: dict[str, Any], order: Order | None, amount: int) -> Payment:
    session_id = str(data.get("id") or "")
    payment = Payment.objects.select_for_update().filter(checkout_session_id=session_id).first()
    if payment is None:
        payment = Payment.objects.create(
            order=order,
            provider=provider_name(),
            checkout_session_id=session_id or None,
            amount_ore=amount,
        )
    return payment


def _refund(payment: Payment, amount: int, reason: str, *, issue: bool = False, notify: bool = False) -> int:
    """Record a refund of money that cannot buy anything; `issue` also lists it for staff, `notify` tells the buyer."""
    refund = Refund.objects.create(payment=payment, amount_ore=amount, reason=reason)
    if issue:
        payment_issues.open_issue(
            order=payment.order, payment=payment, kind=PaymentIssueKind.UNEXPECTED_PAYMENT, message=reason
        )
    if notify and payment.order_id is not None:
        transaction.on_commit(partial(_queue_refund_notice, refund.pk), robust=True)
    return refund.pk


def _queue_refund_notice(refund_id: int) -> None:
    from tickets.tasks import send_refund_notice  # tasks import this module

    send_refund_notice.delay(refund_id)


def _session_expired(data: dict[str, Any], now: datetime) -> list[int]:
    """The checkout ended unpaid: its payment is cancelled, and the unpaid reservation released unless
    the buyer is paying in another checkout of the order (an earlier one ended after a failed payment)."""
    session_id = data.get("id")
    # A failed payment's checkout stays open for another try until it ends, so both end here.
    still_open = [PaymentStatus.PENDING, PaymentStatus.FAILED]
    Payment.objects.filter(checkout_session_id=session_id, status__in=still_open).update(
        status=PaymentStatus.CANCELLED, updated_at=now
    )
    Order.objects.filter(reference=_reference(data), status=OrderStatus.RESERVED).exclude(
        Exists(
            Payment.objects.filter(order=OuterRef("pk"), status__in=still_open).exclude(checkout_session_id=session_id)
        )
    ).update(status=OrderStatus.EXPIRED, cancelled_at=now)
    return []


def _payment_failed(data: dict[str, Any], now: datetime) -> list[int]:
    """A payment attempt failed; the reservation stays until it lapses, so the buyer can try again.

    The news names the provider's payment, not the checkout: it fails the order's open payment it was
    first reported for, so news of an earlier checkout's payment never fails a newer checkout."""
    intent_id = str(data.get("id") or "")
    payments = Payment.objects.filter(order__reference=_reference(data))
    if not intent_id or not payments.filter(payment_intent_id=intent_id).exists():
        payments = payments.filter(payment_intent_id="")
    else:
        payments = payments.filter(payment_intent_id=intent_id)
    payments.filter(status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING]).update(
        status=PaymentStatus.FAILED, payment_intent_id=intent_id, updated_at=now
    )
    return []


def _charge_refunded(data: dict[str, Any], now: datetime) -> list[int]:
    """Money went back at the provider (ours, or a refund made in its dashboard): `amount_refunded` is the total."""
    payment = Payment.objects.select_for_update().filter(payment_intent_id=data.get("payment_intent")).first()
    if payment is None:
        return []
    refunded = int(data.get("amount_refunded") or 0)
    _settle_sent_refunds(payment, refunded)
    # locked: a staff cancellation of the same order must not end it (and uncount its seats) twice
    order = Order.objects.select_for_update().filter(payments=payment).first()
    if (
        order is not None
        and refunded >= payment.amount_ore
        and order.status == OrderStatus.PAID
        and paying_payment(order) == payment  # not a second, surplus payment refunded
    ):
        order.status = OrderStatus.REFUNDED
        order.cancelled_at = now
        order.save(update_fields=["status", "cancelled_at"])
        revoke_tickets(order.tickets.all(), now=now)
    return []


def _settle_sent_refunds(payment: Payment, refunded: int) -> None:
    """Mark our refunds that the provider has paid out, oldest first; money returned that none of ours
    accounts for is recorded as a refund made at the provider.

    Only refunds sent to the provider (with its id) can be among the money returned; one still being
    sent is settled by the provider's answer or its `refund.updated` event instead.
    """
    succeeded = list(payment.refunds.filter(status=RefundStatus.SUCCEEDED))
    recorded = sum(refund.amount_ore for refund in succeeded)
    for refund in payment.refunds.filter(status=RefundStatus.PENDING).exclude(provider_refund_id="").order_by("pk"):
        if recorded + refund.amount_ore > refunded:
            break
        # Only while still pending: a failure settled meanwhile is not undone.
        if Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(status=RefundStatus.SUCCEEDED):
            recorded += refund.amount_ore
    # Still being sent, or failed without an answer (it may have been made): money returned for these
    # is theirs, not a refund made at the provider.
    being_sent = sum(
        r.amount_ore
        for r in payment.refunds.filter(
            Q(status=RefundStatus.PENDING, provider_refund_id="") | Q(status=RefundStatus.FAILED, may_be_paid_out=True)
        )
    )
    if refunded > recorded + being_sent:
        Refund.objects.create(
            payment=payment,
            amount_ore=refunded - recorded - being_sent,
            status=RefundStatus.SUCCEEDED,
            reason="refunded at provider",
        )


def _refund_changed(data: dict[str, Any], now: datetime) -> list[int]:
    """One of our refunds made or settled at the provider (`refund.created`, `refund.updated`, `refund.failed`)."""
    refund = refund_for_provider_event(data)
    if refund is not None:
        settle_refund(refund, str(data.get("status") or ""), str(data.get("failure_reason") or ""))
    return []


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.expired": _session_expired,
    "payment_intent.payment_failed": _payment_failed,
    "charge.refunded": _charge_refunded,
    "refund.created": _refund_changed,
    "refund.updated": _refund_changed,
    "refund.failed": _refund_changed,
    "charge.refund.updated": _refund_changed,
}


def receive_webhook(*, payload: bytes, signature_header: str) -> str:
    """Verify a signed provider webhook and apply it; InvalidWebhookSignature when it is not genuine."""
    try:
        gateway = get_gateway()
    except ImproperlyConfigured as error:
        raise PaymentsUnavailable("Payments are not configured.") from error
    return handle_webhook_event(gateway.parse_webhook(payload=payload, signature_header=signature_header))
