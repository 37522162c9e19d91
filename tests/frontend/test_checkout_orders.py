"""The order page behind its secret link, its PDF and calendar, and the payment simulator."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, HallFactory, TicketTypeFactory, buyer
from tests.frontend.pages import elements, local, texts
from tickets.cancellation import cancel_tickets
from tickets.checkout import start_checkout
from tickets.models import Order, OrderStatus, PaymentStatus
from tickets.selectors import offered_ticket_types
from tickets.services import Item, mark_paid, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]


@pytest.fixture
def adult():
    hall = HallFactory(name="Store Scene", seated_capacity=12, standing_capacity=None)
    event = EventFactory(
        slug="koncert", title_da="Jazz på havnen", title_en="Jazz by the harbour", venue=hall.venue, hall=hall
    )
    return TicketTypeFactory(event=event, name_da="Voksen", name_en="Adult", price_ore=25000)


def reserve(adult, quantity=2, language="da", now=None):
    """A reserved order with an open simulated checkout."""
    order = place_order(
        event_id=adult.event_id, items=[Item(adult.pk, quantity)], buyer=buyer(language=language), now=now
    )
    payment = start_checkout(order=order, success_url="http://testserver/", cancel_url="http://testserver/").payment
    return order, payment


def order_path(order, language="da", suffix=""):
    return f"/{language}/orders/{order.reference}/{order.secret}/{suffix}"


def simulator_path(payment):
    return f"/payments/simulator/{payment.checkout_session_id}/"


def test_a_reserved_order_shows_the_countdown_and_a_way_to_pay(client, adult, freeze_now):
    now = freeze_now(local(2026, 11, 30, 19, 0))
    order, _payment = reserve(adult, now=now)
    freeze_now(now + timedelta(minutes=3, seconds=30))

    response = client.get(order_path(order, "en"))

    assert response.status_code == 200
    assert (response["Cache-Control"], response["Referrer-Policy"]) == ("private, no-store", "no-referrer")
    assert texts(response, "h1") == ["Waiting for payment"]
    assert "Pay before 19:15 to keep them." in texts(response, "p")
    countdown = elements(response, "p", class_="countdown")[0]
    assert (countdown["text"], countdown["data-seconds-left"], countdown["aria-live"]) == (
        "12 minutes left",
        "690",
        "polite",
    )
    assert (countdown["data-one"], countdown["data-other"]) == ("%(minutes)s minute left", "%(minutes)s minutes left")
    assert [link["href"] for link in elements(response, "a", class_="button button--large")] == [
        order_path(order, "en", "pay/")
    ]
    assert elements(response, "form", method="post") == []  # no referrer is sent, so no form could pass CSRF
    assert texts(response, "td") == ["DKK 500.00", "DKK 500.00"]
    assert elements(response, "svg") == []


def test_the_last_minute_is_said_in_words(client, adult, freeze_now):
    now = freeze_now(local(2026, 11, 30, 19, 0))
    order, _payment = reserve(adult, now=now)
    freeze_now(now + timedelta(minutes=14, seconds=20))

    response = client.get(order_path(order, "da"))

    assert texts(response, "p", class_="countdown") == ["Mindre end et minut tilbage"]


def test_pay_now_reuses_the_open_checkout(client, adult):
    order, payment = reserve(adult)

    response = client.get(order_path(order, "da", "pay/"))

    assert response.status_code == 302
    assert response["Location"] == simulator_path(payment)
    assert order.payments.count() == 1


def test_pay_now_changes_nothing_on_a_post(client, adult):
    order, _payment = reserve(adult)

    assert client.post(order_path(order, "da", "pay/")).status_code == 405


def test_pay_now_for_a_lapsed_reservation_goes_back_to_the_order_page(client, adult):
    order, _payment = reserve(adult, now=timezone.now() - timedelta(hours=1))

    response = client.get(order_path(order, "en", "pay/"))

    assert response.status_code == 302
    assert response["Location"] == order_path(order, "en")


def test_pay_now_without_payments_is_a_503_that_explains(client, adult, settings):
    order = place_order(event_id=adult.event_id, items=[Item(adult.pk, 1)], buyer=buyer())
    settings.DEBUG = False

    response = client.get(order_path(order, "en", "pay/"))

    assert response.status_code == 503
    assert texts(response, "h2")[0] == "Payment is not possible right now"
    assert texts(response, "h1") == ["The order is cancelled"]


@pytest.mark.parametrize(
    ("status", "heading", "explanation"),
    [
        ("expired", "The reservation has run out", "The tickets were not paid for in time"),
        ("cancelled", "The order is cancelled", "The order has been cancelled and its tickets are not valid."),
        ("refunded", "The order is refunded", "The order has been refunded and its tickets are no longer valid."),
    ],
)
def test_an_order_that_ended_says_what_happened(client, adult, status, heading, explanation):
    order, _payment = reserve(adult)
    Order.objects.filter(pk=order.pk).update(status=status)

    response = client.get(order_path(order, "en"))

    assert texts(response, "h1") == [heading]
    assert any(text.startswith(explanation) for text in texts(response, "p"))
    assert elements(response, "svg") == []
    assert elements(response, "form", method="post") == []


def test_a_lapsed_reservation_is_shown_as_expired_before_any_job_has_run(client, adult):
    order, _payment = reserve(adult, now=timezone.now() - timedelta(hours=1))
    assert Order.objects.get().status == OrderStatus.RESERVED

    response = client.get(order_path(order, "en"))

    assert texts(response, "h1") == ["The reservation has run out"]
    assert [link["href"] for link in elements(response, "a", class_="button")] == ["/en/events/koncert/#tickets"]


@pytest.mark.parametrize("suffix", ["", "tickets.pdf", "event.ics"])
def test_a_wrong_secret_is_404(client, adult, suffix):
    order, _payment = reserve(adult)
    mark_paid(order=order, now=timezone.now())

    assert client.get(f"/da/orders/{order.reference}/guess/{suffix}").status_code == 404
    assert client.get(f"/da/orders/HK-22222/{order.secret}/{suffix}").status_code == 404


def test_a_wrong_secret_cannot_pay(client, adult):
    order, _payment = reserve(adult)

    assert client.get(f"/da/orders/{order.reference}/guess/pay/").status_code == 404


@pytest.mark.parametrize("suffix", ["tickets.pdf", "event.ics"])
def test_pdf_and_calendar_are_404_until_the_order_is_paid(client, adult, suffix):
    order, _payment = reserve(adult)

    assert client.get(order_path(order, "da", suffix)).status_code == 404


def test_a_paid_order_with_a_cancelled_ticket_shows_only_the_valid_one(client, adult):
    order, payment = reserve(adult)
    client.post(simulator_path(payment), {"action": "card"})
    first = order.tickets.first()
    cancel_tickets(order_id=order.pk, ticket_ids=[first.pk], refund_ore=0, reason="ill")

    response = client.get(order_path(order, "en"))

    assert len(elements(response, "svg", role="img")) == 1
    assert "1 ticket in this order has been cancelled." in texts(response, "p")


def test_the_order_page_speaks_the_page_language(client, adult):
    order, payment = reserve(adult, language="sv")
    client.post(simulator_path(payment), {"action": "card"})

    response = client.get(order_path(order, "de"))

    assert texts(response, "h1") == ["Ihre Tickets"]
    assert texts(response, "td") == ["DKK 500.00", "DKK 500.00"]
    assert elements(response, "html")[0]["lang"] == "de"


# The payment simulator


def test_the_simulator_is_404_when_debug_is_off(client, adult, settings):
    _order, payment = reserve(adult)
    settings.DEBUG = False

    assert client.get(simulator_path(payment)).status_code == 404
    assert client.post(simulator_path(payment), {"action": "card"}).status_code == 404
    assert Order.objects.get().status == OrderStatus.RESERVED


def test_the_simulator_is_404_with_a_stripe_key(client, adult, settings):
    _order, payment = reserve(adult)
    settings.STRIPE_SECRET_KEY = "sk_test_123"

    assert client.get(simulator_path(payment)).status_code == 404


def test_the_simulator_is_404_for_an_unknown_checkout(client, adult):
    assert client.get("/payments/simulator/cs_sim_nothing/").status_code == 404


def test_the_simulator_speaks_the_buyers_language(client, adult):
    _order, payment = reserve(adult, language="en")

    response = client.get(simulator_path(payment), headers={"accept-language": "da"})

    assert elements(response, "html")[0]["lang"] == "en"
    assert response["Content-Language"] == "en"
    assert texts(response, "h1") == ["Test payment – no money is moved"]
    assert texts(response, "td") == ["DKK 500.00", "DKK 500.00"]


def test_cancelling_in_the_simulator_releases_the_tickets(client, adult):
    order, payment = reserve(adult, quantity=5)
    event = adult.event
    assert offered_ticket_types(event=event, now=timezone.now())[0].left == 7

    response = client.post(simulator_path(payment), {"action": "cancel"})

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/da/events/koncert/"
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.EXPIRED, PaymentStatus.CANCELLED)
    assert offered_ticket_types(event=event, now=timezone.now())[0].left == 12
    assert order.tickets.count() == 0


def test_a_cancelled_checkout_can_no_longer_be_paid(client, adult):
    order, payment = reserve(adult)
    client.post(simulator_path(payment), {"action": "cancel"})

    page = client.get(simulator_path(payment))
    response = client.post(simulator_path(payment), {"action": "card"})

    assert texts(page, "h2")[1] == "Betalingen kan ikke længere gennemføres"
    assert elements(page, "button") == []
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


def test_a_lapsed_reservation_is_not_paid_in_the_simulator(client, adult):
    order, payment = reserve(adult, now=timezone.now() - timedelta(hours=1))

    response = client.post(simulator_path(payment), {"action": "card"})

    assert response.status_code == 409
    assert texts(response, "h2")[1] == "Betalingen kan ikke længere gennemføres"
    order.refresh_from_db()
    assert (order.status, order.tickets.count()) == (OrderStatus.RESERVED, 0)


def test_a_paid_order_is_not_paid_twice(client, adult):
    order, payment = reserve(adult)
    client.post(simulator_path(payment), {"action": "card"})

    page = client.get(simulator_path(payment))
    again = client.post(simulator_path(payment), {"action": "card"})

    assert texts(page, "h2")[1] == "Ordren er allerede betalt"
    assert [link["href"] for link in elements(page, "a")] == [f"http://testserver{order_path(order)}"]
    assert again.status_code == 409
    assert order.payments.get().refunds.count() == 0
    assert order.tickets.count() == 2


def test_an_unknown_simulator_action_is_400(client, adult):
    order, payment = reserve(adult)

    assert client.post(simulator_path(payment), {"action": "steal"}).status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED
