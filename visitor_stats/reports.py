"""What the culture office reads: progress toward the year's goals, visits by any grouping, utilisation.

Everything is read from the daily rollups, except unique residents (from the orders' pseudonymous
keys) and utilisation (from the tickets), both through tickets.selectors.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import ExtractMonth

from events.models import BookingMode, Event, EventQuerySet, EventStatus
from tickets import selectors
from tickets.access import is_culture_office
from visitor_stats.models import DailyVisits, Population, Source, SurveyResult, VisitFigure, YearlyGoal

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DEFAULT_VISITOR_GOAL = 1_600_000
DEFAULT_RESIDENT_SHARE_GOAL = Decimal("80.00")
SMALL_CELL = 5  # open data hides any cell of fewer people than this
GROUPINGS = ("month", "venue", "category", "source", "origin")


def percent(part: int | float | Decimal, whole: int | float | Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded once to one decimal; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=COPENHAGEN),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=COPENHAGEN),
    )


@dataclass(frozen=True)
class Goal:
    year: int
    visitors: int
    resident_share: Decimal


def goal_for(year: int) -> Goal:
    goal = YearlyGoal.objects.filter(year=year).first()
    if goal is None:
        return Goal(year=year, visitors=DEFAULT_VISITOR_GOAL, resident_share=DEFAULT_RESIDENT_SHARE_GOAL)
    return Goal(year=year, visitors=goal.visitors, resident_share=goal.resident_share)


def population_for(year: int) -> Population | None:
    """The year's population, else the nearest earlier year's, else the nearest later year's."""
    return (
        Population.objects.filter(year__lte=year).order_by("-year").first()
        or Population.objects.filter(year__gt=year).order_by("year").first()
    )


def monthly_visits(year: int, **filters: object) -> dict[int, int]:
    rows = (
        DailyVisits.objects.filter(day__year=year, **filters)
        .annotate(month=ExtractMonth("day"))
        .values("month")
        .annotate(visits=Sum("visits"))
        .order_by()
    )
    return {row["month"]: row["visits"] for row in rows}


@dataclass(frozen=True)
class TargetCurve:
    """The share of a year's visits expected by the end of each month (cumulative, 12 values)."""

    cumulative: list[Decimal]
    method: str  # "previous_year" or "even"

    def expected_share(self, today: date) -> Decimal:
        """Share of the year's visits expected by the end of `today`."""
        before = self.cumulative[today.month - 2] if today.month > 1 else Decimal(0)
        month_share = self.cumulative[today.month - 1] - before
        days = calendar.monthrange(today.year, today.month)[1]
        return before + month_share * Decimal(today.day) / Decimal(days)


def target_curve(year: int) -> TargetCurve:
    previous = monthly_visits(year - 1)
    total = sum(previous.values())
    if total and all(previous.get(month) for month in range(1, 13)):
        shares = [Decimal(previous[month]) / Decimal(total) for month in range(1, 13)]
        method = "previous_year"
    else:
        days = 366 if calendar.isleap(year) else 365
        shares = [Decimal(calendar.monthrange(year, month)[1]) / Decimal(days) for month in range(1, 13)]
        method = "even"
    cumulative, running = [], Decimal(0)
    for share in shares:
        running += share
        cumulative.append(running)
    return TargetCurve(cumulative=cumulative, method=method)


@dataclass(frozen=True)
class Summary:
    year: int
    as_of: date
    visits: int
    visits_by_source: dict[str, int]
    goal: Goal
    progress: Decimal | None  # % of the year's goal reached
    target_to_date: int
    forecast: int | None
    forecast_method: str
    monthly: dict[int, int]
    target_monthly: list[int]  # cumulative target at each month's end
    unique_residents: int
    population: int | None
    population_year: int | None
    resident_share_lower_bound: Decimal | None
    survey: SurveyResult | None


def summary(*, year: int, today: date) -> Summary:
    """The year's progress as of `today` (a past year is read as of its last day)."""
    as_of = min(today, date(year, 12, 31))
    goal = goal_for(year)
    to_date = DailyVisits.objects.filter(day__year=year, day__lte=as_of)
    by_source = {
        row["source"]: row["visits"]
        for row in to_date.values("source").annotate(visits=Sum("visits")).order_by("source")
    }
    visits = sum(by_source.values())
    curve = target_curve(year)
    expected = curve.expected_share(as_of) if as_of >= date(year, 1, 1) else Decimal(0)
    forecast = int((Decimal(visits) / expected).to_integral_value(ROUND_HALF_UP)) if expected and visits else None
    start, end = year_bounds(year)
    residents = selectors.unique_resident_people(start=start, end=end)
    population = population_for(year)
    return Summary(
        year=year,
        as_of=as_of,
        visits=visits,
        visits_by_source=by_source,
        goal=goal,
        progress=percent(visits, goal.visitors),
        target_to_date=int((goal.visitors * expected).to_integral_value(ROUND_HALF_UP)),
        forecast=forecast,
        forecast_method=curve.method,
        monthly=monthly_visits(year),
        target_monthly=[int((goal.visitors * share).to_integral_value(ROUND_HALF_UP)) for share in curve.cumulative],
        unique_residents=residents,
        population=population.residents if population else None,
        population_year=population.year if population else None,
        resident_share_lower_bound=percent(residents, population.residents) if population else None,
        survey=SurveyResult.objects.filter(year=year).first(),
    )


@dataclass(frozen=True)
class VisitRow:
    group: str  # month number, venue id, category id, source or origin, as text ("" when none)
    source: str
    visits: int


