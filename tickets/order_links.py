"""Order links sent again to a buyer who lost them: one e-mail with the orders of an address that still matter.

Anyone may ask for any address, so the e-mail goes only to that address, and the page answers the
same whether or not it has orders.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.i18n import translated
from tickets.emails import event_when
from tickets.models import Order, OrderStatus
from tickets.people import assign_person_keys

# Orders of events that ended longer ago than this are not sent again.
ENDED_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class OrderLink:
    event: str
    when: str
    reference: str
    url: str
    is_reserved: bool


def orders_to_send(key: str, *, now: datetime) -> list[Order]:
    """The orders of a person (by `people.person_key`): paid orders, and reservations still held, of events
    not long over, the soonest first. A buyer whose personal data was erased has none."""
    assign_person_keys()  # orders placed in the last minutes may not have their key yet
    return list(
        Order.objects.filter(person_key=key, pseudonymised_at__isnull=True)
        .exclude(buyer_email="")
        .filter(Q(status=OrderStatus.PAID) | Q(status=OrderStatus.RESERVED, expires_at__gt=now))
        .filter(event__ends_at__gte=now - ENDED_WITHIN)
        .select_related("event")
        .order_by("event__starts_at", "created_at")
    )


def send_order_links(*, key: str, language: str, now: datetime | None = None) -> int:
    """E-mail a person the links to their orders, to the address of their latest order, in the language
    they asked in; how many orders it listed. The key, not the address, travels through the task queue."""
    orders = orders_to_send(key, now=now or timezone.now())
    if not orders:
        return 0
    email = max(orders, key=lambda order: order.created_at).buyer_email
    site = settings.SITE_URL.rstrip("/")
    with translation.override(language):
        links = [
            OrderLink(
                event=translated(order.event, "title", language),
                when=event_when(order.event.starts_at, order.event.ends_at, language),
                reference=order.reference,
                url=site + reverse("frontend:order", kwargs={"reference": order.reference, "secret": order.secret}),
                is_reserved=order.status == OrderStatus.RESERVED,
            )
            for order in orders
        ]
        EmailMessage(
            subject=_("Your tickets from Culture in Helsingør"),
            body=render_to_string(
                "tickets/email/order_links.txt",
                {
                    "links": links,
                    "contact": settings.DEFAULT_FROM_EMAIL,
                },
            ),
            to=[email],
            reply_to=[settings.DEFAULT_FROM_EMAIL],
        ).send()
    return len(links)
