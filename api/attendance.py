"""Attendance of an event for the people who run it: organiser, venue staff, culture office, admins."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import LANGUAGE_PARAMETER, LanguageMixin
from api.scanning import TicketTypeRefSerializer
from events.models import Event
from tickets.access import attendance_events
from tickets.attendance import event_attendance
from visitor_stats.reports import current_head_count


class AttendanceEventSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class CountsFields(serializers.Serializer[Any]):
    sold = serializers.IntegerField(source="counts.sold", help_text="Valid tickets issued.")
    checked_in = serializers.IntegerField(source="counts.checked_in")
    inside_now = serializers.IntegerField(source="counts.inside_now")
    no_shows = serializers.IntegerField(
        source="counts.no_shows", allow_null=True, help_text="Sold but never checked in; null until the event ends."
    )


class TicketTypeAttendanceSerializer(CountsFields):
    ticket_type = TicketTypeRefSerializer()


class GateAttendanceSerializer(serializers.Serializer[Any]):
    gate = serializers.CharField()
    first_entries = serializers.IntegerField(help_text="Tickets first admitted at this gate.")
    entries = serializers.IntegerField(help_text="Admissions here, re-entries included.")
    exits = serializers.IntegerField()


class HeadCountSerializer(serializers.Serializer[Any]):
    visits = serializers.IntegerField()
    quality = serializers.CharField(help_text="`estimated`: counted by eye, not from tickets.")
    entered_at = serializers.DateTimeField()


class AttendanceSerializer(CountsFields):
    event = AttendanceEventSerializer()
    capacity = serializers.IntegerField(allow_null=True)
    double_entries = serializers.IntegerField(help_text="Tickets admitted twice by devices working offline.")
    rejected_scans = serializers.IntegerField()
    by_ticket_type = TicketTypeAttendanceSerializer(many=True)
    by_gate = GateAttendanceSerializer(many=True)
    head_count = HeadCountSerializer(
        allow_null=True,
        help_text="A head count entered for the event, shown beside the scans and never added to them.",
    )


class AttendanceView(LanguageMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=AttendanceSerializer, summary="Attendance of an event")
    def get(self, request: Request, slug: str) -> Response:
        event = get_object_or_404(Event.objects.select_related("hall"), slug=slug)
        if not attendance_events(request.user).filter(pk=event.pk).exists():
            raise exceptions.PermissionDenied()
        attendance = event_attendance(event=event, now=timezone.now())
        data = AttendanceSerializer(attendance).data | {
            "head_count": HeadCountSerializer(head).data if (head := current_head_count(event.pk)) else None
        }
        return Response(data)
