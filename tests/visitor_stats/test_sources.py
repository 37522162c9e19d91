"""Every source counted, each with its quality, and no visit counted from two sources."""

from datetime import timedelta

import pytest

from events.models import BookingMode
from tests.factories import CategoryFactory, UserFactory, VenueFactory
from tests.tickets.door import scan, staff_scanner
from tests.visitor_stats.helpers import admit, at, book, event_on, figure, rollup_rows, tickets_of
from tickets.documents import ticket_code
from tickets.models import ScanResult
from visitor_stats import reports, rollups
from visitor_stats.models import Origin, Quality, Source, VisitFigure

pytestmark = pytest.mark.django_db


def test_each_ticket_counts_once_on_its_first_admission_and_re_entries_do_not_count_again():
    # given a concert allowing re-entry, three tickets in one order, two scanned in, one going out and in again
    concert = event_on(at(3, 14, 19), allows_reentry=True)
    first, second, _unused = tickets_of(book(concert, 3))
    door = staff_scanner(concert.venue)
    doors = concert.starts_at - timedelta(minutes=30)
    assert scan(ticket_code(first), at=doors, scanner=door).result == ScanResult.OK
    assert scan(ticket_code(second), at=doors + timedelta(minutes=1), scanner=door).result == ScanResult.OK
    scan(ticket_code(first), at=doors + timedelta(minutes=40), scanner=door, direction="out")
    reentry = scan(ticket_code(first), at=doors + timedelta(minutes=50), scanner=door)
    assert (reentry.result, reentry.scan.is_reentry) == (ScanResult.OK, True)
    # when the rollups are built
    rollups.rebuild()
    # then two visits are counted, as counted ticket scans of residents
    assert rollup_rows() == [
        (
            concert.starts_at.date(),
            concert.venue_id,
            concert.pk,
            concert.category_id,
            Source.TICKET_SCANS,
            Quality.COUNTED,
            Origin.RESIDENT,
            2,
        )
    ]


def test_a_repeated_scan_of_an_admitted_ticket_is_turned_away_and_not_counted():
    # given a ticket scanned in twice without going out
    concert = event_on(at(3, 14, 19))
    (ticket,) = tickets_of(book(concert))
    door = staff_scanner(concert.venue)
    scan(ticket_code(ticket), at=concert.starts_at - timedelta(minutes=5), scanner=door)
    again = scan(ticket_code(ticket), at=concert.starts_at, scanner=door)
    # when the rollups are built
    rollups.rebuild()
    # then the second scan was refused and the ticket counts once
    assert again.result == ScanResult.ALREADY_USED
    assert [row[-1] for row in rollup_rows()] == [1]


def test_free_registration_check_ins_and_companions_count_as_ticket_scans():
    # given a free talk with a registration of two, and a concert with a wheelchair user and companion
    talk = event_on(at(5, 2, 17), booking_mode=BookingMode.FREE_REGISTRATION, is_free=True)
    registration = book(talk, 2, email="talk@example.dk", country="SE", is_resident=False)
    venue = VenueFactory(wheelchair_spaces=2)
    concert = event_on(at(5, 3, 20), venue=venue)
    order = book(concert, 1, companions=1, email="wheels@example.dk", country="DE", is_resident=False)
    # when everyone is checked in and the rollups are built
    admit(tickets_of(registration), at(5, 2, 16, 50))
    admit(tickets_of(order), at(5, 3, 19, 40))
    rollups.rebuild()
    # then each person is a counted visit with the origin of the order
    assert len(tickets_of(order)) == 2
    assert sorted(rollup_rows()) == [
        (
            talk.starts_at.date(),
            talk.venue_id,
            talk.pk,
            talk.category_id,
            Source.TICKET_SCANS,
            Quality.COUNTED,
            Origin.SWEDISH,
            2,
        ),
        (
            concert.starts_at.date(),
            venue.pk,
            concert.pk,
            concert.category_id,
            Source.TICKET_SCANS,
            Quality.COUNTED,
            Origin.GERMAN,
            2,
        ),
    ]


def test_tickets_not_admitted_are_not_visits():
    # given sold tickets nobody scanned
    concert = event_on(at(3, 14, 19))
    book(concert, 4)
    # when the rollups are built
    rollups.rebuild()
    # then there are no visits
    assert rollup_rows() == []


def test_gate_counters_count_ins_not_ins_plus_outs():
    # given a library door counter reporting 120 in and 118 out in an hour
    library = VenueFactory()
    counted = figure(Source.GATE_COUNTER, library, at(2, 6, 10), 120, exits=118, counter="Hovedindgang")
    # when the rollups are built
    rollups.rebuild()
    # then 120 visits are counted, of unknown origin and without an event
    assert (counted.quality, counted.exits) == (Quality.COUNTED, 118)
    assert rollup_rows() == [
        (at(2, 6).date(), library.pk, None, None, Source.GATE_COUNTER, Quality.COUNTED, Origin.UNKNOWN, 120)
    ]


