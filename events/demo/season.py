"""Plan the demo season's single events: deterministic for a seed, a count and a day.

Every planned slug is `<production>-<n>`, so a later run finds (and updates) the same rows.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.demo.programme import CANCELLED_NOTE, POSTPONED_NOTE, Kind, Production, Text
from events.demo.programme import KINDS as KIND_LIST
from events.demo.specials import ONE_OFFS, OneOff
from events.models import EventStatus

SEASON_DAYS = 182
LANGUAGES = ("da", "en", "sv", "de")
FESTIVAL_FRIDAY_AFTER_DAYS = 56
# Christmas Eve, Christmas Day, New Year's Eve and New Year's Day: the venues' programmes rest.
QUIET_DAYS = frozenset({(12, 24), (12, 25), (12, 31), (1, 1)})


def _in_holidays(day: date) -> bool:
    """Between 20 December and 2 January, when no festival or market would be planned."""
    return (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 2)


@dataclass(frozen=True)
class PlannedEvent:
    slug: str
    production: str
    category: str
    venue: str
    hall: str
    organiser: str
    starts_at: datetime
    ends_at: datetime
    doors_open_at: datetime | None
    status: str
    title: Text
    summary: Text
    description: Text
    booking_mode: str
    is_free: bool
    capacity: int | None
    age_limit: int | None
    performance_language: str
    tags: list[str]
    accessibility: Text


def production_slugs() -> set[str]:
    """Every production slug a planned single event can be named after."""
    slugs = {production.slug for kind in KIND_LIST for production in kind.productions}
    return slugs | {one_off.production for one_off in ONE_OFFS}


def next_weekday(day: date, weekday: int) -> date:
    """The first day on or after `day` that falls on `weekday` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, clock: str, zone: ZoneInfo) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status(index: int) -> str:
    """A few drafts, cancellations and one postponement, spread evenly whatever the count."""
    if index % 53 == 17:
        return EventStatus.DRAFT
    if index % 97 == 40:
        return EventStatus.CANCELLED
    if index % 211 == 100:
        return EventStatus.POSTPONED
    return EventStatus.PUBLISHED


def _with_note(description: Text, status: str) -> Text:
    notes: dict[str, Text] = {EventStatus.CANCELLED: CANCELLED_NOTE, EventStatus.POSTPONED: POSTPONED_NOTE}
    note = notes.get(status)
    if not note:
        return description
    return {code: f"{note[code]}\n\n{text}" for code, text in description.items() if code in note}


def _compose(kind: Kind, production: Production, rng: random.Random) -> tuple[Text, Text, Text]:
    """Title, summary and description in each language every piece has; the same choices in all."""
    title = rng.choice(kind.title)
    summary = rng.choice(kind.summary)
    picks = {name: rng.choice(pool) for name, pool in kind.pools.items()}
    titles: Text = {}
    summaries: Text = {}
    descriptions: Text = {}
    for code in kind.languages:
        try:
            context = {"name": production.name[code]}
            context.update({name: text[code] for name, text in production.fields.items()})
            context.update({name: text[code] for name, text in picks.items()})
            titles[code] = _capital(title[code].format(**context))
            summaries[code] = _capital(summary[code].format(**context))
            descriptions[code] = "\n\n".join(_capital(part[code].format(**context)) for part in kind.description)
        except KeyError:
            # A piece lacks this language: leave it out, so readers fall back to Danish whole.
            for texts in (titles, summaries, descriptions):
                texts.pop(code, None)
    return titles, summaries, descriptions


