"""The payment simulator's page: in development it stands in for Stripe Checkout.

Its buttons send signed Stripe-shaped events through `receive_webhook`, the code path of
Stripe's real webhooks. It answers 404 unless payments are simulated (DEBUG on, no Stripe key).
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from frontend.orders import event_url, no_store, order_lines, order_state, order_url, price_text
from tickets.models import Order, OrderStatus, Payment, PaymentStatus
from tickets.payments.gateway import is_simulated, success_url_for
from tickets.payments.simulator import (
    checkout_session_completed_object,
    checkout_session_expired_object,
    payment_intent_id_for,
    simulated_event,
)
from tickets.webhooks import receive_webhook

PAY_ACTIONS = {"card", "mobilepay"}


def _payment_or_404(session_id: str) -> Payment:
    if not is_simulated():
        raise Http404("The payment simulator is off.")
    payment = get_object_or_404(
        Payment.objects.select_related("order", "order__event", "order__event__venue", "order__event__hall"),
        checkout_session_id=session_id,
    )
    if payment.order is None:
        raise Http404("No order for this payment.")
    return payment


def is_payable(payment: Payment, order: Order) -> bool:
    """Whether the checkout is still open: the reservation holds and nothing was paid or cancelled."""
    open_payment = payment.status in (PaymentStatus.CREATED, PaymentStatus.PENDING, PaymentStatus.FAILED)
    return open_payment and order_state(order) == OrderStatus.RESERVED


@require_http_methods(["GET", "HEAD", "POST"])
def simulator_page(request: HttpRequest, session_id: str) -> HttpResponse:
    """Show a simulated checkout; its buttons pay or cancel it the way Stripe would tell us."""
    payment = _payment_or_404(session_id)
    order = payment.order
    assert order is not None  # checked by _payment_or_404
    # Like Stripe's page, it speaks the buyer's language and sends the buyer back in it.
    with translation.override(order.language):
        if request.method == "POST" and is_payable(payment, order):
            action = request.POST.get("action", "")
            if action in PAY_ACTIONS:
                _send(
                    "checkout.session.completed",
                    checkout_session_completed_object(
                        session_id=session_id,
                        reference=order.reference,
                        amount_total_ore=order.total_ore,
                        payment_intent_id=payment_intent_id_for(session_id),
                        customer_email=order.buyer_email,
                    ),
                )
                return redirect(success_url_for(success_url=order_url(request, order), session_id=session_id))
            if action == "cancel":
                _send(
                    "checkout.session.expired",
                    checkout_session_expired_object(
                        session_id=session_id, reference=order.reference, amount_total_ore=order.total_ore
                    ),
                )
                return redirect(event_url(request, order))
            return HttpResponseBadRequest("Unknown action.")
        response = _page(request, payment, order, status=409 if request.method == "POST" else 200)
        response["Content-Language"] = order.language
    return response


def _send(event_type: str, data_object: dict[str, object]) -> None:
    payload, signature = simulated_event(type=event_type, data_object=data_object)
    receive_webhook(payload=payload, signature_header=signature)


def _page(request: HttpRequest, payment: Payment, order: Order, *, status: int) -> HttpResponse:
    language = order.language
    context = {
        "order": order,
        "event": order.event,
        "state": order_state(order),
        "is_payable": is_payable(payment, order),
        "lines": order_lines(order, language),
        "total": price_text(order.total_ore, language),
        "order_url": order_url(request, order),
        "event_url": event_url(request, order),
    }
    return no_store(render(request, "frontend/checkout/simulator.html", context, status=status))
