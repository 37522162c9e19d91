"""Public event endpoints."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from api.caching import CachedPublicReadMixin
from api.language import LANGUAGE_PARAMETER, LanguageMixin
from api.venues import HallSerializer, VenueSummarySerializer
from events.filters import EventFilter
from events.models import Category, Event, EventSeries, Organiser


class CategorySerializer(serializers.ModelSerializer[Category]):
    name = serializers.CharField()

    class Meta:
        model = Category
        fields = ["slug", "name"]


class OrganiserSerializer(serializers.ModelSerializer[Organiser]):
    class Meta:
        model = Organiser
        fields = ["slug", "name", "website"]


class EventSerializer(serializers.ModelSerializer[Event]):
    title = serializers.CharField()
    summary = serializers.CharField()
    image = serializers.ImageField(allow_null=True, use_url=True)
    image_alt = serializers.CharField()
    accessibility_notes = serializers.CharField()
    venue = VenueSummarySerializer()
    hall = HallSerializer(allow_null=True)
    category = CategorySerializer()
    organiser = OrganiserSerializer()
    tags = serializers.ListField(child=serializers.CharField())
    series: serializers.SlugRelatedField[EventSeries] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    page_url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "summary",
            "status",
            "starts_at",
            "ends_at",
            "doors_open_at",
            "venue",
            "hall",
            "category",
            "organiser",
            "image",
            "image_alt",
            "age_limit",
            "performance_language",
            "tags",
            "accessibility_notes",
            "booking_mode",
            "capacity",
            "is_free",
            "series",
            "page_url",
            "ics_url",
        ]

    def get_page_url(self, event: Event) -> str:
        return self._absolute(reverse("frontend:event", kwargs={"slug": event.slug}))

    def get_ics_url(self, event: Event) -> str:
        return self._absolute(reverse("event-ics", kwargs={"slug": event.slug}))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields[:3], "description", *EventSerializer.Meta.fields[3:]]


@extend_schema_view(
    list=extend_schema(summary="List public events (upcoming unless a date filter is given)"),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER], summary="One public event"),
)
class EventViewSet(CachedPublicReadMixin, LanguageMixin, viewsets.ReadOnlyModelViewSet[Event]):
    lookup_field = "slug"
    filterset_class = EventFilter
    queryset = Event.objects.public().for_listing().select_related("series")

    def get_serializer_class(self) -> type[EventSerializer]:
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def filter_queryset(self, queryset: Any) -> Any:
        # Filters (and the "upcoming" default) shape lists; a single event is found by slug alone.
        return super().filter_queryset(queryset) if self.action == "list" else queryset
