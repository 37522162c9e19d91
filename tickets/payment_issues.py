"""The staff to-do list of money that needs a person: opening an issue, resolving it, telling staff.

The payment code opens an issue whenever money cannot be settled by itself (a payment that could not
buy its tickets, a refund the provider would not make). Staff resolve it with a note of what they did.
New issues are e-mailed in one digest to PAYMENT_ISSUES_EMAIL, each issue once.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.exceptions import IssueAlreadyResolved
from tickets.models import Order, Payment, PaymentIssue, PaymentIssueKind
from tickets.money import format_price

# One digest lists at most this many issues; the rest follow in the next one.
DIGEST_LIMIT = 200


def open_issue(*, order: Order | None, payment: Payment | None, kind: PaymentIssueKind, message: str) -> PaymentIssue:
    """Put money on the staff to-do list."""
    return PaymentIssue.objects.create(order=order, payment=payment, kind=kind, message=message)


@transaction.atomic
def resolve_issue(*, issue_id: int, user: Any, note: str, now: datetime | None = None) -> PaymentIssue:
    """Mark an issue resolved by a person, with what they did; an issue is resolved once."""
    issue = PaymentIssue.objects.select_for_update().get(pk=issue_id)
    if issue.resolved_at is not None:
        raise IssueAlreadyResolved(_("This issue was resolved already."))
    issue.resolved_at = now or timezone.now()
    issue.resolved_by = user
    issue.resolution_note = note
    issue.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return issue


@transaction.atomic
def notify_new_issues(*, now: datetime | None = None) -> int:
    """E-mail the open issues staff have not been told of, in one digest; how many it listed.

    The issues stay locked while the mail is sent, so two runs at once never list the same issue, and
    a mail that fails leaves them to the next run. Without recipients nothing is marked as told.
    """
    recipients = settings.PAYMENT_ISSUES_EMAIL
    if not recipients:
        return 0
    issues = list(
        PaymentIssue.objects.filter(notified_at__isnull=True, resolved_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("order__event", "payment")
        .order_by("created_at", "pk")[:DIGEST_LIMIT]
    )
    if not issues:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d payment issue needs a person", "%(count)d payment issues need a person", len(issues)
        ) % {"count": len(issues)}
        body = render_to_string(
            "tickets/email/payment_issues.txt",
            {
                "issues": [_digest_line(issue) for issue in issues],
                "to_do_url": settings.SITE_URL + reverse("admin:tickets_paymentissue_changelist") + "?resolved=no",
            },
        )
    EmailMessage(subject=subject, body=body, to=recipients).send()
    PaymentIssue.objects.filter(pk__in=[issue.pk for issue in issues]).update(notified_at=now or timezone.now())
    return len(issues)


def _digest_line(issue: PaymentIssue) -> dict[str, str]:
    order, payment = issue.order, issue.payment
    return {
        "kind": issue.get_kind_display(),
        "created": formats.date_format(timezone.localtime(issue.created_at), "SHORT_DATETIME_FORMAT"),
        "reference": order.reference if order else "",
        "event": order.event.title if order else "",
        "amount": format_price(payment.amount_ore, settings.LANGUAGE_CODE) if payment else "",
        "payment_intent": payment.payment_intent_id if payment else "",
        "message": issue.message,
    }
