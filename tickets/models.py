"""Ticket types, orders, tickets, payments and refunds."""

import secrets
import uuid
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.i18n import translated
from events.models import Event

VAT_RATES = [(Decimal("25.00"), _("25 % VAT")), (Decimal("0.00"), _("VAT exempt"))]


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("event"))
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)
    price_ore = models.PositiveIntegerField(_("price (øre)"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2, choices=VAT_RATES)
    on_sale_at = models.DateTimeField(_("on sale from"), null=True, blank=True)
    off_sale_at = models.DateTimeField(_("on sale until"), null=True, blank=True)
    min_per_order = models.PositiveSmallIntegerField(_("minimum per order"), default=1)
    max_per_order = models.PositiveSmallIntegerField(_("maximum per order"), default=10)
    capacity = models.PositiveIntegerField(_("own capacity"), null=True, blank=True)
    is_visible = models.BooleanField(_("visible"), default=True)
    is_companion = models.BooleanField(
        _("companion ticket"),
        default=False,
        help_text=_("Free ticket for a wheelchair user's companion, limited to the venue's wheelchair spaces."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [
            models.CheckConstraint(condition=Q(min_per_order__gte=1), name="ticket_type_min_at_least_one"),
            models.CheckConstraint(
                condition=Q(max_per_order__gte=models.F("min_per_order")), name="ticket_type_max_not_below_min"
            ),
            models.CheckConstraint(
                condition=Q(on_sale_at__isnull=True)
                | Q(off_sale_at__isnull=True)
                | Q(off_sale_at__gt=models.F("on_sale_at")),
                name="ticket_type_sales_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(is_companion=False) | Q(price_ore=0), name="ticket_type_companion_is_free"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.title_da}: {self.name_da}"

    @property
    def name(self) -> str:
        return translated(self, "name")

    def is_in_sales_window(self, now: datetime) -> bool:
        """Whether `now` falls inside the on-sale and off-sale times (either may be open-ended)."""
        return (self.on_sale_at is None or self.on_sale_at <= now) and (
            self.off_sale_at is None or now < self.off_sale_at
        )


class OrderStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")


def new_order_secret() -> str:
    return secrets.token_urlsafe(24)


class Order(models.Model):
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    secret = models.CharField(max_length=64, unique=True, default=new_order_secret, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders", verbose_name=_("event"))
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.RESERVED)
    expires_at = models.DateTimeField(_("reserved until"))
    total_ore = models.PositiveIntegerField(_("total (øre)"))
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    buyer_name = models.CharField(_("name"), max_length=200)
    buyer_email = models.EmailField(_("e-mail"))
    buyer_is_resident = models.BooleanField(_("lives in Helsingør Kommune"))
    buyer_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    buyer_country = models.CharField(_("country"), max_length=2)
    language = models.CharField(_("language"), max_length=2, default="da")
    newsletter_opt_in = models.BooleanField(_("wants the newsletter"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the confirmation e-mail is claimed for sending, so it goes out once.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["event", "status", "expires_at"], name="order_event_status_expiry")]

    def __str__(self) -> str:
        return self.reference


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveSmallIntegerField()
    unit_price_ore = models.PositiveIntegerField()
    vat_rate = models.DecimalField(max_digits=4, decimal_places=2)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.ticket_type_id}"


class TicketStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Ticket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="tickets")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.VALID)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return str(self.id)


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    # Empty only for money that arrived for no known order (it is refunded and listed for staff).
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    provider = models.CharField(max_length=20)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount_ore = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.provider} {self.amount_ore} øre ({self.status})"


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_ore = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    provider_refund_id = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.amount_ore} øre ({self.status})"


class ProcessedWebhookEvent(models.Model):
    """A payment provider's event that has been handled; a repeat of it changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class PaymentIssue(models.Model):
    """Money that needs a person: a payment without an order, a refund that failed, an amount that differs."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_issues")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_issues")
    kind = models.CharField(max_length=50)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("payment issue")
        verbose_name_plural = _("payment issues (staff to-do)")

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:60]}"
