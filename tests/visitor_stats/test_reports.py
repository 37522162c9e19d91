"""What the culture office reads: unique residents, the share, goals, the target curve, utilisation, open data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from events.models import BookingMode, EventStatus
from tests.factories import HallFactory, OrganiserFactory, UserFactory, VenueFactory, buyer
from tests.visitor_stats.helpers import (
    admit,
    at,
    book,
    culture_office_user,
    event_on,
    figure,
    tickets_of,
)
from tickets import people
from tickets.cancellation import cancel_order, cancel_tickets
from tickets.services import Item, place_order
from visitor_stats import reports, rollups
from visitor_stats.models import Origin, Population, Source, SurveyResult, YearlyGoal
from visitor_stats.reports import OpenDataCell, Utilisation, VisitRow

pytestmark = pytest.mark.django_db
END_OF_2024 = date(2024, 12, 31)


def test_a_resident_booking_several_times_counts_once_whatever_the_case_and_spaces_of_the_email():
    # given one resident with three orders under differently written addresses, another resident,
    # and a Swede, a Dane from Copenhagen and an unpaid reservation of a resident
    concert, talk, play = event_on(at(2, 1)), event_on(at(5, 1)), event_on(at(9, 1))
    book(concert, 2, email="Karen@Example.dk")
    book(talk, 1, email="  karen@example.dk ")
    book(play, 1, email="KAREN@EXAMPLE.DK")
    book(play, 1, email="mette@example.dk")
    book(play, 1, email="sven@example.se", is_resident=False, country="SE")
    book(play, 1, email="jens@example.dk", is_resident=False, postcode="2100")
    place_order(
        event_id=play.pk,
        items=[Item(play.ticket_types.get().pk, 1)],
        buyer=buyer(email="ib@example.dk"),
        now=play.starts_at - timedelta(days=3),
    )
    # when the person keys are assigned (the five-minute task) and the year is summed up
    people.assign_person_keys()
    result = reports.summary(year=2024, today=END_OF_2024)
    # then two residents are reached
    assert result.unique_residents == 2


def test_residents_are_counted_per_year_of_the_event():
    # given a resident booking in 2023 and 2024, and another only in 2023
    book(event_on(at(12, 1, year=2023)), email="karen@example.dk")
    book(event_on(at(1, 10)), email="karen@example.dk")
    book(event_on(at(6, 1, year=2023)), email="mette@example.dk")
    people.assign_person_keys()
    # when each year is summed up
    # then each year counts the people who booked for its events
    assert reports.summary(year=2023, today=END_OF_2024).unique_residents == 2
    assert reports.summary(year=2024, today=END_OF_2024).unique_residents == 1


def test_a_cancelled_or_refunded_booking_still_shows_the_person_was_reached():
    # given a resident whose paid order was cancelled by staff
    order = book(event_on(at(3, 3)), email="karen@example.dk")
    cancel_order(order_id=order.pk, refund_ore=0, reason="moved to another date")
    people.assign_person_keys()
    # when the year is summed up; then the resident counts
    assert reports.summary(year=2024, today=END_OF_2024).unique_residents == 1


def test_the_lower_bound_share_uses_the_2024_population_from_the_data_migration():
    # given 2024's population as the data migration stored it and 127 residents who booked
    event = event_on(at(4, 4))
    for number in range(127):
        book(event, email=f"resident{number}@example.dk")
    people.assign_person_keys()
    # when the year is summed up
    result = reports.summary(year=2024, today=END_OF_2024)
    # then the share is 127 / 63,838 as a lower bound, beside no survey
    assert Population.objects.get(year=2024).residents == 63_838
    assert (result.unique_residents, result.population, result.population_year) == (127, 63_838, 2024)
    assert result.resident_share_lower_bound == Decimal("0.2")
    assert result.survey is None


def test_the_share_is_unique_residents_divided_by_the_population_of_the_year():
    # given a (small) population entered for 2025 and 3 residents reached, and a survey result
    Population.objects.create(year=2025, residents=8)
    event = event_on(at(4, 4, year=2025))
    for email in ("a@example.dk", "b@example.dk", "c@example.dk", "A@example.dk"):
        book(event, email=email)
    survey = SurveyResult.objects.create(year=2025, share=Decimal("61.00"), sample_size=1200, source="Borgerpanel")
    people.assign_person_keys()
    # when the year is summed up
    result = reports.summary(year=2025, today=date(2025, 12, 31))
    # then the lower bound is 3 / 8 and the survey is shown beside it, not mixed into it
    assert (result.unique_residents, result.population_year) == (3, 2025)
    assert result.resident_share_lower_bound == Decimal("37.5")
    assert result.survey == survey


def test_without_a_population_for_the_year_the_nearest_year_is_used():
    # given only the 2024 population (from the data migration) and one for 2020
    Population.objects.create(year=2020, residents=62_700)
    # when years without a population are summed up
    # then an earlier year's figure is used first, else the nearest later one
    assert reports.population_for(2026).year == 2024
    assert reports.population_for(2022).year == 2020
    assert reports.population_for(2019).year == 2020
    assert reports.summary(year=2026, today=date(2026, 1, 1)).population_year == 2024


def test_without_any_population_there_is_no_share():
    Population.objects.all().delete()
    result = reports.summary(year=2024, today=END_OF_2024)
    assert (result.population, result.resident_share_lower_bound) == (None, None)


def test_goals_default_to_the_vision_and_can_be_changed_per_year():
    # given a goal entered for 2025 only
    YearlyGoal.objects.create(year=2025, visitors=1_200_000, resident_share=Decimal("70.00"))
    # when the goals are read
    # then 2025 has its own and other years the defaults of Vision 2030
    assert reports.goal_for(2025) == reports.Goal(year=2025, visitors=1_200_000, resident_share=Decimal("70.00"))
    assert reports.goal_for(2030) == reports.Goal(year=2030, visitors=1_600_000, resident_share=Decimal("80.00"))
    assert YearlyGoal(year=2031).visitors == 1_600_000
    assert YearlyGoal(year=2031).resident_share == Decimal("80.00")


def test_progress_is_the_share_of_the_years_goal_reached():
    # given 16,000 visits in 2024 and a goal of 20,000
    YearlyGoal.objects.create(year=2024, visitors=20_000)
    figure(Source.PARTNER, VenueFactory(), at(2, 1, 0), 16_000, hours=24)
    rollups.rebuild()
    # when the year is summed up; then 80 % of the goal is reached
    result = reports.summary(year=2024, today=END_OF_2024)
    assert (result.visits, result.goal.visitors, result.progress) == (16_000, 20_000, Decimal("80.0"))


def monthly_figures(venue, year: int, visits_by_month: dict[int, int]) -> None:
    for month, visits in visits_by_month.items():
        figure(Source.PARTNER, venue, at(month, 1, 0, year=year), visits, hours=24)


def test_the_target_curve_follows_last_years_monthly_shape_and_the_forecast_says_so():
    # given 2023 with twice as many visits in each month of the first half as in the second,
    # and 10,000 visits in the first half of 2024
    kronborg = VenueFactory()
    monthly_figures(kronborg, 2023, {month: 2000 if month <= 6 else 1000 for month in range(1, 13)})
    monthly_figures(kronborg, 2024, {1: 2000, 3: 3000, 6: 5000})
    rollups.rebuild()
    # when 2024 is summed up at the end of June
    result = reports.summary(year=2024, today=date(2024, 6, 30))
    # then two thirds of the year were expected by now, and the forecast is 10,000 / (2/3)
    assert result.forecast_method == "previous_year"
    assert (result.visits, result.forecast) == (10_000, 15_000)
    assert result.target_to_date == 1_066_667
    assert result.target_monthly[0] == 177_778
    assert result.target_monthly[5] == 1_066_667
    assert result.target_monthly[11] == 1_600_000
    assert result.monthly == {1: 2000, 3: 3000, 6: 5000}


def test_without_a_full_previous_year_the_target_curve_is_even():
    # given 2023 with a month without visits, and 3,100 visits in January 2024
    kronborg = VenueFactory()
    monthly_figures(kronborg, 2023, dict.fromkeys(range(1, 12), 1000))
    monthly_figures(kronborg, 2024, {1: 3100})
    rollups.rebuild()
    # when 2024 (a leap year) is summed up at the end of January
    result = reports.summary(year=2024, today=date(2024, 1, 31))
    # then 31 of 366 days were expected and the forecast is 3,100 * 366 / 31
    assert result.forecast_method == "even"
    assert (result.visits, result.forecast) == (3100, 36_600)
    assert result.target_to_date == 135_519
    assert result.target_monthly[1] == round(1_600_000 * 60 / 366)


def test_the_target_to_date_grows_through_the_month():
    # given an even curve for 2025; when the middle of February is asked
    curve = reports.target_curve(2025)
    # then January and half of February are expected
    assert round(curve.expected_share(date(2025, 2, 14)), 20) == round(Decimal(31 + 14) / 365, 20)


def test_a_year_without_visits_has_no_forecast_and_a_past_year_is_read_to_its_end():
    result = reports.summary(year=2023, today=date(2026, 5, 5))
    assert (result.as_of, result.visits, result.forecast, result.progress) == (
        date(2023, 12, 31),
        0,
        None,
        Decimal("0.0"),
    )
    assert result.target_to_date == 1_600_000


def test_visits_are_grouped_as_asked_and_split_by_source():
    # given visits in two months at two venues from two sources
    harbour, library = VenueFactory(), VenueFactory()
    figure(Source.PARTNER, harbour, at(1, 1, 0), 500, hours=24, origin=Origin.SWEDISH)
    figure(Source.GATE_COUNTER, library, at(1, 9, 10), 30)
    figure(Source.GATE_COUNTER, library, at(2, 9, 10), 20)
    rollups.rebuild()
    # when they are grouped by month, venue and origin
    # then each group has a row per source
    assert reports.visits(year=2024, group_by="month") == [
        VisitRow(group="1", source=Source.GATE_COUNTER, visits=30),
        VisitRow(group="1", source=Source.PARTNER, visits=500),
        VisitRow(group="2", source=Source.GATE_COUNTER, visits=20),
    ]
    assert reports.visits(year=2024, group_by="venue", source=Source.GATE_COUNTER) == [
        VisitRow(group=str(library.pk), source=Source.GATE_COUNTER, visits=50)
    ]
    assert reports.visits(year=2024, group_by="origin", venue_id=harbour.pk) == [
        VisitRow(group=Origin.SWEDISH, source=Source.PARTNER, visits=500)
    ]
    assert reports.visits(year=2024, group_by="category") == [
        VisitRow(group="", source=Source.GATE_COUNTER, visits=50),
        VisitRow(group="", source=Source.PARTNER, visits=500),
    ]
    with pytest.raises(ValueError):
        reports.visits(year=2024, group_by="weekday")


def test_utilisation_and_no_shows_per_event_hall_and_venue():
    # given two events in one hall (capacities 10 and 20) and one without hall or capacity
    venue = VenueFactory()
    hall = HallFactory(venue=venue)
    small = event_on(at(3, 1), venue=venue, hall=hall, capacity=10)
    large = event_on(at(3, 2), venue=venue, hall=hall, capacity=20)
    open_air = event_on(at(3, 3), venue=venue)
    admit(tickets_of(book(small, 8))[:6], at(3, 1, 18))
    large_tickets = tickets_of(book(large, 5))
    cancel_tickets(order_id=large_tickets[4].order_id, ticket_ids=[large_tickets[4].pk], refund_ore=0, reason="ill")
    admit(large_tickets[:4], at(3, 2, 18))
    book(open_air, 3)
    event_on(at(3, 4), venue=venue, hall=hall, capacity=100)  # nothing sold: not in the figures
    # when utilisation is read per event, hall and venue
    by_event = reports.utilisation(year=2024, level="event")
    by_hall = reports.utilisation(year=2024, level="hall")
    by_venue = reports.utilisation(year=2024, level="venue")
    # then sold and checked-in shares of capacity and no-show rates are as counted
    assert by_event == [
        Utilisation(level="event", key=small.pk, capacity=10, issued=8, checked_in=6),
        Utilisation(level="event", key=large.pk, capacity=20, issued=4, checked_in=4),
        Utilisation(level="event", key=open_air.pk, capacity=None, issued=3, checked_in=0),
    ]
    assert [(row.sold_share, row.checked_in_share, row.no_show_rate) for row in by_event] == [
        (Decimal("80.0"), Decimal("60.0"), Decimal("25.0")),
        (Decimal("20.0"), Decimal("20.0"), Decimal("0.0")),
        (None, None, Decimal("100.0")),
    ]
    assert by_hall == [Utilisation(level="hall", key=hall.pk, capacity=30, issued=12, checked_in=10)]
    assert (by_hall[0].sold_share, by_hall[0].checked_in_share, by_hall[0].no_show_rate) == (
        Decimal("40.0"),
        Decimal("33.3"),
        Decimal("16.7"),
    )
    assert by_venue == [Utilisation(level="venue", key=venue.pk, capacity=None, issued=15, checked_in=10)]
    assert by_venue[0].no_show_rate == Decimal("33.3")


def test_open_data_suppresses_every_cell_under_five_people():
    # given a month with 4 residents and 5 Swedes at one venue and 3 counted at another venue
    harbour, library = VenueFactory(), VenueFactory()
    concert = event_on(at(3, 1), venue=harbour)
    admit(tickets_of(book(concert, 4)), at(3, 1, 18))
    admit(tickets_of(book(concert, 5, email="sven@example.se", is_resident=False, country="SE")), at(3, 1, 18))
    figure(Source.GATE_COUNTER, library, at(3, 9, 10), 3)
    figure(Source.GATE_COUNTER, library, at(4, 9, 10), 2)
    figure(Source.GATE_COUNTER, library, at(4, 10, 10), 3)
    rollups.rebuild()
    # when the year's open data is read
    cells = reports.open_data(year=2024)
    # then cells under five are suppressed, five and more published, summed over the month first
    assert cells == [
        OpenDataCell(month=3, venue_id=harbour.pk, origin=Origin.RESIDENT, visits=None),
        OpenDataCell(month=3, venue_id=harbour.pk, origin=Origin.SWEDISH, visits=5),
        OpenDataCell(month=3, venue_id=library.pk, origin=Origin.UNKNOWN, visits=None),
        OpenDataCell(month=4, venue_id=library.pk, origin=Origin.UNKNOWN, visits=5),
    ]


@pytest.fixture
def drop_ins():
    """Events of two organisers, ended or not, counted or not; the organiser's member."""
    harbour_days, jazz_club = OrganiserFactory(), OrganiserFactory()
    member = UserFactory()
    harbour_days.members.add(member)
    now = at(8, 20, 12)
    events = {
        "uncounted": event_on(at(8, 10, 12), organiser=harbour_days, booking_mode=BookingMode.DROP_IN),
        "older": event_on(at(6, 1, 12), organiser=harbour_days, booking_mode=BookingMode.DROP_IN),
        "counted": event_on(at(8, 11, 12), organiser=harbour_days, booking_mode=BookingMode.DROP_IN),
        "recounted": event_on(at(8, 12, 12), organiser=harbour_days, booking_mode=BookingMode.DROP_IN),
        "running": event_on(now - timedelta(hours=1), organiser=harbour_days, booking_mode=BookingMode.DROP_IN),
        "cancelled": event_on(
            at(8, 13, 12), organiser=harbour_days, booking_mode=BookingMode.DROP_IN, status=EventStatus.CANCELLED
        ),
        "ticketed": event_on(at(8, 14, 12), organiser=harbour_days),
        "others": event_on(at(8, 15, 12), organiser=jazz_club, booking_mode=BookingMode.DROP_IN),
    }
    for name, visits in (("counted", 300), ("recounted", 100), ("recounted", 120)):
        event = events[name]
        figure(Source.HEAD_COUNT, event.venue, event.starts_at, visits, event=event)
    return member, now, events


