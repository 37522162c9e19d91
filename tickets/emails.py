"""E-mails to buyers, in their language: the order confirmation (a summary, the tickets as PDF, the event as
.ics), the notice of a cancelled event, and the notice of a payment refunded because it could not buy the tickets.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.i18n import FALLBACK_LANGUAGE, LANGUAGES, translated
from tickets.documents import event_calendar, tickets_pdf
from tickets.models import SOLD_OUT_BEFORE_PAYMENT, Order, OrderStatus, Refund
from tickets.money import format_price

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
ORGANISATION = "Helsingør Kommune"
# Dates as the public pages write them: "lørdag 5. december 2026", "Saturday 5 December 2026".
LONG_DATE = {"da": "l j. F Y", "en": "l j F Y", "sv": "l j F Y", "de": "l, j. F Y"}


@dataclass(frozen=True)
class SummaryLine:
    """One ticket type of the order, its texts and amounts already in the buyer's language."""

    ticket_type: str
    quantity: int
    unit_price: str
    amount: str
    vat: str


def order_links(order: Order) -> tuple[str, str]:
    """Absolute links to the buyer's order page and to the event's page, in the buyer's language."""
    site = str(getattr(settings, "SITE_URL", DEFAULT_SITE_URL)).rstrip("/")
    with translation.override(_language(order)):
        order_path = reverse("frontend:order", kwargs={"reference": order.reference, "secret": order.secret})
        event_path = reverse("frontend:event", kwargs={"slug": order.event.slug})
    return site + order_path, site + event_path


