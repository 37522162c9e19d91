"""Opening a checkout again never trips Stripe's idempotency rule: a double click gets the same
session, a new attempt after a failed payment a new one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, HallFactory, TicketTypeFactory, buyer
from tickets import checkout
from tickets.models import OrderStatus, Payment, PaymentStatus
from tickets.payments.gateway import CheckoutSession, PaymentProviderError
from tickets.services import Item, place_order

pytestmark = pytest.mark.django_db


class IdempotentProvider:
    """Stripe's rule for idempotency keys: a key sent again with the same parameters answers the first
    session; with other parameters it is refused."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[dict, CheckoutSession]] = {}
        self.requests = 0

    def create_checkout_session(self, *, idempotency_key: str, **parameters) -> CheckoutSession:
        self.requests += 1
        if idempotency_key in self.by_key:
            first, session = self.by_key[idempotency_key]
            if first != parameters:
                raise PaymentProviderError(
                    "Keys can only be reused with the same parameters.", error_type="idempotency_error"
                )
            return session
        number = len(self.by_key) + 1
        session = CheckoutSession(
            id=f"cs_test_{number}", url=f"https://checkout.example/{number}", expires_at=parameters["expires_at"]
        )
        self.by_key[idempotency_key] = (parameters, session)
        return session


@pytest.fixture
def provider(monkeypatch):
    fake = IdempotentProvider()
    monkeypatch.setattr(checkout, "get_gateway", lambda: fake)
    return fake


@pytest.fixture
def clock(monkeypatch):
    moments = [timezone.now().replace(second=20, microsecond=0)]
    monkeypatch.setattr(timezone, "now", lambda: moments[-1])
    return moments


@pytest.fixture
def order(clock):
    hall = HallFactory(seated_capacity=10, standing_capacity=None)
    event = EventFactory(venue=hall.venue, hall=hall)
    ticket_type = TicketTypeFactory(event=event, price_ore=15000)
    return place_order(event_id=event.pk, items=[Item(ticket_type.pk, 2)], buyer=buyer())


def open_checkout(order):
    return checkout.start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no")


def test_paying_again_after_a_failed_payment_opens_a_new_checkout(order, provider, clock):
    first = open_checkout(order)
    Payment.objects.filter(pk=first.payment.pk).update(status=PaymentStatus.FAILED)  # the card was declined
    clock.append(clock[-1] + timedelta(minutes=3))

    again = open_checkout(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED
    assert again.url != first.url
    assert again.payment.checkout_session_id == "cs_test_2"
    assert again.payment.status == PaymentStatus.PENDING
    for parameters, session in provider.by_key.values():  # each outlives the reservation by Stripe's minimum
        assert session.expires_at >= order.expires_at
        assert parameters["expires_at"] - timedelta(minutes=31) >= clock[0]


def test_a_double_click_within_the_minute_gets_the_same_checkout(order, provider, clock):
    lines = list(order.lines.select_related("ticket_type"))
    one = checkout._open_checkout(
        order=order, lines=lines, success_url="https://x/ok", cancel_url="https://x/no", is_new=False
    )
    clock.append(clock[-1] + timedelta(seconds=15))  # the second request of two sent together, a little later

    two = checkout._open_checkout(
        order=order, lines=lines, success_url="https://x/ok", cancel_url="https://x/no", is_new=False
    )

    assert provider.requests == 2 and len(provider.by_key) == 1
    assert one.url == two.url
    assert one.payment.pk == two.payment.pk
    assert Payment.objects.filter(order=order).count() == 1