class _Calendar:
    """Finds free slots, so one hall does not host two events at the same time."""

    def __init__(self, today: date, rng: random.Random, zone: ZoneInfo) -> None:
        self.today, self.rng, self.zone = today, rng, zone
        self.taken: set[tuple[str, str, date, str]] = set()

    def place(self, kind: Kind, venue: str) -> tuple[date, str]:
        """A day and start time for the kind at the venue: free if possible, never a quiet day."""
        for _attempt in range(25):
            weekday = self.rng.choice(kind.weekdays)
            first = next_weekday(self.today + timedelta(days=1), weekday)
            day = first + timedelta(weeks=self.rng.randrange((SEASON_DAYS - 7) // 7 + 1))
            clock = self.rng.choice(kind.times)
            # Evening events in one hall exclude each other; daytime slots are shorter.
            key = (venue, kind.hall, day, "evening" if clock >= "17:00" else clock)
            if key not in self.taken and (day.month, day.day) not in QUIET_DAYS:
                break
        while (day.month, day.day) in QUIET_DAYS:
            day += timedelta(weeks=1)
        self.taken.add((venue, kind.hall, day, "evening" if clock >= "17:00" else clock))
        return day, clock


def _one_off_day(one_off: OneOff, today: date) -> date:
    if one_off.anchor == "festival":
        friday = next_weekday(today + timedelta(days=FESTIVAL_FRIDAY_AFTER_DAYS), 4)
        while any(_in_holidays(friday + timedelta(days=offset)) for offset in range(3)):
            friday += timedelta(weeks=1)
        return friday + timedelta(days=one_off.day)
    if one_off.anchor == "saturday":
        saturday = next_weekday(today + timedelta(days=one_off.day), 5)
        while _in_holidays(saturday):
            saturday += timedelta(weeks=1)
        return saturday
    return today + timedelta(days=one_off.day)


def _plan_one_offs(today: date, zone: ZoneInfo, counters: dict[str, int]) -> list[PlannedEvent]:
    planned = []
    for one_off in ONE_OFFS:
        counters[one_off.production] = counters.get(one_off.production, 0) + 1
        day = _one_off_day(one_off, today)
        starts_at = at(day, one_off.start, zone)
        if one_off.end_day is not None:
            ends_at = at(today + timedelta(days=one_off.end_day), one_off.end, zone)
        else:
            ends_at = starts_at + timedelta(minutes=one_off.minutes)
        planned.append(
            PlannedEvent(
                slug=f"{one_off.production}-{counters[one_off.production]}",
                production=one_off.production,
                category=one_off.category,
                venue=one_off.venue,
                hall=one_off.hall,
                organiser=one_off.organiser,
                starts_at=starts_at,
                ends_at=ends_at,
                doors_open_at=None,
                status=EventStatus.PUBLISHED,
                title=one_off.title,
                summary=one_off.summary,
                description=one_off.description,
                booking_mode=one_off.booking_mode,
                is_free=one_off.is_free,
                capacity=one_off.capacity,
                age_limit=one_off.age_limit,
                performance_language=one_off.performance_language,
                tags=list(one_off.tags),
                accessibility={},
            )
        )
    return planned


def plan_season(*, count: int, seed: int, today: date, zone: ZoneInfo) -> list[PlannedEvent]:
    """`count` single events (at least the fixed festival, market and exhibitions) from `today` on."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not secrets
    counters: dict[str, int] = {}
    planned = _plan_one_offs(today, zone, counters)
    calendar = _Calendar(today, rng, zone)
    weights = [kind.weight for kind in KIND_LIST]
    for index in range(max(0, count - len(planned))):
        kind = rng.choices(KIND_LIST, weights)[0]
        production = rng.choice(kind.productions)
        venue = rng.choice(kind.venues)
        day, clock = calendar.place(kind, venue)
        title, summary, description = _compose(kind, production, rng)
        status = _status(index)
        counters[production.slug] = counters.get(production.slug, 0) + 1
        starts_at = at(day, clock, zone)
        planned.append(
            PlannedEvent(
                slug=f"{production.slug}-{counters[production.slug]}",
                production=production.slug,
                category=kind.category,
                venue=venue,
                hall=kind.hall if venue == kind.venues[0] else "",
                organiser=production.organiser or kind.organiser,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=kind.minutes),
                doors_open_at=starts_at - timedelta(minutes=kind.doors_minutes) if kind.doors_minutes else None,
                status=status,
                title=title,
                summary=summary,
                description=_with_note(description, status),
                booking_mode=kind.booking_mode,
                is_free=kind.is_free,
                capacity=production.capacity or kind.capacity,
                age_limit=kind.age_limit,
                performance_language=(
                    kind.performance_language
                    if production.performance_language is None
                    else production.performance_language
                ),
                tags=sorted({*kind.tags, *production.tags}),
                accessibility=kind.accessibility or {},
            )
        )
    return planned
