"""Ticket types, orders, tickets, payments and refunds."""

import secrets
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.i18n import translated
from events.models import BookingMode, Event
from venues.models import Venue

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
    requires_attention = models.BooleanField(
        _("attention at the door"),
        default=False,
        help_text=_("Door staff get an amber answer for this ticket type, e.g. a child ticket."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Kept by the sale in the transaction that marks an order paid or ends a paid order, so that
    # counting what is taken never has to add up every paid order (tickets.capacity).
    paid_tickets = models.PositiveIntegerField(
        _("tickets on paid orders"),
        default=0,
        editable=False,
        help_text=_("Tickets of this type on paid orders, kept up to date by every sale, cancellation and refund."),
    )

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a ticket type that exists (the admin, an import) leaves its paid count alone.

        Sales change the count in the database while the type is being edited; writing back the
        number read when the edit began would undo them and could oversell.
        """
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()  # as Django does: a partly read row saves what was read
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "paid_tickets" and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A free registration's tickets cost nothing."""
        event = self.event if self.event_id else None
        if event is not None and event.booking_mode == BookingMode.FREE_REGISTRATION and self.price_ore:
            raise ValidationError({"price_ore": _("Registration for this event is free: the price must be 0.")})

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
    # No index of its own: the index on (event, status, expiry) starts with it, and a second one
    # led the planner to scan all of an event's orders when counting its live reservations.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="orders", verbose_name=_("event"), db_index=False
    )
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
    # The confirmation e-mail: claimed by one worker for sending (so it goes out once), then sent.
    confirmation_claimed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the normalised e-mail: counts distinct people without keeping who they are.
    person_key = models.CharField(
        _("pseudonymous person key"), max_length=64, blank=True, db_index=True, editable=False
    )
    pseudonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

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


class RevocationReason(models.TextChoices):
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Ticket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="tickets")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.VALID)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=10, choices=RevocationReason.choices, blank=True)
    # Door state, changed only by scanning: first admission, and whether the holder is inside now.
    entered_at = models.DateTimeField(_("first admitted"), null=True, blank=True)
    entry_gate = models.CharField(_("first admitted at gate"), max_length=50, blank=True)
    is_inside = models.BooleanField(_("inside now"), default=False)
    door_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The scan time of the latest scan that let the holder through (in or out): a scan uploaded
    # later but made before it means the door state must be worked out again (tickets.door_state).
    door_scanned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return str(self.id)


class PaymentStatus(models.TextChoices):
    """created (money recorded before its checkout is known) → pending (checkout open) → succeeded,
    failed or cancelled (checkout expired). Money that arrives anyway makes a failed or cancelled payment
    succeeded (and it is matched or refunded); a succeeded payment never changes back."""

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


# The reason recorded on the refund of a late payment whose seats were sold meanwhile (the buyer is told why).
SOLD_OUT_BEFORE_PAYMENT = "paid after the reservation lapsed and the seats were sold"
# The reason recorded on the refund of a second payment for an order already paid (from another checkout).
ALREADY_PAID = "order was already paid"


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_ore = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    provider_refund_id = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # Each attempt is sent under its own idempotency key (`idempotency_key`). The next attempt begins
    # only when the provider has said no for good, so a refund it may have made is never asked twice.
    attempt = models.PositiveSmallIntegerField(default=1)
    # When this attempt's key was first and last sent, and whether a send of it went unanswered (the
    # provider may have made it): then only its own key may ask again, while the provider still knows it.
    key_first_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    may_be_paid_out = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.amount_ore} øre ({self.status})"

    @property
    def idempotency_key(self) -> str:
        """The provider's idempotency key of this attempt (the first attempt's as before attempts were counted)."""
        return f"refund-{self.pk}" if self.attempt == 1 else f"refund-{self.pk}-{self.attempt}"


