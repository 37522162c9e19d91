"""The payment provider's webhook: signed events that move payments and orders on."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tickets.webhooks import receive_webhook


class StripeWebhookView(APIView):
    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        request=None,
        responses=inline_serializer("WebhookResult", {"result": serializers.CharField()}),
        summary="Stripe webhook (verified by its Stripe-Signature header)",
    )
    def post(self, request: Request) -> Response:
        result = receive_webhook(payload=request.body, signature_header=request.headers.get("Stripe-Signature", ""))
        return Response({"result": result})
