"""Visitor statistics: progress toward the year's goals, visits for charts and exports, and open data.

Answers are computed from the daily rollups and cached, rendered, under the rollups' version (kept
in the cache by `visitor_stats.rollup_version`), so a refreshed rollup is seen at once; the refresh
and rebuild tasks compute the common answers ahead. Figures from gate counters, head
counts and partners are entered in `api.stats_counts`.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from api.csv_export import CSVMixin
from api.language import LANGUAGE_PARAMETER, LanguageMixin
from config.i18n import LANGUAGES, current_language
from events.models import Category
from venues.models import Venue
from visitor_stats import reports, rollup_version
from visitor_stats.access import may_read_statistics
from visitor_stats.models import SOURCE_QUALITY, Origin, RollupState, Source

STATS_CACHE_SECONDS = rollup_version.ANSWER_SECONDS


def _plain(data: Any) -> Any:
    """Plain JSON types: cheap to store and the same for the JSON and CSV renderers."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _rendered_json(kind: str, parts: dict[str, Any], version: str, compute: Callable[[], Any]) -> bytes:
    key = rollup_version.cache_key(kind, {"parts": parts, "language": current_language(), "as": "json"}, version)
    return rollup_version.computed_once(key, lambda: JSONRenderer().render(_plain(compute())))


def cached(request: Request, kind: str, parts: dict[str, Any], compute: Callable[[], Any]) -> HttpResponseBase:
    """The answer for these parts in the active language, computed once per rollup version.

    Called after authentication and the permission check. Plain JSON is kept rendered, so a cached
    answer is two cache reads; CSV and other forms keep the data and are rendered by DRF.
    """
    version = rollup_version.current()
    if version is None:
        return Response(compute())  # nothing rolled up yet: nothing worth keeping
    renderer = request.accepted_renderer
    if renderer.format == "json" and request.accepted_media_type == renderer.media_type:
        return HttpResponse(_rendered_json(kind, parts, version, compute), content_type=renderer.media_type)
    key = rollup_version.cache_key(kind, {"parts": parts, "language": current_language()}, version)
    return Response(rollup_version.computed_once(key, lambda: _plain(compute())))


class ReadsStatistics(BasePermission):
    message = gettext_lazy("Only the culture office and administrators may read visitor statistics.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_read_statistics(request.user)


class StatisticsView(LanguageMixin, APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [ReadsStatistics]


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text="Calendar year (default: this year)."
    )


def read_query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    data.setdefault("year", timezone.localdate().year)
    return data


def month_label(month: int) -> str:
    return str(MONTHS[month])


# The summary


class SourceVisitsSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    label = serializers.CharField()  # type: ignore[assignment]
    quality = serializers.CharField(help_text="`counted`, `estimated` or `reported`.")
    visits = serializers.IntegerField()


class GoalSerializer(serializers.Serializer[Any]):
    visitors = serializers.IntegerField(help_text="Visits the city aims for this year.")
    resident_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="Share of residents (%) the city aims to reach."
    )


class MonthTargetSerializer(serializers.Serializer[Any]):
    month = serializers.IntegerField(min_value=1, max_value=12)
    label = serializers.CharField(help_text="The month's name in the answer's language.")  # type: ignore[assignment]
    visits = serializers.IntegerField()
    cumulative_visits = serializers.IntegerField(help_text="Visits from 1 January to the month's end.")
    cumulative_target = serializers.IntegerField(help_text="Where the target curve stands at the month's end.")


class TargetCurveSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(
        choices=["previous_year", "even"],
        help_text="`previous_year`: the goal spread like last year's monthly visits; `even`: spread over the days.",
    )
    description = serializers.CharField()
    months = MonthTargetSerializer(many=True)


class ForecastSerializer(serializers.Serializer[Any]):
    visits = serializers.IntegerField(allow_null=True, help_text="Expected visits for the whole year; null: too early.")
    method = serializers.ChoiceField(choices=["previous_year", "even"], help_text="The target curve it is read from.")
    description = serializers.CharField()


class PopulationSerializer(serializers.Serializer[Any]):
    residents = serializers.IntegerField()
    year = serializers.IntegerField(help_text="The year of this figure (the nearest one known).")
    source = serializers.CharField()  # type: ignore[assignment]


class LowerBoundShareSerializer(serializers.Serializer[Any]):
    percent = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    unique_residents = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()


