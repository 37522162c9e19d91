"""The daily rollups: a rebuild equals counting from scratch, and a refresh equals a rebuild."""

from collections import Counter

import pytest
from django.utils import timezone

from events.models import BookingMode
from tests.factories import CategoryFactory, HallFactory, VenueFactory
from tests.tickets.door import offline, scan, staff_scanner
from tests.visitor_stats.helpers import CPH, admit, at, book, event_on, figure, rollup_table, tickets_of
from tickets.cancellation import cancel_tickets
from tickets.documents import ticket_code
from tickets.models import Ticket
from tickets.scanning import record_scans
from visitor_stats import rollups
from visitor_stats.models import DailyVisits, Origin, RollupState, Source, VisitFigure

pytestmark = pytest.mark.django_db

QUALITY = {"ticket_scans": "counted", "gate_counter": "counted", "head_count": "estimated", "partner": "reported"}


def expected_origin(is_resident: bool, country: str) -> str:
    if is_resident:
        return "resident"
    return {"DK": "other_danish", "SE": "swedish", "DE": "german", "": "unknown"}.get(country, "other_foreign")


def count_from_scratch() -> Counter:
    """The rollup table counted again in Python from the raw rows, without the rollup code."""
    totals: Counter = Counter()
    for ticket in Ticket.objects.filter(entered_at__isnull=False).select_related("event", "order"):
        key = (
            ticket.entered_at.astimezone(CPH).date(),
            ticket.event.venue_id,
            ticket.event_id,
            ticket.event.category_id,
            "ticket_scans",
            expected_origin(ticket.order.buyer_is_resident, ticket.order.buyer_country),
        )
        totals[key] += 1
    for row in VisitFigure.objects.filter(replaced_by__isnull=True).select_related("event"):
        if row.source == "head_count" and row.event.booking_mode != "drop_in":
            continue  # shown beside the scans, not added
        key = (
            row.period_start.astimezone(CPH).date(),
            row.venue_id,
            row.event_id,
            row.event.category_id if row.event else None,
            row.source,
            row.origin,
        )
        totals[key] += row.visits
    return Counter({(*key[:5], QUALITY[key[4]], key[5], visits): 1 for key, visits in totals.items() if visits})


@pytest.fixture
def town():
    """Two venues with ticketed, free and drop-in events, counters and partner figures, some corrected."""
    kulturvaerftet = VenueFactory(slug="kulturvaerftet", wheelchair_spaces=4)
    library = VenueFactory(slug="bibliotek")
    concerts, talks = CategoryFactory(), CategoryFactory()
    hall = HallFactory(venue=kulturvaerftet)
    jazz = event_on(at(3, 14, 20), venue=kulturvaerftet, hall=hall, category=concerts)
    late = event_on(at(10, 26, 23), venue=kulturvaerftet, category=concerts)  # goes on past midnight into winter time
    talk = event_on(at(3, 14, 17), venue=library, category=talks, booking_mode=BookingMode.FREE_REGISTRATION)
    fest = event_on(at(8, 10, 12), venue=kulturvaerftet, category=talks, booking_mode=BookingMode.DROP_IN)
    residents = book(jazz, 3, companions=1, email="karen@example.dk")
    swedes = book(jazz, 2, email="sven@example.se", is_resident=False, country="SE", postcode="25220")
    germans = book(late, 4, email="hans@example.de", is_resident=False, country="DE", postcode="20095")
    norwegians = book(late, 1, email="ola@example.no", is_resident=False, country="NO", postcode="0150")
    unknown = book(talk, 2, email="anon@example.org", is_resident=False, country="")
    danes = book(talk, 1, email="mette@example.dk", is_resident=False, country="DK", postcode="2100")
    admit(tickets_of(residents), at(3, 14, 19, 30))
    admit(tickets_of(swedes)[:1], at(3, 14, 19, 45))
    admit(tickets_of(germans)[:2], at(10, 26, 22, 50))
    admit(tickets_of(germans)[2:], at(10, 27, 0, 30))  # after midnight in Copenhagen, before it in UTC
    admit(tickets_of(norwegians), at(10, 27, 1, 30))
    admit(tickets_of(unknown), at(3, 14, 16, 55))
    admit(tickets_of(danes), at(3, 14, 16, 59))
    # admitted, then cancelled by staff: the visit happened
    refunded = tickets_of(swedes)[0]
    cancel_tickets(order_id=refunded.order_id, ticket_ids=[refunded.pk], refund_ore=0, reason="left ill")
    figure(Source.GATE_COUNTER, library, at(3, 14, 10), 80, exits=75, counter="North")
    figure(Source.GATE_COUNTER, library, at(3, 14, 10), 90, exits=88, counter="North")  # a correction
    figure(Source.GATE_COUNTER, library, at(3, 14, 23, 30), 4, counter="South")
    figure(Source.GATE_COUNTER, library, at(3, 15, 0, 30), 2, counter="South")
    figure(Source.HEAD_COUNT, kulturvaerftet, fest.starts_at, 2000, event=fest)
    figure(Source.HEAD_COUNT, kulturvaerftet, fest.starts_at, 2400, event=fest)  # a correction
    figure(Source.HEAD_COUNT, kulturvaerftet, jazz.starts_at, 250, event=jazz)  # beside the scans
    figure(Source.HEAD_COUNT, library, talk.starts_at, 40, event=talk)  # beside the check-ins
    figure(Source.PARTNER, library, at(6, 1, 0), 5000, hours=24 * 30, origin=Origin.OTHER_FOREIGN)
    figure(Source.PARTNER, library, at(6, 1, 0), 7000, hours=24 * 30, origin=Origin.OTHER_DANISH)
    return {"venues": (kulturvaerftet, library), "events": (jazz, late, talk, fest)}


