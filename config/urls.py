from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.static import serve

from frontend import feeds, simulator


def health(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers; touches nothing."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("healthz", health, name="health"),
    path("events.ics", feeds.events_feed, name="events-ics"),
    path("events/<slug:slug>.ics", feeds.event_feed, name="event-ics"),
    path("venues/<slug:slug>/events.ics", feeds.venue_feed, name="venue-ics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Not language-prefixed, like the Stripe Checkout page it stands in for; 404 unless simulated.
    path("payments/simulator/<str:session_id>/", simulator.simulator_page, name="payment-simulator"),
    *i18n_patterns(path("", include("frontend.urls")), prefix_default_language=True),
]
if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"))
