"""Turn an RFC 5545 recurrence rule into concrete start times.

Rules are expanded in local (Europe/Copenhagen) wall-clock time, so a tour at 14:00
stays at 14:00 across the summer-time change; the results are returned in UTC.
"""

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings

from events.exceptions import InvalidRecurrence

MAX_OCCURRENCES = 20_000
_UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _local_naive(moment: datetime) -> datetime:
    return moment.astimezone(_zone()).replace(tzinfo=None)


def _rule_in_local_time(rule: str) -> str:
    """Rewrite a UTC UNTIL into local time: dateutil refuses to mix naive and UTC values."""

    def to_local(match: re.Match[str]) -> str:
        until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return f"UNTIL={_local_naive(until):%Y%m%dT%H%M%S}"

    return _UTC_UNTIL.sub(to_local, rule)


def parse_rule(rule: str, first_start: datetime) -> rrule:
    """Parse an RRULE value (without DTSTART); raise InvalidRecurrence when it is not one."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text or "\n" in text or "DTSTART" in text.upper():
        raise InvalidRecurrence("Give a single RRULE value such as FREQ=WEEKLY;BYDAY=SA.")
    try:
        parsed = rrulestr(_rule_in_local_time(text), dtstart=_local_naive(first_start))
    except (ValueError, TypeError) as error:
        raise InvalidRecurrence(f"Not a valid recurrence rule: {error}") from error
    if not isinstance(parsed, rrule):
        raise InvalidRecurrence("Give a single RRULE value.")
    return parsed


def parse_exclusions(values: Sequence[str]) -> tuple[set[date], set[datetime]]:
    """Split exceptions into whole local days and single local start times."""
    days: set[date] = set()
    moments: set[datetime] = set()
    for value in values:
        try:
            if "T" in str(value):
                moments.add(datetime.fromisoformat(str(value)).replace(tzinfo=None, second=0, microsecond=0))
            else:
                days.add(date.fromisoformat(str(value)))
        except ValueError as error:
            raise InvalidRecurrence(f"Not a date or local time: {value!r}") from error
    return days, moments


def occurrence_starts(
    *, rule: str, first_start: datetime, excluded: Sequence[str], window_start: datetime, window_end: datetime
) -> list[datetime]:
    """Start times (UTC) of the rule's occurrences inside the window, without the exceptions."""
    parsed = parse_rule(rule, first_start)
    excluded_days, excluded_moments = parse_exclusions(excluded)
    zone = _zone()
    starts: list[datetime] = []
    for local in parsed.xafter(_local_naive(window_start), inc=True):
        if local > _local_naive(window_end):
            break
        if local.date() in excluded_days or local.replace(second=0, microsecond=0) in excluded_moments:
            continue
        # A wall time skipped by the spring change takes the offset before the gap (RFC 5545 3.3.5).
        starts.append(local.replace(tzinfo=zone).astimezone(UTC))
        if len(starts) > MAX_OCCURRENCES:
            raise InvalidRecurrence(f"The rule makes more than {MAX_OCCURRENCES} occurrences in the window.")
    return starts
