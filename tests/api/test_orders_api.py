"""Ticket types and orders through the API."""

import logging

import pytest

from tests.factories import EventFactory, HallFactory, TicketTypeFactory
from tickets.models import Order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]


@pytest.fixture
def concert():
    hall = HallFactory(seated_capacity=12, standing_capacity=None)
    event = EventFactory(slug="koncert", venue=hall.venue, hall=hall)
    adult = TicketTypeFactory(event=event, name_da="Voksen", name_en="Adult", price_ore=25000, max_per_order=10)
    TicketTypeFactory(event=event, name_da="Skjult", is_visible=False)
    return event, adult


def order_body(adult, quantity=2, **buyer):
    return {
        "event": "koncert",
        "items": [{"ticket_type": adult.pk, "quantity": quantity}],
        "buyer": {"name": "Karen", "email": "karen@example.dk", "is_resident": True, "country": "DK"} | buyer,
    }


def test_ticket_types_show_price_vat_and_availability(api_client, concert):
    _event, adult = concert

    body = api_client.get("/api/v1/events/koncert/ticket-types/?lang=en").json()

    assert body == [
        {
            "id": adult.pk,
            "name": "Adult",
            "price_ore": 25000,
            "currency": "DKK",
            "vat_rate": "25.00",
            "min_per_order": 1,
            "max_per_order": 10,
            "is_companion": False,
            "availability": "available",
        }
    ]


def test_placing_an_order_reserves_and_returns_its_reference(api_client, concert):
    _event, adult = concert

    response = api_client.post("/api/v1/orders/", order_body(adult, 2), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["total_ore"], body["currency"], body["event"]) == ("reserved", 50000, "DKK", "koncert")
    order = Order.objects.get(reference=body["reference"])
    assert body["payment_url"] == f"http://testserver/payments/simulator/{order.payments.get().checkout_session_id}/"
    assert body["order_url"] == f"http://testserver/da/orders/{order.reference}/{order.secret}/"
    detail = api_client.get(f"/api/v1/orders/{order.reference}/", {"secret": order.secret})
    assert detail.json()["reference"] == order.reference
    assert api_client.get(f"/api/v1/orders/{order.reference}/", {"secret": "guess"}).status_code == 404
    assert api_client.get(f"/api/v1/orders/{order.reference}/").status_code == 404


def test_few_left_then_sold_out_with_409(api_client, concert):
    _event, adult = concert
    assert api_client.post("/api/v1/orders/", order_body(adult, 10), format="json").status_code == 201
    assert api_client.get("/api/v1/events/koncert/ticket-types/").json()[0]["availability"] == "few_left"
    assert api_client.post("/api/v1/orders/", order_body(adult, 2), format="json").status_code == 201

    response = api_client.post("/api/v1/orders/", order_body(adult, 1), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert api_client.get("/api/v1/events/koncert/ticket-types/").json()[0]["availability"] == "sold_out"
    assert Order.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"items": [{"ticket_type": 999999, "quantity": 1}]}, "not_on_sale"),
        ({"quantity": 11}, "limit_exceeded"),
    ],
)
def test_business_rejections_are_409_with_a_code(api_client, concert, change, code):
    _event, adult = concert
    body = order_body(adult, change.get("quantity", 1))
    if "items" in change:
        body["items"] = change["items"]

    response = api_client.post("/api/v1/orders/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (409, code)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"event": "koncert", "items": [], "buyer": {}},
        {"event": "koncert", "items": [{"ticket_type": "x", "quantity": 1}]},
        {"event": "koncert", "items": [{"ticket_type": 1, "quantity": 0}], "buyer": {"name": "a"}},
        "not json at all",
    ],
)
def test_bad_input_is_400(api_client, concert, body):
    response = api_client.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_input", "parse_error"}
    assert not Order.objects.exists()


def test_bad_email_and_country_are_field_errors(api_client, concert):
    _event, adult = concert
    response = api_client.post("/api/v1/orders/", order_body(adult, 1, email="nope", country="XX"), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]["buyer"]) == {"email", "country"}


def test_values_longer_than_the_order_keeps_are_field_errors_not_server_errors(api_client, concert):
    _event, adult = concert
    too_long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".dk"  # the form of an address, 313 characters
    body = order_body(adult, 1, email=too_long_email, name="n" * 201, postcode="1" * 11)

    response = api_client.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]["buyer"]) == {"email", "name", "postcode"}
    assert not Order.objects.exists()


def test_an_unknown_or_draft_event_is_404(api_client, concert):
    _event, adult = concert
    EventFactory(slug="kladde", status="draft")
    body = order_body(adult) | {"event": "kladde"}
    assert api_client.post("/api/v1/orders/", body, format="json").status_code == 404


def test_without_a_payment_provider_the_order_is_refused_with_503_and_its_seats_released(api_client, concert, settings):
    _event, adult = concert
    settings.DEBUG = False

    response = api_client.post("/api/v1/orders/", order_body(adult, 2), format="json")

    assert (response.status_code, response.json()["code"]) == (503, "payments_unavailable")
    assert Order.objects.get().status == "cancelled"


def test_a_paid_order_shows_its_tickets_with_verifiable_qr_payloads(api_client, concert):
    from tests.tickets.test_webhooks import completed, post_event
    from tickets.qr import verify_ticket

    event, adult = concert
    body = api_client.post("/api/v1/orders/", order_body(adult, 2), format="json").json()
    order = Order.objects.get(reference=body["reference"])
    post_event(api_client, "checkout.session.completed", completed(order, order.payments.get()))

    detail = api_client.get(f"/api/v1/orders/{order.reference}/", {"secret": order.secret}).json()

    assert detail["status"] == "paid"
    assert len(detail["tickets"]) == 2
    for ticket in detail["tickets"]:
        claim = verify_ticket(ticket["code"])
        assert (str(claim.ticket_id), claim.event_id) == (ticket["id"], event.pk)
        assert ticket["ticket_type"] == "Voksen"
    assert detail["pdf_url"] == f"http://testserver/da/orders/{order.reference}/{order.secret}/tickets.pdf"


def test_staff_of_the_event_also_see_how_many_are_left(api_client, concert):
    from django.contrib.auth.models import User

    event, adult = concert
    api_client.post("/api/v1/orders/", order_body(adult, 3), format="json")
    user = User.objects.create_user("staff", password="x" * 12)
    event.organiser.members.add(user)
    api_client.force_authenticate(user)

    (offered,) = api_client.get("/api/v1/events/koncert/ticket-types/").json()

    assert (offered["availability"], offered["left"]) == ("few_left", 9)


def test_sold_out_answers_stay_out_of_the_log_and_other_client_errors_do_not(api_client, concert, caplog):
    _event, adult = concert
    api_client.post("/api/v1/orders/", order_body(adult, 10), format="json")
    api_client.post("/api/v1/orders/", order_body(adult, 2), format="json")

    with caplog.at_level(logging.WARNING, logger="django.request"):
        sold_out = api_client.post("/api/v1/orders/", order_body(adult, 1), format="json")
        bad = api_client.post("/api/v1/orders/", {"event": "koncert"}, format="json")
        missing = api_client.get("/api/v1/events/nothing-here/ticket-types/")

    assert (sold_out.status_code, bad.status_code, missing.status_code) == (409, 400, 404)
    assert [record.status_code for record in caplog.records if record.name == "django.request"] == [400, 404]
