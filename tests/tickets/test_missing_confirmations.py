"""A confirmation whose queue message was lost is sent by the catch-up job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, TicketTypeFactory, buyer
from tickets.models import Order
from tickets.services import Item, mark_paid, place_order
from tickets.tasks import send_missing_confirmations

pytestmark = pytest.mark.django_db


def paid_order(paid_minutes_ago: int) -> Order:
    event = EventFactory()
    order = place_order(event_id=event.pk, items=[Item(TicketTypeFactory(event=event).pk, 1)], buyer=buyer())
    mark_paid(order=order, now=timezone.now() - timedelta(minutes=paid_minutes_ago))
    return order


def test_only_orders_paid_a_while_ago_without_a_confirmation_are_caught_up(mailoutbox, settings):
    settings.DEBUG = True
    lost = paid_order(paid_minutes_ago=30)
    paid_order(paid_minutes_ago=2)  # its own task may still be on the way
    paid_order(paid_minutes_ago=3 * 24 * 60)  # too old to surprise the buyer with now

    assert send_missing_confirmations() == 1
    assert [message.to for message in mailoutbox] == [[lost.buyer_email]]
    assert send_missing_confirmations() == 0


def test_a_confirmation_claimed_by_a_worker_that_died_is_sent_once_the_claim_lapses(mailoutbox, settings):
    settings.DEBUG = True
    now = timezone.now()
    died = paid_order(paid_minutes_ago=30)
    Order.objects.filter(pk=died.pk).update(confirmation_claimed_at=now - timedelta(minutes=20))
    sending = paid_order(paid_minutes_ago=30)
    Order.objects.filter(pk=sending.pk).update(confirmation_claimed_at=now - timedelta(minutes=1))

    assert send_missing_confirmations() == 1

    assert [message.to for message in mailoutbox] == [[died.buyer_email]]
    died.refresh_from_db()
    sending.refresh_from_db()
    assert died.confirmation_sent_at is not None
    assert sending.confirmation_sent_at is None  # its own worker is still at it
