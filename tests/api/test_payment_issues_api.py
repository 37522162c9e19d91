"""The staff to-do list of money over the API: who sees which issues, filters, and resolving with a note."""

import pytest
from django.contrib.auth.models import User

from tests.factories import EventFactory, OrganiserFactory, TicketTypeFactory, paid_tickets
from tickets import payment_issues
from tickets.models import PaymentIssue, PaymentIssueKind

pytestmark = pytest.mark.django_db

URL = "/api/v1/payment-issues/"


def order_of(organiser):
    event = EventFactory(organiser=organiser, slug=f"koncert-{organiser.slug}")
    return paid_tickets(TicketTypeFactory(event=event, price_ore=15000))[0].order


def issue(order, kind=PaymentIssueKind.REFUND_FAILED, message="The card was closed."):
    payment = order.payments.get() if order else None
    return payment_issues.open_issue(order=order, payment=payment, kind=kind, message=message)


@pytest.fixture
def ours():
    return OrganiserFactory(slug="kulturvaerftet")


@pytest.fixture
def theirs():
    return OrganiserFactory(slug="toldkammeret")


@pytest.fixture
def member(ours):
    user = User.objects.create_user("okonomi", password="x" * 12)
    ours.members.add(user)
    return user


def signed_in(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_organisers_see_their_events_issues_only(api_client, member, ours, theirs):
    our_order = order_of(ours)
    mine = issue(our_order)
    issue(order_of(theirs))
    issue(None, kind=PaymentIssueKind.UNEXPECTED_PAYMENT, message="Money for no order.")

    response = signed_in(api_client, member).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    (shown,) = response.json()["results"]
    assert shown == {
        "id": mine.pk,
        "kind": "refund_failed",
        "kind_label": "refusion ikke gennemført",
        "message": "The card was closed.",
        "order": our_order.reference,
        "event": "koncert-kulturvaerftet",
        "payment": {
            "amount_ore": 15000,
            "status": "succeeded",
            "provider": "simulator",
            "payment_intent_id": f"pi_sim_{our_order.reference}",
        },
        "created_at": shown["created_at"],
        "notified_at": None,
        "resolved_at": None,
        "resolved_by": None,
        "resolution_note": "",
    }


def test_superusers_see_every_issue_open_ones_first(api_client, ours, theirs):
    admin = User.objects.create_superuser("admin", password="x" * 12)
    resolved = issue(order_of(ours), message="Old.")
    payment_issues.resolve_issue(issue_id=resolved.pk, user=admin, note="Done.")
    orderless = issue(None, kind=PaymentIssueKind.UNEXPECTED_PAYMENT, message="Money for no order.")
    newest = issue(order_of(theirs), message="New.")

    response = signed_in(api_client, admin).get(URL)

    assert [row["id"] for row in response.json()["results"]] == [newest.pk, orderless.pk, resolved.pk]
    assert response.json()["results"][1]["order"] is None
    assert response.json()["results"][1]["payment"] is None
    assert response.json()["results"][2]["resolved_by"] == "admin"


def test_filters_by_resolved_and_kind(api_client, member, ours):
    order = order_of(ours)
    done = issue(order, message="Done.")
    payment_issues.resolve_issue(issue_id=done.pk, user=member, note="Refunded by hand.")
    open_refund = issue(order, message="Open.")
    late = issue(order, kind=PaymentIssueKind.UNEXPECTED_PAYMENT, message="Late payment.")
    staff = signed_in(api_client, member)

    def ids(query):
        response = staff.get(URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("?resolved=false") == [late.pk, open_refund.pk]
    assert ids("?resolved=true") == [done.pk]
    assert ids("?resolved=false&kind=refund_failed") == [open_refund.pk]


@pytest.mark.parametrize("query", ["?resolved=maybe", "?kind=lost", "?page=0"])
def test_bad_filters_are_input_errors(api_client, member, query):
    response = signed_in(api_client, member).get(URL + query)

    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")


def test_people_not_signed_in_are_refused(api_client, ours):
    mine = issue(order_of(ours))

    for response in (api_client.get(URL), api_client.post(f"{URL}{mine.pk}/resolve/", {"note": "x"}, format="json")):
        assert (response.status_code, response.json()["code"]) == (403, "not_authenticated")
    assert PaymentIssue.objects.get().resolved_at is None


def test_resolving_records_the_person_and_the_note(api_client, member, ours):
    mine = issue(order_of(ours))

    response = signed_in(api_client, member).post(
        f"{URL}{mine.pk}/resolve/", {"note": "Paid back by bank transfer."}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["resolved_by"], response.json()["resolution_note"]) == (
        "okonomi",
        "Paid back by bank transfer.",
    )
    mine.refresh_from_db()
    assert (mine.resolved_by, mine.resolution_note, mine.resolved_at is not None) == (
        member,
        "Paid back by bank transfer.",
        True,
    )
    assert api_client.get(f"{URL}{mine.pk}/").json()["resolved_at"] == response.json()["resolved_at"]


def test_resolving_twice_is_a_conflict_and_keeps_the_first(api_client, member, ours):
    mine = issue(order_of(ours))
    staff = signed_in(api_client, member)
    staff.post(f"{URL}{mine.pk}/resolve/", {"note": "First."}, format="json")

    response = staff.post(f"{URL}{mine.pk}/resolve/", {"note": "Second."}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "already_resolved")
    mine.refresh_from_db()
    assert mine.resolution_note == "First."


def test_a_note_is_required(api_client, member, ours):
    mine = issue(order_of(ours))

    response = signed_in(api_client, member).post(f"{URL}{mine.pk}/resolve/", {"note": ""}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")
    assert "note" in response.json()["errors"]
    mine.refresh_from_db()
    assert mine.resolved_at is None


def test_other_organisers_issues_answer_404_and_stay_open(api_client, member, theirs):
    other = issue(order_of(theirs))
    orderless = issue(None, kind=PaymentIssueKind.UNEXPECTED_PAYMENT)
    staff = signed_in(api_client, member)

    for target in (other, orderless):
        assert staff.get(f"{URL}{target.pk}/").status_code == 404
        response = staff.post(f"{URL}{target.pk}/resolve/", {"note": "Not mine."}, format="json")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert PaymentIssue.objects.filter(resolved_at__isnull=False).count() == 0