def test_several_counter_intervals_add_up():
    # given two doors counting over two hours
    library = VenueFactory()
    figure(Source.GATE_COUNTER, library, at(2, 6, 10), 50, counter="North")
    figure(Source.GATE_COUNTER, library, at(2, 6, 11), 70, counter="North")
    figure(Source.GATE_COUNTER, library, at(2, 6, 10), 30, counter="South")
    # when the rollups are built
    rollups.rebuild()
    # then the day has 150 visits
    assert [row[-1] for row in rollup_rows()] == [150]


def test_head_count_of_a_drop_in_event_is_added_as_estimated():
    # given a harbour festival without tickets and its organiser's head count
    festival = event_on(at(8, 10, 12), booking_mode=BookingMode.DROP_IN, category=CategoryFactory())
    organiser = UserFactory()
    counted = figure(Source.HEAD_COUNT, festival.venue, festival.starts_at, 2500, event=festival, user_id=organiser.pk)
    # when the rollups are built
    rollups.rebuild()
    # then the head count is an estimated figure of the event, and who entered it is kept
    assert (counted.quality, counted.entered_by_id) == (Quality.ESTIMATED, organiser.pk)
    assert rollup_rows() == [
        (
            festival.starts_at.date(),
            festival.venue_id,
            festival.pk,
            festival.category_id,
            Source.HEAD_COUNT,
            Quality.ESTIMATED,
            Origin.UNKNOWN,
            2500,
        )
    ]


def test_partner_figures_are_reported():
    # given Kronborg's monthly total for June
    kronborg = VenueFactory(slug="kronborg")
    reported = figure(Source.PARTNER, kronborg, at(6, 1, 0), 80_000, hours=30 * 24, origin=Origin.OTHER_FOREIGN)
    # when the rollups are built
    rollups.rebuild()
    # then the figure counts on the month's first day, as reported
    assert reported.quality == Quality.REPORTED
    assert rollup_rows() == [
        (at(6, 1).date(), kronborg.pk, None, None, Source.PARTNER, Quality.REPORTED, Origin.OTHER_FOREIGN, 80_000)
    ]


@pytest.mark.parametrize("mode", [BookingMode.TICKETS, BookingMode.FREE_REGISTRATION])
def test_a_head_count_of_a_ticketed_event_is_kept_beside_the_scans_not_added(mode):
    # given an event with three admissions and an organiser's head count of 300
    event = event_on(at(4, 20, 19), booking_mode=mode, is_free=mode == BookingMode.FREE_REGISTRATION)
    admit(tickets_of(book(event, 3)), at(4, 20, 18, 45))
    head_count = figure(Source.HEAD_COUNT, event.venue, event.starts_at, 300, event=event)
    # when the rollups are built
    rollups.rebuild()
    # then only the scans count, and the head count is still there to be shown beside them
    assert rollup_rows() == [
        (
            event.starts_at.date(),
            event.venue_id,
            event.pk,
            event.category_id,
            Source.TICKET_SCANS,
            Quality.COUNTED,
            Origin.RESIDENT,
            3,
        )
    ]
    assert VisitFigure.objects.get().pk == head_count.pk
    assert (head_count.replaced_at, head_count.visits) == (None, 300)
    assert reports.summary(year=2024, today=at(12, 31).date()).visits_by_source == {Source.TICKET_SCANS: 3}


def test_each_source_is_totalled_apart_in_the_summary():
    # given a visit from every source at one venue
    venue = VenueFactory()
    concert = event_on(at(3, 1, 19), venue=venue)
    admit(tickets_of(book(concert, 2)), at(3, 1, 18, 30))
    festival = event_on(at(3, 2, 12), venue=venue, booking_mode=BookingMode.DROP_IN)
    figure(Source.HEAD_COUNT, venue, festival.starts_at, 400, event=festival)
    figure(Source.GATE_COUNTER, venue, at(3, 3, 9), 60)
    figure(Source.PARTNER, venue, at(3, 1, 0), 1000, hours=24 * 31)
    # when the rollups are built and the year is summed up
    rollups.rebuild()
    result = reports.summary(year=2024, today=at(12, 31).date())
    # then every source has its own total and the total is their sum
    assert result.visits_by_source == {
        Source.GATE_COUNTER: 60,
        Source.HEAD_COUNT: 400,
        Source.PARTNER: 1000,
        Source.TICKET_SCANS: 2,
    }
    assert result.visits == 1462
