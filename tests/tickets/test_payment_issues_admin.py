"""The staff to-do list of money that needs a person, and failed refunds sent again, in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, OrganiserFactory, TicketTypeFactory, UserFactory, paid_tickets
from tickets.models import Payment, PaymentIssue, Refund, RefundStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]

CHANGELIST = "admin:tickets_paymentissue_changelist"


@pytest.fixture
def issues():
    ours, theirs = OrganiserFactory(name="Toldkammeret"), OrganiserFactory(name="Jazzklubben")
    our_order = paid_tickets(TicketTypeFactory(event=EventFactory(organiser=ours)))[0].order
    their_order = paid_tickets(TicketTypeFactory(event=EventFactory(organiser=theirs)))[0].order
    stray = Payment.objects.create(provider="stripe", payment_intent_id="pi_stray", amount_ore=5000)
    made = {
        "ours": PaymentIssue.objects.create(order=our_order, kind="refund_failed", message="vores refusion fejlede"),
        "theirs": PaymentIssue.objects.create(order=their_order, kind="refund_failed", message="deres refusion"),
        "stray": PaymentIssue.objects.create(payment=stray, kind="unexpected_payment", message="penge uden ordre"),
        "done": PaymentIssue.objects.create(
            order=our_order, kind="refund_failed", message="klaret i går", resolved_at=timezone.now()
        ),
    }
    return ours, made


def member_of(organiser, *, permissions):
    member = UserFactory(is_staff=True)
    organiser.members.add(member)
    member.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return member


def test_an_admin_sees_every_issue_open_ones_first(client, admin_user, issues):
    client.force_login(admin_user)

    html = client.get(reverse(CHANGELIST)).content.decode()

    for text in ("vores refusion fejlede", "deres refusion", "penge uden ordre", "klaret i går"):
        assert text in html
    assert html.index("penge uden ordre") < html.index("klaret i går")
    assert html.index("vores refusion fejlede") < html.index("klaret i går")
    open_only = client.get(reverse(CHANGELIST), {"resolved": "no"}).content.decode()
    assert "klaret i går" not in open_only and "penge uden ordre" in open_only


def test_an_issue_is_marked_resolved_not_edited_or_deleted(client, admin_user, issues):
    _ours, made = issues
    client.force_login(admin_user)

    chosen = {"action": "mark_resolved", "_selected_action": [made["ours"].pk]}

    asked = client.post(reverse(CHANGELIST), chosen).content.decode()
    without_note = client.post(reverse(CHANGELIST), chosen | {"post": "yes", "note": "  "}).content.decode()
    assert PaymentIssue.objects.filter(resolved_at__isnull=True).count() == 3
    client.post(reverse(CHANGELIST), chosen | {"post": "yes", "note": "Refunded by bank transfer."})

    assert "vores refusion fejlede" in asked and 'name="note"' in asked and "errornote" not in asked
    assert 'aria-invalid="true"' in without_note and "errornote" in without_note
    made["ours"].refresh_from_db()
    assert (made["ours"].resolved_at is not None, made["ours"].resolved_by, made["ours"].resolution_note) == (
        True,
        admin_user,
        "Refunded by bank transfer.",
    )
    assert PaymentIssue.objects.filter(resolved_at__isnull=True).count() == 2
    change = client.get(reverse("admin:tickets_paymentissue_change", args=[made["stray"].pk])).content.decode()
    assert 'name="message"' not in change  # read-only
    assert client.get(reverse("admin:tickets_paymentissue_delete", args=[made["stray"].pk])).status_code == 403


def test_an_organiser_member_sees_only_their_own_events_issues(client, issues):
    ours, made = issues
    client.force_login(member_of(ours, permissions=["view_paymentissue", "change_paymentissue"]))

    html = client.get(reverse(CHANGELIST)).content.decode()

    assert "vores refusion fejlede" in html
    assert "deres refusion" not in html and "penge uden ordre" not in html
    other = reverse("admin:tickets_paymentissue_change", args=[made["theirs"].pk])
    assert client.get(other).status_code == 302  # not found among theirs: back to the admin index


def test_a_failed_refund_is_sent_again_under_its_own_key_once(
    client, admin_user, django_capture_on_commit_callbacks, refund_provider
):
    order = paid_tickets(TicketTypeFactory(price_ore=15000), 2)[0].order
    payment = order.payments.get()
    failed = Refund.objects.create(payment=payment, amount_ore=30000, reason="cancelled", status=RefundStatus.FAILED)
    done = Refund.objects.create(payment=payment, amount_ore=100, reason="goodwill", status=RefundStatus.SUCCEEDED)
    client.force_login(admin_user)
    retry = {"action": "try_again", "_selected_action": [failed.pk, done.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:tickets_refund_changelist"), retry)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:tickets_refund_changelist"), retry)  # a second click, or a second admin

    failed.refresh_from_db()
    assert (failed.status, failed.provider_refund_id[:7]) == (RefundStatus.SUCCEEDED, "re_sim_")
    assert refund_provider.keys == [f"refund-{failed.pk}"]  # the same refund, once
    assert Refund.objects.count() == 2


def test_only_admins_send_refunds_again(client, issues):
    ours, _made = issues
    client.force_login(member_of(ours, permissions=["view_refund", "change_refund"]))

    html = client.get(reverse("admin:tickets_refund_changelist")).content.decode()

    assert "try_again" not in html


def test_the_list_reads_the_same_number_of_rows_however_many_issues_it_shows(
    client, admin_user, issues, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(reverse(CHANGELIST))  # sessions and the like, read once
    with CaptureQueriesContext(connection) as four_issues:
        client.get(reverse(CHANGELIST))
    _ours, made = issues
    for _ in range(10):
        PaymentIssue.objects.create(order=made["ours"].order, kind="refund_failed", message="nog en")

    with django_assert_max_num_queries(len(four_issues.captured_queries)):
        client.get(reverse(CHANGELIST))
