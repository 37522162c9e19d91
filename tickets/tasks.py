"""Background work of ticket sales: thin tasks that take ids and call a service; safe to run twice."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from tickets import checkout, emails, order_links, payment_issues, people, refunds
from tickets.models import Order, OrderStatus

# While the provider cannot be reached, the refund is asked again under the same key after 30 s, 60 s,
# ... 480 s (about 16 minutes in all); then it goes on the staff to-do list. Run in-process (no broker),
# it is tried once.
REFUND_RETRY_SECONDS = 30


@shared_task(bind=True, max_retries=5)
def send_refund_task(self, refund_id: int) -> str:  # type: ignore[no-untyped-def]
    """Ask the payment provider for a pending refund."""
    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return refunds.send_refund(refund_id=refund_id, last_try=last_try).status
    except refunds.RefundNotSentYet as error:
        raise self.retry(exc=error, countdown=REFUND_RETRY_SECONDS * 2**self.request.retries) from error


@shared_task
def ask_after_quiet_refunds() -> int:
    """Catch up: settle refunds the provider made but sent no news of for a day, by asking it."""
    return refunds.ask_after_refunds_without_news(now=timezone.now())


@shared_task
def send_unsent_refunds() -> int:
    """Catch up: send again the pending refunds whose sending was lost (a lost queue message, or a worker
    that died); the same idempotency key makes a refund the provider did make come back as it is."""
    unsent = refunds.unsent_refunds(now=timezone.now())
    for refund_id in unsent:
        send_refund_task.delay(refund_id)
    return len(unsent)


@shared_task
def notify_payment_issues() -> int:
    """E-mail staff a digest of the payment issues they have not been told of."""
    return payment_issues.notify_new_issues()


@shared_task
def tidy_reservations() -> int:
    """Mark lapsed reservations expired (they stopped counting already) and close their checkouts."""
    return checkout.expire_lapsed_reservations()


@shared_task
def refund_event_orders(event_id: int) -> int:
    """Refund every order of a cancelled event; safe to run again (done orders are skipped)."""
    from tickets.cancellation import refund_event_orders as refund_all

    return refund_all(event_id=event_id)


# SMTPException is an OSError too; both are listed as a reminder that network errors retry.
# Backoff 30 s, 60 s, ... 480 s (with jitter) rides out a mail server restart of a few minutes.
@shared_task(autoretry_for=(smtplib.SMTPException, OSError), max_retries=5, retry_backoff=30)
def send_order_confirmation(order_id: int) -> bool:
    """E-mail the buyer of a paid order the confirmation with tickets and calendar entry, once."""
    return emails.send_order_confirmation(order_id=order_id)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), max_retries=5, retry_backoff=30)
def send_refund_notice(refund_id: int) -> None:
    """Tell a buyer that a payment which could not buy the tickets is refunded, and why."""
    emails.send_refund_notice(refund_id=refund_id)


@shared_task
def send_missing_confirmations() -> int:
    """Catch up: queue the confirmation of paid orders whose e-mail was never sent (a lost queue message,
    or a worker that died while sending it)."""
    now = timezone.now()
    order_ids = list(
        Order.objects.filter(
            status=OrderStatus.PAID,
            confirmation_sent_at__isnull=True,
            paid_at__gte=now - timedelta(days=1),
            paid_at__lte=now - timedelta(minutes=10),
        )
        .exclude(confirmation_claimed_at__gte=now - emails.CONFIRMATION_CLAIM_TIMEOUT)  # being sent right now
        .values_list("pk", flat=True)
    )
    for order_id in order_ids:
        send_order_confirmation.delay(order_id)
    return len(order_ids)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), max_retries=5, retry_backoff=30)
def send_cancellation_notice(order_id: int) -> None:
    """Tell the buyer that the event of this order is cancelled."""
    emails.send_cancellation_notice(order_id=order_id)


@shared_task
def assign_person_keys() -> int:
    """Give new buyers their pseudonymous person key (for counting unique residents)."""
    return people.assign_person_keys()


@shared_task
def pseudonymise_past_orders() -> int:
    """Nightly: remove names and e-mails of orders whose event ended long enough ago."""
    return people.pseudonymise_past_orders()


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), max_retries=5, retry_backoff=30)
def send_order_links(person_key: str, language: str) -> int:
    """E-mail a buyer who lost them the links to their orders (found by their pseudonymous key)."""
    return order_links.send_order_links(key=person_key, language=language)
