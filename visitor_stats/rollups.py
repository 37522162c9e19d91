"""Daily rollups of visits from every source, rebuilt from scratch or refreshed where visits arrived.

Both paths run the same counting code for a set of (venue, day) partitions, so an incremental
refresh and a full rebuild always agree. Ticket admissions are read only through tickets.selectors.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from events.models import BookingMode
from tickets import selectors
from visitor_stats import rollup_version
from visitor_stats.models import SOURCE_QUALITY, DailyVisits, Origin, RollupState, Source, VisitFigure

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# Re-read a little before the last refresh, so a transaction that committed late is never missed.
REFRESH_OVERLAP = timedelta(minutes=5)
_BATCH = 5000

Key = tuple[date, int, int | None, int | None, str, str]  # day, venue, event, category, source, origin


def origin_of(is_resident: bool | None, country: str) -> str:
    """Where a buyer comes from, for statistics: residents first, then by country."""
    if is_resident:
        return Origin.RESIDENT
    country = (country or "").upper()
    if is_resident is None and not country:
        return Origin.UNKNOWN
    return {"DK": Origin.OTHER_DANISH, "SE": Origin.SWEDISH, "DE": Origin.GERMAN, "": Origin.UNKNOWN}.get(
        country, Origin.OTHER_FOREIGN
    )


def counted_figures() -> Q:
    """Current figures that count: a head count of a ticketed event is shown beside its scans, not added."""
    return Q(replaced_at__isnull=True) & ~Q(
        source=Source.HEAD_COUNT,
        event__booking_mode__in=[BookingMode.TICKETS, BookingMode.FREE_REGISTRATION],
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=COPENHAGEN)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=COPENHAGEN)


def _count(
    *, start: datetime | None = None, end: datetime | None = None, venue_day: tuple[int, date] | None = None
) -> dict[Key, int]:
    totals: dict[Key, int] = defaultdict(int)
    for row in selectors.admissions_by_day(start=start, end=end, venue_day=venue_day):
        key: Key = (
            row.day,
            row.venue_id,
            row.event_id,
            row.category_id,
            Source.TICKET_SCANS,
            origin_of(row.is_resident, row.country),
        )
        totals[key] += row.visits
    figures = VisitFigure.objects.filter(counted_figures())
    if start is not None:
        figures = figures.filter(period_start__gte=start)
    if end is not None:
        figures = figures.filter(period_start__lt=end)
    if venue_day is not None:
        day_start, day_end = _day_bounds(venue_day[1])
        figures = figures.filter(venue_id=venue_day[0], period_start__gte=day_start, period_start__lt=day_end)
    rows = (
        figures.annotate(day=TruncDate("period_start", tzinfo=COPENHAGEN))
        .values("day", "venue_id", "event_id", "event__category_id", "source", "origin")
        .annotate(visits=Sum("visits"))
        .order_by()
    )
    for figure in rows:
        figure_key: Key = (
            figure["day"],
            figure["venue_id"],
            figure["event_id"],
            figure["event__category_id"],
            figure["source"],
            figure["origin"],
        )
        totals[figure_key] += figure["visits"]
    return totals


def _rows(totals: dict[Key, int]) -> Iterable[DailyVisits]:
    for (day, venue_id, event_id, category_id, source, origin), visits in totals.items():
        if visits:
            yield DailyVisits(
                day=day,
                venue_id=venue_id,
                event_id=event_id,
                category_id=category_id,
                source=source,
                quality=SOURCE_QUALITY[Source(source)],
                origin=origin,
                visits=visits,
            )


def _lock_state() -> RollupState:
    """Lock the state row so rebuilds and refreshes run one at a time.

    Two at once (the 03:30 rebuild meets a refresh) would each delete a partition the other then
    fills, and PostgreSQL would keep both copies: those visits counted twice.
    """
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


@transaction.atomic
def rebuild(*, now: datetime | None = None) -> int:
    """Throw the rollups away and count everything again; returns the number of rows."""
    now = now or timezone.now()
    _lock_state()
    totals = _count()
    DailyVisits.objects.all().delete()
    created = DailyVisits.objects.bulk_create(_rows(totals), batch_size=_BATCH)
    RollupState.objects.update_or_create(pk=1, defaults={"refreshed_until": now, "rebuilt_at": now})
    rollup_version.changed()
    return len(created)


@transaction.atomic
def refresh_partitions(partitions: Iterable[tuple[int, date]]) -> int:
    """Count the given (venue, day) partitions again; returns the number of rows written."""
    written = 0
    for venue_id, day in sorted(set(partitions)):
        DailyVisits.objects.filter(venue_id=venue_id, day=day).delete()
        written += len(DailyVisits.objects.bulk_create(_rows(_count(venue_day=(venue_id, day)))))
    return written


def changed_partitions(since: datetime) -> set[tuple[int, date]]:
    """(venue, day) partitions with admissions or figures changed at or after `since`."""
    partitions = selectors.admission_days_changed_since(since)
    # An offline upload can move a first admission to an earlier day: count again every day the
    # rollups hold for the event, or the ticket would stay counted on its old day too.
    events = selectors.admission_events_changed_since(since)
    if events:
        partitions |= set(
            DailyVisits.objects.filter(event_id__in=events, source=Source.TICKET_SCANS)
            .values_list("venue_id", "day")
            .distinct()
        )
    changed = VisitFigure.objects.filter(Q(entered_at__gte=since) | Q(replaced_at__gte=since))
    for venue_id, day in changed.annotate(day=TruncDate("period_start", tzinfo=COPENHAGEN)).values_list(
        "venue_id", "day"
    ):
        partitions.add((venue_id, day))
    return partitions


@transaction.atomic
def refresh_changes(*, now: datetime | None = None) -> int:
    """Bring the rollups up to date with what arrived since the last refresh."""
    now = now or timezone.now()
    state = _lock_state()
    if state.refreshed_until is None:
        return rebuild(now=now)
    written = refresh_partitions(changed_partitions(state.refreshed_until - REFRESH_OVERLAP))
    RollupState.objects.filter(pk=1).update(refreshed_until=now)
    rollup_version.changed()
    return written
