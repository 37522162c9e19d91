"""Public pages (placeholder views; the real pages replace these)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from events.models import Event
from venues.models import Venue


def event_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("events")


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.public(), slug=slug)
    return HttpResponse(event.title)


def venue_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("venues")


def venue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(get_object_or_404(Venue, slug=slug).name)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return HttpResponse("accessibility")