_GROUP_FIELDS = {
    "month": "month",
    "venue": "venue_id",
    "category": "category_id",
    "source": "source",
    "origin": "origin",
}


def visits(
    *,
    year: int,
    group_by: str,
    venue_id: int | None = None,
    category_id: int | None = None,
    source: str | None = None,
) -> list[VisitRow]:
    """Visits of a year grouped by month, venue, category, source or origin, split by source."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    rows = DailyVisits.objects.filter(day__year=year)
    if venue_id is not None:
        rows = rows.filter(venue_id=venue_id)
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if source is not None:
        rows = rows.filter(source=source)
    if group_by == "month":
        rows = rows.annotate(month=ExtractMonth("day"))
    field = _GROUP_FIELDS[group_by]
    grouped = rows.values(field, "source").annotate(total=Sum("visits")).order_by(field, "source")
    return [
        VisitRow(group="" if row[field] is None else str(row[field]), source=row["source"], visits=row["total"])
        for row in grouped
    ]


@dataclass(frozen=True)
class Utilisation:
    level: str  # "event", "hall" or "venue"
    key: int
    capacity: int | None
    issued: int
    checked_in: int

    @property
    def sold_share(self) -> Decimal | None:
        return percent(self.issued, self.capacity) if self.capacity else None

    @property
    def checked_in_share(self) -> Decimal | None:
        return percent(self.checked_in, self.capacity) if self.capacity else None

    @property
    def no_show_rate(self) -> Decimal | None:
        return percent(self.issued - self.checked_in, self.issued)


def utilisation(*, year: int, level: str) -> list[Utilisation]:
    """Capacity used and no-shows per event, hall or venue, for ticketed events starting in the year."""
    start, end = year_bounds(year)
    totals: dict[int, list[int | None]] = defaultdict(lambda: [0, 0, 0])
    for event in selectors.ticket_totals_by_event(start=start, end=end):
        key = {"event": event.event_id, "hall": event.hall_id, "venue": event.venue_id}[level]
        if key is None:
            continue
        row = totals[key]
        row[0] = None if row[0] is None or event.capacity is None else row[0] + event.capacity
        row[1] = (row[1] or 0) + event.issued
        row[2] = (row[2] or 0) + event.checked_in
    return [
        Utilisation(level=level, key=key, capacity=cap, issued=issued or 0, checked_in=checked or 0)
        for key, (cap, issued, checked) in sorted(totals.items())
    ]


@dataclass(frozen=True)
class OpenDataCell:
    month: int
    venue_id: int
    origin: str
    visits: int | None  # None: fewer than SMALL_CELL people, suppressed


def open_data(*, year: int) -> list[OpenDataCell]:
    """Monthly visits per venue and origin, with every cell under SMALL_CELL people suppressed."""
    rows = (
        DailyVisits.objects.filter(day__year=year)
        .annotate(month=ExtractMonth("day"))
        .values("month", "venue_id", "origin")
        .annotate(total=Sum("visits"))
        .order_by("month", "venue_id", "origin")
    )
    return [
        OpenDataCell(
            month=row["month"],
            venue_id=row["venue_id"],
            origin=row["origin"],
            visits=row["total"] if row["total"] >= SMALL_CELL else None,
        )
        for row in rows
    ]


def events_missing_head_count(user: Any, now: datetime, *, since: datetime | None = None) -> EventQuerySet:
    """Drop-in events the user looks after that have ended without a head count: the organiser's to-do.

    Organiser members see their organiser's events; the culture office and admins see every one.
    Only published events: cancelled, postponed and draft ones did not take place. `since` leaves out
    events that ended before it.
    """
    if is_culture_office(user) or (user.is_authenticated and user.is_active and user.is_superuser):
        events = Event.objects.all()
    elif user.is_authenticated and user.is_active:
        events = Event.objects.managed_by(user)
    else:
        return Event.objects.none()
    counted = VisitFigure.objects.filter(event=OuterRef("pk"), source=Source.HEAD_COUNT, replaced_at__isnull=True)
    events = events.filter(
        booking_mode=BookingMode.DROP_IN,
        status=EventStatus.PUBLISHED,
        ends_at__lte=now,
    ).exclude(Exists(counted))
    if since is not None:
        events = events.filter(ends_at__gte=since)
    return events.select_related("venue", "organiser").order_by("ends_at", "id")


def events_missing_head_count_at_venues(
    venue_ids: frozenset[int], now: datetime, *, since: datetime | None = None
) -> EventQuerySet:
    """Drop-in events at these venues that have ended without a head count: the venue staff's to-do."""
    counted = VisitFigure.objects.filter(event=OuterRef("pk"), source=Source.HEAD_COUNT, replaced_at__isnull=True)
    events = Event.objects.filter(
        venue_id__in=venue_ids, booking_mode=BookingMode.DROP_IN, status=EventStatus.PUBLISHED, ends_at__lte=now
    ).exclude(Exists(counted))
    if since is not None:
        events = events.filter(ends_at__gte=since)
    return events.select_related("venue", "organiser").order_by("ends_at", "id")


def current_head_count(event_id: int) -> VisitFigure | None:
    """The event's current head count, if any (for a ticketed event it is shown beside the scans)."""
    return (
        VisitFigure.objects.filter(event_id=event_id, source=Source.HEAD_COUNT, replaced_at__isnull=True)
        .order_by("-entered_at")
        .first()
    )
