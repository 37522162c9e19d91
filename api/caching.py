"""Cached public reads: rendered JSON kept per catalogue version, so any edit shows at once.

The cache is checked before DRF parses the request, so a hit costs two cache reads.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from config.i18n import LANGUAGES
from events import catalogue_version


def _language(request: HttpRequest) -> str | None:
    """The language a cached answer would be in; None when `?lang=` is invalid (DRF answers 400)."""
    requested = request.GET.get("lang")
    if requested is None:
        return (translation.get_language() or "da").split("-")[0]
    return requested if requested in LANGUAGES else None


def _is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.CATALOGUE_CACHE_SECONDS > 0
        and not request.user.is_authenticated
        and "text/html" not in request.headers.get("Accept", "")
    )


class CachedPublicReadMixin:
    """Serve anonymous GETs of this view from the cache, storing successful JSON answers."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        language = _language(request)
        if language is None or not _is_cacheable(request):
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        # The full URL, host included: answers hold absolute links.
        key = catalogue_version.cache_key("api", language, request.build_absolute_uri())
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit, content_type="application/json")
            response["Content-Language"] = language
            response["Vary"] = "Accept, Accept-Language"
            return response
        response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        renderer = getattr(response, "accepted_renderer", None)
        if response.status_code == 200 and renderer is not None and renderer.format == "json":
            response.render()
            cache.set(key, response.content, settings.CATALOGUE_CACHE_SECONDS)
        return response
