"""What the statistics page shows, read from visitor_stats.reports: the tiles, and each chart with its table.

A chart is drawn from plain numbers (`spec`, for the script) and read from a real table (`table`,
formatted for the page's language): the table is what screen readers and people without the
script get, so both are built from the same rows here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Category
from venues.models import Venue
from visitor_stats import reports, rollup_version
from visitor_stats.models import SOURCE_QUALITY, Origin, Source

SOURCES = list(Source)
# Each source keeps its colour and pattern on every chart, whichever sources a filter leaves.
SOURCE_STYLE = {source.value: index for index, source in enumerate(SOURCES)}
CURVE_TEXT = {
    "previous_year": gettext_lazy("The goal is spread over the months like last year's visits."),
    "even": gettext_lazy("The goal is spread evenly over the days of the year (no full previous year)."),
}


def number(value: int | Decimal | None, decimals: int = 0) -> str:
    """A figure as the page's language writes it; a dash for none."""
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent_text(value: Decimal | None) -> str:
    return "–" if value is None else _("%(percent)s %%") % {"percent": number(value, 1)}


@dataclass(frozen=True)
class Filters:
    year: int
    venue: Venue | None = None
    category: Category | None = None
    source: str | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.venue or self.category or self.source)

    def query(self, **extra: str) -> dict[str, str]:
        """The filters as query parameters (slugs), leaving out the empty ones."""
        values = {
            "year": str(self.year),
            "venue": self.venue.slug if self.venue else "",
            "category": self.category.slug if self.category else "",
            "source": self.source or "",
        }
        return {name: value for name, value in (values | extra).items() if value}

    def visits(self, group_by: str) -> list[reports.VisitRow]:
        selection = {
            "year": self.year,
            "group_by": group_by,
            "venue_id": self.venue.pk if self.venue else None,
            "category_id": self.category.pk if self.category else None,
            "source": self.source,
        }
        # The same selection and key as the statistics API's, which shares the rows.
        return rollup_version.remembered("report-visits", selection, lambda: reports.visits(**selection))  # type: ignore[arg-type]


@dataclass
class Table:
    columns: list[str]  # the first one heads the row headers
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    footer: tuple[str, list[str]] | None = None


@dataclass
class Chart:
    slug: str
    title: str
    description: str  # what the chart shows, for its accessible name and the text beside it
    spec: dict[str, Any]
    table: Table
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.table.rows


def _by_group_and_source(rows: list[reports.VisitRow]) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        grouped[row.group][row.source] = grouped[row.group].get(row.source, 0) + row.visits
    return grouped


def _sources_present(rows: list[reports.VisitRow]) -> list[Source]:
    present = {row.source for row in rows}
    return [source for source in SOURCES if source.value in present]


def source_heading(source: Source) -> str:
    return _("%(source)s (%(quality)s)") % {
        "source": source.label,
        "quality": str(SOURCE_QUALITY[source].label).lower(),
    }


