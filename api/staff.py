"""Staff commands on sales: cancel or refund orders, cancel a whole event.

Superusers may act on every event; organiser members only on their organiser's events.
Anything outside a user's events answers 404, so its existence is not revealed.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.tickets import OrderSerializer
from events.models import Event
from tickets import cancellation
from tickets.models import Order


def _managed_order(request: Request, reference: str) -> Order:
    events = Event.objects.managed_by(request.user)
    return get_object_or_404(Order.objects.filter(event__in=events), reference=reference)


class CancelOrderSerializer(serializers.Serializer[Any]):
    refund_ore = serializers.IntegerField(
        min_value=0, required=False, help_text="Amount to refund; the whole payment when left out."
    )
    reason = serializers.CharField(max_length=200, default="cancelled by staff")


class RefundTicketsSerializer(serializers.Serializer[Any]):
    tickets = serializers.ListField(child=serializers.UUIDField(), allow_empty=False, max_length=100)
    refund_ore = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=200, default="refunded by staff")


class StaffView(APIView):
    permission_classes = [IsAuthenticated]


class CancelOrderView(StaffView):
    @extend_schema(request=CancelOrderSerializer, responses=OrderSerializer, summary="Cancel an order (staff)")
    def post(self, request: Request, reference: str) -> Response:
        order = _managed_order(request, reference)
        data = CancelOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = cancellation.cancel_order(
            order_id=order.pk, refund_ore=data.validated_data.get("refund_ore"), reason=data.validated_data["reason"]
        )
        return Response(OrderSerializer(order, context={"request": request}).data)


class RefundTicketsView(StaffView):
    @extend_schema(
        request=RefundTicketsSerializer,
        responses=OrderSerializer,
        summary="Cancel single tickets with a refund (staff)",
    )
    def post(self, request: Request, reference: str) -> Response:
        order = _managed_order(request, reference)
        data = RefundTicketsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = cancellation.cancel_tickets(
            order_id=order.pk,
            ticket_ids=data.validated_data["tickets"],
            refund_ore=data.validated_data["refund_ore"],
            reason=data.validated_data["reason"],
        )
        return Response(OrderSerializer(order, context={"request": request}).data)


class RefundProgressSerializer(serializers.Serializer[Any]):
    paid_orders_left = serializers.IntegerField()
    refunded_orders = serializers.IntegerField()
    failed_refunds = serializers.IntegerField()


class CancelEventView(StaffView):
    @extend_schema(
        request=None,
        responses={202: inline_serializer("EventCancelled", {"orders_to_refund": serializers.IntegerField()})},
        summary="Cancel an event and refund every order in the background (staff)",
    )
    def post(self, request: Request, slug: str) -> Response:
        event = get_object_or_404(Event.objects.managed_by(request.user), slug=slug)
        return Response(
            {"orders_to_refund": cancellation.cancel_event(event_id=event.pk)}, status=status.HTTP_202_ACCEPTED
        )


class RefundProgressView(StaffView):
    @extend_schema(responses=RefundProgressSerializer, summary="How far refunding an event's orders has come (staff)")
    def get(self, request: Request, slug: str) -> Response:
        event = get_object_or_404(Event.objects.managed_by(request.user), slug=slug)
        return Response(RefundProgressSerializer(cancellation.refund_progress(event_id=event.pk)).data)
