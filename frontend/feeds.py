"""iCalendar feeds: all events (with the API's filters), one event, one venue's events.

Calendar apps poll feeds every hour. Each built feed is kept (gzipped) per catalogue version,
language and URL, with its ETag and Last-Modified, so revalidating an unchanged feed is a
304 answered from the cache without touching the database.
"""

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.i18n import LANGUAGES, translated
from events import catalogue_version
from events.filters import EventFilter
from events.ics import build_calendar
from events.models import Event, EventQuerySet
from venues.models import Venue

FEED_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Feed:
    """What a feed view found: the events, the calendar's name and the file name."""

    events: EventQuerySet
    name: Callable[[], str]
    filename: str


@dataclass(frozen=True)
class BuiltFeed:
    etag: str
    last_modified: int | None
    filename: str


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    if requested in LANGUAGES:
        return str(requested)
    return translation.get_language_from_request(request) if requested is None else ""


def _invalid(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"code": "invalid_input", "detail": "Invalid input.", "errors": errors}, status=400)


def _event_url(request: HttpRequest, event: Event) -> str:
    return request.build_absolute_uri(reverse("frontend:event", kwargs={"slug": event.slug}))


def _build(request: HttpRequest, feed: Feed, language: str) -> tuple[BuiltFeed, bytes]:
    events = list(feed.events)
    with translation.override(language):
        body = build_calendar(events, name=feed.name(), language=language, url_for=lambda e: _event_url(request, e))
    # Weak ETag: the same events in the same revisions; only DTSTAMP differs between builds.
    revisions = "|".join(f"{e.pk}:{e.sequence}:{e.updated_at.isoformat()}" for e in events)
    fingerprint = f"{catalogue_version.current()}|{language}|{request.build_absolute_uri()}|{revisions}"
    etag = 'W/"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    last = max((e.updated_at for e in events), default=None)
    built = BuiltFeed(etag=etag, last_modified=int(last.timestamp()) if last else None, filename=feed.filename)
    return built, gzip.compress(body, compresslevel=6)


def _body(request: HttpRequest, built: BuiltFeed, compressed: bytes) -> HttpResponse:
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="text/calendar; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{built.filename}"'
    return response


def _with_headers(response: HttpResponseBase, built: BuiltFeed, language: str) -> HttpResponseBase:
    response["ETag"] = built.etag
    if built.last_modified is not None:
        response["Last-Modified"] = http_date(built.last_modified)
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=900)
    patch_vary_headers(response, ["Accept-Language", "Accept-Encoding"])
    return response


def _serve(request: HttpRequest, find: Callable[[str], Feed | HttpResponse]) -> HttpResponseBase:
    """Answer from the cache when the feed was built for this catalogue version, else build it."""
    language = _language(request)
    if not language:
        return _invalid({"lang": [f"Choose one of: {', '.join(LANGUAGES)}."]})
    key = catalogue_version.cache_key("ics", language, request.build_absolute_uri())
    built: BuiltFeed | None = cache.get(f"{key}:meta")
    if built is not None:
        not_modified = get_conditional_response(request, etag=built.etag, last_modified=built.last_modified)
        if not_modified is not None:
            return _with_headers(not_modified, built, language)
        compressed = cache.get(f"{key}:body")
        if compressed is not None:
            return _with_headers(_body(request, built, compressed), built, language)
    found = find(language)
    if isinstance(found, HttpResponse):
        return found
    built, compressed = _build(request, found, language)
    cache.set_many({f"{key}:meta": built, f"{key}:body": compressed}, FEED_CACHE_SECONDS)
    response = get_conditional_response(request, etag=built.etag, last_modified=built.last_modified)
    return _with_headers(response or _body(request, built, compressed), built, language)


@require_safe
def events_feed(request: HttpRequest) -> HttpResponseBase:
    """All public events matching the same filters as the event API."""

    def find(language: str) -> Feed | HttpResponse:
        events = EventFilter(request.GET, queryset=Event.objects.public().for_listing())
        if not events.is_valid():
            return _invalid({field: [str(m) for m in messages] for field, messages in events.errors.items()})
        return Feed(events=events.qs, name=lambda: _("Culture in Helsingør"), filename="helsingor-kultur.ics")

    return _serve(request, find)


@require_safe
def event_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    """One event, for "Add to calendar"."""

    def find(language: str) -> Feed:
        event = get_object_or_404(Event.objects.public(), slug=slug)
        return Feed(
            events=Event.objects.public().for_listing().filter(pk=event.pk),
            name=lambda: translated(event, "title", language),
            filename=f"{slug}.ics",
        )

    return _serve(request, find)


@require_safe
def venue_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    """A venue's upcoming events."""

    def find(language: str) -> Feed:
        venue = get_object_or_404(Venue, slug=slug)
        return Feed(
            events=Event.objects.public().upcoming().for_listing().filter(venue=venue),
            name=lambda: f"{venue.name} – {_('Culture in Helsingør')}",
            filename=f"{slug}.ics",
        )

    return _serve(request, find)