def monthly_chart(filters: Filters, summary: reports.Summary) -> Chart:
    """Visits per month stacked by source, with the goal's monthly target when nothing is filtered out."""
    rows = filters.visits("month")
    grouped = _by_group_and_source(rows)
    sources = _sources_present(rows)
    months = list(range(1, 13))
    labels = [str(MONTHS[month]) for month in months]
    cumulative = summary.target_monthly
    targets = [cumulative[0], *(cumulative[i] - cumulative[i - 1] for i in range(1, 12))]
    show_target = not filters.narrowed
    series = {source: [grouped.get(str(month), {}).get(source.value, 0) for month in months] for source in sources}
    datasets = [
        {"label": str(source.label), "style": SOURCE_STYLE[source.value], "data": data}
        for source, data in series.items()
    ]
    columns = [_("Month"), *(source_heading(source) for source in sources), _("Total")]
    if show_target:
        columns.append(_("Target for the month"))
    table = Table(columns=columns)
    running = 0
    for index, month in enumerate(months):
        values = [grouped.get(str(month), {}).get(source.value, 0) for source in sources]
        running += sum(values)
        cells = [number(value) for value in (*values, sum(values))]
        if show_target:
            cells.append(number(targets[index]))
        table.rows.append((labels[index], cells))
    totals = [sum(data) for data in series.values()]
    footer_cells = [number(value) for value in (*totals, sum(totals))]
    if show_target:
        footer_cells.append(number(summary.goal.visitors))
    table.footer = (_("Year"), footer_cells)
    notes = (
        [str(CURVE_TEXT[summary.forecast_method])]
        if show_target
        else [_("The target is for all visits in the municipality, so it is left out while a filter is chosen.")]
    )
    return Chart(
        slug="months",
        title=_("Visits per month by source"),
        description=_("Visits in each month of %(year)s, stacked by where the figure comes from.")
        % {"year": filters.year},
        spec={
            "kind": "bar",
            "stacked": True,
            "labels": labels,
            "datasets": datasets,
            "line": {"label": _("Target for the month"), "data": targets} if show_target else None,
            "axis": _("Visits"),
        },
        table=table if running or show_target else Table(columns=columns),
        notes=notes,
    )


def venue_chart(filters: Filters) -> Chart:
    """Visits per venue, stacked by source, the busiest first."""
    rows = filters.visits("venue")
    grouped = _by_group_and_source(rows)
    sources = _sources_present(rows)
    venues = Venue.objects.in_bulk([int(key) for key in grouped if key.isdigit()])
    order = sorted(grouped, key=lambda key: (-sum(grouped[key].values()), venues[int(key)].name))
    labels = [venues[int(key)].name for key in order]
    series = {source: [grouped[key].get(source.value, 0) for key in order] for source in sources}
    datasets = [
        {"label": str(source.label), "style": SOURCE_STYLE[source.value], "data": data}
        for source, data in series.items()
    ]
    table = Table(columns=[_("Venue"), *(source_heading(source) for source in sources), _("Total")])
    for key, label in zip(order, labels, strict=True):
        values = [grouped[key].get(source.value, 0) for source in sources]
        table.rows.append((label, [number(value) for value in (*values, sum(values))]))
    if order:
        totals = [sum(data) for data in series.values()]
        table.footer = (_("All venues"), [number(value) for value in (*totals, sum(totals))])
    return Chart(
        slug="venues",
        title=_("Visits per venue"),
        description=_("Visits at each venue in %(year)s, stacked by source.") % {"year": filters.year},
        spec={"kind": "bar", "stacked": True, "horizontal": True, "labels": labels, "datasets": datasets},
        table=table,
    )


def origin_chart(filters: Filters) -> Chart:
    """Where visitors come from, as shares of all visits."""
    totals: dict[str, int] = defaultdict(int)
    for row in filters.visits("origin"):
        totals[row.group] += row.visits
    everyone = sum(totals.values())
    origins = [origin for origin in Origin if totals.get(origin.value)]
    shares = [reports.percent(totals[origin.value], everyone) for origin in origins]
    table = Table(columns=[_("Origin"), _("Visits"), _("Share")])
    for origin, share in zip(origins, shares, strict=True):
        table.rows.append((str(origin.label), [number(totals[origin.value]), percent_text(share)]))
    if origins:
        table.footer = (_("All visits"), [number(everyone), percent_text(Decimal(100))])
    return Chart(
        slug="origins",
        title=_("Where visitors come from"),
        description=_("Each origin's share of the visits in %(year)s.") % {"year": filters.year},
        spec={
            "kind": "bar",
            "horizontal": True,
            "unit": "percent",
            "labels": [str(origin.label) for origin in origins],
            "datasets": [{"label": _("Share of visits"), "style": 0, "data": [float(s or 0) for s in shares]}],
        },
        table=table,
        notes=[_("Unknown: visits from counters and head counts, which do not say where people live.")],
    )


