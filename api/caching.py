"""Cached public reads, keyed on the catalogue version so any edit shows at once."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.response import Response

from config.i18n import current_language
from events import catalogue_version


def cached_read(request: Request, build: Callable[[], Response]) -> Response:
    """Serve the response data from the cache, or build it and store it if it succeeded."""
    if request.user.is_authenticated or settings.CATALOGUE_CACHE_SECONDS <= 0:
        return build()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"api:{catalogue_version.current()}:{current_language()}:{path}"
    data = cache.get(key)
    if data is not None:
        return Response(data)
    response = build()
    if response.status_code == 200:
        cache.set(key, response.data, settings.CATALOGUE_CACHE_SECONDS)
    return response
