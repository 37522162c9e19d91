"""Ticket sales: ticket types with availability, placing orders, reading an order."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.input_serializer import InputSerializer
from api.language import LANGUAGE_PARAMETER, LanguageMixin
from config.i18n import LANGUAGES
from events.models import PUBLIC_STATUSES, Event
from tickets import checkout, services
from tickets.capacity import sale_state
from tickets.documents import issued_tickets
from tickets.models import Order, OrderStatus
from tickets.selectors import offered_ticket_types

COUNTRIES = ["DK", "SE", "DE", "NO", "other"]


class TicketTypeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="ticket_type.pk")
    name = serializers.CharField(source="ticket_type.name")
    price_ore = serializers.IntegerField(source="ticket_type.price_ore")
    currency = serializers.CharField(default="DKK")
    vat_rate = serializers.DecimalField(source="ticket_type.vat_rate", max_digits=4, decimal_places=2)
    min_per_order = serializers.IntegerField(source="ticket_type.min_per_order")
    max_per_order = serializers.IntegerField(source="ticket_type.max_per_order")
    is_companion = serializers.BooleanField(source="ticket_type.is_companion")
    availability = serializers.CharField(source="status")
    left = serializers.IntegerField(
        allow_null=True, required=False, help_text="Tickets left (null: no limit); only for the event's staff."
    )

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if not self.context.get("is_staff"):
            data.pop("left", None)
        return data


class EventTicketTypesView(LanguageMixin, APIView):
    @extend_schema(
        parameters=[LANGUAGE_PARAMETER], responses=TicketTypeSerializer(many=True), summary="Ticket types of an event"
    )
    def get(self, request: Request, slug: str) -> Response:
        event = get_object_or_404(Event.objects.public().select_related("venue", "hall"), slug=slug)
        offered = offered_ticket_types(event=event, now=timezone.now())
        is_staff = Event.objects.managed_by(request.user).filter(pk=event.pk).exists()
        return Response(TicketTypeSerializer(offered, many=True, context={"is_staff": is_staff}).data)


class OrderItemSerializer(serializers.Serializer[Any]):
    ticket_type = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=100)


class BuyerSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)  # as the order's column
    is_resident = serializers.BooleanField(help_text="Do you live in Helsingør Kommune?")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    country = serializers.ChoiceField(choices=COUNTRIES)
    language = serializers.ChoiceField(choices=list(LANGUAGES), default="da")
    newsletter_opt_in = serializers.BooleanField(default=False)


class PlaceOrderSerializer(InputSerializer):
    event = serializers.SlugField(help_text="Slug of the event.")
    items = OrderItemSerializer(many=True, allow_empty=False, max_length=20)  # type: ignore[call-arg]
    buyer = BuyerSerializer()


class OrderSerializer(serializers.ModelSerializer[Order]):
    event: serializers.SlugRelatedField[Event] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    order_url = serializers.SerializerMethodField(help_text="The buyer's secret link to the order page.")

    class Meta:
        model = Order
        fields = [
            "reference",
            "status",
            "event",
            "expires_at",
            "total_ore",
            "currency",
            "created_at",
            "paid_at",
            "order_url",
        ]

    def get_order_url(self, order: Order) -> str:
        with translation.override(order.language):
            return str(self.context["request"].build_absolute_uri(order_path(order)))


# Documents the reply to a reservation; `placed_order_body` renders the same fields from values at hand.
class PlacedOrderSerializer(OrderSerializer):
    payment_url = serializers.SerializerMethodField(help_text="Where to pay; empty for free orders.")

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "payment_url"]

    def get_payment_url(self, order: Order) -> str:
        return str(self.context.get("payment_url", ""))


class OrderListView(APIView):
    @extend_schema(
        request=PlaceOrderSerializer,
        responses={201: PlacedOrderSerializer},
        summary="Reserve tickets (409 sold_out / not_on_sale / limit_exceeded)",
    )
    def post(self, request: Request) -> Response:
        data = PlaceOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sale = sale_state(slug=data.validated_data["event"], now=timezone.now())
        if sale is None or sale.event.status not in PUBLIC_STATUSES:  # as Event.objects.public(), without building it
            raise Http404
        event = sale.event
        placed = services.reserve_tickets(
            sale=sale,
            items=[services.Item(item["ticket_type"], item["quantity"]) for item in data.validated_data["items"]],
            buyer=services.Buyer(**data.validated_data["buyer"]),
        )
        order = placed.order
        with translation.override(order.language):
            order_url = request.build_absolute_uri(order_path(order))
            event_url = request.build_absolute_uri(reverse("frontend:event", kwargs={"slug": event.slug}))
        payment_url = ""
        if order.status == OrderStatus.RESERVED:
            started = checkout.start_new_checkout(placed=placed, success_url=order_url, cancel_url=event_url)
            payment_url = request.build_absolute_uri(started.url)
        body = placed_order_body(order, event_slug=event.slug, order_url=order_url, payment_url=payment_url)
        return Response(body, status=status.HTTP_201_CREATED)


def order_path(order: Order) -> str:
    """The buyer's secret order page, in the active language."""
    return reverse("frontend:order", kwargs={"reference": order.reference, "secret": order.secret})


_DATETIME = serializers.DateTimeField()


def placed_order_body(order: Order, *, event_slug: str, order_url: str, payment_url: str) -> dict[str, Any]:
    """What PlacedOrderSerializer renders, built from values at hand (the reply of every reservation)."""
    return {
        "reference": order.reference,
        "status": str(order.status),
        "event": event_slug,
        "expires_at": _DATETIME.to_representation(order.expires_at),
        "total_ore": order.total_ore,
        "currency": order.currency,
        "created_at": _DATETIME.to_representation(order.created_at),
        "paid_at": order.paid_at and _DATETIME.to_representation(order.paid_at),
        "order_url": order_url,
        "payment_url": payment_url,
    }


class IssuedTicketSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="ticket.pk")
    ticket_type = serializers.CharField(source="ticket.ticket_type.name")
    is_companion = serializers.BooleanField(source="ticket.ticket_type.is_companion")
    code = serializers.CharField(help_text="The signed payload shown as the ticket's QR code.")


class OrderDetailSerializer(OrderSerializer):
    tickets = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "tickets", "pdf_url", "ics_url"]

    @extend_schema_field(IssuedTicketSerializer(many=True))
    def get_tickets(self, order: Order) -> Any:
        return IssuedTicketSerializer(issued_tickets(order), many=True).data

    def get_pdf_url(self, order: Order) -> str:
        return self.get_order_url(order) + "tickets.pdf" if order.status == OrderStatus.PAID else ""

    def get_ics_url(self, order: Order) -> str:
        return self.get_order_url(order) + "event.ics"


class OrderDetailView(LanguageMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("secret", str, required=True, description="The order's secret from its link.")],
        responses=OrderDetailSerializer,
        summary="One order with its tickets' QR payloads, for whoever holds its secret link",
    )
    def get(self, request: Request, reference: str) -> Response:
        order = get_object_or_404(Order, reference=reference, secret=request.query_params.get("secret", ""))
        return Response(OrderDetailSerializer(order, context={"request": request}).data)