class SurveyShareSerializer(serializers.Serializer[Any]):
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    year = serializers.IntegerField()
    sample_size = serializers.IntegerField(help_text="People who answered.")
    source = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()


class SummarySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text="The day the figures run to (31 December for a past year).")
    rollups_refreshed_until = serializers.DateTimeField(allow_null=True)
    visits = serializers.IntegerField(help_text="Visits from 1 January to `as_of`, every source.")
    visits_by_source = SourceVisitsSerializer(many=True)
    goal = GoalSerializer()
    progress_percent = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True, help_text="`visits` as a share of the year's goal."
    )
    target_to_date = serializers.IntegerField(help_text="Visits the target curve expects by `as_of`.")
    target_curve = TargetCurveSerializer()
    forecast = ForecastSerializer()
    unique_residents = serializers.IntegerField(
        help_text="Distinct residents (by pseudonymous key) with a booking for an event this year."
    )
    population = PopulationSerializer(allow_null=True)
    resident_share_lower_bound = LowerBoundShareSerializer(
        help_text="From bookings: `unique_residents` ÷ population. A lower bound, never the whole truth."
    )
    resident_share_survey = SurveyShareSerializer(
        allow_null=True, help_text="From the latest survey entered for the year; null when there is none."
    )


CURVE_TEXT = {
    "previous_year": gettext_lazy("The goal is spread over the months like last year's visits."),
    "even": gettext_lazy("The goal is spread evenly over the days of the year (no full previous year)."),
}


def summary_data(year: int, today: date) -> dict[str, Any]:
    result = rollup_version.remembered(
        "report-summary",
        {"year": year, "today": today.isoformat()},
        lambda: reports.summary(year=year, today=today),
    )
    months, running = [], 0
    for month in range(1, 13):
        running += result.monthly.get(month, 0)
        months.append(
            {
                "month": month,
                "label": month_label(month),
                "visits": result.monthly.get(month, 0),
                "cumulative_visits": running,
                "cumulative_target": result.target_monthly[month - 1],
            }
        )
    population = result.population
    survey = result.survey
    state = RollupState.objects.filter(pk=1).first()
    data = {
        "year": result.year,
        "as_of": result.as_of,
        "rollups_refreshed_until": state.refreshed_until if state else None,
        "visits": result.visits,
        "visits_by_source": [
            {
                "source": source.value,
                "label": str(source.label),
                "quality": SOURCE_QUALITY[source].value,
                "visits": result.visits_by_source.get(source.value, 0),
            }
            for source in Source
        ],
        "goal": {"visitors": result.goal.visitors, "resident_share": result.goal.resident_share},
        "progress_percent": result.progress,
        "target_to_date": result.target_to_date,
        "target_curve": {
            "method": result.forecast_method,
            "description": str(CURVE_TEXT[result.forecast_method]),
            "months": months,
        },
        "forecast": {
            "visits": result.forecast,
            "method": result.forecast_method,
            "description": _(
                "Visits so far divided by the share of the year's visits the target curve expects by now."
            ),
        },
        "unique_residents": result.unique_residents,
        "population": (
            {"residents": population, "year": result.population_year, "source": _population_source(year)}
            if population is not None
            else None
        ),
        "resident_share_lower_bound": {
            "percent": result.resident_share_lower_bound,
            "unique_residents": result.unique_residents,
            "population": population,
            "population_year": result.population_year,
            "description": _(
                "Residents with at least one booking this year divided by the population. People who only "
                "came to drop-in events, libraries or partners are not known by name, so the true share is higher."
            ),
        },
        "resident_share_survey": (
            {
                "percent": survey.share,
                "year": survey.year,
                "sample_size": survey.sample_size,
                "source": survey.source,
                "description": _("Residents who said in a survey that they use local culture."),
            }
            if survey is not None
            else None
        ),
    }
    return SummarySerializer(data).data


def _population_source(year: int) -> str:
    population = reports.population_for(year)
    return population.source if population else ""


