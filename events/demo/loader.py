"""Write the demo catalogue to the database; running it again changes only what differs."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events import catalogue_version
from events.demo import images
from events.demo.places import CATEGORIES, ORGANISERS, VENUES, Text
from events.demo.season import PlannedEvent, at, next_weekday, plan_season, production_slugs
from events.demo.specials import SERIES, SeriesSpec
from events.models import Category, Event, EventSeries, Organiser
from events.services import CALENDAR_FIELDS, CONTENT_ATTNAMES, CONTENT_NAMES, sync_series_occurrences
from venues.models import Entrance, Hall, Venue

LANGUAGES = ("da", "en", "sv", "de")
EVENT_FIELDS = (*CONTENT_NAMES, "status", "starts_at", "ends_at", "doors_open_at")
COMPARED = (*CONTENT_ATTNAMES, "status", "starts_at", "ends_at", "doors_open_at")
BATCH = 500
HOLIDAYS = ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1))


@dataclass(frozen=True)
class LoadResult:
    venues: int
    organisers: int
    categories: int
    series: int
    occurrences_created: int
    events_created: int
    events_updated: int
    events_deleted: int


@dataclass(frozen=True)
class _Refs:
    venues: dict[str, Venue]
    halls: dict[tuple[str, str], Hall]
    organisers: dict[str, Organiser]
    categories: dict[str, Category]


def _per_language(prefix: str, text: Text) -> dict[str, str]:
    return {f"{prefix}_{code}": text.get(code, "") for code in LANGUAGES}


def _poster(folder: str, slug: str, kind: str, refresh: bool) -> str:
    storage = Event._meta.get_field("image").storage  # type: ignore[union-attr]
    return images.ensure_poster(storage, f"{folder}/demo/{slug}.jpg", kind=kind, seed=slug, refresh=refresh)


def _load_places(refresh: bool) -> _Refs:
    venues: dict[str, Venue] = {}
    halls: dict[tuple[str, str], Hall] = {}
    for spec in VENUES:
        venue, _created = Venue.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "street_address": spec.street_address,
                "postcode": spec.postcode,
                "town": spec.town,
                "latitude": spec.lat,
                "longitude": spec.lon,
                "website": spec.website,
                "image": _poster("venues", spec.slug, "venue", refresh),
                "has_step_free_access": spec.has_step_free_access,
                "has_hearing_loop": spec.has_hearing_loop,
                "has_accessible_toilet": spec.has_accessible_toilet,
                **_per_language("description", spec.description),
                **_per_language("accessibility_notes", spec.accessibility_notes),
                **_per_language("image_alt", images.alt_texts("venue")),
            },
        )
        venues[spec.slug] = venue
        for hall_spec in spec.halls:
            hall, _created = Hall.objects.update_or_create(
                venue=venue,
                slug=hall_spec.slug,
                defaults={
                    "name": hall_spec.name,
                    "seated_capacity": hall_spec.seated_capacity,
                    "standing_capacity": hall_spec.standing_capacity,
                },
            )
            halls[spec.slug, hall_spec.slug] = hall
        for entrance in spec.entrances:
            Entrance.objects.update_or_create(
                venue=venue,
                slug=entrance.slug,
                defaults={"name": entrance.name, "hall": halls.get((spec.slug, entrance.hall_slug))},
            )
    organisers = {
        spec.slug: Organiser.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "website": spec.website}
        )[0]
        for spec in ORGANISERS
    }
    categories = {
        spec.slug: Category.objects.update_or_create(
            slug=spec.slug, defaults={"position": spec.position, **_per_language("name", spec.name)}
        )[0]
        for spec in CATEGORIES
    }
    return _Refs(venues, halls, organisers, categories)


def _content(refs: _Refs, *, category: str, venue: str, hall: str, organiser: str, image: str) -> dict[str, Any]:
    return {
        "category": refs.categories[category],
        "venue": refs.venues[venue],
        "hall": refs.halls[venue, hall] if hall else None,
        "organiser": refs.organisers[organiser],
        "image": image,
        **_per_language("image_alt", images.alt_texts(category)),
    }


def _series_dates(spec: SeriesSpec, today: date, zone: ZoneInfo) -> tuple[datetime, list[str]]:
    """The first start and the exception list of a series, relative to today."""
    first_day = today + timedelta(days=spec.first_day)
    if spec.weekday is not None:
        first_day = next_weekday(first_day, spec.weekday)
    elif "BYDAY=1SU" in spec.rule:
        # Start on the first "first Sunday of a month" from the first day on.
        candidate = next_weekday(first_day, 6)
        while candidate.day > 7:
            candidate = next_weekday(candidate + timedelta(days=1), 6)
        first_day = candidate
    span = [first_day + timedelta(days=offset) for offset in range(0, 7 * 40)]
    excluded = []
    for day in span:
        if spec.skip_holidays and (day.month, day.day) in HOLIDAYS:
            excluded.append(day.isoformat())
        for nth, clock in spec.excluded_monthly:
            if day.weekday() == spec.weekday and (day.day - 1) // 7 + 1 == nth:
                excluded.append(f"{day.isoformat()}T{clock}" if clock else day.isoformat())
    return at(first_day, spec.start, zone), excluded


def _load_series(refs: _Refs, today: date, zone: ZoneInfo, refresh: bool) -> int:
    created = 0
    for spec in SERIES:
        first_starts_at, excluded = _series_dates(spec, today, zone)
        languages = {code: text for code, text in spec.title.items() if code in spec.languages}
        series, _new = EventSeries.objects.update_or_create(
            slug=spec.slug,
            defaults={
                **_content(
                    refs,
                    category=spec.category,
                    venue=spec.venue,
                    hall=spec.hall,
                    organiser=spec.organiser,
                    image=_poster("events", spec.slug, spec.category, refresh),
                ),
                **_per_language("title", languages),
                **_per_language("summary", spec.summary),
                **_per_language("description", spec.description),
                **_per_language("accessibility_notes", spec.accessibility),
                "status": spec.status,
                "first_starts_at": first_starts_at,
                "duration": timedelta(minutes=spec.minutes),
                "recurrence_rule": spec.rule,
                "excluded_dates": excluded,
                "booking_mode": spec.booking_mode,
                "is_free": spec.is_free,
                "capacity": spec.capacity,
                "age_limit": spec.age_limit,
                "performance_language": spec.performance_language,
                "tags": list(spec.tags),
            },
        )
        created += sync_series_occurrences(series_id=series.pk).created
    return created


def _event(refs: _Refs, plan: PlannedEvent, poster: str) -> Event:
    return Event(
        slug=plan.slug,
        status=plan.status,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        doors_open_at=plan.doors_open_at,
        booking_mode=plan.booking_mode,
        is_free=plan.is_free,
        capacity=plan.capacity,
        age_limit=plan.age_limit,
        performance_language=plan.performance_language,
        tags=plan.tags,
        **_content(
            refs, category=plan.category, venue=plan.venue, hall=plan.hall, organiser=plan.organiser, image=poster
        ),
        **_per_language("title", plan.title),
        **_per_language("summary", plan.summary),
        **_per_language("description", plan.description),
        **_per_language("accessibility_notes", plan.accessibility),
    )


def _value(event: Event, attname: str) -> object:
    value = getattr(event, attname)
    return (value.name or "") if attname == "image" else value


def _changed(old: Event, new: Event) -> set[str]:
    return {name for name in COMPARED if _value(old, name) != _value(new, name)}


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_single_events(refs: _Refs, plans: list[PlannedEvent], refresh: bool) -> tuple[int, int, int]:
    posters = {plan.production: plan.category for plan in plans}
    poster_names = {slug: _poster("events", slug, category, refresh) for slug, category in posters.items()}
    wanted = {plan.slug: _event(refs, plan, poster_names[plan.production]) for plan in plans}
    alternatives = "|".join(re.escape(slug) for slug in sorted(production_slugs()))
    ours = re.compile(rf"^({alternatives})-\d+$")
    existing = {event.slug: event for event in Event.objects.filter(series__isnull=True) if ours.match(event.slug)}
    to_create = [event for slug, event in wanted.items() if slug not in existing]
    to_update = []
    moment = timezone.now()
    for slug, new in wanted.items():
        old = existing.get(slug)
        if old is None:
            continue
        changed = _changed(old, new)
        if not changed:
            continue
        for name in COMPARED:
            setattr(old, name, getattr(new, name))
        if changed & CALENDAR_FIELDS:
            old.sequence += 1
        old.updated_at = moment
        to_update.append(old)
    stale = [event.pk for slug, event in existing.items() if slug not in wanted]
    Event.objects.bulk_create(to_create, batch_size=BATCH)
    Event.objects.bulk_update(to_update, [*EVENT_FIELDS, "sequence", "updated_at"], batch_size=BATCH)
    for chunk in _chunks(stale, BATCH):
        Event.objects.filter(pk__in=chunk).delete()
    return len(to_create), len(to_update), len(stale)


def load_demo(
    *,
    events: int,
    seed: int,
    now: datetime | None = None,
    refresh_images: bool = False,
    log: Callable[[str], None] = lambda _message: None,
) -> LoadResult:
    """Create or update the demo venues, organisers, categories, series and `events` single events."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(now or timezone.now(), zone)
    with transaction.atomic():
        refs = _load_places(refresh_images)
        log(f"{len(refs.venues)} venues, {len(refs.halls)} halls, {len(refs.organisers)} organisers")
        occurrences = _load_series(refs, today, zone, refresh_images)
        log(f"{len(SERIES)} series ({occurrences} new occurrences)")
        plans = plan_season(count=events, seed=seed, today=today, zone=zone)
        created, updated, deleted = _load_single_events(refs, plans, refresh_images)
        log(f"{len(plans)} single events: {created} created, {updated} updated, {deleted} removed")
    catalogue_version.bump()
    return LoadResult(
        venues=len(refs.venues),
        organisers=len(refs.organisers),
        categories=len(refs.categories),
        series=len(SERIES),
        occurrences_created=occurrences,
        events_created=created,
        events_updated=updated,
        events_deleted=deleted,
    )
