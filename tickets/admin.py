from django.contrib import admin

from tickets.models import Order, OrderLine, Payment, Refund, Ticket, TicketType


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are changed through the services (cancel, refund), never edited by hand here."""

    list_display = ["reference", "event", "status", "total_ore", "buyer_email", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "buyer_email", "buyer_name"]
    inlines = [OrderLineInline, TicketInline, PaymentInline]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["payment", "amount_ore", "status", "reason", "created_at"]
    list_filter = ["status"]
