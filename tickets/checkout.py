"""Paying for a reservation: opening a provider checkout, and ending checkouts that hold nothing any more.

What the provider's payment events then do is in tickets.webhooks. Provider calls happen outside
database transactions.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from config.i18n import translated
from tickets.exceptions import PaymentsUnavailable
from tickets.models import (
    ALREADY_PAID,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from tickets.payments.gateway import (
    CheckoutLine,
    PaymentProviderError,
    clamp_session_expiry,
    get_gateway,
    is_simulated,
)
from tickets.services import (
    PlacedOrder,
)

logger = logging.getLogger(__name__)


def provider_name() -> str:
    return "simulator" if is_simulated() else "stripe"


@dataclass(frozen=True)
class StartedCheckout:
    payment: Payment
    url: str


def start_checkout(*, order: Order, success_url: str, cancel_url: str) -> StartedCheckout:
    """Open a hosted checkout for a reserved order and record the pending payment.

    A reload or a double click reuses the open checkout: Stripe refuses a second request with the
    same idempotency key and different parameters. When no checkout can be opened, the
    reservation is released at once and the error raised.
    """
    pending = order.payments.filter(status=PaymentStatus.PENDING).exclude(checkout_url="").first()
    if pending is not None:
        return StartedCheckout(payment=pending, url=pending.checkout_url)
    lines = order.lines.select_related("ticket_type")
    return _open_checkout(order=order, lines=lines, success_url=success_url, cancel_url=cancel_url, is_new=False)


def start_new_checkout(*, placed: PlacedOrder, success_url: str, cancel_url: str) -> StartedCheckout:
    """Open the checkout of an order placed just now, which has no payment yet, and record its payment."""
    return _open_checkout(
        order=placed.order, lines=placed.lines, success_url=success_url, cancel_url=cancel_url, is_new=True
    )


def _open_checkout(
    *, order: Order, lines: Iterable[OrderLine], success_url: str, cancel_url: str, is_new: bool
) -> StartedCheckout:
    checkout_lines = [
        CheckoutLine(
            name=translated(line.ticket_type, "name", order.language),
            unit_amount_ore=line.unit_price_ore,
            quantity=line.quantity,
        )
        for line in lines
    ]
    # Stripe refuses a key sent again with other parameters, and the session must outlive the reservation
    # by Stripe's minimum from the moment it opens. So the expiry is counted from the next whole minute and
    # named in the key: a double click within that minute gets the same session back, a later attempt
    # (after a failed payment) a new one.
    session_expires_at = clamp_session_expiry(order.expires_at, now=_next_whole_minute(timezone.now()))
    try:
        session = get_gateway().create_checkout_session(
            reference=order.reference,
            lines=checkout_lines,
            customer_email=order.buyer_email,
            locale=order.language,
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=session_expires_at,
            idempotency_key=f"checkout-{order.reference}-{int(session_expires_at.timestamp())}",
            metadata={"reference": order.reference},
        )
    except (PaymentProviderError, ImproperlyConfigured) as error:
        logger.error("No checkout for order %s: %s", order.reference, error)
        Order.objects.filter(pk=order.pk, status=OrderStatus.RESERVED).update(
            status=OrderStatus.CANCELLED, cancelled_at=timezone.now()
        )
        raise PaymentsUnavailable("Payments cannot be taken right now; please try again later.") from error
    fields = {
        "order": order,
        "provider": provider_name(),
        "amount_ore": order.total_ore,
        "status": PaymentStatus.PENDING,
        "checkout_url": session.url,
    }
    if is_new:  # nothing to find: the order was placed just now
        payment = Payment.objects.create(checkout_session_id=session.id, **fields)
    else:
        payment, _created = Payment.objects.get_or_create(checkout_session_id=session.id, defaults=fields)
        # An earlier checkout whose payment failed stays open at the provider: end it, so one order
        # is not paid twice from two checkouts (a second payment would be refunded all the same).
        earlier = [other for other in checkout_sessions([order.pk], status=PaymentStatus.FAILED) if other != session.id]
        transaction.on_commit(partial(end_checkouts, earlier), robust=True)
    return StartedCheckout(payment=payment, url=session.url)


def _next_whole_minute(moment: datetime) -> datetime:
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def paying_payment(order: Order) -> Payment | None:
    """The payment an order was paid with: a succeeded one not refunded as surplus (a second payment, from
    another checkout of the order, that arrived when the order was paid already)."""
    return (
        order.payments.filter(status=PaymentStatus.SUCCEEDED)
        .exclude(refunds__reason=ALREADY_PAID)
        .order_by("created_at", "pk")
        .first()
    )


def expire_lapsed_reservations(*, now: datetime | None = None) -> int:
    """Mark lapsed reservations expired and end their open checkouts at the provider.

    The seats were free again the moment the reservation lapsed; this only tidies up, so a
    buyer cannot pay for a checkout that no longer holds anything. A payment that still
    completes is handled as a late payment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = list(
            Order.objects.select_for_update(skip_locked=True)
            .filter(status=OrderStatus.RESERVED, expires_at__lte=now)
            .values_list("pk", flat=True)
        )
        Order.objects.filter(pk__in=lapsed).update(status=OrderStatus.EXPIRED, cancelled_at=now)
        sessions = checkout_sessions(lapsed)
    end_checkouts(sessions)
    return len(lapsed)


def checkout_sessions(order_ids: Iterable[int], *, status: str = PaymentStatus.PENDING) -> list[str]:
    """The provider checkouts of these orders whose payment has this status (pending: still open)."""
    return [
        str(session_id)
        for session_id in Payment.objects.filter(order__in=order_ids, status=status)
        .exclude(checkout_session_id=None)
        .values_list("checkout_session_id", flat=True)
    ]


def end_checkouts(session_ids: Iterable[str]) -> None:
    """End open checkouts at the provider, outside any transaction; a payment that still completes is
    handled as a late payment (refunded, or honoured where it may be)."""
    for session_id in session_ids:
        try:
            get_gateway().expire_checkout_session(session_id=session_id, idempotency_key=f"expire-{session_id}")
        except PaymentProviderError:
            logger.warning("Could not end checkout %s; a late payment will be refunded or honoured.", session_id)
