"""The staff to-do list of money that needs a person: list the issues, resolve one with a note.

Superusers see every issue, money for no known order included; organiser members see the issues of
their organiser's events. Anything else answers 404, so its existence is not revealed.
"""

from typing import Any

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import PageNumberPagination
from api.staff import StaffView
from tickets import payment_issues
from tickets.models import PaymentIssue, PaymentIssueKind


def visible_issues(user: Any) -> QuerySet[PaymentIssue]:
    return PaymentIssue.objects.visible_to(user).select_related("order__event", "payment", "resolved_by")


class IssuePaymentSerializer(serializers.Serializer[Any]):
    amount_ore = serializers.IntegerField()
    status = serializers.CharField()
    provider = serializers.CharField()
    payment_intent_id = serializers.CharField(help_text="The payment's id at the provider; empty if unknown.")


class PaymentIssueSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PaymentIssueKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    message = serializers.CharField()
    order = serializers.CharField(source="order.reference", allow_null=True, default=None)
    event = serializers.CharField(source="order.event.slug", allow_null=True, default=None)
    payment = IssuePaymentSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    notified_at = serializers.DateTimeField(allow_null=True, help_text="When staff were e-mailed about it.")
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.get_username", allow_null=True, default=None)
    resolution_note = serializers.CharField(help_text="What was done about it.")


class IssueQuerySerializer(serializers.Serializer[Any]):
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=PaymentIssueKind.choices, required=False)


class ResolveIssueSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, help_text="What was done: refunded by hand, matched to an order, …")


class PaymentIssueListView(StaffView):
    @extend_schema(
        parameters=[
            OpenApiParameter("resolved", bool, description="Only resolved (true) or open (false) issues."),
            OpenApiParameter("kind", str, enum=PaymentIssueKind.values),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=PaymentIssueSerializer(many=True),
        summary="The staff to-do list of money: open issues first (staff)",
    )
    def get(self, request: Request) -> Response:
        query = IssueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        issues = visible_issues(request.user).order_by(F("resolved_at").desc(nulls_first=True), "-created_at", "-pk")
        if query.validated_data["resolved"] is not None:
            issues = issues.filter(resolved_at__isnull=not query.validated_data["resolved"])
        if "kind" in query.validated_data:
            issues = issues.filter(kind=query.validated_data["kind"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(issues, request, view=self)
        return paginator.get_paginated_response(PaymentIssueSerializer(page, many=True).data)


class PaymentIssueDetailView(StaffView):
    @extend_schema(responses=PaymentIssueSerializer, summary="One payment issue (staff)")
    def get(self, request: Request, issue_id: int) -> Response:
        issue = get_object_or_404(visible_issues(request.user), pk=issue_id)
        return Response(PaymentIssueSerializer(issue).data)


class ResolvePaymentIssueView(StaffView):
    @extend_schema(
        request=ResolveIssueSerializer,
        responses=PaymentIssueSerializer,
        summary="Mark a payment issue resolved, with what was done (staff); 409 `already_resolved`",
    )
    def post(self, request: Request, issue_id: int) -> Response:
        issue = get_object_or_404(visible_issues(request.user), pk=issue_id)
        data = ResolveIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment_issues.resolve_issue(issue_id=issue.pk, user=request.user, note=data.validated_data["note"])
        return Response(PaymentIssueSerializer(get_object_or_404(visible_issues(request.user), pk=issue.pk)).data)
