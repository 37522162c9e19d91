from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from events.admin import OrganiserScopedAdmin
from tickets import devices, payment_issues, people
from tickets.access import attendance_events, is_culture_office
from tickets.exceptions import IssueAlreadyResolved
from tickets.models import (
    Order,
    OrderLine,
    Payment,
    PaymentIssue,
    Refund,
    RefundStatus,
    Scan,
    ScannerDevice,
    Ticket,
    TicketType,
)
from tickets.refunds import queue_refund
from venues.models import Venue


@admin.register(TicketType)
class TicketTypeAdmin(OrganiserScopedAdmin):
    organiser_path = "event__organiser"
    list_display = ["name_da", "event", "price_ore", "vat_rate", "capacity", "is_visible", "is_companion"]
    list_filter = ["is_visible", "is_companion", "vat_rate"]
    search_fields = ["name_da", "event__title_da"]
    autocomplete_fields = ["event"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["ticket_type", "quantity", "unit_price_ore", "vat_rate"]


class TicketInline(admin.TabularInline):
    model = Ticket
    extra = 0
    can_delete = False
    readonly_fields = ["id", "ticket_type", "status", "issued_at", "revoked_at"]
    exclude = ["event"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["provider", "checkout_session_id", "payment_intent_id", "amount_ore", "status", "created_at"]


class PaymentIssueInline(admin.TabularInline):
    model = PaymentIssue
    extra = 0
    can_delete = False
    fields = ["kind", "message", "created_at", "resolved_at"]
    readonly_fields = ["kind", "message", "created_at", "resolved_at"]


@admin.register(Order)
class OrderAdmin(OrganiserScopedAdmin):
    """Orders are changed through the services (cancel, refund), never edited by hand here."""

    organiser_path = "event__organiser"
    list_display = ["reference", "event", "status", "total_ore", "buyer_email", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "buyer_email", "buyer_name"]
    inlines = [OrderLineInline, TicketInline, PaymentInline, PaymentIssueInline]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # a sale's record stays: cancel or refund it instead

    actions = ["erase_personal_data"]

    def has_erase_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.action(description=_("Erase personal data of the selected buyers"), permissions=["erase"])
    def erase_personal_data(self, request, queryset):  # type: ignore[no-untyped-def]
        """Each selected buyer is erased from all their orders (tickets.people), after a confirmation page."""
        addresses = queryset.exclude(buyer_email="").values_list("buyer_email", flat=True)
        emails = sorted({people.normalise_email(email) for email in addresses})
        if not emails:
            self.message_user(request, _("The selected orders hold no personal data any more."), messages.INFO)
            return None
        if request.POST.get("post") != "yes":
            orders = sum(len(people.export_buyer(email).orders) for email in emails)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "opts": self.model._meta,
                "queryset": queryset,
                "emails": emails,
                "orders": orders,
            }
            return TemplateResponse(request, "admin/tickets/order/erase_personal_data.html", context)
        erased = sum(people.erase_buyer(email) for email in emails)
        self.message_user(
            request,
            _("Personal data of %(buyers)s buyers removed from %(orders)s orders.")
            % {"buyers": len(emails), "orders": erased},
            messages.SUCCESS,
        )
        return None


@admin.register(Refund)
class RefundAdmin(OrganiserScopedAdmin):
    organiser_path = "payment__order__event__organiser"
    list_display = ["payment", "amount_ore", "status", "reason", "created_at"]
    list_filter = ["status"]
    actions = ["try_again"]

    def has_retry_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.action(description=_("Try the selected failed refunds again"), permissions=["retry"])
    def try_again(self, request, queryset):  # type: ignore[no-untyped-def]
        """Send failed refunds again. A refund the provider may have made (its answer lost to a timeout)
        goes under the same idempotency key, so it is never made twice; one the provider refused or
        failed for good goes as a new attempt under a new key. Refunds that had not failed are left as
        they are."""
        with transaction.atomic():
            failed = list(queryset.select_for_update().filter(status=RefundStatus.FAILED).values_list("pk", flat=True))
            Refund.objects.filter(pk__in=failed).update(status=RefundStatus.PENDING)
            for refund_id in failed:
                transaction.on_commit(partial(queue_refund, refund_id))
        self.message_user(
            request,
            _("%(count)s refunds sent again; refunds that had not failed were left as they were.")
            % {"count": len(failed)},
            messages.SUCCESS if failed else messages.INFO,
        )


class ResolvedFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("no", _("No")), ("yes", _("Yes"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() in ("no", "yes"):
            return queryset.filter(resolved_at__isnull=self.value() == "no")
        return queryset


@admin.register(PaymentIssue)
class PaymentIssueAdmin(OrganiserScopedAdmin):
    """The staff to-do list of money that needs a person; open issues first. Issues are resolved, never edited."""

    organiser_path = "order__event__organiser"  # money for no known order: superusers only
    list_display = ["created_at", "kind", "order", "payment", "message", "resolved_at", "resolved_by"]
    list_select_related = ["order", "payment", "resolved_by"]  # nullable: Django would leave them out
    list_filter = [ResolvedFilter, "kind"]
    search_fields = ["order__reference", "payment__payment_intent_id", "message"]
    readonly_fields = [
        "order",
        "payment",
        "kind",
        "message",
        "created_at",
        "notified_at",
        "resolved_at",
        "resolved_by",
        "resolution_note",
    ]
    ordering = [F("resolved_at").asc(nulls_first=True), "-created_at"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    @admin.action(description=_("Mark the selected issues as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):  # type: ignore[no-untyped-def]
        """Resolve the selected open issues with a note of what was done, asked for on a page of its own."""
        issues = list(queryset.filter(resolved_at__isnull=True).select_related("order"))
        note = request.POST.get("note", "").strip()[:2000] if request.POST.get("post") == "yes" else ""
        if issues and not note:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Mark the selected issues as resolved"),
                "opts": self.model._meta,
                "issues": issues,
                "note_missing": request.POST.get("post") == "yes",
            }
            return TemplateResponse(request, "admin/tickets/paymentissue/resolve.html", context)
        resolved = 0
        for issue in issues:
            try:
                payment_issues.resolve_issue(issue_id=issue.pk, user=request.user, note=note)
            except IssueAlreadyResolved:  # by someone else meanwhile
                continue
            resolved += 1
        self.message_user(request, _("%(count)s issues marked as resolved.") % {"count": resolved}, messages.SUCCESS)
        return None


@admin.register(ScannerDevice)
class ScannerDeviceAdmin(admin.ModelAdmin):
    """Admins and venue staff register scanner devices for their venues with a one-time code."""

    list_display = ["name", "venue_names", "registered_at", "last_seen_at", "is_active"]
    list_filter = ["venues"]
    readonly_fields = ["registration_code_expires_at", "registered_at", "last_seen_at", "revoked_at", "created_at"]
    actions = ["new_code", "revoke"]
    exclude = ["created_by"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        devices = super().get_queryset(request).prefetch_related("venues")
        if request.user.is_superuser:
            return devices
        return devices.filter(venues__staff=request.user).distinct()

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "venues" and not request.user.is_superuser:
            kwargs["queryset"] = Venue.objects.filter(staff=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _is_venue_staff(self, request) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user.is_active and request.user.is_staff and request.user.staffed_venues.exists())

    def has_module_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return super().has_module_permission(request) or self._is_venue_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return super().has_view_permission(request, obj) or self._is_venue_staff(request)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return super().has_add_permission(request) or self._is_venue_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        allowed = super().has_change_permission(request, obj) or self._is_venue_staff(request)
        return allowed and (obj is None or self._managed(request, self.model.objects.filter(pk=obj.pk)).exists())

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # revoke instead: the device's scans refer to it

    def _managed(self, request, devices_shown):  # type: ignore[no-untyped-def]
        """The devices the user may change, give a new code or revoke: staff only those serving none but
        their own venues (a new code for a device shared with another venue would reach that venue too)."""
        if request.user.is_superuser:
            return devices_shown
        return devices_shown.exclude(venues__in=Venue.objects.exclude(staff=request.user))

    def _refuse_unmanaged(self, request, devices_shown):  # type: ignore[no-untyped-def]
        managed = self._managed(request, devices_shown)
        skipped = devices_shown.count() - managed.count()
        if skipped:
            self.message_user(
                request,
                _("%(count)s devices also serve venues that are not yours; only their venues' staff can change them.")
                % {"count": skipped},
                messages.WARNING,
            )
        return managed

    @admin.display(description=_("venues"))
    def venue_names(self, device: ScannerDevice) -> str:
        return ", ".join(venue.name for venue in device.venues.all())

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, device: ScannerDevice) -> bool:
        return device.is_active

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        if not change:
            self._show_code(request, form.instance)

    def _show_code(self, request, device: ScannerDevice) -> None:  # type: ignore[no-untyped-def]
        code = devices.new_registration_code(device_id=device.pk)
        self.message_user(
            request,
            _("One-time code for %(device)s: %(code)s. Enter it on the scanner page within 15 minutes.")
            % {"device": device.name, "code": code},
            messages.WARNING,
        )

    @admin.action(description=_("Show a new one-time registration code"))
    def new_code(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for device in self._refuse_unmanaged(request, queryset).filter(revoked_at__isnull=True):
            self._show_code(request, device)

    @admin.action(description=_("Revoke: the device can no longer scan"))
    def revoke(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for device in self._refuse_unmanaged(request, queryset):
            devices.revoke_device(device_id=device.pk)


class OfflineConflictFilter(admin.SimpleListFilter):
    """Scans a device let through offline that the server refused: double entries, tickets no longer valid."""

    title = _("let in offline, refused by the server")
    parameter_name = "offline_conflict"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("yes", _("Yes"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        return queryset.offline_conflicts() if self.value() == "yes" else queryset


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    """Every scan as it happened; double entries and other offline conflicts are one filter away."""

    list_display = [
        "scanned_at",
        "event",
        "gate",
        "direction",
        "result",
        "offline_result",
        "is_double_entry",
        "is_offline",
        "device",
        "user",
    ]
    list_filter = [OfflineConflictFilter, "result", "is_double_entry", "is_offline", "direction"]
    search_fields = ["gate", "event__title_da", "ticket__id", "nonce"]
    date_hierarchy = "scanned_at"
    list_select_related = ["event", "device", "user"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        scans = super().get_queryset(request)
        if request.user.is_superuser:
            return scans
        return scans.filter(event__in=attendance_events(request.user))

    def _sees_attendance(self, request) -> bool:  # type: ignore[no-untyped-def]
        """Admin users who see some events' attendance: venue staff, organiser members, culture office."""
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (is_culture_office(user) or user.staffed_venues.exists() or user.organisers.exists())
        )

    def has_module_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return super().has_module_permission(request) or self._sees_attendance(request)

    def has_view_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return super().has_view_permission(request, obj) or self._sees_attendance(request)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
