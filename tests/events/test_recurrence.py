"""Series: rules with exceptions become dated occurrences, at the same wall-clock time across DST."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.exceptions import InvalidRecurrence
from events.recurrence import occurrence_starts

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)


def test_weekly_rule_keeps_local_time_across_the_spring_change():
    # given a Saturday 14:00 tour starting before summer time begins (29 March 2026)
    first = local(2026, 3, 14, 14, 0)

    # when it is expanded over the change
    starts = occurrence_starts(
        rule="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
        first_start=first,
        excluded=[],
        window_start=first,
        window_end=first + timedelta(days=60),
    )

    # then every tour starts at 14:00 local time, and the UTC time moves by an hour
    assert [s.astimezone(CPH).strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-03-14 14:00",
        "2026-03-21 14:00",
        "2026-03-28 14:00",
        "2026-04-04 14:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [13, 13, 13, 12]


def test_weekly_rule_keeps_local_time_across_the_autumn_change():
    first = local(2026, 10, 17, 11, 0)
    starts = occurrence_starts(
        rule="FREQ=WEEKLY;COUNT=3",
        first_start=first,
        excluded=[],
        window_start=first,
        window_end=first + timedelta(days=30),
    )
    assert [s.astimezone(CPH).hour for s in starts] == [11, 11, 11]
    # summer time ends on 25 October 2026
    assert [s.astimezone(UTC).hour for s in starts] == [9, 9, 10]


def test_exceptions_remove_whole_days_and_single_start_times():
    # given half-hourly museum slots 10:00-11:30 every day
    first = local(2026, 12, 22, 10, 0)
    rule = "FREQ=DAILY;BYHOUR=10,11;BYMINUTE=0,30;COUNT=16"

    # when Christmas Eve is closed and the 11:30 slot on the 23rd is removed
    starts = occurrence_starts(
        rule=rule,
        first_start=first,
        excluded=["2026-12-24", "2026-12-23T11:30"],
        window_start=first,
        window_end=first + timedelta(days=10),
    )

    # then those slots are gone and the rest remain
    as_text = [s.astimezone(CPH).strftime("%d %H:%M") for s in starts]
    assert "23 11:30" not in as_text
    assert not [t for t in as_text if t.startswith("24 ")]
    assert as_text[:7] == ["22 10:00", "22 10:30", "22 11:00", "22 11:30", "23 10:00", "23 10:30", "23 11:00"]
    assert len(as_text) == 16 - 4 - 1


def test_a_start_time_skipped_by_the_spring_change_takes_the_offset_before_the_gap():
    first = local(2026, 3, 28, 2, 30)
    starts = occurrence_starts(
        rule="FREQ=DAILY;COUNT=2",
        first_start=first,
        excluded=[],
        window_start=first,
        window_end=first + timedelta(days=3),
    )
    # 29 March 02:30 does not exist in Copenhagen; RFC 5545 reads it with the +01:00 offset
    assert [s.astimezone(UTC).strftime("%d %H:%M") for s in starts] == ["28 01:30", "29 01:30"]


def test_utc_until_is_honoured():
    first = local(2026, 12, 1, 18, 0)
    starts = occurrence_starts(
        rule="FREQ=DAILY;UNTIL=20261203T170000Z",
        first_start=first,
        excluded=[],
        window_start=first,
        window_end=first + timedelta(days=30),
    )
    assert len(starts) == 3


def test_window_limits_an_endless_rule():
    first = local(2026, 12, 1, 18, 0)
    starts = occurrence_starts(
        rule="FREQ=DAILY",
        first_start=first,
        excluded=[],
        window_start=first + timedelta(days=5),
        window_end=first + timedelta(days=9, hours=1),
    )
    assert [s.astimezone(CPH).day for s in starts] == [6, 7, 8, 9, 10]


@pytest.mark.parametrize(
    ("rule", "excluded"),
    [
        ("FREQ=SOMETIMES", []),
        ("", []),
        ("DTSTART:20260101T100000\nRRULE:FREQ=DAILY", []),
        ("FREQ=WEEKLY;BYDAY=XX", []),
        ("FREQ=WEEKLY", ["not-a-date"]),
    ],
)
def test_invalid_rules_and_exceptions_are_refused_with_a_code(rule, excluded):
    first = local(2026, 12, 1, 18, 0)
    with pytest.raises(InvalidRecurrence) as raised:
        occurrence_starts(rule=rule, first_start=first, excluded=excluded, window_start=first, window_end=first)
    assert raised.value.code == "invalid_recurrence_rule"
