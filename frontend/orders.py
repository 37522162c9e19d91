"""The buyer's order page, for whoever holds its secret link: status, countdown, tickets, PDF and calendar.

Also the helpers the checkout and the payment simulator share with it (addresses, prices, headers).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_safe

from config.i18n import current_language
from tickets.checkout import start_checkout
from tickets.documents import IssuedTicket, event_calendar, issued_tickets, tickets_pdf
from tickets.exceptions import PaymentsUnavailable
from tickets.models import Order, OrderStatus, PaymentStatus, TicketStatus
from tickets.money import format_price
from tickets.qr import qr_svg


def price_text(ore: int, language: str) -> str:
    """A price as the language writes it; nothing to pay is "Free"."""
    return format_price(ore, language) if ore else gettext("Free")


def payments_unavailable() -> str:
    """What a buyer reads when the payment provider cannot be reached."""
    return gettext(
        "Payment is not possible right now, so your tickets have been released and nothing has been charged. "
        "Please try again in a few minutes."
    )


def order_path(order: Order, language: str | None = None) -> str:
    with translation.override(language or order.language):
        return reverse("frontend:order", kwargs={"reference": order.reference, "secret": order.secret})


def order_url(request: HttpRequest, order: Order) -> str:
    """The absolute order page address, in the buyer's language (where a payment returns to)."""
    return request.build_absolute_uri(order_path(order))


def event_url(request: HttpRequest, order: Order) -> str:
    with translation.override(order.language):
        return request.build_absolute_uri(reverse("frontend:event", kwargs={"slug": order.event.slug}))


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep a personal page out of every cache."""
    response["Cache-Control"] = "private, no-store"
    return response


def private(response: HttpResponse) -> HttpResponse:
    """Headers for pages whose address holds the order's secret."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return no_store(response)


def _order_or_404(reference: str, secret: str) -> Order:
    return get_object_or_404(
        Order.objects.select_related("event", "event__venue", "event__hall"), reference=reference, secret=secret
    )


def order_state(order: Order) -> str:
    """The order's status as the buyer sees it; a lapsed reservation is expired already."""
    if order.status == OrderStatus.RESERVED and order.expires_at <= timezone.now():
        return OrderStatus.EXPIRED
    return str(order.status)


def order_lines(order: Order, language: str) -> list[dict[str, Any]]:
    """What was ordered, with prices in the given language."""
    return [
        {
            "name": line.ticket_type.name,
            "quantity": line.quantity,
            "subtotal": price_text(line.unit_price_ore * line.quantity, language),
        }
        for line in order.lines.select_related("ticket_type")
    ]


@require_safe
def order_detail(request: HttpRequest, reference: str, secret: str) -> HttpResponse:
    """The buyer's order: status, countdown while reserved, tickets with QR codes when paid."""
    return _order_page(request, _order_or_404(reference, secret))


def _order_page(request: HttpRequest, order: Order, *, problem: str = "", status: int = 200) -> HttpResponse:
    language = current_language()
    state = order_state(order)
    latest_payment = order.payments.order_by("-created_at").values_list("status", flat=True).first()
    context = {
        "order": order,
        "event": order.event,
        "state": state,
        "problem": problem,
        "lines": order_lines(order, language),
        "total": price_text(order.total_ore, language),
        "payment_failed": state == OrderStatus.RESERVED and latest_payment == PaymentStatus.FAILED,
        "tickets": _ticket_cards(issued_tickets(order)),
        "revoked_count": order.tickets.filter(status=TicketStatus.REVOKED).count() if state == OrderStatus.PAID else 0,
        **_countdown(order),
    }
    return private(render(request, "frontend/order_detail.html", context, status=status))


def _countdown(order: Order) -> dict[str, Any]:
    """The time left to pay, in words; the page's script rewords it as the minutes pass."""
    seconds_left = max(0, int((order.expires_at - timezone.now()).total_seconds()))
    minutes_left = -(-seconds_left // 60)
    texts = {
        "one": ngettext("%(minutes)s minute left", "%(minutes)s minutes left", 1),
        "other": ngettext("%(minutes)s minute left", "%(minutes)s minutes left", 2),
        "under_a_minute": gettext("Less than a minute left"),
        "over": gettext("The reservation has run out."),
    }
    if seconds_left < 60:
        texts["now"] = texts["under_a_minute"] if seconds_left else texts["over"]
    else:
        texts["now"] = ngettext("%(minutes)s minute left", "%(minutes)s minutes left", minutes_left) % {
            "minutes": minutes_left
        }
    return {"seconds_left": seconds_left, "countdown": texts}


def _ticket_cards(issued: list[IssuedTicket]) -> list[dict[str, Any]]:
    cards = []
    for number, issued_ticket in enumerate(issued, start=1):
        place = {"number": number, "count": len(issued)}
        label = gettext("QR code of ticket %(number)s of %(count)s") % place
        ticket_type = issued_ticket.ticket.ticket_type
        cards.append(
            {
                "count_label": gettext("Ticket %(number)s of %(count)s") % place,
                "type_name": ticket_type.name,
                "is_companion": ticket_type.is_companion,
                # qr_svg escapes the label and draws everything else itself: the markup is ours.
                "qr": mark_safe(qr_svg(issued_ticket.code, label=label)),  # noqa: S308
            }
        )
    return cards


@require_GET
def order_pay(request: HttpRequest, reference: str, secret: str) -> HttpResponse:
    """Go to the payment of a reserved order; an open checkout is reused.

    A link, not a form: the order page sends no referrer (its address holds the secret), and
    browsers then send `Origin: null` with a form, which the CSRF check rightly refuses.
    """
    order = _order_or_404(reference, secret)
    if order_state(order) != OrderStatus.RESERVED:
        return redirect(order_path(order, current_language()))
    try:
        started = start_checkout(
            order=order, success_url=order_url(request, order), cancel_url=event_url(request, order)
        )
    except PaymentsUnavailable:
        order.refresh_from_db()
        return _order_page(request, order, problem=payments_unavailable(), status=503)
    return private(HttpResponseRedirect(started.url))


def _paid_order_or_404(reference: str, secret: str) -> Order:
    order = _order_or_404(reference, secret)
    if order.status != OrderStatus.PAID or not order.tickets.filter(status=TicketStatus.VALID).exists():
        raise Http404("No tickets for this order.")
    return order


@require_safe
def order_tickets_pdf(request: HttpRequest, reference: str, secret: str) -> HttpResponse:
    """All valid tickets of a paid order as one PDF, to download."""
    order = _paid_order_or_404(reference, secret)
    response = HttpResponse(tickets_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tickets-{order.reference}.pdf"'
    return private(response)


@require_safe
def order_calendar(request: HttpRequest, reference: str, secret: str) -> HttpResponse:
    """The booked event as an .ics file, to add to a calendar."""
    order = _paid_order_or_404(reference, secret)
    response = HttpResponse(
        event_calendar(order, event_url=event_url(request, order)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{order.event.slug}.ics"'
    return private(response)
