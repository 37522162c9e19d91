"""The public event filters, shared by the API, the pages and the calendar feeds."""

from datetime import UTC, datetime, time
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from config.i18n import LANGUAGES, current_language
from events.models import PUBLIC_STATUSES, BookingMode, Category, EventQuerySet, Organiser
from venues.models import Venue

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class DateOrDateTimeField(forms.Field):
    """ISO 8601 date-time (with or without offset) or a plain date, meaning local midnight."""

    default_error_messages = {"invalid": _("Enter an ISO 8601 date or date-time, e.g. 2026-12-01T18:00+01:00.")}

    def to_python(self, value: Any) -> datetime | None:
        if value in (None, ""):
            return None
        text = str(value).strip().replace(" ", "+", 1) if "T" in str(value) else str(value).strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                day = parse_date(text) if len(text) == 10 else None
            except ValueError:
                day = None
            if day is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            moment = datetime.combine(day, time.min)
        if not 1900 <= moment.year <= 9000:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: Python accepts offsets up to ±23:59, PostgreSQL only up to ±15:59.
        return moment.astimezone(UTC)


class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


class StrictBooleanFilter(django_filters.ChoiceFilter):
    """`true` or `false`; anything else is an error, not silently ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in ("", None):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


@extend_schema_field({"type": "string", "description": "slug"})
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more objects by slug (`?venue=a&venue=b`); an unknown slug is an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class EventFilter(django_filters.FilterSet):
    lang = django_filters.ChoiceFilter(
        choices=[(code, code) for code in LANGUAGES],
        method="ignore",
        label=_("language"),
        help_text="Language of the texts (default: Accept-Language, then Danish).",
    )
    starts_after = DateOrDateTimeFilter(
        field_name="starts_at",
        lookup_expr="gte",
        label=_("starts after"),
        help_text="Events starting at or after this ISO 8601 date-time (or date, meaning local midnight). "
        "Without any date filter only upcoming events are listed.",
    )
    starts_before = DateOrDateTimeFilter(
        field_name="starts_at",
        lookup_expr="lt",
        label=_("starts before"),
        help_text="Events starting before this ISO 8601 date-time (or date).",
    )
    ends_after = DateOrDateTimeFilter(
        field_name="ends_at",
        lookup_expr="gte",
        label=_("ends after"),
        help_text="Events still running at or after this ISO 8601 date-time (or date). With starts_before "
        "it finds everything on during a period, such as a running exhibition.",
    )
    venue = SlugsFilter(
        field_name="venue__slug",
        queryset=Venue.objects.all(),
        label=_("venue"),
        help_text="Venue slug; repeat for several.",
    )
    category = SlugsFilter(
        field_name="category__slug",
        queryset=Category.objects.all(),
        label=_("category"),
        help_text="Category slug; repeat for several.",
    )
    organiser = SlugsFilter(
        field_name="organiser__slug",
        queryset=Organiser.objects.all(),
        label=_("organiser"),
        help_text="Organiser slug; repeat for several.",
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=200,
        label=_("search"),
        help_text="Words to find in the title or summary, in the requested language (Danish where missing).",
    )
    is_free = StrictBooleanFilter(field_name="is_free", label=_("free"), help_text="Free entry: true or false.")
    accessible = StrictBooleanFilter(
        field_name="venue__has_step_free_access",
        label=_("step-free access"),
        help_text="The venue has step-free access: true or false.",
    )
    booking_mode = django_filters.ChoiceFilter(choices=BookingMode.choices, label=_("booking"))
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in PUBLIC_STATUSES], label=_("status")
    )
    ordering = django_filters.OrderingFilter(fields=(("starts_at", "starts_at"),), label=_("sort order"))

    def ignore(self, queryset: EventQuerySet, name: str, value: Any) -> EventQuerySet:
        return queryset

    def search(self, queryset: EventQuerySet, name: str, value: str) -> EventQuerySet:
        """Free text over title and summary in the requested language, Danish where it is missing."""
        language = self.form.cleaned_data.get("lang") or current_language()
        words = value.split()
        for word in words:
            matches = Q(title_da__icontains=word) | Q(summary_da__icontains=word)
            if language != "da":
                title, summary = f"title_{language}", f"summary_{language}"
                matches = (
                    Q(**{f"{title}__icontains": word})
                    | Q(**{f"{summary}__icontains": word})
                    | (Q(**{title: ""}) & Q(title_da__icontains=word))
                    | (Q(**{summary: ""}) & Q(summary_da__icontains=word))
                )
            queryset = queryset.filter(matches)
        return queryset

    @property
    def qs(self) -> EventQuerySet:
        queryset = super().qs
        if self.form.is_valid():
            data = self.form.cleaned_data
            if all(data.get(name) is None for name in ("starts_after", "starts_before", "ends_after")):
                queryset = queryset.upcoming()
            if not data.get("ordering"):
                queryset = queryset.order_by("starts_at", "id")
            elif data["ordering"] == ["-starts_at"]:
                queryset = queryset.order_by("-starts_at", "-id")
            else:
                queryset = queryset.order_by("starts_at", "id")
        return queryset
