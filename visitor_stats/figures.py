"""Entering visit figures: gate counters, head counts and partner figures, corrections and CSV imports.

A figure for a slot that already has one (same source, venue, event, counter, start and origin)
replaces it: the old figure stays, marked as replaced, so every correction leaves a trace.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from events.models import Event
from venues.models import Venue
from visitor_stats.models import SOURCE_QUALITY, Origin, Source, VisitFigure

CSV_COLUMNS = ["source", "venue", "event", "counter", "period_start", "period_end", "visits", "exits", "origin", "note"]
MAX_IMPORT_ROWS = 50_000
# Far above any real figure (Kronborg has a few hundred thousand visitors a year), far below the column's limit.
MAX_VISITS = 10_000_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class FigureRejected(Exception):
    code = "figure_rejected"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FigureInput:
    source: str
    venue: Venue
    period_start: datetime
    period_end: datetime
    visits: int
    event: Event | None = None
    counter: str = ""
    exits: int | None = None
    origin: str = Origin.UNKNOWN
    note: str = ""


def check_figure(figure: FigureInput) -> None:
    """The rules a figure must follow, whoever enters it."""
    if figure.source not in (Source.GATE_COUNTER, Source.HEAD_COUNT, Source.PARTNER):
        raise FigureRejected(_("Ticket scans are counted automatically; choose another source."))
    if figure.period_end <= figure.period_start:
        raise FigureRejected(_("The period must end after it starts."))
    if figure.visits < 0 or (figure.exits is not None and figure.exits < 0):
        raise FigureRejected(_("Counts cannot be negative."))
    if figure.visits > MAX_VISITS or (figure.exits or 0) > MAX_VISITS:
        raise FigureRejected(_("A figure may hold at most %(count)s visits.") % {"count": MAX_VISITS})
    if figure.period_start < EARLIEST:
        raise FigureRejected(_("Figures before 2000 are not accepted."))
    if figure.source == Source.HEAD_COUNT and figure.event is None:
        raise FigureRejected(_("A head count belongs to an event."))
    if figure.event is not None and figure.event.venue_id != figure.venue.pk:
        raise FigureRejected(_("The event is not at this venue."))
    if figure.source == Source.GATE_COUNTER and not figure.counter:
        raise FigureRejected(_("Name the counter, e.g. the door it counts."))
    if figure.period_start > timezone.now():
        raise FigureRejected(_("Visits cannot be counted ahead of time."))


def head_count(event: Event, *, visits: int = 0, note: str = "") -> FigureInput:
    """A head count covering the whole event."""
    return FigureInput(
        source=Source.HEAD_COUNT,
        venue=event.venue,
        event=event,
        period_start=event.starts_at,
        period_end=event.ends_at,
        visits=visits,
        note=note,
    )


# What makes a figure's slot: one current figure per slot, a new one replaces it.
SLOT_FIELDS = ("source", "venue_id", "event_id", "counter", "period_start", "origin")


def figure_slot(figure: FigureInput) -> tuple[Any, ...]:
    """The values of SLOT_FIELDS for a figure."""
    event_id = figure.event.pk if figure.event else None
    return (figure.source, figure.venue.pk, event_id, figure.counter, figure.period_start, figure.origin)


def unsaved_figure(figure: FigureInput, *, entered_by_id: int | None = None) -> VisitFigure:
    """The row a figure becomes, with the quality its source gives, not yet saved."""
    return VisitFigure(
        source=figure.source,
        quality=SOURCE_QUALITY[Source(figure.source)],
        venue=figure.venue,
        event=figure.event,
        counter=figure.counter,
        period_start=figure.period_start,
        period_end=figure.period_end,
        visits=figure.visits,
        exits=figure.exits,
        origin=figure.origin,
        note=figure.note,
        entered_by_id=entered_by_id,
    )


@transaction.atomic
def record_figure(*, figure: FigureInput, entered_by_id: int | None, now: datetime | None = None) -> VisitFigure:
    """Store a figure, replacing (with a trace) the current one for the same slot."""
    check_figure(figure)
    now = now or timezone.now()
    current = (
        VisitFigure.objects.select_for_update()
        .filter(**dict(zip(SLOT_FIELDS, figure_slot(figure), strict=True)), replaced_at__isnull=True)
        .first()
    )
    if current is not None:
        # Free the slot first: only one figure per slot may be current.
        VisitFigure.objects.filter(pk=current.pk).update(replaced_at=now)
    new = unsaved_figure(figure, entered_by_id=entered_by_id)
    new.save()
    if current is not None:
        VisitFigure.objects.filter(pk=current.pk).update(replaced_by=new)
    return new


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _parse_row(row: dict[str, str], venues: dict[str, Venue], events: dict[str, Event]) -> FigureInput:
    def number(name: str, *, required: bool) -> int | None:
        text = (row.get(name) or "").strip()
        if not text:
            if required:
                raise FigureRejected(_("%(column)s is missing.") % {"column": name})
            return None
        if not (text.isascii() and text.isdigit()):
            raise FigureRejected(_("%(column)s must be a whole number.") % {"column": name})
        return int(text)

    def moment(name: str) -> datetime:
        try:
            value = parse_datetime((row.get(name) or "").strip())
        except ValueError:  # well formed but not a real date, e.g. 30 February
            value = None
        if value is None or value.tzinfo is None:
            raise FigureRejected(_("%(column)s must be a date and time with a UTC offset.") % {"column": name})
        return value.astimezone(UTC)  # PostgreSQL takes offsets only up to ±15:59

    venue = venues.get((row.get("venue") or "").strip())
    if venue is None:
        raise FigureRejected(_("Unknown venue."))
    event_slug = (row.get("event") or "").strip()
    event = events.get(event_slug) if event_slug else None
    if event_slug and event is None:
        raise FigureRejected(_("Unknown event."))
    origin = (row.get("origin") or "").strip() or Origin.UNKNOWN
    if origin not in Origin.values:
        raise FigureRejected(_("Unknown origin."))
    visits = number("visits", required=True)
    assert visits is not None
    return FigureInput(
        source=(row.get("source") or "").strip(),
        venue=venue,
        event=event,
        counter=(row.get("counter") or "").strip()[:100],
        period_start=moment("period_start"),
        period_end=moment("period_end"),
        visits=visits,
        exits=number("exits", required=False),
        origin=origin,
        note=(row.get("note") or "").strip()[:300],
    )


def import_csv(
    *, text: str, entered_by_id: int | None, allowed: Any = None, now: datetime | None = None
) -> ImportReport:
    """Import figures from CSV (CSV_COLUMNS); nothing is imported from a file with any error.

    `allowed(figure) -> bool` says whether the importing person may enter that figure.
    """
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        column
        for column in ("source", "venue", "period_start", "period_end", "visits")
        if column not in (reader.fieldnames or [])
    ]
    if missing:
        report.errors.append(
            {"row": 1, "message": _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}}
        )
        return report
    venues = {venue.slug: venue for venue in Venue.objects.all()}
    events: dict[str, Event] = {}
    rows = list(reader)
    if len(rows) > MAX_IMPORT_ROWS:
        report.errors.append(
            {"row": 1, "message": _("A file may hold at most %(count)s rows.") % {"count": MAX_IMPORT_ROWS}}
        )
        return report
    slugs = {(row.get("event") or "").strip() for row in rows} - {""}
    events = {event.slug: event for event in Event.objects.filter(slug__in=slugs)}
    parsed: list[FigureInput] = []
    seen: set[tuple[Any, ...]] = set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            figure = _parse_row(row, venues, events)
            check_figure(figure)
            if allowed is not None and not allowed(figure):
                raise FigureRejected(_("You may not enter figures for this venue or event."))
            slot = figure_slot(figure)
            if slot in seen:
                raise FigureRejected(_("The same figure appears twice in the file."))
            seen.add(slot)
            parsed.append(figure)
        except FigureRejected as error:
            report.errors.append({"row": number, "message": error.message})
    if report.errors:
        return report
    with transaction.atomic():
        for figure in parsed:
            record_figure(figure=figure, entered_by_id=entered_by_id, now=now)
    report.imported = len(parsed)
    return report