class ProcessedWebhookEvent(models.Model):
    """A payment provider's event that has been handled; a repeat of it changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class PaymentIssueKind(models.TextChoices):
    UNEXPECTED_PAYMENT = "unexpected_payment", _("payment that could not buy its tickets (refunded)")
    REFUND_FAILED = "refund_failed", _("refund not made")


class PaymentIssueQuerySet(models.QuerySet["PaymentIssue"]):
    def visible_to(self, user: Any) -> "PaymentIssueQuerySet":
        """The issues a user may see and resolve: all for superusers (money for no known order only for
        them), else those of the events the user manages."""
        if user.is_superuser:
            return self
        return self.filter(order__event__in=Event.objects.managed_by(user))


class PaymentIssue(models.Model):
    """Money that needs a person: a payment without an order, a refund that failed, an amount that differs."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_issues", verbose_name=_("order")
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_issues",
        verbose_name=_("payment"),
    )
    kind = models.CharField(_("kind"), max_length=50, choices=PaymentIssueKind.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    notified_at = models.DateTimeField(_("staff told"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution_note = models.TextField(_("what was done"), blank=True)

    objects = PaymentIssueQuerySet.as_manager()

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        verbose_name = _("payment issue")
        verbose_name_plural = _("payment issues (staff to-do)")

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:60]}"


class ScannerDevice(models.Model):
    """A phone or handheld scanner that may scan at its venues with a token of its own."""

    name = models.CharField(_("name"), max_length=100)
    venues = models.ManyToManyField(Venue, related_name="scanner_devices", verbose_name=_("venues"))
    registration_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    registration_code_expires_at = models.DateTimeField(_("registration code valid until"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("scanner device")
        verbose_name_plural = _("scanner devices")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.token_hash is not None and self.revoked_at is None


class ScanDirection(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class ScanResult(models.TextChoices):
    OK = "ok", _("OK")
    ALREADY_USED = "already_used", _("Already used")
    INVALID = "invalid", _("Not a valid ticket")
    WRONG_EVENT = "wrong_event", _("Ticket for another event")
    WRONG_VENUE = "wrong_venue", _("Ticket for another venue")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    NOT_YET_VALID = "not_yet_valid", _("Not valid yet")
    EXPIRED = "expired", _("Expired")
    NOT_INSIDE = "not_inside", _("Not checked in")


# The server's answer online, the device's offline: a double entry, or a ticket the server refuses
# when the scan arrives, was still let through by the device that scanned it.
_PASSED = Q(is_offline=False, result=ScanResult.OK) | Q(is_offline=True, offline_result=ScanResult.OK)


class ScanQuerySet(models.QuerySet["Scan"]):
    def passed(self) -> "ScanQuerySet":
        """Scans that let the holder through."""
        return self.filter(_PASSED)

    def turned_away(self) -> "ScanQuerySet":
        """Scans that did not let the holder through."""
        return self.exclude(_PASSED)

    def offline_conflicts(self) -> "ScanQuerySet":
        """Let through by a device offline, refused by the server: double entries and tickets no longer valid."""
        return self.filter(is_offline=True, offline_result=ScanResult.OK).exclude(result=ScanResult.OK)


class Scan(models.Model):
    """One scan at a door, good or bad, as it happened; never changed afterwards but for conflicts.

    A device working offline may let someone through whom the server refuses when the scan arrives
    (a double entry, a ticket refunded or expired): the scan keeps the server's reason as its `result`
    and the device's answer as `offline_result`, and is one of `Scan.objects.offline_conflicts()`.
    """

    nonce = models.CharField(max_length=64)
    result = models.CharField(_("result"), max_length=20, choices=ScanResult.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=ScanDirection.choices)
    gate = models.CharField(_("gate"), max_length=50)
    # Every index is written on each scan: the ticket and event are searched through the two below.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="scans", db_index=False
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("event"),
        db_index=False,
    )
    invalid_code = models.CharField(max_length=200, blank=True, help_text=_("What was read, for unknown codes."))
    device = models.ForeignKey(
        ScannerDevice, on_delete=models.PROTECT, null=True, blank=True, related_name="scans", verbose_name=_("device")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned"))
    # Set only when the device's clock was not believable (ahead of the server's): `scanned_at` is then
    # the time the server received the scan, and this the time the device gave.
    device_scanned_at = models.DateTimeField(_("scanned by the device's clock"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    is_offline = models.BooleanField(_("scanned offline"), default=False)
    offline_result = models.CharField(_("answer given offline"), max_length=20, choices=ScanResult.choices, blank=True)
    is_reentry = models.BooleanField(_("re-entry"), default=False)
    is_double_entry = models.BooleanField(
        _("double entry"), default=False, help_text=_("Admitted offline although the ticket had been used.")
    )
    # A shared phone's queue is uploaded by whoever is signed in when the network returns: the scan is
    # stored as theirs (they vouch for it), and this keeps who the phone said was signed in when it scanned.
    offline_scanned_as = models.CharField(
        _("signed in when scanned offline"),
        max_length=50,
        blank=True,
        help_text=_("Who was signed in on the device when it scanned, as the device said, if not the uploader."),
    )

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [
            models.Index(fields=["event", "received_at"], name="scan_event_received"),
            models.Index(fields=["ticket", "scanned_at"], name="scan_ticket_scanned"),
        ]
        # A constraint rather than `unique=True`, which on PostgreSQL adds a second index for LIKE on the nonce.
        constraints = [models.UniqueConstraint(fields=["nonce"], name="scan_nonce_unique")]
        permissions = [("view_all_attendance", _("Can see attendance of every event"))]

    def __str__(self) -> str:
        return f"{self.get_result_display()} {self.gate} {self.scanned_at:%Y-%m-%d %H:%M:%S}"
