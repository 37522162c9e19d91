"""An event's sales for its organiser's books: tickets and their value with VAT per rate, and the money moved.

For the event's organiser members and superusers; anyone else gets 404, so the event's sales are not
revealed. `?format=csv` gives one row per ticket type and price.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.csv_export import CSVMixin
from api.language import LANGUAGE_PARAMETER, LanguageMixin
from events.models import Event
from tickets.sales import event_sales

VAT_RATE = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=True)


class TicketTypeSalesSerializer(serializers.Serializer[Any]):
    ticket_type = serializers.IntegerField(source="ticket_type.id")
    ticket_type_name = serializers.CharField(source="ticket_type.name")
    unit_price_ore = serializers.IntegerField(help_text="The price these tickets were bought for, VAT included.")
    vat_rate = VAT_RATE
    sold = serializers.IntegerField(help_text="Valid tickets.")
    revoked = serializers.IntegerField(help_text="Tickets cancelled or refunded since they were bought.")
    sales_ore = serializers.IntegerField(help_text="sold × unit_price_ore, VAT included.")
    vat_ore = serializers.IntegerField(help_text="The VAT inside sales_ore.")


class RateSalesSerializer(serializers.Serializer[Any]):
    vat_rate = VAT_RATE
    kept_ore = serializers.IntegerField(
        help_text="Money kept (payments less refunds made), each order's shared over its lines' rates by value."
    )
    vat_ore = serializers.IntegerField(help_text="The VAT inside kept_ore, rounded once per rate, half up.")


class SalesSerializer(serializers.Serializer[Any]):
    event = serializers.CharField(source="event.slug", help_text="The event's slug.")
    currency = serializers.CharField()
    sold = serializers.IntegerField()
    sales_ore = serializers.IntegerField(help_text="Valid tickets at the prices paid, VAT included.")
    vat_ore = serializers.IntegerField(help_text="The VAT inside the money kept: the sum of by_vat_rate.")
    by_vat_rate = RateSalesSerializer(many=True, help_text="The money kept per VAT rate, for the books.")
    rows = TicketTypeSalesSerializer(
        many=True, source="by_ticket_type", help_text="Per ticket type and price paid (the CSV's rows)."
    )
    payments_ore = serializers.IntegerField(help_text="Payments received for the event's orders.")
    refunded_ore = serializers.IntegerField(help_text="Refunds the payment provider has made.")
    refunds_pending_ore = serializers.IntegerField(help_text="Refunds sent and not yet made.")
    net_ore = serializers.IntegerField(help_text="payments_ore − refunded_ore.")


class EventSalesView(CSVMixin, LanguageMixin, APIView):
    permission_classes = [IsAuthenticated]
    csv_columns = [
        "ticket_type",
        "ticket_type_name",
        "unit_price_ore",
        "vat_rate",
        "sold",
        "revoked",
        "sales_ore",
        "vat_ore",
    ]

    def csv_filename(self, request: Request) -> str:
        return f"sales-{self.kwargs['slug']}.csv"

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        responses={
            (200, "application/json"): SalesSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The rows as CSV: " + ",".join(csv_columns) + ".",
            ),
            404: OpenApiResponse(description="No such event among the events the user manages."),
        },
        summary="An event's sales, VAT and money moved (organiser)",
    )
    def get(self, request: Request, slug: str) -> Response:
        event = get_object_or_404(Event.objects.managed_by(request.user), slug=slug)
        return Response(SalesSerializer(event_sales(event)).data)