def test_a_rebuild_equals_counting_from_scratch(town):
    # given a year of visits from every source (the town fixture)
    expected = count_from_scratch()
    # when the rollups are rebuilt
    written = rollups.rebuild(now=at(12, 31))
    # then the table is what counting from scratch gives, row for row
    assert rollup_table() == expected
    assert written == len(expected) == 12
    after_midnight = DailyVisits.objects.filter(day=at(10, 27).date(), event=town["events"][1])
    assert sorted(after_midnight.values_list("origin", "visits")) == [(Origin.GERMAN, 2), (Origin.OTHER_FOREIGN, 1)]
    assert RollupState.objects.get().rebuilt_at == at(12, 31)


def test_rebuilding_twice_changes_nothing(town):
    # given rollups built once
    rollups.rebuild()
    first = rollup_table()
    # when they are rebuilt again
    rollups.rebuild()
    # then the table is the same
    assert rollup_table() == first == count_from_scratch()


def test_the_first_refresh_builds_everything(town):
    # given no rollups yet
    assert not RollupState.objects.exists()
    # when the incremental refresh runs
    rollups.refresh_changes(now=at(12, 31))
    # then it has built the whole table
    assert rollup_table() == count_from_scratch()
    assert RollupState.objects.get().refreshed_until == at(12, 31)


def test_a_refresh_after_new_arrivals_gives_the_same_table_as_a_rebuild(town):
    # given rollups built on 1 November
    kulturvaerftet, library = town["venues"]
    rollups.rebuild(now=at(11, 1, 12))
    # when more visits arrive: scans, a late admission, counter hours, a correction, a new head count
    concert = event_on(at(11, 5, 19), venue=kulturvaerftet, allows_reentry=True)
    first, second = tickets_of(book(concert, 2, email="new@example.dk"))
    door = staff_scanner(kulturvaerftet)
    scan(ticket_code(first), at=at(11, 5, 18, 40), scanner=door)
    scan(ticket_code(second), at=at(11, 5, 18, 41), scanner=door)
    scan(ticket_code(first), at=at(11, 5, 20, 0), scanner=door, direction="out")
    scan(ticket_code(first), at=at(11, 5, 20, 10), scanner=door)
    swedes_left = Ticket.objects.filter(order__buyer_country="SE", entered_at__isnull=True)
    admit(list(swedes_left), at(3, 14, 20, 5), changed_at=at(11, 5, 21))  # a late upload for March
    figure(Source.GATE_COUNTER, library, at(11, 5, 10), 33, counter="North")
    figure(Source.GATE_COUNTER, library, at(3, 14, 10), 95, counter="North")  # corrects March again
    figure(Source.HEAD_COUNT, kulturvaerftet, concert.starts_at, 99, event=concert)  # beside the scans
    figure(Source.PARTNER, library, at(6, 1, 0), 6000, hours=24 * 30, origin=Origin.OTHER_FOREIGN)
    rollups.refresh_changes(now=at(11, 6, 3))
    refreshed = rollup_table()
    # then the refreshed table is the one a rebuild gives, and the one counted from scratch
    rollups.rebuild()
    assert refreshed == rollup_table() == count_from_scratch()
    assert DailyVisits.objects.get(event=concert).visits == 2


