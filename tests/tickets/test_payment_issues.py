"""The staff to-do list of money: opening, resolving, and the digest that tells staff, each issue once."""

import threading
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection

from tests.factories import EventFactory, TicketTypeFactory, paid_tickets
from tickets import payment_issues
from tickets.exceptions import IssueAlreadyResolved
from tickets.models import PaymentIssue, PaymentIssueKind
from tickets.tasks import notify_payment_issues

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
def order():
    event = EventFactory(title_da="Jazz på værftet")
    return paid_tickets(TicketTypeFactory(event=event, price_ore=12550), quantity=2)[0].order


def refund_failed(order, message="The card was closed."):
    return payment_issues.open_issue(
        order=order, payment=order.payments.get(), kind=PaymentIssueKind.REFUND_FAILED, message=message
    )


@pytest.fixture
def staff_addresses(settings):
    settings.PAYMENT_ISSUES_EMAIL = ["okonomi@helsingor.dk", "kultur@helsingor.dk"]
    settings.SITE_URL = "https://kultur.helsingor.dk"
    return settings.PAYMENT_ISSUES_EMAIL


class TestResolving:
    def test_records_who_when_and_what_was_done(self, order):
        issue = refund_failed(order)
        staff = User.objects.create_user("okonomi")

        payment_issues.resolve_issue(issue_id=issue.pk, user=staff, note="Paid back by bank transfer.", now=NOW)

        issue.refresh_from_db()
        assert (issue.resolved_at, issue.resolved_by, issue.resolution_note) == (
            NOW,
            staff,
            "Paid back by bank transfer.",
        )

    def test_an_issue_is_resolved_once(self, order):
        issue = refund_failed(order)
        first, second = User.objects.create_user("first"), User.objects.create_user("second")
        payment_issues.resolve_issue(issue_id=issue.pk, user=first, note="Done.", now=NOW)

        with pytest.raises(IssueAlreadyResolved):
            payment_issues.resolve_issue(issue_id=issue.pk, user=second, note="Done again.")

        issue.refresh_from_db()
        assert (issue.resolved_by, issue.resolution_note, issue.resolved_at) == (first, "Done.", NOW)


class TestDigest:
    def test_lists_each_new_issue_with_its_order_payment_and_a_link(self, order, staff_addresses):
        refund_failed(order, message="The card was closed.")
        payment_issues.open_issue(
            order=None, payment=None, kind=PaymentIssueKind.UNEXPECTED_PAYMENT, message="Money for no order."
        )

        assert notify_payment_issues.delay().get() == 2

        (message,) = mail.outbox
        assert message.to == staff_addresses
        assert message.subject == "2 betalingssager kræver en person"
        assert f"Ordre: {order.reference} · Jazz på værftet" in message.body
        assert "Betaling: 251,00 kr." in message.body
        assert "The card was closed." in message.body
        assert "Ingen ordre" in message.body and "Money for no order." in message.body
        assert "https://kultur.helsingor.dk/admin/tickets/paymentissue/?resolved=no" in message.body
        assert PaymentIssue.objects.filter(notified_at__isnull=True).count() == 0

    def test_tells_of_each_issue_once_and_not_of_resolved_ones(self, order, staff_addresses):
        told = refund_failed(order, message="First.")
        payment_issues.notify_new_issues(now=NOW)
        resolved = refund_failed(order, message="Resolved before anyone was told.")
        payment_issues.resolve_issue(issue_id=resolved.pk, user=None, note="Handled at once.")
        new = refund_failed(order, message="Second.")

        assert payment_issues.notify_new_issues() == 1
        assert payment_issues.notify_new_issues() == 0

        assert [("First." in m.body, "Second." in m.body, "Resolved before" in m.body) for m in mail.outbox] == [
            (True, False, False),
            (False, True, False),
        ]
        told.refresh_from_db()
        new.refresh_from_db()
        assert told.notified_at == NOW and new.notified_at is not None

    def test_without_recipients_nobody_is_told_and_the_issues_wait(self, order, settings):
        settings.PAYMENT_ISSUES_EMAIL = []
        issue = refund_failed(order)

        assert payment_issues.notify_new_issues() == 0

        issue.refresh_from_db()
        assert (mail.outbox, issue.notified_at) == ([], None)

    def test_a_mail_that_fails_leaves_the_issues_for_the_next_run(self, order, staff_addresses, settings):
        issue = refund_failed(order)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

        with pytest.raises(OSError):
            payment_issues.notify_new_issues()

        issue.refresh_from_db()
        assert issue.notified_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's SKIP LOCKED; CI runs it there")
def test_two_digests_at_once_never_list_the_same_issue(staff_addresses):
    event = EventFactory()
    order = paid_tickets(TicketTypeFactory(event=event))[0].order
    issues = {refund_failed(order, message=f"Issue {n}.").pk for n in range(30)}
    start = threading.Barrier(2)
    counts: list[int] = []

    def digest() -> None:
        start.wait()
        try:
            counts.append(payment_issues.notify_new_issues())
        finally:
            connection.close()

    threads = [threading.Thread(target=digest) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    listed = [line for message in mail.outbox for line in message.body.splitlines() if line.strip().startswith("Issue")]
    assert sum(counts) == len(listed) == len(set(listed)) == 30
    assert set(PaymentIssue.objects.filter(notified_at__isnull=False).values_list("pk", flat=True)) == issues
