from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict

from frontend.search import EventSearch, quick_pick_range
from tests.frontend.pages import local


@pytest.mark.parametrize(
    ("now", "pick", "expected"),
    [
        # A Wednesday.
        (local(2026, 12, 2, 10, 0), "today", (local(2026, 12, 2), local(2026, 12, 3))),
        (local(2026, 12, 2, 10, 0), "weekend", (local(2026, 12, 4, 17, 0), local(2026, 12, 7))),
        (local(2026, 12, 2, 10, 0), "week", (local(2026, 12, 2), local(2026, 12, 9))),
        # During the weekend it is this weekend, not the next.
        (local(2026, 12, 4, 20, 0), "weekend", (local(2026, 12, 4, 17, 0), local(2026, 12, 7))),
        (local(2026, 12, 6, 12, 0), "weekend", (local(2026, 12, 4, 17, 0), local(2026, 12, 7))),
        # A Monday looks ahead to Friday.
        (local(2026, 12, 7, 9, 0), "weekend", (local(2026, 12, 11, 17, 0), local(2026, 12, 14))),
    ],
)
def test_quick_pick_ranges_in_copenhagen_time(now, pick, expected):
    # when
    start, end = quick_pick_range(pick, now)

    # then
    assert (start, end) == expected


def test_today_is_the_day_in_copenhagen_not_in_utc():
    # given 23:30 UTC, which is already half past midnight in Helsingør
    now = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)

    # when
    start, end = quick_pick_range("today", now)

    # then
    assert start.isoformat() == "2026-12-03T00:00:00+01:00"
    assert end.isoformat() == "2026-12-04T00:00:00+01:00"


def test_the_weekend_when_summer_time_ends_keeps_local_wall_clock_times():
    # given Thursday 22 October 2026; clocks go back on Sunday 25 October
    now = local(2026, 10, 22, 12, 0)

    # when
    start, end = quick_pick_range("weekend", now)

    # then
    assert start.isoformat() == "2026-10-23T17:00:00+02:00"
    assert end.isoformat() == "2026-10-26T00:00:00+01:00"
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=2, hours=8)  # one hour longer


def test_the_next_seven_days_when_summer_time_starts():
    # given Wednesday 25 March 2026; clocks go forward on Sunday 29 March
    start, end = quick_pick_range("week", local(2026, 3, 25, 9, 0))

    # then
    assert start.isoformat() == "2026-03-25T00:00:00+01:00"
    assert end.isoformat() == "2026-04-01T00:00:00+02:00"


def test_an_unknown_quick_pick_is_refused():
    with pytest.raises(ValueError, match="Unknown quick pick: tomorrow"):
        quick_pick_range("tomorrow", local(2026, 12, 2))


def test_the_search_drops_empty_and_unknown_parameters_and_turns_a_quick_pick_into_dates():
    # given
    params = QueryDict("q=+jazz+&venue=&venue=havnen&when=today&page=2&lang=sv&utm_source=x")

    # when
    search = EventSearch.from_query(params, now=local(2026, 12, 2, 10, 0))

    # then
    assert search.query.urlencode() == "venue=havnen&q=jazz&when=today"
    assert search.filter_data.urlencode(safe=":+") == (
        "venue=havnen&q=jazz&ends_after=2026-12-02T10:00:00+01:00&starts_before=2026-12-03T00:00:00+01:00"
    )
    assert search.errors == {}


def test_a_subscription_leaves_out_fixed_dates():
    # given
    params = QueryDict("category=musik&when=week&starts_after=2026-12-01&ordering=-starts_at&is_free=true")

    # when
    search = EventSearch.from_query(params, now=local(2026, 12, 2, 10, 0))

    # then
    assert search.feed_query().urlencode() == "category=musik&is_free=true"
