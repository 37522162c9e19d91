"""A buyer who lost the e-mail asks for the order links again: sent only to that address, the same answer
whether or not it has orders, limited per address and per client."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError

from frontend.order_links import PER_ADDRESS, PER_CLIENT, address_key, client_key
from tests.factories import EventFactory, TicketTypeFactory, buyer
from tickets.models import OrderStatus
from tickets.services import Item, mark_paid, place_order

pytestmark = pytest.mark.django_db

KAREN = "karen@example.dk"
PAGE = "/da/my-tickets/"


@pytest.fixture(autouse=True)
def _no_earlier_tries():
    keys = [client_key("127.0.0.1"), address_key(KAREN), address_key("nobody@example.dk")]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def order(title, *, email=KAREN, starts_in=timedelta(days=3), paid=True, language="da"):
    starts = timezone.now() + starts_in
    event = EventFactory(
        title_da=title, title_en=title + " (en)", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    placed = place_order(
        event_id=event.pk,
        items=[Item(TicketTypeFactory(event=event).pk, 1)],
        buyer=buyer(email=email, language=language),
        now=min(timezone.now(), starts - timedelta(days=1)),
    )
    if paid:
        mark_paid(order=placed, now=placed.created_at)
    return placed


def test_the_page_asks_for_the_address(client):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert 'type="email"' in response.content.decode() and 'autocomplete="email"' in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_the_links_of_the_orders_that_still_matter_go_to_that_address_only(client, settings):
    settings.SITE_URL = "https://kultur.helsingor.dk"
    soon = order("Jazz på havnen")
    reserved = order("Teater i hallen", starts_in=timedelta(days=9), paid=False)
    order("Koncert i går", starts_in=timedelta(days=-3))
    order("Andens koncert", email="someone.else@example.dk")
    cancelled = order("Aflyst foredrag", paid=False)  # a reservation the buyer or staff cancelled
    cancelled.status = OrderStatus.CANCELLED
    cancelled.save(update_fields=["status"])

    response = client.post("/en/my-tickets/", {"email": " Karen@Example.DK "})

    assert (response.status_code, response["Location"]) == (302, "/en/my-tickets/?sent=1")
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([KAREN], "Your tickets from Culture in Helsingør")
    body = message.body
    assert f"https://kultur.helsingor.dk/en/orders/{soon.reference}/{soon.secret}/" in body
    assert f"https://kultur.helsingor.dk/en/orders/{reserved.reference}/{reserved.secret}/" in body
    assert body.index("Jazz på havnen (en)") < body.index("Teater i hallen (en)")
    assert "reserved, not paid yet" in body
    for left_out in ("Koncert i går", "Andens koncert", "Aflyst foredrag", cancelled.secret):
        assert left_out not in body


def test_an_address_without_orders_gets_the_same_answer_and_no_mail(client):
    response = client.post(PAGE, {"email": "nobody@example.dk"})
    shown = client.get(response["Location"]).content.decode()

    assert (response.status_code, response["Location"]) == (302, f"{PAGE}?sent=1")
    assert mail.outbox == []
    assert "Tjek din indbakke" in shown


@pytest.mark.parametrize(("email", "error"), [("", "Skriv din e-mailadresse."), ("karen@", "Skriv en e-mailadresse")])
def test_a_missing_or_bad_address_is_explained_next_to_the_field(client, email, error):
    response = client.post(PAGE, {"email": email})

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page and 'aria-invalid="true"' in page
    assert mail.outbox == []


def test_one_address_gets_a_few_mails_an_hour_and_the_page_does_not_say_when_it_stops(client):
    order("Jazz på havnen")

    answers = [client.post(PAGE, {"email": KAREN}) for _ in range(PER_ADDRESS + 2)]

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, f"{PAGE}?sent=1")}
    assert len(mail.outbox) == PER_ADDRESS


def test_one_client_asking_too_often_is_told_to_wait(client):
    cache.set(client_key("127.0.0.1"), PER_CLIENT, 3600)

    response = client.post(PAGE, {"email": KAREN})

    assert response.status_code == 429
    assert "Prøv igen om en time" in response.content.decode()
    assert mail.outbox == []


def test_when_the_queue_cannot_be_reached_the_page_says_so(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("frontend.order_links.send_order_links.delay", unreachable)

    response = client.post(PAGE, {"email": KAREN})

    assert response.status_code == 503
    assert "E-mailen kunne ikke sendes" in response.content.decode()
