"""A buyer's data on request: `manage.py buyer_data` and the order admin's erase action, both through tickets.people."""

import json
from datetime import UTC
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.visitor_stats.helpers import at, book, event_on
from tickets import people
from tickets.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


CHANGELIST = reverse("admin:tickets_order_changelist")


@pytest.fixture
def orders():
    """Two orders of Karen (written differently) and one of Mette, all keyed."""
    concert, talk = event_on(at(3, 1)), event_on(at(4, 1))
    karen = [book(concert, 2, email="Karen@Example.dk"), book(talk, 1, email="karen@example.dk")]
    mette = book(concert, 1, email="mette@example.dk", name="Mette Frederiksen")
    people.assign_person_keys()
    return karen, mette


def names_and_emails() -> list[tuple[str, str, str]]:
    return sorted(Order.objects.values_list("reference", "buyer_name", "buyer_email"))


def run(*args) -> str:
    out = StringIO()
    call_command("buyer_data", *args, stdout=out)
    return out.getvalue()


def test_export_prints_the_buyers_orders_as_json(orders):
    karen, _mette = orders
    printed = json.loads(run("export", " KAREN@example.dk"))
    assert printed["email"] == "karen@example.dk"
    assert [(row["reference"], row["name"], row["email"]) for row in printed["orders"]] == [
        (karen[0].reference, "Karen Blixen", "Karen@Example.dk"),
        (karen[1].reference, "Karen Blixen", "karen@example.dk"),
    ]


def test_erase_with_yes_removes_the_buyer_from_all_their_orders_only(orders):
    karen, mette = orders
    output = run("erase", "karen@example.dk", "--yes")
    assert output == "Personal data removed from 2 orders.\n"
    assert names_and_emails() == sorted(
        [
            (karen[0].reference, "", ""),
            (karen[1].reference, "", ""),
            (mette.reference, "Mette Frederiksen", "mette@example.dk"),
        ]
    )
    assert {order.person_key for order in Order.objects.filter(pk__in=[o.pk for o in karen])} == {
        people.person_key("karen@example.dk")
    }


def test_erase_asks_first_and_erases_when_confirmed(orders, monkeypatch):
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "ja")
    output = run("erase", "karen@example.dk")
    assert questions == ["Remove the name and e-mail of karen@example.dk from 2 orders? [y/N] "]
    assert output == "Personal data removed from 2 orders.\n"
    assert Order.objects.filter(buyer_email="").count() == 2


@pytest.mark.parametrize("answer", ["", "n", "no"])
def test_erase_not_confirmed_changes_nothing(orders, monkeypatch, answer):
    before = names_and_emails()
    monkeypatch.setattr("builtins.input", lambda question: answer)
    with pytest.raises(CommandError, match=r"^Nothing erased\.$"):
        run("erase", "karen@example.dk")
    assert names_and_emails() == before


def test_erase_without_a_terminal_to_ask_on_changes_nothing(orders, monkeypatch):
    before = names_and_emails()

    def no_terminal(question):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    with pytest.raises(CommandError, match=r"^Nothing erased\.$"):
        run("erase", "karen@example.dk")
    assert names_and_emails() == before


def test_erasing_an_unknown_buyer_says_so(orders):
    before = names_and_emails()
    assert run("erase", "nobody@example.dk", "--yes") == "No orders of nobody@example.dk: nothing to erase.\n"
    assert names_and_emails() == before


def test_an_address_is_required(orders):
    with pytest.raises(CommandError, match="Not an e-mail address"):
        run("export", "karen")


def test_the_admin_action_asks_for_confirmation_then_erases_the_selected_buyers(orders, admin_client):
    # given Karen's first order selected in the order list
    karen, mette = orders
    selected = {"action": "erase_personal_data", "_selected_action": [karen[0].pk]}
    before = names_and_emails()
    # when the action is chosen, a confirmation page lists her and changes nothing yet
    asked = admin_client.post(CHANGELIST, selected)
    assert asked.status_code == 200
    assert asked.context["emails"] == ["karen@example.dk"]
    assert asked.context["orders"] == 2
    assert names_and_emails() == before
    # and when it is confirmed
    done = admin_client.post(CHANGELIST, selected | {"post": "yes"})
    # then she is erased from both her orders, and Mette keeps hers
    assert done.status_code == 302
    after = Order.objects.get(pk=karen[1].pk)
    assert (after.buyer_name, after.buyer_email, after.pseudonymised_at is not None) == ("", "", True)
    assert Order.objects.filter(buyer_email="").count() == 2
    assert Order.objects.get(pk=mette.pk).buyer_email == "mette@example.dk"


def test_the_admin_action_on_orders_already_without_personal_data_changes_nothing(orders, admin_client):
    karen, _mette = orders
    people.erase_buyer("karen@example.dk", now=at(6, 1))
    admin_client.post(CHANGELIST, {"action": "erase_personal_data", "_selected_action": [karen[0].pk], "post": "yes"})
    assert Order.objects.get(pk=karen[0].pk).pseudonymised_at == at(6, 1).astimezone(UTC)


def test_only_admins_get_the_erase_action(orders, client):
    # given staff allowed to view orders, but not an admin
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)
    karen, _mette = orders
    before = names_and_emails()
    # when they open the list and try the action anyway
    listed = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "erase_personal_data", "_selected_action": [karen[0].pk], "post": "yes"})
    # then the action is not offered and nothing changed
    assert listed.status_code == 200
    assert "erase_personal_data" not in listed.content.decode()
    assert names_and_emails() == before
