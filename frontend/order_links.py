"""The page where a buyer who lost the e-mail with the tickets asks for the order links again.

The page answers the same whether or not the address has orders, so nobody learns who bought what;
the links go only to the address itself. Asking is limited per address (an hour and a day) and per
client. Only the address's pseudonymous key goes into the task queue.
"""

import logging
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_http_methods
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

from config.i18n import current_language
from frontend.checkout import email_field
from frontend.orders import no_store
from tickets.people import person_key
from tickets.tasks import send_order_links

logger = logging.getLogger(__name__)

HOUR, DAY = 3600, 24 * 3600
# (window, most uses in it): e-mails to one address, and tries from one client.
ADDRESS_LIMITS = ((HOUR, 3), (DAY, 6))
CLIENT_LIMITS = ((HOUR, 20),)


class FindOrdersForm(forms.Form):
    email = email_field()


def limit_key(kind: str, value: str, window: int) -> str:
    """The cache key counting uses of an address or client in a window (keyed, so not reversible)."""
    return f"order-links:{kind}:{window}:{salted_hmac('order-links', value).hexdigest()[:32]}"


def _within(kind: str, value: str, limits: tuple[tuple[int, int], ...]) -> bool:
    """Count one more use in each window, shortest first; False, and the longer windows left alone, at the
    first one whose limit is passed (so the day counts the e-mails sent, not every try)."""
    for window, most in limits:
        key = limit_key(kind, value, window)
        cache.add(key, 0, window)
        try:
            used = cache.incr(key)
        except ValueError:  # the window ended between the two calls: this use starts a new one
            cache.add(key, 1, window)
            used = 1
        if used == 1:
            cache.touch(key, window)  # a key made by the increment itself would never expire
        if used > most:
            return False
    return True


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return no_store(render(request, "frontend/find_orders.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def find_orders(request: HttpRequest) -> HttpResponse:
    form = FindOrdersForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "sent": request.method == "GET" and request.GET.get("sent") == "1"}
    if request.method != "POST":
        return _page(request, context)
    client = BaseThrottle().get_ident(request) or ""  # type: ignore[arg-type]  # reads only request.META
    try:
        if not _within("client", client, CLIENT_LIMITS):
            return _page(request, context | {"too_many": True}, status=429)
        if not form.is_valid():
            return _page(request, context, status=400)
        key = person_key(form.cleaned_data["email"])
        if _within("address", key, ADDRESS_LIMITS):
            send_order_links.delay(key, current_language())
    except (RedisError, OperationalError):  # the cache or the queue cannot be reached: say so
        logger.exception("Could not count or queue a request for order links")
        return _page(request, context | {"not_sent": True}, status=503)
    return redirect(request.path + "?sent=1")
