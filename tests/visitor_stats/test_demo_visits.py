"""The demo visitor figures: believable totals, only ever their own figures, the same on every run."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import BookingMode
from tests.factories import EventFactory, EventSeriesFactory, UserFactory, VenueFactory
from tests.visitor_stats.helpers import figure, rollup_table
from visitor_stats import reports
from visitor_stats.demo import DEMO_NOTE, GATE_COUNTERS, PARTNERS, SURVEY_SOURCE, load_demo_visits
from visitor_stats.models import Origin, Source, SurveyResult, VisitFigure
from visitor_stats.rollups import COPENHAGEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def venues():
    """The demo venues load_demo makes, by slug."""
    return {spec.venue: VenueFactory(slug=spec.venue) for spec in (*GATE_COUNTERS, *PARTNERS)}


def figures() -> list[tuple]:
    return sorted(
        VisitFigure.objects.values_list(
            "source",
            "venue_id",
            "event_id",
            "counter",
            "period_start",
            "period_end",
            "visits",
            "exits",
            "origin",
            "note",
            "replaced_at",
        ),
        key=repr,
    )


def test_the_command_twice_changes_nothing_and_leaves_real_figures_alone(venues):
    last_year = timezone.localdate().year - 1
    first_of_may = datetime(last_year, 5, 1, tzinfo=COPENHAGEN)
    real = figure(
        Source.PARTNER,
        venues["kronborg-slot"],
        first_of_may,
        12_345,
        hours=24 * 31,
        origin=Origin.SWEDISH,
        note="demo",
        user_id=UserFactory().pk,
    )

    call_command("load_demo_visits", stdout=io.StringIO())
    once, rollups_once = figures(), rollup_table()
    call_command("load_demo_visits", stdout=io.StringIO())

    assert figures() == once
    assert rollup_table() == rollups_once
    real.refresh_from_db()
    assert (real.visits, real.replaced_at) == (12_345, None)
    assert VisitFigure.objects.filter(venue=real.venue, period_start=first_of_may, origin=Origin.SWEDISH).count() == 1
    assert SurveyResult.objects.get(source=SURVEY_SOURCE).year == last_year
    summary = reports.summary(year=last_year, today=timezone.localdate())
    assert 1_300_000 <= summary.visits <= 1_500_000
    assert set(summary.visits_by_source) == {Source.GATE_COUNTER, Source.PARTNER}
    assert summary.survey is not None and summary.survey.share == Decimal("62.00")


def test_this_year_up_to_yesterday_peaks_in_summer(venues):
    now = datetime(2026, 9, 15, 10, tzinfo=UTC)
    load_demo_visits(seed=1, now=now)

    assert not VisitFigure.objects.filter(period_end__gt=datetime(2026, 9, 15, tzinfo=COPENHAGEN)).exists()
    assert VisitFigure.objects.exclude(note=DEMO_NOTE).count() == 0
    summary = reports.summary(year=2026, today=date(2026, 9, 15))
    assert summary.forecast_method == "previous_year"
    assert 1_300_000 <= summary.forecast <= 1_600_000
    assert summary.monthly[7] > 1.5 * summary.monthly[1]
    assert sorted(summary.monthly) == list(range(1, 10))
    origins = {row.group for row in reports.visits(year=2026, group_by="origin")}
    assert origins == {
        Origin.RESIDENT,
        Origin.OTHER_DANISH,
        Origin.SWEDISH,
        Origin.GERMAN,
        Origin.OTHER_FOREIGN,
        Origin.UNKNOWN,
    }


def test_head_counts_only_for_past_drop_in_occurrences_without_one(venues):
    now = datetime(2026, 9, 15, 10, tzinfo=UTC)
    library = venues["kulturvaerftet-bibliotek"]
    series = EventSeriesFactory(venue=library, booking_mode=BookingMode.DROP_IN)
    past, counted, coming = (
        EventFactory(
            series=series, venue=library, booking_mode=BookingMode.DROP_IN, starts_at=start, recurrence_id=start
        )
        for start in (now - timedelta(days=7), now - timedelta(days=14), now + timedelta(days=7))
    )
    figure(Source.HEAD_COUNT, library, counted.starts_at, 40, event=counted, user_id=UserFactory().pk)

    load_demo_visits(seed=1, now=now)

    demo = VisitFigure.objects.filter(source=Source.HEAD_COUNT, note=DEMO_NOTE)
    assert [f.event for f in demo] == [past]
    assert VisitFigure.objects.get(event=counted).visits == 40
    assert not VisitFigure.objects.filter(event=coming).exists()


def test_without_the_demo_venues_there_is_nothing_to_make():
    out = io.StringIO()
    call_command("load_demo_visits", stdout=out)

    assert not VisitFigure.objects.exists()
    assert "run load_demo first" in out.getvalue()
