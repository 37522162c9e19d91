"""What an event has sold, for its organiser's books.

Two views. Tickets: the valid tickets of paid orders, per ticket type and the price each was bought for
(a ticket cancelled or refunded no longer counts). Money: what the payment provider moved for the
event's orders (payments received, refunds made, refunds still on their way) and, for the VAT, the money
each order kept, shared over its lines' VAT rates by their value. The two agree unless a refund was not
the price of the tickets it cancelled (none at all, or a goodwill amount); the VAT follows the money.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from events.models import Event
from tickets.models import (
    OrderLine,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    Ticket,
    TicketStatus,
    TicketType,
)
from tickets.money import vat_included


@dataclass(frozen=True)
class TicketTypeSales:
    ticket_type: TicketType
    unit_price_ore: int
    vat_rate: Decimal
    sold: int
    revoked: int
    sales_ore: int
    vat_ore: int


@dataclass(frozen=True)
class RateSales:
    vat_rate: Decimal
    kept_ore: int
    vat_ore: int


@dataclass(frozen=True)
class EventSales:
    currency = "DKK"  # not a field: every amount is in øre of Danish kroner
    event: Event
    by_ticket_type: list[TicketTypeSales]
    by_vat_rate: list[RateSales]
    sold: int
    sales_ore: int
    vat_ore: int
    payments_ore: int
    refunded_ore: int
    refunds_pending_ore: int

    @property
    def net_ore(self) -> int:
        """Money kept: received less refunded (refunds on their way not yet taken off)."""
        return self.payments_ore - self.refunded_ore


def event_sales(event: Event) -> EventSales:
    """The sales of one event, per ticket type and price paid, and per VAT rate."""
    # orders once paid: paid, or since refunded or cancelled (their tickets revoked)
    tickets = Ticket.objects.filter(event=event, order__paid_at__isnull=False)
    counts = {
        (row["order_id"], row["ticket_type_id"]): (row["valid"], row["revoked"])
        for row in tickets.values("order_id", "ticket_type_id").annotate(
            valid=Count("pk", filter=Q(status=TicketStatus.VALID)),
            revoked=Count("pk", filter=~Q(status=TicketStatus.VALID)),
        )
    }
    lines = OrderLine.objects.filter(order__event=event, order__paid_at__isnull=False)
    grouped: dict[tuple[int, int, Decimal], list[int]] = defaultdict(lambda: [0, 0])
    for order_id, type_id, unit_price, rate in lines.values_list(
        "order_id", "ticket_type_id", "unit_price_ore", "vat_rate"
    ):
        valid, revoked = counts.get((order_id, type_id), (0, 0))
        grouped[(type_id, unit_price, rate)][0] += valid
        grouped[(type_id, unit_price, rate)][1] += revoked
    types = TicketType.objects.in_bulk({type_id for type_id, _price, _rate in grouped})
    by_type = [
        TicketTypeSales(
            ticket_type=types[type_id],
            unit_price_ore=price,
            vat_rate=rate,
            sold=sold,
            revoked=revoked,
            sales_ore=sold * price,
            vat_ore=vat_included(sold * price, rate),
        )
        for (type_id, price, rate), (sold, revoked) in sorted(
            grouped.items(), key=lambda item: (types[item[0][0]].position, item[0][0], -item[0][1])
        )
    ]
    kept_by_rate = _money_kept_by_rate(event)
    by_rate = [
        RateSales(vat_rate=rate, kept_ore=kept, vat_ore=vat_included(kept, rate))
        for rate, kept in sorted(kept_by_rate.items(), reverse=True)
    ]
    refunds = Refund.objects.filter(payment__order__event=event)
    return EventSales(
        event=event,
        by_ticket_type=by_type,
        by_vat_rate=by_rate,
        sold=sum(row.sold for row in by_type),
        sales_ore=sum(row.sales_ore for row in by_type),
        vat_ore=sum(rate.vat_ore for rate in by_rate),
        payments_ore=_sum(Payment.objects.filter(order__event=event, status=PaymentStatus.SUCCEEDED), "amount_ore"),
        refunded_ore=_sum(refunds.filter(status=RefundStatus.SUCCEEDED), "amount_ore"),
        refunds_pending_ore=_sum(refunds.filter(status=RefundStatus.PENDING), "amount_ore"),
    )


def _money_kept_by_rate(event: Event) -> dict[Decimal, int]:
    """Each order's payments less its refunds made, shared over its lines' VAT rates by their value."""
    paid = dict(
        Payment.objects.filter(order__event=event, status=PaymentStatus.SUCCEEDED)
        .values_list("order_id")
        .annotate(total=Sum("amount_ore"))
    )
    refunded = dict(
        Refund.objects.filter(payment__order__event=event, status=RefundStatus.SUCCEEDED)
        .values_list("payment__order_id")
        .annotate(total=Sum("amount_ore"))
    )
    value_by_rate: dict[int, dict[Decimal, int]] = defaultdict(lambda: defaultdict(int))
    for order_id, quantity, unit_price, rate in OrderLine.objects.filter(order_id__in=paid).values_list(
        "order_id", "quantity", "unit_price_ore", "vat_rate"
    ):
        value_by_rate[order_id][rate] += quantity * unit_price
    kept_by_rate: dict[Decimal, int] = defaultdict(int)
    for order_id, received in paid.items():
        for rate, share in _shared(received - refunded.get(order_id, 0), value_by_rate[order_id]).items():
            kept_by_rate[rate] += share
    return {rate: kept for rate, kept in kept_by_rate.items() if kept}


def _shared(amount: int, weights: dict[Decimal, int]) -> dict[Decimal, int]:
    """`amount` in whole øre shared by weight, the øre left over by rounding down going to the largest
    remainders, so the shares add up to the amount exactly."""
    if amount < 0:  # more refunded than received: not expected, but shared alike
        return {rate: -share for rate, share in _shared(-amount, weights).items()}
    total = sum(weights.values())
    if not total:
        return {max(weights, default=Decimal(0)): amount}
    floors = {rate: amount * weight // total for rate, weight in weights.items()}
    by_remainder = sorted(weights, key=lambda rate: (amount * weights[rate]) % total, reverse=True)
    for rate in by_remainder[: amount - sum(floors.values())]:
        floors[rate] += 1
    return floors


def _sum(queryset, field: str) -> int:  # type: ignore[no-untyped-def]
    return int(queryset.aggregate(total=Sum(field))["total"] or 0)