def build_order_confirmation(order: Order, *, order_url: str, event_url: str) -> EmailMultiAlternatives:
    """The confirmation of a paid order in the buyer's language, with the tickets and the calendar entry."""
    language = _language(order)
    with translation.override(language):
        context = _context(order, language=language, order_url=order_url, event_url=event_url)
        message = EmailMultiAlternatives(
            subject=context["subject"],
            body=render_to_string("tickets/email/order_confirmation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[order.buyer_email],
            reply_to=[settings.DEFAULT_FROM_EMAIL],
        )
        message.attach_alternative(render_to_string("tickets/email/order_confirmation.html", context), "text/html")
    message.attach("tickets.pdf", tickets_pdf(order), "application/pdf")
    message.attach("event.ics", event_calendar(order, event_url=event_url), "text/calendar; method=PUBLISH")
    return message


# Longer than sending a confirmation ever takes: a claim this old belongs to a worker that died while
# sending, and the confirmation may be claimed again (a rare second copy beats none).
CONFIRMATION_CLAIM_TIMEOUT = timedelta(minutes=15)


def send_order_confirmation(*, order_id: int, now: datetime | None = None) -> bool:
    """E-mail a paid order's confirmation unless it went out already; False when nothing was sent.

    The order is claimed with a conditional update before sending, so two workers never both send
    it; it is marked sent after sending. A failure releases the claim; a claim left by a worker
    that died lapses after CONFIRMATION_CLAIM_TIMEOUT, and the catch-up job sends it then.
    """
    claimed_at = now or timezone.now()
    claimed = (
        Order.objects.filter(pk=order_id, status=OrderStatus.PAID, confirmation_sent_at__isnull=True)
        .filter(
            Q(confirmation_claimed_at__isnull=True)
            | Q(confirmation_claimed_at__lt=claimed_at - CONFIRMATION_CLAIM_TIMEOUT)
        )
        .update(confirmation_claimed_at=claimed_at)
    )
    if not claimed:
        return False
    try:
        order = Order.objects.select_related("event__venue", "event__hall").get(pk=order_id)
        order_url, event_url = order_links(order)
        build_order_confirmation(order, order_url=order_url, event_url=event_url).send()
    except BaseException:
        Order.objects.filter(pk=order_id, confirmation_claimed_at=claimed_at).update(confirmation_claimed_at=None)
        raise
    Order.objects.filter(pk=order_id).update(confirmation_sent_at=timezone.now())
    return True


def event_when(starts_at: datetime, ends_at: datetime, language: str) -> str:
    """Date and times in Copenhagen time, in the active language: "lørdag 5. december 2026, 19:30–21:30"."""
    starts, ends = starts_at.astimezone(COPENHAGEN), ends_at.astimezone(COPENHAGEN)
    day = dateformat.format(starts, LONG_DATE[language])
    if ends <= starts:
        return f"{day}, {starts:%H:%M}"
    if ends.date() == starts.date():
        return f"{day}, {starts:%H:%M}–{ends:%H:%M}"
    return f"{day}, {starts:%H:%M} – {dateformat.format(ends, LONG_DATE[language])}, {ends:%H:%M}"


def vat_note(rate: Decimal) -> str:
    """What a line's price holds of VAT, in the active language."""
    if not rate:
        return _("VAT exempt")
    return _("incl. %(rate)s %% VAT") % {"rate": formats.number_format(rate.normalize())}


def _language(order: Order) -> str:
    language = (order.language or FALLBACK_LANGUAGE).split("-")[0].lower()
    return language if language in LANGUAGES else FALLBACK_LANGUAGE


def _context(order: Order, *, language: str, order_url: str, event_url: str) -> dict[str, Any]:
    event, venue = order.event, order.event.venue
    title = translated(event, "title", language)
    subject = _("Your tickets: %(event)s (%(reference)s)") % {"event": title, "reference": order.reference}
    lines = [
        SummaryLine(
            ticket_type=translated(line.ticket_type, "name", language),
            quantity=line.quantity,
            unit_price=format_price(line.unit_price_ore, language),
            amount=format_price(line.unit_price_ore * line.quantity, language),
            vat=vat_note(line.vat_rate),
        )
        for line in order.lines.select_related("ticket_type").order_by("ticket_type__position", "pk")
    ]
    contact_email = settings.DEFAULT_FROM_EMAIL
    return {
        "language": language,
        "subject": " ".join(subject.split()),  # a line break in a title must not break the header
        "buyer_name": order.buyer_name,
        "event_title": title,
        "when": event_when(event.starts_at, event.ends_at, language),
        "place": f"{venue.name}, {event.hall.name}" if event.hall else venue.name,
        "address": venue.address_line,
        "reference": order.reference,
        "lines": lines,
        "total": format_price(order.total_ore, language),
        "is_free": order.total_ore == 0,
        "order_url": order_url,
        "event_url": event_url,
        "contact_email": contact_email,
        "contact_link": format_html('<a href="mailto:{0}" style="color: #0b3250;">{0}</a>', contact_email),
        "reference_nowrap": format_html('<span style="white-space: nowrap;">{}</span>', order.reference),
        "organisation": ORGANISATION,
    }


def build_cancellation_notice(order: Order) -> EmailMultiAlternatives:
    """Tell a buyer that the event is cancelled and what is refunded, in the buyer's language."""
    refunded = sum(refund.amount_ore for payment in order.payments.all() for refund in payment.refunds.all())
    return _notice(
        order,
        subject=gettext_lazy("Cancelled: %(event)s (%(reference)s)"),
        template="tickets/email/event_cancelled.txt",
        refund=lambda language: format_price(refunded, language) if refunded else "",
    )


def send_cancellation_notice(*, order_id: int) -> None:
    """E-mail the buyer of a cancelled order that its event is cancelled."""
    order = Order.objects.select_related("event__venue").prefetch_related("payments__refunds").get(pk=order_id)
    build_cancellation_notice(order).send()


def build_refund_notice(refund: Refund) -> EmailMultiAlternatives:
    """Tell a buyer why a payment bought no tickets and that it is refunded, in the buyer's language."""
    if refund.payment.order is None:
        raise ValueError("Only the refund of an order's payment has a buyer to tell.")
    return _notice(
        refund.payment.order,
        subject=gettext_lazy("Your payment is refunded: %(event)s (%(reference)s)"),
        template="tickets/email/payment_refunded.txt",
        sold_out=lambda _language: refund.reason == SOLD_OUT_BEFORE_PAYMENT,
        amount=lambda language: format_price(refund.amount_ore, language),
    )


def _notice(order: Order, *, subject: Any, template: str, **extra: Callable[[str], Any]) -> EmailMultiAlternatives:
    """A plain-text notice about an order in the buyer's language; `extra` values are made for that language."""
    language = _language(order)
    order_url, event_url = order_links(order)
    with translation.override(language):
        event = order.event
        title = translated(event, "title", language)
        context = {
            "buyer_name": order.buyer_name,
            "event_title": title,
            "when": event_when(event.starts_at, event.ends_at, language),
            "reference": order.reference,
            "order_url": order_url,
            "event_url": event_url,
            "contact_email": settings.DEFAULT_FROM_EMAIL,
        } | {name: make(language) for name, make in extra.items()}
        subject_text = str(subject) % {"event": title, "reference": order.reference}
        return EmailMultiAlternatives(
            subject=" ".join(subject_text.split()),  # a line break in a title must not break the header
            body=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[order.buyer_email],
            reply_to=[settings.DEFAULT_FROM_EMAIL],
        )


def send_refund_notice(*, refund_id: int) -> None:
    """E-mail the buyer of a refunded payment that bought no tickets; nothing when the buyer is erased."""
    refund = Refund.objects.select_related("payment__order__event__venue").get(pk=refund_id)
    if refund.payment.order is not None and refund.payment.order.buyer_email:
        build_refund_notice(refund).send()
