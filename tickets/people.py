"""Buyers as people: a pseudonymous key per person, and removing personal data when it is no longer needed.

The key is an HMAC of the normalised e-mail with VISITOR_KEY_SECRET: the same person gets the same
key across orders and years, the key never leaves the server, and it cannot be turned back into the
address without the secret. Pseudonymising keeps amounts, VAT, payments and refunds (bookkeeping)
and, for statistics, the key, the resident flag, postcode and country.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from tickets.models import Order

ERASED_NAME = ""
ERASED_EMAIL = ""
_BATCH = 2000


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _secret() -> bytes:
    configured = str(getattr(settings, "VISITOR_KEY_SECRET", "") or "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"visitor-key:" + str(settings.SECRET_KEY).encode()).digest()


def person_key(email: str) -> str:
    """The pseudonymous key of the person behind an e-mail address."""
    return hmac.new(_secret(), normalise_email(email).encode(), hashlib.sha256).hexdigest()


def assign_person_keys() -> int:
    """Give every order that has an e-mail but no key its key; returns how many were keyed."""
    done = 0
    while True:
        batch = list(Order.objects.filter(person_key="").exclude(buyer_email="").only("pk", "buyer_email")[:_BATCH])
        if not batch:
            return done
        for order in batch:
            order.person_key = person_key(order.buyer_email)
        Order.objects.bulk_update(batch, ["person_key"])
        done += len(batch)


def _pseudonymise(orders: Any, now: datetime) -> int:
    assign_person_keys()
    with transaction.atomic():
        return orders.filter(pseudonymised_at__isnull=True).update(
            buyer_name=ERASED_NAME, buyer_email=ERASED_EMAIL, newsletter_opt_in=False, pseudonymised_at=now
        )


def pseudonymise_past_orders(*, now: datetime | None = None) -> int:
    """Remove names and e-mails from orders whose event ended PSEUDONYMISE_AFTER_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PSEUDONYMISE_AFTER_DAYS)
    return _pseudonymise(Order.objects.filter(event__ends_at__lt=cutoff), now)


def _orders_of(email: str) -> Any:
    # By key, and by address for orders the five-minute task has not keyed yet (normalised alike).
    return (
        Order.objects.alias(normalised_email=Lower(Trim("buyer_email")))
        .filter(Q(person_key=person_key(email)) | Q(normalised_email=normalise_email(email)))
        .select_related("event")
    )


@dataclass(frozen=True)
class BuyerExport:
    email: str
    orders: list[dict[str, Any]]


def export_buyer(email: str) -> BuyerExport:
    """Everything kept about a buyer, for a subject access request."""
    orders = [
        {
            "reference": order.reference,
            "event": order.event.title_da,
            "event_starts_at": order.event.starts_at.isoformat(),
            "status": order.status,
            "total_ore": order.total_ore,
            "name": order.buyer_name,
            "email": order.buyer_email,
            "lives_in_helsingor_kommune": order.buyer_is_resident,
            "postcode": order.buyer_postcode,
            "country": order.buyer_country,
            "language": order.language,
            "newsletter_opt_in": order.newsletter_opt_in,
            "created_at": order.created_at.isoformat(),
            "personal_data_removed_at": order.pseudonymised_at.isoformat() if order.pseudonymised_at else None,
        }
        for order in _orders_of(email).order_by("created_at")
    ]
    return BuyerExport(email=normalise_email(email), orders=orders)


def erase_buyer(email: str, *, now: datetime | None = None) -> int:
    """Remove a buyer's name and e-mail from all their orders now, with the same rules as pseudonymising."""
    return _pseudonymise(_orders_of(email), now or timezone.now())
