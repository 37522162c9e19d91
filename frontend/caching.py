"""Rendered public pages kept per catalogue version, language and URL, so any edit shows at once."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from events import catalogue_version

View = Callable[..., HttpResponse]


def cached_page(view: View) -> View:
    """Serve anonymous GETs from the cache; store successful answers that set no cookies."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or settings.CATALOGUE_CACHE_SECONDS <= 0 or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = catalogue_version.cache_key("page", translation.get_language() or "", request.build_absolute_uri())
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response.content, settings.CATALOGUE_CACHE_SECONDS)
        return response

    return wrapper
