"""Figures entered by people and counters: corrections leave a trace, CSV imports are all or nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import BookingMode
from tests.factories import UserFactory, VenueFactory
from tests.visitor_stats.helpers import at, event_on, figure, rollup_rows
from visitor_stats import rollups
from visitor_stats.figures import FigureInput, FigureRejected, import_csv, record_figure
from visitor_stats.models import Origin, Quality, Source, VisitFigure

pytestmark = pytest.mark.django_db


def test_a_correction_replaces_the_figure_and_keeps_the_old_one_with_a_trace():
    # given a counter figure of 100 entered by one person
    library = VenueFactory()
    clerk, office = UserFactory(), UserFactory()
    original = figure(Source.GATE_COUNTER, library, at(2, 6, 10), 100, user_id=clerk.pk)
    # when another person enters 120 for the same counter and hour
    corrected_at = timezone.now()
    correction = record_figure(
        figure=FigureInput(
            source=Source.GATE_COUNTER,
            venue=library,
            counter="Main door",
            period_start=at(2, 6, 10),
            period_end=at(2, 6, 11),
            visits=120,
            note="Counter missed the school class",
        ),
        entered_by_id=office.pk,
        now=corrected_at,
    )
    rollups.rebuild()
    # then the old figure stays as it was, pointing at its replacement, and only the new one counts
    original.refresh_from_db()
    assert (original.visits, original.entered_by_id, original.replaced_by_id, original.replaced_at) == (
        100,
        clerk.pk,
        correction.pk,
        corrected_at,
    )
    assert (correction.visits, correction.entered_by_id, correction.replaced_at) == (120, office.pk, None)
    assert correction.replaces == original
    assert [row[-1] for row in rollup_rows()] == [120]


def test_corrections_chain_and_only_the_latest_counts():
    # given a head count corrected twice
    festival = event_on(at(8, 10, 12), booking_mode=BookingMode.DROP_IN)
    first = figure(Source.HEAD_COUNT, festival.venue, festival.starts_at, 1000, event=festival)
    second = figure(Source.HEAD_COUNT, festival.venue, festival.starts_at, 1500, event=festival)
    third = figure(Source.HEAD_COUNT, festival.venue, festival.starts_at, 1400, event=festival)
    # when the rollups are built
    rollups.rebuild()
    # then the trace runs first -> second -> third and the day has 1,400 visits
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.replaced_by_id, second.replaced_by_id, third.replaced_by_id) == (second.pk, third.pk, None)
    assert VisitFigure.objects.filter(replaced_at__isnull=True).get() == third
    assert [row[-1] for row in rollup_rows()] == [1400]


def test_a_figure_for_another_slot_is_not_a_correction():
    # given figures for the same hour from two counters and of two origins
    library = VenueFactory()
    north = figure(Source.GATE_COUNTER, library, at(2, 6, 10), 40, counter="North")
    south = figure(Source.GATE_COUNTER, library, at(2, 6, 10), 30, counter="South")
    partner = figure(Source.PARTNER, library, at(2, 1, 0), 500, hours=24, origin=Origin.SWEDISH)
    partner_danes = figure(Source.PARTNER, library, at(2, 1, 0), 700, hours=24, origin=Origin.OTHER_DANISH)
    # when the rollups are built
    rollups.rebuild()
    # then nothing was replaced and all of them count
    assert VisitFigure.objects.filter(replaced_at__isnull=True).count() == 4
    stored = set(VisitFigure.objects.values_list("pk", flat=True))
    assert {f.pk for f in (north, south, partner, partner_danes)} == stored
    assert sum(row[-1] for row in rollup_rows()) == 1270


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": Source.TICKET_SCANS}, "Ticket scans are counted automatically; choose another source."),
        ({"period_end": at(2, 6, 10)}, "The period must end after it starts."),
        ({"visits": -1}, "Counts cannot be negative."),
        ({"source": Source.HEAD_COUNT}, "A head count belongs to an event."),
        ({"counter": ""}, "Name the counter, e.g. the door it counts."),
    ],
)
def test_figures_breaking_a_rule_are_refused_and_nothing_is_stored(changes, message):
    # given a figure breaking one rule
    values = {
        "source": Source.GATE_COUNTER,
        "venue": VenueFactory(),
        "counter": "Main door",
        "period_start": at(2, 6, 10),
        "period_end": at(2, 6, 11),
        "visits": 10,
    }
    # when it is recorded
    with pytest.raises(FigureRejected) as refused:
        record_figure(figure=FigureInput(**(values | changes)), entered_by_id=None)
    # then it is refused with a reason and nothing is stored
    assert refused.value.message == message
    assert VisitFigure.objects.count() == 0


def test_a_figure_for_an_event_at_another_venue_or_ahead_of_time_is_refused():
    # given a drop-in event at one venue
    festival = event_on(at(8, 10, 12), booking_mode=BookingMode.DROP_IN)
    tomorrow = timezone.now() + timedelta(days=1)
    # when it is counted at another venue, or before it happened
    with pytest.raises(FigureRejected) as elsewhere:
        figure(Source.HEAD_COUNT, VenueFactory(), festival.starts_at, 10, event=festival)
    with pytest.raises(FigureRejected) as ahead:
        figure(Source.GATE_COUNTER, festival.venue, tomorrow, 10)
    # then both are refused and nothing is stored
    assert (elsewhere.value.message, ahead.value.message) == (
        "The event is not at this venue.",
        "Visits cannot be counted ahead of time.",
    )
    assert VisitFigure.objects.count() == 0


HEADER = "source,venue,event,counter,period_start,period_end,visits,exits,origin,note\n"


@pytest.fixture
def places():
    library = VenueFactory(slug="bibliotek")
    festival = event_on(at(8, 10, 12), booking_mode=BookingMode.DROP_IN, slug="havnefest", venue=library)
    return library, festival


def test_a_good_file_is_imported_with_who_imported_it(places):
    # given a file with a counter hour, a head count and a partner month, with a byte-order mark
    _library, festival = places
    clerk = UserFactory()
    text = (
        "\ufeff"
        + HEADER
        + (
            "gate_counter,bibliotek,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,120,118,,\n"
            "head_count,bibliotek,havnefest,,2024-08-10T12:00:00+02:00,2024-08-10T18:00:00+02:00,2500,,,Estimate\n"
            "partner,bibliotek,,,2024-06-01T00:00:00+02:00,2024-07-01T00:00:00+02:00,9000,,swedish,\n"
        )
    )
    # when it is imported
    report = import_csv(text=text, entered_by_id=clerk.pk)
    # then every row is a figure of the right quality, entered by the clerk
    assert (report.imported, report.errors) == (3, [])
    assert sorted(
        VisitFigure.objects.values_list("source", "quality", "event_id", "counter", "visits", "exits", "origin")
    ) == [
        (Source.GATE_COUNTER, Quality.COUNTED, None, "North", 120, 118, Origin.UNKNOWN),
        (Source.HEAD_COUNT, Quality.ESTIMATED, festival.pk, "", 2500, None, Origin.UNKNOWN),
        (Source.PARTNER, Quality.REPORTED, None, "", 9000, None, Origin.SWEDISH),
    ]
    assert set(VisitFigure.objects.values_list("entered_by_id", flat=True)) == {clerk.pk}


def test_a_file_with_errors_reports_each_bad_row_and_imports_nothing(places):
    # given a file with one good row and a bad row of every kind
    good = "gate_counter,bibliotek,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,120,,,\n"
    text = (
        HEADER
        + good
        + (
            "gate_counter,nowhere,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,5,,,\n"  # 3
            "head_count,bibliotek,no-such-event,,2024-08-10T12:00:00+02:00,2024-08-10T13:00:00+02:00,5,,,\n"  # 4
            "gate_counter,bibliotek,,North,2024-02-06T12:00:00+01:00,2024-02-06T13:00:00+01:00,5,,martian,\n"  # 5
            "gate_counter,bibliotek,,North,2024-02-06 12:00,2024-02-06T13:00:00+01:00,5,,,\n"  # 6: no offset
            "gate_counter,bibliotek,,North,yesterday,2024-02-06T13:00:00+01:00,5,,,\n"  # 7
            "gate_counter,bibliotek,,North,2024-02-30T12:00:00+01:00,2024-02-06T13:00:00+01:00,5,,,\n"  # 8: no such day
            "gate_counter,bibliotek,,North,2024-02-06T14:00:00+01:00,2024-02-06T13:00:00+01:00,5,,,\n"  # 9: backwards
            "gate_counter,bibliotek,,North,2024-02-06T15:00:00+01:00,2024-02-06T16:00:00+01:00,many,,,\n"  # 10
            "gate_counter,bibliotek,,North,2024-02-06T16:00:00+01:00,2024-02-06T17:00:00+01:00,,,,\n"  # 11
            "gate_counter,bibliotek,,North,2024-02-06T17:00:00+01:00,2024-02-06T18:00:00+01:00,-3,,,\n"  # 12
            "gate_counter,bibliotek,,North,2024-02-06T18:00:00+01:00,2024-02-06T19:00:00+01:00,²,,,\n"  # 13
            "ticket_scans,bibliotek,,North,2024-02-06T19:00:00+01:00,2024-02-06T20:00:00+01:00,5,,,\n"  # 14
            "gate_counter,bibliotek,,,2024-02-06T20:00:00+01:00,2024-02-06T21:00:00+01:00,5,,,\n"  # 15: no counter
            + good  # 16: the same figure twice
        )
    )
    # when it is imported
    report = import_csv(text=text, entered_by_id=None)
    # then every bad row is reported by its line in the file and nothing is imported
    assert report.imported == 0
    assert report.errors == [
        {"row": 3, "message": "Unknown venue."},
        {"row": 4, "message": "Unknown event."},
        {"row": 5, "message": "Unknown origin."},
        {"row": 6, "message": "period_start must be a date and time with a UTC offset."},
        {"row": 7, "message": "period_start must be a date and time with a UTC offset."},
        {"row": 8, "message": "period_start must be a date and time with a UTC offset."},
        {"row": 9, "message": "The period must end after it starts."},
        {"row": 10, "message": "visits must be a whole number."},
        {"row": 11, "message": "visits is missing."},
        {"row": 12, "message": "visits must be a whole number."},
        {"row": 13, "message": "visits must be a whole number."},
        {"row": 14, "message": "Ticket scans are counted automatically; choose another source."},
        {"row": 15, "message": "Name the counter, e.g. the door it counts."},
        {"row": 16, "message": "The same figure appears twice in the file."},
    ]
    assert VisitFigure.objects.count() == 0


def test_a_count_too_large_to_store_is_a_row_error(places):
    # given a counter hour with an impossible number of visits
    text = HEADER + "gate_counter,bibliotek,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,9999999999,,,\n"
    # when it is imported
    report = import_csv(text=text, entered_by_id=None)
    # then the row is reported and nothing is stored
    assert (report.imported, report.errors) == (
        0,
        [{"row": 2, "message": "A figure may hold at most 10000000 visits."}],
    )
    assert VisitFigure.objects.count() == 0


def test_a_file_missing_columns_is_refused_as_a_whole(places):
    # given a file without the visits and period_end columns
    text = "source,venue,period_start\ngate_counter,bibliotek,2024-02-06T10:00:00+01:00\n"
    # when it is imported
    report = import_csv(text=text, entered_by_id=None)
    # then the header row is reported and nothing is stored
    assert report.errors == [{"row": 1, "message": "Missing columns: period_end, visits."}]
    assert VisitFigure.objects.count() == 0


def test_rows_the_importer_may_not_enter_are_errors(places):
    # given a file for a venue the importing person does not look after
    text = HEADER + "gate_counter,bibliotek,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,120,,,\n"
    # when it is imported by someone allowed nothing
    report = import_csv(text=text, entered_by_id=None, allowed=lambda figure: False)
    # then the row is refused and nothing is stored
    assert report.errors == [{"row": 2, "message": "You may not enter figures for this venue or event."}]
    assert VisitFigure.objects.count() == 0


def test_importing_a_figure_again_corrects_it_with_a_trace(places):
    # given an imported counter hour
    row = "gate_counter,bibliotek,,North,2024-02-06T10:00:00+01:00,2024-02-06T11:00:00+01:00,{visits},,,\n"
    import_csv(text=HEADER + row.format(visits=100), entered_by_id=None)
    # when a corrected file is imported
    report = import_csv(text=HEADER + row.format(visits=110), entered_by_id=None)
    rollups.rebuild()
    # then the old figure is kept as replaced and the day counts 110
    assert report.imported == 1
    old, new = VisitFigure.objects.order_by("id")
    assert (old.visits, old.replaced_by_id, new.visits, new.replaced_at) == (100, new.pk, 110, None)
    assert [row[-1] for row in rollup_rows()] == [110]


def test_a_time_offset_beyond_what_postgresql_takes_is_imported_as_the_same_moment(places):
    # given a counter hour written with an offset of -21:15 (valid ISO 8601, out of PostgreSQL's range)
    text = HEADER + "gate_counter,bibliotek,,North,2024-02-06T00:00:00-21:15,2024-02-06T01:00:00-21:15,5,,,\n"
    # when it is imported
    report = import_csv(text=text, entered_by_id=None)
    # then it is stored as the same moment in UTC
    assert (report.imported, report.errors) == (1, [])
    stored = VisitFigure.objects.get()
    assert stored.period_start == datetime(2024, 2, 6, 21, 15, tzinfo=UTC)
