"""Staff cancel and refund orders and events; organisers only their own events."""

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from events.models import EventStatus
from tests.factories import EventFactory, HallFactory, OrganiserFactory, TicketTypeFactory
from tests.tickets.test_webhooks import completed, post_event, reserve
from tickets.models import OrderStatus, PaymentIssue, Refund, RefundStatus, TicketStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]


@pytest.fixture
def concert():
    hall = HallFactory(seated_capacity=10, standing_capacity=None)
    organiser = OrganiserFactory(slug="kulturvaerftet")
    event = EventFactory(slug="koncert", venue=hall.venue, hall=hall, organiser=organiser)
    return event, TicketTypeFactory(event=event, price_ore=20000)


@pytest.fixture
def paid_order(client, concert, django_capture_on_commit_callbacks):
    order, payment = reserve(concert, quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", completed(order, payment))
    order.refresh_from_db()
    return order


def member_of(organiser, name="staff"):
    user = User.objects.create_user(name, password="x" * 12)
    organiser.members.add(user)
    return user


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_cancelling_a_paid_order_revokes_its_tickets_and_refunds_in_full(
    api_client, concert, paid_order, django_capture_on_commit_callbacks
):
    staff = as_user(api_client, member_of(concert[0].organiser))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/orders/{paid_order.reference}/cancel/", {}, format="json")

    assert (response.status_code, response.json()["status"]) == (200, "refunded")
    assert set(paid_order.tickets.values_list("status", flat=True)) == {TicketStatus.REVOKED}
    assert list(Refund.objects.values_list("amount_ore", "status")) == [(60000, RefundStatus.SUCCEEDED)]


def test_single_tickets_with_a_partial_refund(api_client, concert, paid_order, django_capture_on_commit_callbacks):
    staff = as_user(api_client, member_of(concert[0].organiser))
    ticket = paid_order.tickets.first()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/api/v1/orders/{paid_order.reference}/refund/",
            {"tickets": [str(ticket.pk)], "refund_ore": 20000},
            format="json",
        )

    assert (response.status_code, response.json()["status"]) == (200, "paid")
    assert list(paid_order.tickets.values_list("status", flat=True).order_by("status")) == [
        TicketStatus.REVOKED,
        TicketStatus.VALID,
        TicketStatus.VALID,
    ]
    assert Refund.objects.get().amount_ore == 20000


def test_more_than_was_paid_cannot_be_refunded(api_client, concert, paid_order):
    staff = as_user(api_client, member_of(concert[0].organiser))

    response = staff.post(f"/api/v1/orders/{paid_order.reference}/cancel/", {"refund_ore": 60001}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "refund_not_possible")
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert not Refund.objects.exists()


def test_a_refund_the_provider_refuses_goes_on_the_staff_list(
    api_client, concert, paid_order, django_capture_on_commit_callbacks, monkeypatch
):
    from tickets.payments.gateway import PaymentProviderError
    from tickets.payments.simulator import SimulatorGateway

    def refuse(self, **kwargs):
        raise PaymentProviderError("declined", error_type="invalid_request_error")

    monkeypatch.setattr(SimulatorGateway, "create_refund", refuse)
    staff = as_user(api_client, member_of(concert[0].organiser))

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/api/v1/orders/{paid_order.reference}/cancel/", {}, format="json")

    assert Refund.objects.get().status == RefundStatus.FAILED
    assert PaymentIssue.objects.get().kind == "refund_failed"


def test_cancelling_an_event_refunds_every_order_in_the_background_and_tells_the_buyers(
    api_client, concert, paid_order, django_capture_on_commit_callbacks, mailoutbox
):
    event = concert[0]
    staff = as_user(api_client, member_of(event.organiser))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/api/v1/events/koncert/cancel/")

    assert (response.status_code, response.json()) == (202, {"orders_to_refund": 1})
    event.refresh_from_db()
    assert (event.status, event.sequence) == (EventStatus.CANCELLED, 1)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    notice = mailoutbox[-1]
    assert notice.subject.startswith("Aflyst: ")
    assert "600,00 kr." in notice.body
    progress = staff.get("/api/v1/events/koncert/refund-progress/").json()
    assert progress == {"paid_orders_left": 0, "refunded_orders": 1, "failed_refunds": 0}


def test_cancelling_an_event_refunds_what_is_left_of_a_partly_refunded_order(
    api_client, concert, paid_order, django_capture_on_commit_callbacks, mailoutbox
):
    staff = as_user(api_client, member_of(concert[0].organiser))
    ticket = paid_order.tickets.first()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/api/v1/orders/{paid_order.reference}/refund/",
            {"tickets": [str(ticket.pk)], "refund_ore": 20000},
            format="json",
        )

    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/api/v1/events/koncert/cancel/")

    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert not paid_order.tickets.filter(status=TicketStatus.VALID).exists()
    assert sorted(Refund.objects.values_list("amount_ore", "status")) == [
        (20000, RefundStatus.SUCCEEDED),
        (40000, RefundStatus.SUCCEEDED),
    ]
    assert "600,00 kr." in mailoutbox[-1].body
    progress = staff.get("/api/v1/events/koncert/refund-progress/").json()
    assert progress == {"paid_orders_left": 0, "refunded_orders": 1, "failed_refunds": 0}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/orders/{reference}/cancel/"),
        ("post", "/api/v1/orders/{reference}/refund/"),
        ("post", "/api/v1/events/koncert/cancel/"),
        ("get", "/api/v1/events/koncert/refund-progress/"),
    ],
)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", {401, 403}), ("other organiser", {404}), ("staff without organiser", {404})],
)
def test_who_may_not_act(api_client, concert, paid_order, method, path, who, expected):
    if who == "other organiser":
        as_user(api_client, member_of(OrganiserFactory(), "other"))
    elif who == "staff without organiser":
        as_user(api_client, User.objects.create_user("plain", password="x" * 12, is_staff=True))

    response = getattr(api_client, method)(path.format(reference=paid_order.reference), {}, format="json")

    assert response.status_code in expected
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID


def test_a_token_works_and_a_superuser_may_act_on_every_event(api_client, concert, paid_order):
    admin = User.objects.create_superuser("admin", password="x" * 12)
    token = Token.objects.create(user=admin)

    response = api_client.get("/api/v1/events/koncert/refund-progress/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