def test_a_refresh_finds_the_partitions_of_admissions_and_figures_that_changed_since(town):
    # given rollups built now, then a March admission uploaded late and a June figure corrected
    kulturvaerftet, library = town["venues"]
    since = timezone.now()
    rollups.rebuild(now=since)
    (swede,) = Ticket.objects.filter(order__buyer_country="SE", entered_at__isnull=True)
    admit([swede], at(3, 14, 20, 5), changed_at=timezone.now())
    figure(Source.PARTNER, library, at(6, 1, 0), 6000, hours=24 * 30, origin=Origin.OTHER_FOREIGN)
    # when the changed partitions are looked up
    changed = rollups.changed_partitions(since)
    # then exactly the March day of the culture house and the June day of the library are found
    assert changed == {(kulturvaerftet.pk, at(3, 14).date()), (library.pk, at(6, 1).date())}


def test_an_admission_moved_to_the_day_before_is_not_counted_twice_by_a_refresh(town):
    # given a ticket first admitted online just after midnight, rolled up
    kulturvaerftet = town["venues"][0]
    concert = event_on(at(11, 9, 23), venue=kulturvaerftet)
    (ticket,) = tickets_of(book(concert, 1))
    door = staff_scanner(kulturvaerftet)
    scan(ticket_code(ticket), at=at(11, 10, 0, 5), scanner=door)
    rollups.rebuild(now=at(11, 10, 0, 10))
    # when a phone that was offline uploads an earlier admission of it, made before midnight
    upload = [offline(ticket_code(ticket), at=at(11, 9, 23, 55), gate="Side door")]
    record_scans(scans=upload, scanner=door, now=at(11, 10, 1))
    rollups.refresh_changes(now=at(11, 10, 2))
    # then the visit counts once, on the earlier day, as a rebuild counts it
    assert Ticket.objects.get(pk=ticket.pk).entered_at == at(11, 9, 23, 55)
    assert DailyVisits.objects.filter(event=concert).values_list("day", "visits").get() == (at(11, 9).date(), 1)
    refreshed = rollup_table()
    rollups.rebuild()
    assert refreshed == rollup_table()


@pytest.mark.parametrize(
    ("is_resident", "country", "origin"),
    [
        (True, "DK", Origin.RESIDENT),
        (True, "SE", Origin.RESIDENT),
        (False, "DK", Origin.OTHER_DANISH),
        (False, "SE", Origin.SWEDISH),
        (False, "se", Origin.SWEDISH),
        (False, "DE", Origin.GERMAN),
        (False, "NO", Origin.OTHER_FOREIGN),
        (False, "US", Origin.OTHER_FOREIGN),
        (False, "", Origin.UNKNOWN),
        (None, "", Origin.UNKNOWN),
        (None, "DE", Origin.GERMAN),
    ],
)
def test_origin_of_a_buyer(is_resident, country, origin):
    assert rollups.origin_of(is_resident, country) == origin


def test_figures_only_of_a_time_window_are_counted_when_asked(town):
    # given the town's figures; when only the June partition of the library is refreshed
    library = town["venues"][1]
    DailyVisits.objects.all().delete()
    rollups.refresh_partitions([(library.pk, at(6, 1).date())])
    # then only the partner figures of that day are in the table
    assert sorted(DailyVisits.objects.values_list("origin", "visits")) == [
        (Origin.OTHER_DANISH, 7000),
        (Origin.OTHER_FOREIGN, 5000),
    ]
