"""A buyer who lost the e-mail asks for the order links again: sent only to that address, the same answer
whether or not it has orders, limited per address and per client, and only a pseudonym in the queue."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from frontend.order_links import ADDRESS_LIMITS, CLIENT_LIMITS, HOUR, limit_key
from tests.factories import EventFactory, TicketTypeFactory, buyer
from tickets.models import OrderStatus
from tickets.people import erase_buyer, person_key
from tickets.services import Item, mark_paid, place_order

pytestmark = pytest.mark.django_db

KAREN = "karen@example.dk"
PAGE = "/da/my-tickets/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CLIENTS = ["127.0.0.1", "10.0.0.9", "203.0.113.7"]
ADDRESSES = [KAREN, "nobody@example.dk"] + [f"nobody{n}@example.dk" for n in range(25)]


def limit_keys() -> list[str]:
    return [limit_key("client", client, window) for client in CLIENTS for window, _most in CLIENT_LIMITS] + [
        limit_key("address", person_key(address), window) for address in ADDRESSES for window, _most in ADDRESS_LIMITS
    ]


@pytest.fixture(autouse=True)
def _no_earlier_tries():
    cache.delete_many(limit_keys())
    yield
    cache.delete_many(limit_keys())


def used_up(kind: str, value: str) -> None:
    for window, most in CLIENT_LIMITS if kind == "client" else ADDRESS_LIMITS:
        cache.set(limit_key(kind, value, window), most, window)


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


def test_only_a_pseudonym_of_the_address_goes_into_the_task_queue(client, monkeypatch):
    queued = []
    monkeypatch.setattr("frontend.order_links.send_order_links.delay", lambda *args: queued.append(args))

    client.post(PAGE, {"email": "Karen@Example.dk"})

    assert queued == [(person_key(KAREN), "da")]
    assert KAREN not in repr(queued)


def test_an_address_with_orders_and_one_without_get_the_same_answer(client):
    order("Jazz på havnen")

    with_orders = client.post(PAGE, {"email": KAREN})
    without = client.post(PAGE, {"email": "nobody@example.dk"})

    assert (with_orders.status_code, with_orders["Location"]) == (without.status_code, without["Location"])
    pages = [client.get(answer["Location"]).content.decode() for answer in (with_orders, without)]
    assert [CSRF_TOKEN.sub("", page) for page in pages[:1]] == [CSRF_TOKEN.sub("", page) for page in pages[1:]]
    assert [message.to for message in mail.outbox] == [[KAREN]]


def test_a_buyer_whose_data_was_erased_is_sent_nothing(client):
    order("Jazz på havnen")
    erase_buyer(KAREN)

    response = client.post(PAGE, {"email": KAREN})

    assert (response.status_code, mail.outbox) == (302, [])


@pytest.mark.parametrize(("email", "error"), [("", "Skriv din e-mailadresse."), ("karen@", "Skriv en e-mailadresse")])
def test_a_missing_or_bad_address_is_explained_next_to_the_field(client, email, error):
    response = client.post(PAGE, {"email": email})

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page and 'aria-invalid="true"' in page
    assert mail.outbox == []


def test_one_address_gets_three_mails_an_hour_and_six_a_day_however_it_is_written(client):
    order("Jazz på havnen")

    answers = [client.post(PAGE, {"email": spelling}) for spelling in (KAREN, "KAREN@example.dk", " karen@EXAMPLE.dk")]
    answers += [client.post(PAGE, {"email": KAREN}) for _ in range(2)]
    in_the_first_hour = len(mail.outbox)
    cache.delete(limit_key("address", person_key(KAREN), HOUR))  # an hour later
    answers += [client.post(PAGE, {"email": KAREN}) for _ in range(5)]

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, f"{PAGE}?sent=1")}
    assert (in_the_first_hour, len(mail.outbox)) == (3, 6)


def test_one_client_asking_too_often_is_told_to_wait(client):
    (_window, most), *_ = CLIENT_LIMITS
    answers = [client.post(PAGE, {"email": f"nobody{n}@example.dk"}) for n in range(most)]

    refused = client.post(PAGE, {"email": KAREN})

    assert {answer.status_code for answer in answers} == {302}
    assert refused.status_code == 429
    assert "Prøv igen om en time" in refused.content.decode()
    assert cache.get(limit_key("address", person_key(KAREN), HOUR)) is None  # not counted against Karen


def test_a_forwarded_for_header_does_not_make_a_new_client_unless_a_proxy_of_ours_wrote_it(client, settings):
    used_up("client", "127.0.0.1")
    spoofed = client.post(PAGE, {"email": KAREN}, HTTP_X_FORWARDED_FOR="10.0.0.9")

    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}  # behind one proxy of ours
    used_up("client", "203.0.113.7")
    behind_proxy = client.post(PAGE, {"email": KAREN}, HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.7")
    another = client.post(PAGE, {"email": KAREN}, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.9")

    assert (spoofed.status_code, behind_proxy.status_code, another.status_code) == (429, 429, 302)


def test_when_the_cache_cannot_be_reached_the_page_says_so(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "add", unreachable)

    response = client.post(PAGE, {"email": KAREN})

    assert response.status_code == 503
    assert "E-mailen kunne ikke sendes" in response.content.decode()
    assert mail.outbox == []


def test_when_the_queue_cannot_be_reached_the_page_says_so(client, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("frontend.order_links.send_order_links.delay", unreachable)

    response = client.post(PAGE, {"email": KAREN})

    assert response.status_code == 503
    assert "E-mailen kunne ikke sendes" in response.content.decode()
    assert KAREN not in caplog.text
