"""Writes to the catalogue: turning series into occurrences, and recording edits."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events import catalogue_version
from events.models import Event, EventContent, EventSeries, EventStatus
from events.recurrence import occurrence_starts

CONTENT_ATTNAMES = tuple(field.attname for field in EventContent._meta.fields)
CONTENT_NAMES = tuple(field.name for field in EventContent._meta.fields)
# A change to any of these changes what a calendar shows, so SEQUENCE must grow (RFC 5545 3.8.7.4).
CALENDAR_FIELDS = frozenset(
    {"starts_at", "ends_at", "doors_open_at", "status", "venue", "hall", "venue_id", "hall_id"}
    | {f"{name}_{language}" for name in ("title", "summary", "description") for language in ("da", "en", "sv", "de")}
)


@dataclass(frozen=True)
class SeriesSyncResult:
    created: int
    updated: int
    cancelled: int
    deleted: int


def _occurrence_values(series: EventSeries, start: datetime) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(series, name) for name in CONTENT_ATTNAMES}
    values["image"] = series.image.name if series.image else ""
    values.update(
        starts_at=start,
        ends_at=start + series.duration,
        doors_open_at=start - series.doors_open_before if series.doors_open_before else None,
        status=series.status,
    )
    return values


def _comparable(event: Event, name: str) -> object:
    value = getattr(event, name)
    return value.name or "" if name == "image" else value


def occurrence_slug(series: EventSeries, start: datetime) -> str:
    return f"{series.slug}-{timezone.localtime(start):%Y-%m-%d-%H%M}"


@transaction.atomic
def sync_series_occurrences(*, series_id: int, now: datetime | None = None) -> SeriesSyncResult:
    """Make the series' future occurrences match its rule and content, up to the horizon.

    Occurrences edited on their own (`is_detached`) and past ones are left alone. An
    occurrence the rule no longer produces is cancelled if the public may have seen it
    (so calendars remove it) and deleted if it was only ever a draft.
    """
    series = EventSeries.objects.select_for_update().get(pk=series_id)
    now = now or timezone.now()
    window_end = now + timedelta(days=settings.EVENT_SERIES_HORIZON_DAYS)
    starts = occurrence_starts(
        rule=series.recurrence_rule,
        first_start=series.first_starts_at,
        excluded=series.excluded_dates,
        window_start=max(now, series.first_starts_at),
        window_end=window_end,
    )
    existing = {event.recurrence_id: event for event in series.occurrences.filter(recurrence_id__gte=now)}
    to_create: list[Event] = []
    to_update: list[Event] = []
    for start in starts:
        values = _occurrence_values(series, start)
        event = existing.pop(start, None)
        if event is None:
            to_create.append(Event(series=series, recurrence_id=start, slug=occurrence_slug(series, start), **values))
        elif not event.is_detached and any(_comparable(event, name) != value for name, value in values.items()):
            changed = {name for name, value in values.items() if _comparable(event, name) != value}
            for name, value in values.items():
                setattr(event, name, value)
            if changed & CALENDAR_FIELDS:
                event.sequence += 1
            to_update.append(event)

    to_delete = [e.pk for e in existing.values() if not e.is_detached and e.status == EventStatus.DRAFT]
    to_cancel = [
        e for e in existing.values() if not e.is_detached and e.status not in (EventStatus.DRAFT, EventStatus.CANCELLED)
    ]
    for event in to_cancel:
        event.status = EventStatus.CANCELLED
        event.sequence += 1
    Event.objects.bulk_create(to_create, batch_size=500)
    moment = timezone.now()
    for event in [*to_update, *to_cancel]:
        event.updated_at = moment
    Event.objects.bulk_update(
        [*to_update, *to_cancel],
        [*CONTENT_NAMES, "starts_at", "ends_at", "doors_open_at", "status", "sequence", "updated_at"],
        batch_size=500,
    )
    Event.objects.filter(pk__in=to_delete).delete()
    catalogue_version.changed()
    return SeriesSyncResult(
        created=len(to_create), updated=len(to_update), cancelled=len(to_cancel), deleted=len(to_delete)
    )


@transaction.atomic
def save_event_edit(*, event: Event, changed_fields: Iterable[str]) -> Event:
    """Save an edited event: its calendar revision grows when what calendars show changed.

    An edited occurrence of a series is detached, so later series edits do not undo it.
    """
    changed = set(changed_fields)
    if event.pk and changed & CALENDAR_FIELDS:
        event.sequence = Event.objects.select_for_update().values_list("sequence", flat=True).get(pk=event.pk) + 1
    if event.pk and event.series_id and changed:
        event.is_detached = True
    event.full_clean()
    event.save()
    return event
