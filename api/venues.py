"""Public venue endpoints."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from api.caching import CachedPublicReadMixin
from api.language import LANGUAGE_PARAMETER, LanguageMixin
from venues.models import Entrance, Hall, Venue


class HallSerializer(serializers.ModelSerializer[Hall]):
    class Meta:
        model = Hall
        fields = ["slug", "name", "seated_capacity", "standing_capacity"]


class EntranceSerializer(serializers.ModelSerializer[Entrance]):
    class Meta:
        model = Entrance
        fields = ["slug", "name"]


class AccessibilitySerializer(serializers.ModelSerializer[Venue]):
    step_free_access = serializers.BooleanField(source="has_step_free_access")
    hearing_loop = serializers.BooleanField(source="has_hearing_loop")
    accessible_toilet = serializers.BooleanField(source="has_accessible_toilet")
    notes = serializers.CharField(source="accessibility_notes")

    class Meta:
        model = Venue
        fields = ["step_free_access", "wheelchair_spaces", "hearing_loop", "accessible_toilet", "notes"]


class VenueSummarySerializer(serializers.ModelSerializer[Venue]):
    """The venue as shown inside an event."""

    address = serializers.CharField(source="street_address")
    step_free_access = serializers.BooleanField(source="has_step_free_access")

    class Meta:
        model = Venue
        fields = ["slug", "name", "address", "postcode", "town", "latitude", "longitude", "step_free_access"]


class VenueSerializer(serializers.ModelSerializer[Venue]):
    address = serializers.CharField(source="street_address")
    description = serializers.CharField()
    image = serializers.ImageField(allow_null=True, use_url=True)
    image_alt = serializers.CharField()
    accessibility = AccessibilitySerializer(source="*")
    halls = HallSerializer(many=True)
    entrances = EntranceSerializer(many=True)

    class Meta:
        model = Venue
        fields = [
            "slug",
            "name",
            "description",
            "address",
            "postcode",
            "town",
            "latitude",
            "longitude",
            "website",
            "image",
            "image_alt",
            "accessibility",
            "halls",
            "entrances",
        ]


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER], summary="List venues"),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER], summary="One venue"),
)
class VenueViewSet(CachedPublicReadMixin, LanguageMixin, viewsets.ReadOnlyModelViewSet[Venue]):
    serializer_class = VenueSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []
    queryset = Venue.objects.prefetch_related("halls", "entrances").order_by("name", "id")
