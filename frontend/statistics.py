"""The culture office's statistics page and its Excel export; the CSV export is the statistics API's.

The page reads visitor_stats.reports directly. What it shows is kept in the cache per rollups'
version, filters, language and day, so a refreshed rollup shows at once and a repeated visit costs
little; the refresh and rebuild tasks draw this year's page ahead.
"""

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from config.i18n import current_language
from events.models import Category
from frontend import statistics_data
from frontend.staff import staff_only
from frontend.statistics_data import Filters
from venues.models import Venue
from visitor_stats import reports, rollup_version
from visitor_stats.access import may_read_statistics
from visitor_stats.models import SOURCE_QUALITY, DailyVisits, Origin, RollupState, Source

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
EXPORT_GROUPINGS = {
    "month": gettext_lazy("Visits by month"),
    "venue": gettext_lazy("Visits by venue"),
    "category": gettext_lazy("Visits by category"),
    "source": gettext_lazy("Visits by source"),
    "origin": gettext_lazy("Visits by origin"),
}


def _first_day() -> date | None:
    return DailyVisits.objects.aggregate(first=Min("day"))["first"]


def _years(today: date) -> list[int]:
    first = rollup_version.remembered("first-day", {}, _first_day)
    start = min(first.year if first else today.year, today.year)
    return list(range(today.year, min(start, today.year - 1) - 1, -1))


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    venue = forms.ChoiceField(label=gettext_lazy("Venue"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)

    def __init__(self, data: Any, *, today: date) -> None:
        data = data.copy()
        data.setdefault("year", str(today.year))
        super().__init__(data)
        self.venues = {venue.slug: venue for venue in Venue.objects.order_by("name")}
        self.categories = {category.slug: category for category in Category.objects.all()}
        self.fields["year"].choices = [(str(year), str(year)) for year in _years(today)]  # type: ignore[attr-defined]
        self.fields["venue"].choices = [("", _("All venues"))] + [(s, v.name) for s, v in self.venues.items()]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("All categories"))] + [  # type: ignore[attr-defined]
            (slug, category.name) for slug, category in self.categories.items()
        ]
        self.fields["source"].choices = [("", _("All sources"))] + [  # type: ignore[attr-defined]
            (source.value, statistics_data.source_heading(source)) for source in Source
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            year=data["year"],
            venue=self.venues.get(data["venue"]),
            category=self.categories.get(data["category"]),
            source=data["source"] or None,
        )


def _read_filters(request: HttpRequest, today: date) -> tuple[FilterForm, Filters | None]:
    form = FilterForm(request.GET, today=today)
    return form, form.filters() if form.is_valid() else None


def _dashboard(filters: Filters, today: date) -> dict[str, Any]:
    data = statistics_data.dashboard(filters, today=today)
    data["refreshed_until"] = RollupState.objects.filter(pk=1).values_list("refreshed_until", flat=True).first()
    return data


def _cached_dashboard(filters: Filters, today: date) -> dict[str, Any]:
    version = rollup_version.current()
    if version is None:
        return _dashboard(filters, today)
    parts = {"filters": filters.query(), "language": current_language(), "today": today.isoformat()}
    key = rollup_version.cache_key("statistics-page", parts, version)
    return rollup_version.computed_once(key, lambda: _dashboard(filters, today))


def warm_dashboard(**_signal: Any) -> None:
    """The page for this year without filters, in every language, for the rollups just changed."""
    today = timezone.localdate()
    for language in LANGUAGE_CODES:
        with translation.override(language):
            _cached_dashboard(Filters(year=today.year), today)


def _exports(filters: Filters) -> list[dict[str, str]]:
    """A CSV (from the statistics API) and an Excel link for each grouping, with the current filters."""
    links = []
    for group_by, label in EXPORT_GROUPINGS.items():
        query = filters.query(group_by=group_by)
        csv_query = query | {"format": "csv", "lang": current_language()}
        links.append(
            {
                "label": str(label),
                "csv": reverse("stats-visits") + "?" + urlencode(csv_query),
                "xlsx": reverse("frontend:statistics_xlsx") + "?" + urlencode(query),
            }
        )
    return links


@require_safe
@staff_only(may_read_statistics)
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Where the town stands: the tiles, the charts with their tables, the filters and the exports."""
    today = timezone.localdate()
    form, filters = _read_filters(request, today)
    context: dict[str, Any] = {"form": form, "filters": filters}
    if filters is None:
        return render(request, "frontend/statistics/dashboard.html", context, status=400)
    context.update(_cached_dashboard(filters, today))
    context["exports"] = _exports(filters)
    return render(request, "frontend/statistics/dashboard.html", context)


def _group_labels(group_by: str, year: int, keys: set[str]) -> dict[str, tuple[str, str]]:
    """(key, label) for each group of reports.visits, as the statistics API's CSV names them."""
    ids = [int(key) for key in keys if key.isdigit()]
    if group_by == "month":
        return {key: (f"{year}-{int(key):02d}", str(MONTHS[int(key)])) for key in keys}
    if group_by == "venue":
        return {str(venue.pk): (venue.slug, venue.name) for venue in Venue.objects.filter(pk__in=ids)}
    if group_by == "category":
        labels = {str(c.pk): (c.slug, c.name) for c in Category.objects.filter(pk__in=ids)}
        return labels | {"": ("", _("Without category"))}
    if group_by == "source":
        return {key: (key, str(Source(key).label)) for key in keys}
    return {key: (key, str(Origin(key).label)) for key in keys}


def visit_rows(filters: Filters, group_by: str) -> list[list[Any]]:
    """The export's rows: key, label, source, source label, quality, visits."""
    rows = sorted(filters.visits(group_by), key=lambda row: row.group == "")
    labels = _group_labels(group_by, filters.year, {row.group for row in rows})
    return [
        [
            *labels.get(row.group, (row.group, row.group)),
            row.source,
            str(Source(row.source).label),
            str(SOURCE_QUALITY[Source(row.source)].label),
            row.visits,
        ]
        for row in rows
    ]


def xlsx_workbook(filters: Filters, group_by: str) -> bytes:
    """The visits table as an Excel workbook: a header row, then one row per group and source."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Visits")[:31]
    sheet.append([_("Key"), _("Name"), _("Source code"), _("Source"), _("Quality"), _("Visits")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in visit_rows(filters, group_by):
        sheet.append(row)
        for cell in sheet[sheet.max_row][:5]:
            cell.data_type = "s"  # names are text, never formulas, whatever they start with
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (14, 32, 14, 20, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@require_safe
@staff_only(may_read_statistics)
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    """The visits table with the page's filters as an Excel file (?group_by= month, venue, ...)."""
    today = timezone.localdate()
    _form, filters = _read_filters(request, today)
    group_by = request.GET.get("group_by", "month")
    if filters is None or group_by not in reports.GROUPINGS:
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        xlsx_workbook(filters, group_by),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="visits-{filters.year}-{group_by}.xlsx"'
    return response
