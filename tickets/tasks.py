"""Background work of ticket sales: thin tasks that take ids and call a service; safe to run twice."""

from celery import shared_task

from tickets import checkout


@shared_task
def send_refund_task(refund_id: int) -> str:
    """Ask the payment provider for a pending refund."""
    return checkout.send_refund(refund_id=refund_id).status


@shared_task
def tidy_reservations() -> int:
    """Mark lapsed reservations expired (they stopped counting already) and close their checkouts."""
    return checkout.expire_lapsed_reservations()