class SummaryView(StatisticsView):
    @extend_schema(
        parameters=[YearQuerySerializer, LANGUAGE_PARAMETER],
        responses={
            200: SummarySerializer,
            400: OpenApiResponse(description="Bad year (`invalid_input`)."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Not the culture office or an administrator."),
        },
        summary="Progress toward the year's goals (culture office)",
        description=(
            "Visits to date by source against the goal and a seasonal target curve, a year-end forecast with "
            "its method, and the share of residents using local culture twice: `resident_share_lower_bound` "
            "(from bookings, a lower bound) and `resident_share_survey` (from a survey entered by the office)."
        ),
    )
    def get(self, request: Request) -> HttpResponseBase:
        year = read_query(YearQuerySerializer, request)["year"]
        today = timezone.localdate()
        return cached(request, "summary", {"year": year, "today": today.isoformat()}, lambda: summary_data(year, today))


# Visits for charts and exports


class VisitsQuerySerializer(YearQuerySerializer):
    group_by = serializers.ChoiceField(choices=reports.GROUPINGS, default="month")
    venue = serializers.SlugField(max_length=100, required=False, help_text="Only this venue (slug).")
    category = serializers.SlugField(max_length=50, required=False, help_text="Only this category (slug).")
    source = serializers.ChoiceField(choices=Source.choices, required=False, help_text="Only this source.")  # type: ignore[assignment]

    def validate_venue(self, value: str) -> str:
        if not Venue.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("There is no such venue."))
        return value

    def validate_category(self, value: str) -> str:
        if not Category.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("There is no such category."))
        return value


class VisitRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        allow_null=True,
        help_text="Month (`2025-03`), venue or category slug, source or origin code; null: no category.",
    )
    label = serializers.CharField(help_text="Month, venue, category, source or origin name.")  # type: ignore[assignment]
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    source_label = serializers.CharField()
    quality = serializers.CharField()
    visits = serializers.IntegerField()


class VisitsSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    group_by = serializers.ChoiceField(choices=reports.GROUPINGS)
    venue = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    total = serializers.IntegerField()
    rows = VisitRowSerializer(many=True, help_text="One row per group and source.")


def _group_labels(group_by: str, year: int, keys: set[str]) -> dict[str, tuple[str | None, str]]:
    """(key, label) of each group as reports.visits names it."""
    ids = [int(key) for key in keys if key.isdigit()]
    if group_by == "month":
        return {key: (f"{year}-{int(key):02d}", month_label(int(key))) for key in keys}
    if group_by == "venue":
        return {str(venue.pk): (venue.slug, venue.name) for venue in Venue.objects.filter(pk__in=ids)}
    if group_by == "category":
        labels: dict[str, tuple[str | None, str]] = {
            str(category.pk): (category.slug, category.name) for category in Category.objects.filter(pk__in=ids)
        }
        return labels | {"": (None, _("Without category"))}
    if group_by == "source":
        return {key: (key, str(Source(key).label)) for key in keys}
    return {key: (key, str(Origin(key).label)) for key in keys}


def visits_data(query: dict[str, Any]) -> dict[str, Any]:
    venue = Venue.objects.filter(slug=query["venue"]).first() if query.get("venue") else None
    category = Category.objects.filter(slug=query["category"]).first() if query.get("category") else None
    selection = {
        "year": query["year"],
        "group_by": query["group_by"],
        "venue_id": venue.pk if venue else None,
        "category_id": category.pk if category else None,
        "source": query.get("source"),
    }
    rows = rollup_version.remembered("report-visits", selection, lambda: reports.visits(**selection))
    rows = sorted(rows, key=lambda row: row.group == "")  # events without a category last, on any database
    labels = _group_labels(query["group_by"], query["year"], {row.group for row in rows})
    data = {
        "year": query["year"],
        "group_by": query["group_by"],
        "venue": query.get("venue"),
        "category": query.get("category"),
        "source": query.get("source"),
        "total": sum(row.visits for row in rows),
        "rows": [
            {
                "key": labels.get(row.group, (row.group, row.group))[0],
                "label": labels.get(row.group, (row.group, row.group))[1],
                "source": row.source,
                "source_label": str(Source(row.source).label),
                "quality": SOURCE_QUALITY[Source(row.source)].value,
                "visits": row.visits,
            }
            for row in rows
        ],
    }
    return VisitsSerializer(data).data


