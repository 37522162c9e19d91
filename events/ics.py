"""iCalendar (RFC 5545) feeds of events."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import icalendar
from django.conf import settings
from django.utils import timezone

from config.i18n import translated
from events.models import Event, EventStatus

ICS_STATUS = {
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",
}
PRODUCT_ID = "-//Helsingør Kommune//Kultur//DA"


def event_uid(event: Event) -> str:
    """The calendar UID of an event occurrence; it never changes."""
    return f"{event.uid}@{settings.CALENDAR_UID_DOMAIN}"


def _component(event: Event, *, language: str, url: str, stamp: datetime) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp)
    component.add("sequence", event.sequence)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("dtstart", timezone.localtime(event.starts_at))
    component.add("dtend", timezone.localtime(event.ends_at))
    component.add("summary", translated(event, "title", language))
    description = translated(event, "summary", language)
    component.add("description", f"{description}\n\n{url}" if description else url)
    component.add("status", ICS_STATUS.get(EventStatus(event.status), "CONFIRMED"))
    venue = event.venue
    place = f"{venue.name}, {event.hall.name}" if event.hall else venue.name
    component.add("location", f"{place}, {venue.address_line}")
    if venue.latitude is not None and venue.longitude is not None:
        component.add("geo", (float(venue.latitude), float(venue.longitude)))
    component.add("url", url)
    component.add("categories", [translated(event.category, "name", language)])
    component.add("class", "PUBLIC")
    component.add("transp", "OPAQUE")
    return component


@lru_cache(maxsize=16)
def _vtimezone(first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE covering whole years, so clients need no timezone database of their own."""
    return icalendar.Timezone.from_tzid(
        settings.TIME_ZONE, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def build_calendar(events: Iterable[Event], *, name: str, language: str, url_for: Callable[[Event], str]) -> bytes:
    """A VCALENDAR with a Europe/Copenhagen VTIMEZONE and one VEVENT per occurrence."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    events = list(events)
    stamp = timezone.now()
    years = [timezone.localtime(moment).year for e in events for moment in (e.starts_at, e.ends_at)] or [stamp.year]
    calendar.add_component(_vtimezone(min(years), max(years)))
    for event in events:
        calendar.add_component(_component(event, language=language, url=url_for(event), stamp=stamp))
    return calendar.to_ical()
