"""The page where a buyer who lost the e-mail with the tickets asks for the order links again.

The page answers the same whether or not the address has orders, so nobody learns who bought what;
the links go only to the address itself. Asking is limited per address and per client.
"""

import hashlib
import logging

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from kombu.exceptions import OperationalError
from rest_framework.throttling import BaseThrottle

from config.i18n import current_language
from frontend.orders import no_store
from tickets.people import normalise_email
from tickets.tasks import send_order_links

logger = logging.getLogger(__name__)

# One address gets at most this many e-mails an hour; one client may ask this many times an hour.
PER_ADDRESS, PER_CLIENT, WINDOW_SECONDS = 3, 20, 3600


class FindOrdersForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.dk."),
        },
    )


def _counted(key: str, limit: int) -> bool:
    """Count one more use of `key` in the window; False once the limit is passed."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between the two calls: this is the first use of a new window
        cache.add(key, 1, WINDOW_SECONDS)
        return True


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def client_key(ident: str) -> str:
    return f"order-links:client:{_digest(ident)}"


def address_key(email: str) -> str:
    return f"order-links:address:{_digest(normalise_email(email))}"


@require_http_methods(["GET", "HEAD", "POST"])
def find_orders(request: HttpRequest) -> HttpResponse:
    form = FindOrdersForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "sent": request.method == "GET" and request.GET.get("sent") == "1"}
    if request.method != "POST":
        return no_store(render(request, "frontend/find_orders.html", context))
    client = BaseThrottle().get_ident(request)  # type: ignore[arg-type]  # reads only request.META
    if not _counted(client_key(client or ""), PER_CLIENT):
        return no_store(render(request, "frontend/find_orders.html", context | {"too_many": True}, status=429))
    if not form.is_valid():
        return no_store(render(request, "frontend/find_orders.html", context, status=400))
    email = normalise_email(form.cleaned_data["email"])
    if _counted(address_key(email), PER_ADDRESS):
        try:
            send_order_links.delay(email, current_language())
        except OperationalError:  # the queue cannot be reached: say so, rather than that it was sent
            logger.exception("Could not queue the order links e-mail")
            return no_store(render(request, "frontend/find_orders.html", context | {"not_sent": True}, status=503))
    return redirect(request.path + "?sent=1")