def utilisation_chart(filters: Filters) -> Chart:
    """Seats sold and used, and no-shows, per venue for ticketed events starting in the year."""
    rows = reports.utilisation(year=filters.year, level="venue")
    if filters.venue is not None:
        rows = [row for row in rows if row.key == filters.venue.pk]
    venues = Venue.objects.in_bulk([row.key for row in rows])
    rows = sorted(rows, key=lambda row: venues[row.key].name)
    series = [
        (_("Sold of capacity"), [row.sold_share for row in rows]),
        (_("Checked in of capacity"), [row.checked_in_share for row in rows]),
        (_("No-shows of tickets issued"), [row.no_show_rate for row in rows]),
    ]
    table = Table(
        columns=[
            _("Venue"),
            _("Capacity"),
            _("Tickets issued"),
            _("Checked in"),
            *(label for label, _values in series),
        ]
    )
    for index, row in enumerate(rows):
        counts = [number(row.capacity), number(row.issued), number(row.checked_in)]
        table.rows.append((venues[row.key].name, counts + [percent_text(values[index]) for _l, values in series]))
    return Chart(
        slug="utilisation",
        title=_("Utilisation and no-shows per venue"),
        description=_(
            "For ticketed events starting in %(year)s: the share of capacity sold and checked in, "
            "and the share of tickets never scanned."
        )
        % {"year": filters.year},
        spec={
            "kind": "bar",
            "horizontal": True,
            "unit": "percent",
            "labels": [venues[row.key].name for row in rows],
            "datasets": [
                {"label": label, "style": 4 + index, "data": [None if v is None else float(v) for v in values]}
                for index, (label, values) in enumerate(series)
            ],
        },
        table=table,
        notes=[_("Category and source filters do not apply: these figures come from tickets.")],
    )


@dataclass(frozen=True)
class SourceFigure:
    label: str
    quality: str
    visits: str


def tiles(summary: reports.Summary) -> dict[str, Any]:
    """The figures of the four tiles, formatted, with the words that say what each one is."""
    goal = summary.goal
    forecast_words = _("Visits so far divided by the share of the year's visits the target curve expects by now.")
    return {
        "visits": number(summary.visits),
        "visits_raw": summary.visits,
        "goal": number(goal.visitors),
        "goal_raw": goal.visitors,
        "progress": percent_text(summary.progress),
        "progress_raw": min(summary.visits, goal.visitors),
        "target_to_date": number(summary.target_to_date),
        "ahead": summary.visits >= summary.target_to_date,
        "by_source": [
            SourceFigure(
                label=str(source.label),
                quality=str(SOURCE_QUALITY[source].label),
                visits=number(summary.visits_by_source.get(source.value, 0)),
            )
            for source in SOURCES
        ],
        "forecast": number(summary.forecast) if summary.forecast is not None else None,
        "forecast_share": percent_text(reports.percent(summary.forecast or 0, goal.visitors)),
        "forecast_method": f"{forecast_words} {CURVE_TEXT[summary.forecast_method]}",
        "unique_residents": number(summary.unique_residents),
        "population": number(summary.population) if summary.population is not None else None,
        "population_year": summary.population_year,
        "lower_bound": percent_text(summary.resident_share_lower_bound),
        "resident_goal": percent_text(goal.resident_share),
        "survey": (
            {
                "share": percent_text(summary.survey.share),
                "sample_size": number(summary.survey.sample_size),
                "source": summary.survey.source,
                "year": summary.survey.year,
            }
            if summary.survey is not None
            else None
        ),
    }


def dashboard(filters: Filters, *, today: date) -> dict[str, Any]:
    """Everything the page shows for these filters."""
    summary = rollup_version.remembered(
        "report-summary",
        {"year": filters.year, "today": today.isoformat()},
        lambda: reports.summary(year=filters.year, today=today),
    )
    return {
        "as_of": summary.as_of,
        "tiles": tiles(summary),
        "charts": [
            monthly_chart(filters, summary),
            venue_chart(filters),
            origin_chart(filters),
            utilisation_chart(filters),
        ],
    }
