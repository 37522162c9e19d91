"""Buying tickets on the pages: the chooser on the event page and the buyer's details (the order page: orders.py).

Availability is always counted from the database when an order is placed; the chooser's figures
on the (cached) event page are at most a few seconds old.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from config.i18n import current_language
from events import catalogue_version
from events.models import BookingMode, Event, EventStatus
from frontend import views
from frontend.orders import event_url, no_store, order_path, order_url, payments_unavailable, price_text
from tickets.checkout import start_checkout
from tickets.exceptions import LimitExceeded, NotOnSale, PaymentsUnavailable, SoldOut, TicketingError
from tickets.models import OrderStatus
from tickets.selectors import OfferedTicketType, offered_ticket_types
from tickets.services import Buyer, Item, place_order

# The event page is cached per catalogue version; the chooser inside it is rendered apart and kept
# only this long, because sales change availability without changing the catalogue.
AVAILABILITY_CACHE_SECONDS = 5
CHOOSER_MARKER = b"<!--ticket-chooser-->"
QUANTITY_PREFIX = "ticket_"
MAX_CHOSEN_TYPES = 20
COUNTRIES = [
    ("DK", _("Denmark")),
    ("SE", _("Sweden")),
    ("DE", _("Germany")),
    ("NO", _("Norway")),
    ("other", _("Another country")),
]
COUNTRY_FOR_LANGUAGE = {"da": "DK", "sv": "SE", "de": "DE"}
LANGUAGE_CHOICES = [("da", "Dansk"), ("en", "English"), ("sv", "Svenska"), ("de", "Deutsch")]


def sells_tickets(event: Event) -> bool:
    """Whether the event takes bookings through this site now."""
    selling = event.booking_mode in (BookingMode.TICKETS, BookingMode.FREE_REGISTRATION)
    return selling and event.status == EventStatus.PUBLISHED and event.ends_at > timezone.now()


# The event page and its ticket chooser


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The (cached) event page with a ticket chooser whose availability is at most seconds old."""
    response = views.event_detail(request, slug)
    if response.status_code == 200 and CHOOSER_MARKER in response.content:
        response.content = response.content.replace(CHOOSER_MARKER, _chooser_html(slug).encode(), 1)
    return response


def _chooser_html(slug: str) -> str:
    language = current_language()
    seconds = min(AVAILABILITY_CACHE_SECONDS, settings.CATALOGUE_CACHE_SECONDS)
    key = catalogue_version.cache_key("ticket-chooser", language, slug)
    html = cache.get(key) if seconds > 0 else None
    if html is None:
        event = Event.objects.public().select_related("venue", "hall").filter(slug=slug).first()
        html = "" if event is None else render_to_string("frontend/checkout/chooser.html", _chooser_context(event))
        if seconds > 0:
            cache.set(key, html, seconds)
    return str(html)


@dataclass(frozen=True)
class Option:
    offered: OfferedTicketType
    price: str
    opens_at: datetime | None  # when a type not yet on sale goes on sale

    @property
    def field_name(self) -> str:
        return f"{QUANTITY_PREFIX}{self.offered.ticket_type.pk}"


def _chooser_context(event: Event) -> dict[str, Any]:
    language = current_language()
    now = timezone.now()
    offered = offered_ticket_types(event=event, now=now) if sells_tickets(event) else []
    options = [
        Option(
            offered=o,
            price=price_text(o.ticket_type.price_ore, language),
            opens_at=o.ticket_type.on_sale_at if o.ticket_type.on_sale_at and o.ticket_type.on_sale_at > now else None,
        )
        for o in offered
    ]
    return {
        "event": event,
        "options": options,
        "can_choose": any(o.offered.status in ("available", "few_left") for o in options),
        "is_registration": event.booking_mode == BookingMode.FREE_REGISTRATION,
        "checkout_url": reverse("frontend:checkout", kwargs={"slug": event.slug}),
        "free_text": gettext("Free"),
        "total_one": ngettext("%(count)s ticket: %(total)s", "%(count)s tickets: %(total)s", 1),
        "total_other": ngettext("%(count)s ticket: %(total)s", "%(count)s tickets: %(total)s", 2),
        "fewer": gettext("One ticket fewer: %(name)s"),
        "more": gettext("One ticket more: %(name)s"),
    }


# Step 2: the buyer's details


class SelectionProblem(Exception):
    """The chosen tickets cannot be bought; `status` is 400 for a bad choice, 409 for a conflict."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Line:
    offered: OfferedTicketType
    quantity: int

    @property
    def subtotal_ore(self) -> int:
        return self.offered.ticket_type.price_ore * self.quantity


def chosen_lines(query: QueryDict, offered: list[OfferedTicketType]) -> list[Line]:
    """The quantities a visitor chose on the event page, checked against the ticket types' limits."""
    by_id = {o.ticket_type.pk: o for o in offered}
    lines: list[Line] = []
    for key, value in query.items():
        if not key.startswith(QUANTITY_PREFIX):
            continue
        try:
            type_id, quantity = int(key.removeprefix(QUANTITY_PREFIX)), int(str(value) or 0)
        except ValueError:
            raise SelectionProblem(gettext("Choose the number of tickets as a whole number."), 400) from None
        if quantity == 0:
            continue
        chosen = by_id.get(type_id)
        if chosen is None or quantity < 0 or len(lines) == MAX_CHOSEN_TYPES:
            raise SelectionProblem(gettext("Those tickets are not sold for this event."), 400)
        ticket_type = chosen.ticket_type
        if not ticket_type.min_per_order <= quantity <= ticket_type.max_per_order:
            message = gettext("You can choose from %(min)s to %(max)s tickets of the type %(name)s per order.")
            values = {"min": ticket_type.min_per_order, "max": ticket_type.max_per_order, "name": ticket_type.name}
            raise SelectionProblem(message % values, 400)
        lines.append(Line(offered=chosen, quantity=quantity))
    if not lines:
        raise SelectionProblem(gettext("Choose at least one ticket."), 400)
    return lines


