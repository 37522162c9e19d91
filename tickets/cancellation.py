"""Staff cancellations: orders, single tickets and whole events, with full or partial refunds.

Refunds are recorded here and sent to the provider after commit by a task; a refund the
provider refuses lands on the staff to-do list (PaymentIssue), so no money is forgotten.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from events.models import Event, EventStatus
from events.services import save_event_edit
from tickets.checkout import checkout_sessions, end_checkouts, paying_payment
from tickets.exceptions import TicketingError
from tickets.models import (
    Order,
    OrderStatus,
    Payment,
    Refund,
    RefundStatus,
    RevocationReason,
    TicketStatus,
)
from tickets.refunds import queue_refund
from tickets.services import revoke_tickets


class RefundNotPossible(TicketingError):
    code = "refund_not_possible"


@dataclass(frozen=True)
class RefundProgress:
    paid_orders_left: int
    refunded_orders: int
    failed_refunds: int


def _queue_notice(order_id: int) -> None:
    from tickets.tasks import send_cancellation_notice  # tasks import the services

    send_cancellation_notice.delay(order_id)


def _refundable(order: Order) -> tuple[Payment | None, int]:
    """The payment the order was paid with, and how much of it is not refunded yet."""
    payment = paying_payment(order)
    if payment is None:
        return None, 0
    # A failed refund returned nothing, unless a send of it went unanswered: then it may have.
    counted = payment.refunds.exclude(status=RefundStatus.FAILED, may_be_paid_out=False)
    refunded = counted.aggregate(total=Sum("amount_ore"))["total"] or 0
    return payment, payment.amount_ore - refunded


def _refund(order: Order, amount_ore: int, reason: str) -> Refund | None:
    if amount_ore == 0:
        return None
    payment, left = _refundable(order)
    if payment is None or amount_ore > left:
        raise RefundNotPossible(f"At most {left} øre can be refunded on this order.")
    refund = Refund.objects.create(payment=payment, amount_ore=amount_ore, reason=reason)
    transaction.on_commit(partial(queue_refund, refund.pk))
    return refund


@transaction.atomic
def cancel_order(*, order_id: int, refund_ore: int | None = None, reason: str, now: datetime | None = None) -> Order:
    """Cancel a whole order: tickets revoked, and what is left of the payment refunded unless an amount is given.

    "What is left": single tickets of the order may have been cancelled and refunded before.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status not in (OrderStatus.RESERVED, OrderStatus.PAID):
        raise RefundNotPossible(f"The order is already {order.get_status_display().lower()}.")
    amount = 0
    if order.status == OrderStatus.PAID:
        amount = _refundable(order)[1] if refund_ore is None else refund_ore
    else:  # reserved: its checkout must not take money for a cancelled order
        transaction.on_commit(partial(end_checkouts, checkout_sessions([order.pk])), robust=True)
    _refund(order, amount, reason)
    revoke_tickets(order.tickets.all(), now=now, reason=_revocation_reason(amount))
    payment, left = _refundable(order)
    order.status = OrderStatus.REFUNDED if payment is not None and left == 0 else OrderStatus.CANCELLED
    order.cancelled_at = now
    order.save(update_fields=["status", "cancelled_at"])
    return order


@transaction.atomic
def cancel_tickets(
    *, order_id: int, ticket_ids: Sequence[UUID], refund_ore: int, reason: str, now: datetime | None = None
) -> Order:
    """Revoke some tickets of a paid order and refund the given amount; the rest stay valid."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.PAID:
        raise RefundNotPossible("Only tickets of a paid order can be cancelled.")
    tickets = order.tickets.filter(pk__in=ticket_ids, status=TicketStatus.VALID)
    if tickets.count() != len(set(ticket_ids)):
        raise RefundNotPossible("Some of these tickets are not valid tickets of this order.")
    _refund(order, refund_ore, reason)
    revoke_tickets(tickets, now=now, reason=_revocation_reason(refund_ore))  # their seats can be sold again
    if not order.tickets.filter(status=TicketStatus.VALID).exists():
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = now
        order.save(update_fields=["status", "cancelled_at"])
    return order


def _revocation_reason(refunded_ore: int) -> RevocationReason:
    return RevocationReason.REFUNDED if refunded_ore else RevocationReason.CANCELLED


def cancel_event(*, event_id: int) -> int:
    """Cancel an event (it stays in feeds as cancelled) and refund every order in the background."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if event.status != EventStatus.CANCELLED:
            event.status = EventStatus.CANCELLED
            save_event_edit(event=event, changed_fields=["status"])
        to_refund = event.orders.filter(status__in=[OrderStatus.PAID, OrderStatus.RESERVED]).count()
    from tickets.tasks import refund_event_orders  # tasks import the services

    transaction.on_commit(partial(refund_event_orders.delay, event_id))
    return to_refund


def refund_event_orders(*, event_id: int) -> int:
    """Cancel and fully refund each open order of a cancelled event, one transaction per order."""
    done = 0
    for order_id in Order.objects.filter(
        event_id=event_id, status__in=[OrderStatus.PAID, OrderStatus.RESERVED]
    ).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                cancel_order(order_id=order_id, reason="the event was cancelled")
                transaction.on_commit(partial(_queue_notice, order_id))
            done += 1
        except RefundNotPossible:
            continue  # changed meanwhile (refunded by hand, expired): nothing left to do
    return done


def refund_progress(*, event_id: int) -> RefundProgress:
    """How far refunding a cancelled event has come, from the orders and refunds themselves."""
    counts = Order.objects.filter(event_id=event_id).aggregate(
        paid=Count("pk", filter=Q(status=OrderStatus.PAID)),
        refunded=Count("pk", filter=Q(status=OrderStatus.REFUNDED)),
    )
    failed = Refund.objects.filter(payment__order__event_id=event_id, status=RefundStatus.FAILED).count()
    return RefundProgress(paid_orders_left=counts["paid"], refunded_orders=counts["refunded"], failed_refunds=failed)
