"""The public pages: what is on, one event, the venues, and the accessibility statement."""

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from config.i18n import current_language
from events.filters import EventFilter
from events.models import PUBLIC_STATUSES, Category, Event
from frontend.caching import cached_page
from frontend.search import LABELS, QUICK_PICKS, EventSearch
from frontend.structured_data import event_json_ld, json_for_script
from venues.models import Venue

EVENTS_PER_PAGE = 24
VENUE_EVENTS_SHOWN = 12
# Filters the form has no control for (links from elsewhere use them); kept when the form is sent.
HIDDEN_FILTERS = ("organiser", "booking_mode", "status")
# The day the accessibility statement was last reviewed; update it with every review.
ACCESSIBILITY_STATEMENT_REVIEWED_ON = date(2026, 11, 29)


def _calendar_links(request: HttpRequest, path: str, query: QueryDict | None = None) -> dict[str, str]:
    """The https link (download) and webcal link (subscribe) of one feed, in the page's language."""
    parameters = query.copy() if query is not None else QueryDict(mutable=True)
    parameters["lang"] = current_language()
    url = f"{path}?{parameters.urlencode()}"
    return {"download": request.build_absolute_uri(url), "subscribe": f"webcal://{request.get_host()}{url}"}


def _filter_labels(filterset: EventFilter) -> dict[str, str]:
    """A readable name for every parameter, to head its error messages."""
    labels = {name: capfirst(str(field.label)) for name, field in filterset.form.fields.items()}
    return {**labels, **{name: str(label) for name, label in LABELS.items()}}


@require_safe
@cached_page
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events, narrowed by the visitor's filters, a page at a time."""
    search = EventSearch.from_query(request.GET, now=timezone.now())
    filterset = EventFilter(search.filter_data, queryset=Event.objects.public().for_listing())
    errors = dict(search.errors)
    if not filterset.is_valid():
        errors.update({name: [str(message) for message in messages] for name, messages in filterset.errors.items()})
    events = Event.objects.none() if errors else filterset.qs
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    labels = _filter_labels(filterset)
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "events": page.object_list,
        "search": search,
        "query": search.query,
        "quick_picks": QUICK_PICKS,
        "venues": Venue.objects.only("slug", "name"),
        "categories": Category.objects.all(),
        "errors": [
            (name, labels.get(name, name), message) for name, messages in errors.items() for message in messages
        ],
        "error_fields": set(errors),
        "controls": set(LABELS),
        "active_filters": sum(1 for name in LABELS if name != "q" and search.selected(name)),
        "selected_venues": search.selected("venue"),
        "selected_categories": search.selected("category"),
        "hidden_filters": [
            (name, search.selected(name)) for name in HIDDEN_FILTERS if search.selected(name) and name not in errors
        ],
        "feed": _calendar_links(request, reverse("events-ics"), search.feed_query()),
    }
    return render(request, "frontend/event_list.html", context, status=400 if errors else 200)


@require_safe
@cached_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One public event, upcoming or past, with its JSON-LD and calendar links."""
    event = get_object_or_404(
        Event.objects.public().select_related("venue", "hall", "category", "organiser"), slug=slug
    )
    venue = event.venue
    context = {
        "event": event,
        "venue": venue,
        "is_past": event.ends_at < timezone.now(),
        "json_ld": json_for_script(event_json_ld(event, request=request, language=current_language())),
        "add_to_calendar": _calendar_links(request, reverse("event-ics", kwargs={"slug": event.slug})),
        "venue_feed": _calendar_links(request, reverse("venue-ics", kwargs={"slug": venue.slug})),
        "all_events_feed": _calendar_links(request, reverse("events-ics")),
        "image_url": request.build_absolute_uri(event.image.url) if event.image else "",
        "page_url": request.build_absolute_uri(request.path),
    }
    return render(request, "frontend/event_detail.html", context)


@require_safe
@cached_page
def venue_list(request: HttpRequest) -> HttpResponse:
    """Every venue with its number of upcoming public events."""
    upcoming = Q(event_set__status__in=PUBLIC_STATUSES, event_set__ends_at__gte=timezone.now())
    venues = Venue.objects.annotate(upcoming_count=Count("event_set", filter=upcoming)).order_by("name")
    return render(request, "frontend/venue_list.html", {"venues": venues})


@require_safe
@cached_page
def venue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One venue: what it is, where, how accessible, its halls and what is on there."""
    venue = get_object_or_404(Venue.objects.prefetch_related("halls"), slug=slug)
    events = Event.objects.public().upcoming().for_listing().filter(venue=venue)
    shown = list(events[: VENUE_EVENTS_SHOWN + 1])
    context = {
        "venue": venue,
        "events": shown[:VENUE_EVENTS_SHOWN],
        "has_more_events": len(shown) > VENUE_EVENTS_SHOWN,
        "all_events_url": reverse("frontend:event_list") + "?" + urlencode({"venue": venue.slug}),
        "feed": _calendar_links(request, reverse("venue-ics", kwargs={"slug": venue.slug})),
    }
    return render(request, "frontend/venue_detail.html", context)


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (Tilgængelighedserklæring) the law asks of public websites."""
    context = {
        "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED_ON,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
    }
    return render(request, "frontend/accessibility_statement.html", context)
