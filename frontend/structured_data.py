"""schema.org `Event` JSON-LD for event pages, so search engines and apps can read them."""

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from events.models import Event, EventStatus

SCHEMA_STATUS = {
    EventStatus.PUBLISHED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}
# Inside <script>, `</script>` or `<!--` would end or confuse the element; JSON may spell
# these characters as escapes instead.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def event_json_ld(event: Event, *, request: HttpRequest, language: str) -> dict[str, Any]:
    """The schema.org description of one event, in the active language."""
    venue = event.venue
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street_address,
            "postalCode": venue.postcode,
            "addressLocality": venue.town,
            "addressCountry": "DK",
        },
        "url": request.build_absolute_uri(reverse("frontend:venue", kwargs={"slug": venue.slug})),
    }
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    organiser = event.organiser
    organiser_url = organiser.website or request.build_absolute_uri(
        reverse("frontend:event_list") + "?" + urlencode({"organiser": organiser.slug})
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": _iso(event.starts_at),
        "endDate": _iso(event.ends_at),
        "eventStatus": SCHEMA_STATUS.get(EventStatus(event.status), SCHEMA_STATUS[EventStatus.PUBLISHED]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": organiser.name, "url": organiser_url},
        "inLanguage": event.performance_language or language,
        "url": request.build_absolute_uri(reverse("frontend:event", kwargs={"slug": event.slug})),
    }
    description = event.summary or event.description
    if description:
        data["description"] = description
    if event.doors_open_at:
        data["doorTime"] = _iso(event.doors_open_at)
    if event.image:
        data["image"] = [request.build_absolute_uri(event.image.url)]
    if event.is_free:
        data["isAccessibleForFree"] = True
    return data


def json_for_script(data: object) -> SafeString:
    """JSON that is safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end the element is escaped above