class VisitsView(CSVMixin, StatisticsView):
    csv_columns = ["key", "label", "source", "source_label", "quality", "visits"]

    def csv_filename(self, request: Request) -> str:
        query = read_query(VisitsQuerySerializer, request)
        return f"visits-{query['year']}-{query['group_by']}.csv"

    @extend_schema(
        parameters=[VisitsQuerySerializer, LANGUAGE_PARAMETER],
        responses={
            (200, "application/json"): VisitsSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The rows as CSV: key,label,source,source_label,quality,visits."
            ),
            400: OpenApiResponse(description="Bad year, grouping, venue, category or source (`invalid_input`)."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Not the culture office or an administrator."),
        },
        summary="Visits grouped for charts and exports (culture office)",
        description=(
            "Visits of a year from the daily rollups, grouped by month, venue, category, source or origin and "
            "split by source, with labels in the request's language. `?format=csv` or `Accept: text/csv` "
            "gives the same rows as CSV."
        ),
    )
    def get(self, request: Request) -> HttpResponseBase:
        query = read_query(VisitsQuerySerializer, request)
        return cached(request, "visits", query, lambda: visits_data(query))


# Open data


class OpenDataRowSerializer(serializers.Serializer[Any]):
    month = serializers.IntegerField(min_value=1, max_value=12)
    month_label = serializers.CharField()
    venue = serializers.CharField(help_text="Venue slug.")
    venue_name = serializers.CharField()
    origin = serializers.ChoiceField(choices=Origin.choices)
    origin_label = serializers.CharField()
    visits = serializers.IntegerField(
        allow_null=True,
        help_text=f"null: fewer than {reports.SMALL_CELL} people, suppressed to protect them (empty in CSV).",
    )


class OpenDataSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    small_cell_limit = serializers.IntegerField(help_text="Cells with fewer people than this are suppressed.")
    note = serializers.CharField()
    rows = OpenDataRowSerializer(many=True)


def open_data_data(year: int) -> dict[str, Any]:
    cells = reports.open_data(year=year)
    venues = {venue.pk: venue for venue in Venue.objects.filter(pk__in={cell.venue_id for cell in cells})}
    data = {
        "year": year,
        "small_cell_limit": reports.SMALL_CELL,
        "note": _(
            "Visits per month, venue and origin from every source. Cells with fewer than %(limit)s people are "
            "left out (null) to protect them."
        )
        % {"limit": reports.SMALL_CELL},
        "rows": [
            {
                "month": cell.month,
                "month_label": month_label(cell.month),
                "venue": venues[cell.venue_id].slug,
                "venue_name": venues[cell.venue_id].name,
                "origin": cell.origin,
                "origin_label": str(Origin(cell.origin).label),
                "visits": cell.visits,
            }
            for cell in cells
        ],
    }
    return OpenDataSerializer(data).data


class OpenDataView(CSVMixin, LanguageMixin, APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    csv_columns = ["month", "month_label", "venue", "venue_name", "origin", "origin_label", "visits"]

    def csv_filename(self, request: Request) -> str:
        return f"culture-visits-{read_query(YearQuerySerializer, request)['year']}.csv"

    @extend_schema(
        parameters=[YearQuerySerializer, LANGUAGE_PARAMETER],
        responses={
            (200, "application/json"): OpenDataSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="month,month_label,venue,venue_name,origin,origin_label,visits; suppressed cells empty.",
            ),
            400: OpenApiResponse(description="Bad year (`invalid_input`)."),
        },
        auth=[],
        summary="Open data: monthly visits per venue and origin",
        description=(
            "Public. Visits per month, venue and origin from every source (ticket scans, gate counters, head "
            f"counts, partner figures). Every cell of fewer than {reports.SMALL_CELL} people is suppressed: "
            "`visits` is null in JSON and empty in CSV. `?format=csv` or `Accept: text/csv` gives CSV."
        ),
    )
    def get(self, request: Request) -> HttpResponseBase:
        year = read_query(YearQuerySerializer, request)["year"]
        response = cached(request, "open-data", {"year": year}, lambda: open_data_data(year))
        patch_cache_control(response, public=True, max_age=STATS_CACHE_SECONDS)
        return response


# Ahead of the people asking


def warm_answers(**_signal: Any) -> None:
    """This year's summary and visits in each grouping, in every language, for the rollups just changed."""
    version = rollup_version.current()
    if version is None:
        return
    today = timezone.localdate()
    for language in LANGUAGES:
        with translation.override(language):
            parts = {"year": today.year, "today": today.isoformat()}
            _rendered_json("summary", parts, version, lambda: summary_data(today.year, today))
            for group_by in reports.GROUPINGS:
                query = VisitsQuerySerializer(data={"year": today.year, "group_by": group_by})
                query.is_valid(raise_exception=True)
                visits = dict(query.validated_data)
                _rendered_json("visits", visits, version, lambda visits=visits: visits_data(visits))  # type: ignore[misc]