def shortage(lines: list[Line]) -> str:
    """Why the chosen tickets cannot be had now, as far as the latest counts tell; else ""."""
    for line in lines:
        name, left = line.offered.ticket_type.name, line.offered.left
        if not line.offered.is_on_sale:
            return gettext("Tickets of the type %(name)s are not on sale now.") % {"name": name}
        if left == 0:
            return gettext("%(name)s is sold out.") % {"name": name}
        if left is not None and line.quantity > left:
            message = ngettext(
                "Only %(left)s ticket of the type %(name)s is left.",
                "Only %(left)s tickets of the type %(name)s are left.",
                left,
            )
            return message % {"left": left, "name": name}
    return ""


def email_field() -> forms.EmailField:
    """A buyer's e-mail address, with errors that say how to write one."""
    return forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.dk."),
        },
    )


class BuyerForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200, error_messages={"required": _("Enter your name.")})
    email = email_field()
    is_resident = forms.TypedChoiceField(
        label=_("Do you live in Helsingør Kommune?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Answer whether you live in Helsingør Kommune.")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=COUNTRIES,
        error_messages={
            "required": _("Choose a country from the list."),
            "invalid_choice": _("Choose a country from the list."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language for e-mails and tickets"),
        choices=LANGUAGE_CHOICES,
        error_messages={
            "required": _("Choose a language from the list."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )
    newsletter_opt_in = forms.BooleanField(required=False)

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"].strip().upper()
        if self.data.get("country") == "DK" and postcode and not (len(postcode) == 4 and postcode.isdigit()):
            raise forms.ValidationError(gettext("A Danish postcode has four digits, for example 3000."))
        return postcode

    def buyer(self) -> Buyer:
        data = self.cleaned_data
        return Buyer(
            name=data["name"].strip(),
            email=data["email"],
            is_resident=data["is_resident"],
            postcode=data["postcode"],
            country=data["country"],
            language=data["language"],
            newsletter_opt_in=data["newsletter_opt_in"],
        )


def initial_details(language: str) -> dict[str, str]:
    """The country and language a visitor most likely has, from the page's language."""
    return {"country": COUNTRY_FOR_LANGUAGE.get(language, "other"), "language": language}


@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the chosen tickets and ask for the buyer's details; a valid POST places the order."""
    event = get_object_or_404(Event.objects.public().select_related("venue", "hall"), slug=slug)
    language = current_language()
    form = BuyerForm(request.POST if request.method == "POST" else None, initial=initial_details(language))
    try:
        if not sells_tickets(event):
            raise SelectionProblem(gettext("This event does not sell tickets now."), 409)
        lines = chosen_lines(request.GET, offered_ticket_types(event=event, now=timezone.now()))
    except SelectionProblem as error:
        return _details_page(request, event, [], form, error.message, status=error.status)
    if request.method != "POST":
        message = shortage(lines)
        return _details_page(request, event, lines, form, message, status=409 if message else 200)
    if not form.is_valid():
        return _details_page(request, event, lines, form, "", status=400)
    try:
        order = place_order(
            event_id=event.pk,
            items=[Item(line.offered.ticket_type.pk, line.quantity) for line in lines],
            buyer=form.buyer(),
        )
    except (SoldOut, NotOnSale, LimitExceeded) as error:
        return _conflict(request, event, form, error)
    if order.status == OrderStatus.PAID:  # free tickets are confirmed at once
        return redirect(order_path(order))
    try:
        started = start_checkout(
            order=order, success_url=order_url(request, order), cancel_url=event_url(request, order)
        )
    except PaymentsUnavailable:
        return _details_page(request, event, lines, form, payments_unavailable(), status=503)
    return HttpResponseRedirect(started.url)


def _conflict(request: HttpRequest, event: Event, form: BuyerForm, error: TicketingError) -> HttpResponse:
    """Say why the order was refused, from fresh counts, with the buyer's answers kept."""
    if isinstance(error, NotOnSale):
        fallback = gettext("These tickets are not on sale now.")
    elif isinstance(error, SoldOut):
        fallback = gettext("There are not that many tickets left. Please choose fewer.")
    else:
        fallback = gettext("That many tickets cannot be bought in one order.")
    try:
        lines = chosen_lines(request.GET, offered_ticket_types(event=event, now=timezone.now()))
    except SelectionProblem as problem:
        return _details_page(request, event, [], form, problem.message, status=409)
    return _details_page(request, event, lines, form, shortage(lines) or fallback, status=409)


def _details_page(
    request: HttpRequest, event: Event, lines: list[Line], form: BuyerForm, problem: str, *, status: int
) -> HttpResponse:
    language = current_language()
    total = sum(line.subtotal_ore for line in lines)
    context = {
        "event": event,
        "lines": [
            {
                "name": line.offered.ticket_type.name,
                "quantity": line.quantity,
                "unit_price": price_text(line.offered.ticket_type.price_ore, language),
                "subtotal": price_text(line.subtotal_ore, language),
            }
            for line in lines
        ],
        "total": price_text(total, language),
        "is_free": total == 0,
        "form": form if lines and status != 503 else None,
        "problem": problem,
        "reservation_minutes": settings.RESERVATION_MINUTES,
        "event_url": reverse("frontend:event", kwargs={"slug": event.slug}),
    }
    return no_store(render(request, "frontend/checkout/details.html", context, status=status))
