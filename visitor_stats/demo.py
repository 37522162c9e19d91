"""Made-up visitor figures for the demo, so the statistics dashboard has something to show.

Last year and this year up to yesterday: daily gate-counter figures at the demo libraries and
culture houses, monthly partner figures by origin from Kronborg and the museums, head counts for
past drop-in series occurrences, and a survey result for last year. Every figure carries the note
"demo" and no person; running it again replaces those figures and never touches any other.
The sizes add up to about 1.4 million visits a year, near the Vision 2030 goal of 1.6 million.
"""

import calendar
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from events.models import BookingMode, Event, EventStatus
from venues.models import Venue
from visitor_stats import rollups
from visitor_stats.figures import SLOT_FIELDS, FigureInput, check_figure, figure_slot, head_count, unsaved_figure
from visitor_stats.models import Origin, Source, SurveyResult, VisitFigure
from visitor_stats.rollups import COPENHAGEN

DEMO_NOTE = "demo"
SURVEY_SOURCE = "Kulturvaneundersøgelse (demo)"
SURVEY_SHARE = Decimal("62.00")
SURVEY_SAMPLE = 1000
GROWTH = 1.04  # this year's visits over last year's
CLOSED = {(12, 24), (12, 25), (12, 31), (1, 1)}
WEEKDAY = (1.0, 1.0, 1.0, 1.05, 1.0, 0.85, 0.7)  # Monday to Sunday, for door counters
SUMMER_MONTHS = (6, 7, 8)

Mix = dict[str, float]
TOURIST_SITE: Mix = {
    Origin.RESIDENT: 0.04,
    Origin.OTHER_DANISH: 0.30,
    Origin.SWEDISH: 0.20,
    Origin.GERMAN: 0.14,
    Origin.OTHER_FOREIGN: 0.32,
}
MUSEUM: Mix = {  # M/S Museet for Søfart: about a quarter foreign
    Origin.RESIDENT: 0.10,
    Origin.OTHER_DANISH: 0.65,
    Origin.SWEDISH: 0.11,
    Origin.GERMAN: 0.07,
    Origin.OTHER_FOREIGN: 0.07,
}
LOCAL_MUSEUM: Mix = {
    Origin.RESIDENT: 0.45,
    Origin.OTHER_DANISH: 0.38,
    Origin.SWEDISH: 0.07,
    Origin.GERMAN: 0.05,
    Origin.OTHER_FOREIGN: 0.05,
}


@dataclass(frozen=True)
class GateCounter:
    venue: str
    counter: str
    yearly: int  # visits last year
    summer: float  # how much higher mid-July is than the average day (negative: lower)


@dataclass(frozen=True)
class Partner:
    venue: str
    yearly: int
    summer: float
    origins: Mix


GATE_COUNTERS = (
    GateCounter("kulturvaerftet", "Hovedindgang, Allégade", 300_000, 0.15),
    GateCounter("kulturvaerftet-bibliotek", "Hovedindgang", 230_000, -0.10),
    GateCounter("espergaerde-bibliotek", "Hovedindgang", 80_000, -0.10),
    GateCounter("hornbaek-bibliotek", "Hovedindgang", 35_000, 0.30),
    GateCounter("snekkersten-bibliotek", "Hovedindgang", 30_000, -0.10),
    GateCounter("toldkammeret", "Hovedindgang", 45_000, 0.0),
)
PARTNERS = (
    Partner("kronborg-slot", 460_000, 0.8, TOURIST_SITE),
    Partner("museet-for-sofart", 100_000, 0.5, MUSEUM),
    Partner("danmarks-tekniske-museum", 65_000, 0.3, MUSEUM),
    Partner("marienlyst-slot", 20_000, 0.5, LOCAL_MUSEUM),
    Partner("helsingor-bymuseum", 15_000, 0.4, LOCAL_MUSEUM),
)


@dataclass(frozen=True)
class DemoVisits:
    gate_counter: int
    partner: int
    head_count: int
    survey_created: bool
    rollup_rows: int


def _season(day: date, summer: float) -> float:
    """1 on an average day, 1 + summer in mid-July, 1 - summer in mid-January."""
    return 1 + summer * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)


def _days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range(366 if calendar.isleap(year) else 365)]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=COPENHAGEN)


def _yearly(base: int, year: int, today: date) -> float:
    return base * (GROWTH if year == today.year else 1.0)


