"""iCalendar feeds: all events (with the API's filters), one event, one venue's events.

Calendar apps poll feeds every hour, so each answer carries an ETag and Last-Modified and
an unchanged feed costs one small query and a 304.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse
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


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    if requested in LANGUAGES:
        return str(requested)
    return translation.get_language_from_request(request) if requested is None else ""


def _feed(
    request: HttpRequest, events: EventQuerySet, *, name: Callable[[], str], filename: str, language: str
) -> HttpResponse:
    state = events.aggregate(count=Count("id"), last=Max("updated_at"))
    fingerprint = f"{catalogue_version.current()}|{language}|{request.get_full_path()}|{state['count']}|{state['last']}"
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    last_modified = int(state["last"].timestamp()) if state["last"] else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"ics:{etag}"
        body = cache.get(key)
        if body is None:
            with translation.override(language):
                body = build_calendar(events, name=name(), language=language, url_for=lambda e: _event_url(request, e))
            cache.set(key, body, FEED_CACHE_SECONDS)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=900)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _event_url(request: HttpRequest, event: Event) -> str:
    return request.build_absolute_uri(reverse("frontend:event", kwargs={"slug": event.slug}))


def _bad_language() -> JsonResponse:
    return JsonResponse(
        {
            "code": "invalid_input",
            "detail": "Invalid input.",
            "errors": {"lang": [f"Choose one of: {', '.join(LANGUAGES)}."]},
        },
        status=400,
    )


@require_safe
def events_feed(request: HttpRequest) -> HttpResponse:
    """All public events matching the same filters as the event API."""
    language = _language(request)
    if not language:
        return _bad_language()
    events = EventFilter(request.GET, queryset=Event.objects.public().for_listing())
    if not events.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in events.errors.items()}
        return JsonResponse({"code": "invalid_input", "detail": "Invalid input.", "errors": errors}, status=400)
    return _feed(
        request, events.qs, name=lambda: _("Culture in Helsingør"), filename="helsingor-kultur.ics", language=language
    )


@require_safe
def event_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """One event, for "Add to calendar"."""
    language = _language(request)
    if not language:
        return _bad_language()
    event = get_object_or_404(Event.objects.public(), slug=slug)
    events = Event.objects.public().for_listing().filter(pk=event.pk)
    return _feed(
        request, events, name=lambda: translated(event, "title", language), filename=f"{slug}.ics", language=language
    )


@require_safe
def venue_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A venue's upcoming events."""
    language = _language(request)
    if not language:
        return _bad_language()
    venue = get_object_or_404(Venue, slug=slug)
    events = Event.objects.public().upcoming().for_listing().filter(venue=venue)
    return _feed(
        request,
        events,
        name=lambda: f"{venue.name} – {_('Culture in Helsingør')}",
        filename=f"{slug}.ics",
        language=language,
    )