def test_an_organisers_to_do_lists_their_ended_drop_in_events_without_a_head_count(drop_ins):
    # given the drop-in events of an organiser and another
    member, now, events = drop_ins
    # when the member's to-do list is read
    to_do = list(reports.events_missing_head_count(member, now))
    # then it holds their ended, uncounted drop-in events, oldest first
    assert to_do == [events["older"], events["uncounted"]]


def test_the_to_do_can_leave_out_events_that_ended_long_ago(drop_ins):
    member, now, events = drop_ins
    assert list(reports.events_missing_head_count(member, now, since=now - timedelta(days=30))) == [events["uncounted"]]


def test_the_culture_office_sees_every_missing_head_count_and_strangers_none(drop_ins):
    # given the events; when the culture office, a stranger and an anonymous visitor ask
    _member, now, events = drop_ins
    # then the office sees every organiser's, the others nothing
    assert list(reports.events_missing_head_count(culture_office_user(), now)) == [
        events["older"],
        events["uncounted"],
        events["others"],
    ]
    assert list(reports.events_missing_head_count(UserFactory(), now)) == []
    assert list(reports.events_missing_head_count(AnonymousUser(), now)) == []


def test_a_head_count_taken_off_the_to_do_once_entered(drop_ins):
    # given the member's to-do; when the uncounted festival gets its head count
    member, now, events = drop_ins
    festival = events["uncounted"]
    figure(Source.HEAD_COUNT, festival.venue, festival.starts_at, 800, event=festival)
    # then only the older event is left
    assert list(reports.events_missing_head_count(member, now)) == [events["older"]]