def _gate_figures(spec: GateCounter, venue: Venue, seed: int, today: date) -> list[FigureInput]:
    figures = []
    for year in (today.year - 1, today.year):
        rng = random.Random(f"{seed}:{spec.venue}:{year}")  # noqa: S311 - demo data, not secrets
        open_days = [day for day in _days(year) if (day.month, day.day) not in CLOSED]
        weights = [_season(day, spec.summer) * WEEKDAY[day.weekday()] for day in open_days]
        scale = _yearly(spec.yearly, year, today) / sum(weights)
        for day, weight in zip(open_days, weights, strict=True):
            ins = round(scale * weight * min(1.4, max(0.6, rng.gauss(1, 0.12))))
            exits = ins - rng.randint(0, ins // 40)  # some leave by the fire door, uncounted
            if day < today:
                figures.append(
                    FigureInput(
                        source=Source.GATE_COUNTER,
                        venue=venue,
                        counter=spec.counter,
                        period_start=_midnight(day),
                        period_end=_midnight(day + timedelta(days=1)),
                        visits=ins,
                        exits=exits,
                        note=DEMO_NOTE,
                    )
                )
    return figures


def _origin_shares(mix: Mix, month: int) -> Mix:
    """Foreign visitors weigh half as much again in the summer months."""
    danish = (Origin.RESIDENT, Origin.OTHER_DANISH)
    weights = {
        origin: share * (1.5 if month in SUMMER_MONTHS and origin not in danish else 1) for origin, share in mix.items()
    }
    total = sum(weights.values())
    return {origin: weight / total for origin, weight in weights.items()}


def _partner_figures(spec: Partner, venue: Venue, seed: int, today: date) -> list[FigureInput]:
    figures = []
    for year in (today.year - 1, today.year):
        rng = random.Random(f"{seed}:{spec.venue}:{year}")  # noqa: S311 - demo data, not secrets
        by_month = [[_season(day, spec.summer) for day in _days(year) if day.month == m] for m in range(1, 13)]
        scale = _yearly(spec.yearly, year, today) / sum(map(sum, by_month))
        for month, weights in enumerate(by_month, start=1):
            noise = rng.gauss(1, 0.05)
            first = date(year, month, 1)
            end = min(today, first + timedelta(days=len(weights)))  # this month: up to yesterday
            if end <= first:
                continue
            elapsed = weights[: (end - first).days]
            for origin, share in _origin_shares(spec.origins, month).items():
                figures.append(
                    FigureInput(
                        source=Source.PARTNER,
                        venue=venue,
                        period_start=_midnight(first),
                        period_end=_midnight(end),
                        visits=round(scale * sum(elapsed) * noise * share),
                        origin=origin,
                        note=DEMO_NOTE,
                    )
                )
    return figures


def _head_count_figures(seed: int, today: date) -> list[FigureInput]:
    """Past drop-in series occurrences without a head count (load_demo never moves or removes those).

    No events are made up: a fresh demo catalogue starts today, so this finds some only later on.
    """
    counted = VisitFigure.objects.filter(event=OuterRef("pk"), source=Source.HEAD_COUNT, replaced_at__isnull=True)
    events = Event.objects.filter(
        series__isnull=False,
        booking_mode=BookingMode.DROP_IN,
        status=EventStatus.PUBLISHED,
        starts_at__gte=_midnight(date(today.year - 1, 1, 1)),
        ends_at__lte=_midnight(today),
    ).exclude(Exists(counted))
    figures = []
    for event in events.select_related("venue").order_by("starts_at", "pk"):
        rng = random.Random(f"{seed}:{event.slug}")  # noqa: S311 - demo data, not secrets
        visits = round(event.capacity * rng.uniform(0.4, 0.95)) if event.capacity else rng.randint(15, 120)
        figures.append(head_count(event, visits=visits, note=DEMO_NOTE))
    return figures


def demo_figures() -> Q:
    """The figures this module made: the demo note and nobody who entered them."""
    return Q(note=DEMO_NOTE, entered_by__isnull=True)


def load_demo_visits(*, seed: int, now: datetime | None = None) -> DemoVisits:
    """Replace the demo figures with freshly made ones, add the survey once, and rebuild the rollups."""
    now = now or timezone.now()
    today = timezone.localdate(now, COPENHAGEN)
    venues = {venue.slug: venue for venue in Venue.objects.all()}
    with transaction.atomic():
        VisitFigure.objects.filter(demo_figures()).delete()
        figures = _head_count_figures(seed, today)
        for gate in GATE_COUNTERS:
            if gate.venue in venues:
                figures += _gate_figures(gate, venues[gate.venue], seed, today)
        for partner in PARTNERS:
            if partner.venue in venues:
                figures += _partner_figures(partner, venues[partner.venue], seed, today)
        # A slot that already holds a real figure keeps it: demo figures go only where nothing is.
        taken = set(VisitFigure.objects.filter(replaced_at__isnull=True).values_list(*SLOT_FIELDS))
        rows = []
        for figure in figures:
            if figure_slot(figure) in taken:
                continue
            check_figure(figure)
            rows.append(unsaved_figure(figure))
        VisitFigure.objects.bulk_create(rows, batch_size=1000)
        _survey, survey_created = SurveyResult.objects.get_or_create(
            year=today.year - 1,
            source=SURVEY_SOURCE,
            defaults={"share": SURVEY_SHARE, "sample_size": SURVEY_SAMPLE},
        )
    rollup_rows = rollups.rebuild(now=now)
    made = [row.source for row in rows]
    return DemoVisits(
        gate_counter=made.count(Source.GATE_COUNTER),
        partner=made.count(Source.PARTNER),
        head_count=made.count(Source.HEAD_COUNT),
        survey_created=survey_created,
        rollup_rows=rollup_rows,
    )
