"""An event's sales for its organiser: valid tickets at the prices paid, VAT per rate, and the money moved."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from tests.factories import EventFactory, OrganiserFactory, TicketTypeFactory, buyer, paid_tickets
from tickets.cancellation import cancel_order, cancel_tickets
from tickets.models import Payment, PaymentStatus
from tickets.money import vat_included
from tickets.services import Item, mark_paid, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]


@pytest.fixture
def concert():
    organiser = OrganiserFactory(slug="kulturvaerftet")
    event = EventFactory(slug="jazz", organiser=organiser, capacity=100)
    adult = TicketTypeFactory(event=event, name_da="Voksen", name_en="Adult", price_ore=12550, position=0)
    child = TicketTypeFactory(
        event=event, name_da="Barn", name_en="Child", price_ore=5000, vat_rate=Decimal("0.00"), position=1
    )
    return event, adult, child


@pytest.fixture
def season(concert, django_capture_on_commit_callbacks):
    """Three adults and two children paid; one more adult paid and refunded; a reservation not paid;
    then the adult price raised and one adult sold at the new price."""
    event, adult, child = concert
    paid_tickets(adult, quantity=3)
    paid_tickets(child, quantity=2)
    (refunded,) = paid_tickets(adult, quantity=1, email="other@example.dk")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_tickets(order_id=refunded.order_id, ticket_ids=[refunded.pk], refund_ore=12550, reason="ill")
    place_order(event_id=event.pk, items=[Item(adult.pk, 4)], buyer=buyer())
    adult.price_ore = 15000
    adult.save()
    paid_tickets(adult, quantity=1)
    return concert


def member_of(organiser, name="okonomi"):
    user = User.objects.create_user(name, password="x" * 12)
    organiser.members.add(user)
    return user


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [(12500, "25.00", 2500), (99, "25.00", 20), (102, "25.00", 20), (103, "25.00", 21), (5000, "0.00", 0)],
)
def test_the_vat_inside_an_amount_is_rounded_to_whole_ore(gross, rate, vat):
    assert vat_included(gross, Decimal(rate)) == vat


def test_the_organiser_reads_sales_per_ticket_type_and_price_with_vat_and_the_money_moved(api_client, season):
    event, adult, child = season
    api_client.force_authenticate(member_of(event.organiser))

    response = api_client.get("/api/v1/events/jazz/sales/?lang=en")

    assert response.status_code == 200
    assert response.json() == {
        "event": "jazz",
        "currency": "DKK",
        "sold": 6,
        "sales_ore": 3 * 12550 + 15000 + 2 * 5000,
        "vat_ore": vat_included(3 * 12550 + 15000, Decimal(25)),
        "by_vat_rate": [
            {"vat_rate": "25.00", "kept_ore": 52650, "vat_ore": 10530},
            {"vat_rate": "0.00", "kept_ore": 10000, "vat_ore": 0},
        ],
        "rows": [
            {
                "ticket_type": adult.pk,
                "ticket_type_name": "Adult",
                "unit_price_ore": 15000,
                "vat_rate": "25.00",
                "sold": 1,
                "revoked": 0,
                "sales_ore": 15000,
                "vat_ore": 3000,
            },
            {
                "ticket_type": adult.pk,
                "ticket_type_name": "Adult",
                "unit_price_ore": 12550,
                "vat_rate": "25.00",
                "sold": 3,
                "revoked": 1,
                "sales_ore": 37650,
                "vat_ore": 7530,
            },
            {
                "ticket_type": child.pk,
                "ticket_type_name": "Child",
                "unit_price_ore": 5000,
                "vat_rate": "0.00",
                "sold": 2,
                "revoked": 0,
                "sales_ore": 10000,
                "vat_ore": 0,
            },
        ],
        "payments_ore": 3 * 12550 + 2 * 5000 + 12550 + 15000,
        "refunded_ore": 12550,
        "refunds_pending_ore": 0,
        "net_ore": 3 * 12550 + 2 * 5000 + 15000,
    }


def sales_of(api_client, event):
    api_client.force_authenticate(member_of(event.organiser))
    body = api_client.get("/api/v1/events/jazz/sales/").json()
    assert sum(rate["kept_ore"] for rate in body["by_vat_rate"]) == body["net_ore"]
    assert body["vat_ore"] == sum(rate["vat_ore"] for rate in body["by_vat_rate"])
    return body


def test_a_ticket_cancelled_without_a_refund_leaves_its_money_and_its_vat(
    api_client, concert, django_capture_on_commit_callbacks
):
    event, adult, _child = concert
    first, _second = paid_tickets(adult, quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_tickets(order_id=first.order_id, ticket_ids=[first.pk], refund_ore=0, reason="swapped")

    body = sales_of(api_client, event)

    assert (body["sold"], body["sales_ore"], body["net_ore"]) == (1, 12550, 25100)
    assert body["by_vat_rate"] == [{"vat_rate": "25.00", "kept_ore": 25100, "vat_ore": 5020}]


def test_money_kept_from_a_partly_refunded_order_is_shared_over_its_vat_rates_by_value(
    api_client, concert, django_capture_on_commit_callbacks
):
    # an adult (125.50 kr., 25 %) and a child (50.00 kr., exempt) cancelled with 25.00 kr. back: 150.50 kr.
    # kept, shared 125.50 : 50.00, the øre left over by rounding going to the larger remainder
    event, adult, child = concert
    order = place_order(event_id=event.pk, items=[Item(adult.pk, 1), Item(child.pk, 1)], buyer=buyer())
    mark_paid(order=order, now=order.created_at)
    Payment.objects.create(
        order=order, provider="simulator", payment_intent_id="pi_sim_mixed", amount_ore=17550,
        status=PaymentStatus.SUCCEEDED,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order_id=order.pk, refund_ore=2500, reason="goodwill")

    body = sales_of(api_client, event)

    assert (body["sold"], body["sales_ore"], body["refunded_ore"], body["net_ore"]) == (0, 0, 2500, 15050)
    assert body["by_vat_rate"] == [
        {"vat_rate": "25.00", "kept_ore": 10762, "vat_ore": 2152},
        {"vat_rate": "0.00", "kept_ore": 4288, "vat_ore": 0},
    ]


def test_the_rows_as_csv_for_a_spreadsheet(api_client, season):
    event, adult, child = season
    api_client.force_authenticate(member_of(event.organiser))

    response = api_client.get("/api/v1/events/jazz/sales/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="sales-jazz.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["ticket_type", "ticket_type_name", "unit_price_ore", "vat_rate", "sold", "revoked", "sales_ore", "vat_ore"],
        [str(adult.pk), "Voksen", "15000", "25.00", "1", "0", "15000", "3000"],
        [str(adult.pk), "Voksen", "12550", "25.00", "3", "1", "37650", "7530"],
        [str(child.pk), "Barn", "5000", "0.00", "2", "0", "10000", "0"],
    ]


def test_an_event_without_sales_reads_as_zero(api_client, concert):
    _event, _adult, _child = concert
    api_client.force_authenticate(User.objects.create_superuser("admin", password="x" * 12))

    body = api_client.get("/api/v1/events/jazz/sales/").json()

    assert (body["sold"], body["sales_ore"], body["vat_ore"], body["rows"], body["by_vat_rate"]) == (0, 0, 0, [], [])
    assert (body["payments_ore"], body["refunded_ore"], body["net_ore"]) == (0, 0, 0)


def test_other_organisers_and_strangers_learn_nothing(api_client, season):
    other = member_of(OrganiserFactory(slug="toldkammeret"), name="anden")

    anonymous = api_client.get("/api/v1/events/jazz/sales/")
    api_client.force_authenticate(other)
    theirs = api_client.get("/api/v1/events/jazz/sales/")
    missing = api_client.get("/api/v1/events/nothing-here/sales/")

    assert (anonymous.status_code, anonymous.json()["code"]) == (403, "not_authenticated")
    assert (theirs.status_code, theirs.json()["code"]) == (404, "not_found")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
