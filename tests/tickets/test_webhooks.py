"""Signed payment events move orders on exactly once, in any order; no payment is left unmatched."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, HallFactory, TicketTypeFactory, buyer
from tickets.cancellation import cancel_tickets
from tickets.checkout import expire_lapsed_reservations, start_checkout
from tickets.models import OrderStatus, Payment, PaymentIssue, PaymentStatus, Refund, RefundStatus, Ticket, TicketStatus
from tickets.payments import simulator
from tickets.payments.gateway import PaymentProviderError, RefundResult, sign_webhook_payload
from tickets.payments.simulator import SimulatorGateway
from tickets.refunds import send_refund
from tickets.services import Item, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]
WEBHOOK = "/api/v1/payments/stripe/webhook/"


@pytest.fixture
def concert():
    hall = HallFactory(seated_capacity=4, standing_capacity=None)
    event = EventFactory(venue=hall.venue, hall=hall)
    return event, TicketTypeFactory(event=event, price_ore=20000)


def reserve(concert, quantity=2, now=None):
    event, ticket_type = concert
    order = place_order(event_id=event.pk, items=[Item(ticket_type.pk, quantity)], buyer=buyer(), now=now)
    payment = start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no").payment
    return order, payment


def post_event(client, type_, data_object, event_id=None):
    payload, signature = simulator.simulated_event(type=type_, data_object=data_object, event_id=event_id)
    return client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def post_money_returned(client, payment, refunded_ore):
    """Stripe's `charge.refunded`: this much of the payment returned so far, in all."""
    returned = simulator.charge_refunded_object(
        payment_intent_id=payment.payment_intent_id,
        amount_refunded_ore=refunded_ore,
        reference=payment.order.reference,
        amount_ore=payment.amount_ore,
    )
    return post_event(client, "charge.refunded", returned)


def completed(order, payment, amount=None):
    return simulator.checkout_session_completed_object(
        session_id=payment.checkout_session_id,
        reference=order.reference,
        amount_total_ore=order.total_ore if amount is None else amount,
        payment_intent_id=simulator.payment_intent_id_for(payment.checkout_session_id),
    )


def test_a_completed_checkout_pays_the_order_and_issues_its_tickets(
    client, concert, django_capture_on_commit_callbacks
):
    order, payment = reserve(concert)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, "checkout.session.completed", completed(order, payment))

    assert (response.status_code, response.json()) == (200, {"result": "handled"})
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.payment_intent_id.startswith("pi_sim_")
    assert order.tickets.count() == 2


def test_the_same_event_twice_changes_nothing_the_second_time(client, concert):
    order, payment = reserve(concert)
    post_event(client, "checkout.session.completed", completed(order, payment), event_id="evt_1")

    response = post_event(client, "checkout.session.completed", completed(order, payment), event_id="evt_1")

    assert response.json() == {"result": "duplicate"}
    assert Ticket.objects.count() == 2


def test_a_bad_signature_is_400_and_changes_nothing(client, concert):
    order, payment = reserve(concert)
    payload, _signature = simulator.simulated_event(
        type="checkout.session.completed", data_object=completed(order, payment)
    )
    forged = sign_webhook_payload(payload=payload, secret="whsec_wrong")

    for header in (forged, "", "t=1,v1=abc"):
        response = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
        assert (response.status_code, response.json()["code"]) == (400, "invalid_signature")
    tampered = payload.replace(b'"amount_total": 40000', b'"amount_total": 1')
    assert (
        client.post(WEBHOOK, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=_signature).status_code
        == 400
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED
    assert not Ticket.objects.exists()


def test_expired_then_completed_out_of_order_honours_the_payment_while_seats_remain(client, concert):
    order, payment = reserve(concert)
    expired = simulator.checkout_session_expired_object(
        session_id=payment.checkout_session_id, reference=order.reference, amount_total_ore=order.total_ore
    )
    post_event(client, "checkout.session.expired", expired)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED

    post_event(client, "checkout.session.completed", completed(order, payment))

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.tickets.count() == 2
    assert not Refund.objects.exists()


def test_a_late_payment_for_seats_sold_meanwhile_is_refunded_automatically_and_the_buyer_told(
    client, concert, mailoutbox, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(hours=1)
    order, payment = reserve(concert, quantity=3, now=long_ago)
    expire_lapsed_reservations()
    event, ticket_type = concert
    place_order(event_id=event.pk, items=[Item(ticket_type.pk, 4)], buyer=buyer())  # the hall is full again

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", completed(order, payment))

    order.refresh_from_db()
    refund = Refund.objects.get()
    assert order.status == OrderStatus.CANCELLED
    assert (refund.amount_ore, refund.status, refund.provider_refund_id[:7]) == (
        60000,
        RefundStatus.SUCCEEDED,
        "re_sim_",
    )
    assert not order.tickets.exists()
    (notice,) = [mail for mail in mailoutbox if order.reference in mail.subject]
    assert notice.to == ["karen@example.dk"]
    assert "600,00 kr." in notice.body and "solgt" in notice.body  # Danish, the buyer's language


def _refund_notices(mailoutbox, order):
    return [mail for mail in mailoutbox if order.reference in mail.subject and "refunderet" in mail.subject.lower()]


def test_a_payment_for_an_order_staff_cancelled_is_refunded_and_the_buyer_told(
    client, concert, mailoutbox, django_capture_on_commit_callbacks
):
    from tickets.cancellation import cancel_order

    order, payment = reserve(concert, quantity=2)
    cancel_order(order_id=order.pk, reason="double booking")

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", completed(order, payment))

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not order.tickets.exists()
    refund = Refund.objects.get()
    assert (refund.amount_ore, refund.status) == (40000, RefundStatus.SUCCEEDED)
    (notice,) = _refund_notices(mailoutbox, order)
    assert "annulleret" in notice.body and "400,00 kr." in notice.body


def test_cancelling_a_reservation_ends_its_open_checkout(concert, monkeypatch, django_capture_on_commit_callbacks):
    from tickets.cancellation import cancel_order

    ended = []
    monkeypatch.setattr(SimulatorGateway, "expire_checkout_session", lambda self, **call: ended.append(call))
    order, payment = reserve(concert, quantity=2)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order_id=order.pk, reason="double booking")

    assert ended == [
        {"session_id": payment.checkout_session_id, "idempotency_key": f"expire-{payment.checkout_session_id}"}
    ]


def test_a_payment_for_a_cancelled_event_is_refunded_even_while_its_reservation_holds(
    client, concert, mailoutbox, django_capture_on_commit_callbacks
):
    from events.models import EventStatus

    order, payment = reserve(concert, quantity=2)
    event, _ticket_type = concert
    event.status = EventStatus.CANCELLED  # cancelled, its orders not yet worked through in the background
    event.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", completed(order, payment))

    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED  # the event's cancellation ends it with the others
    assert not Ticket.objects.exists()
    assert Refund.objects.get().amount_ore == 40000
    assert len(_refund_notices(mailoutbox, order)) == 1


def test_money_for_an_unknown_order_is_refunded_and_put_on_the_staff_list(client, django_capture_on_commit_callbacks):
    data = simulator.checkout_session_completed_object(
        session_id="cs_sim_stray", reference="HK-NOONE", amount_total_ore=5000, payment_intent_id="pi_sim_stray"
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", data)

    issue = PaymentIssue.objects.get()
    assert (issue.kind, issue.order) == ("unexpected_payment", None)
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED


def test_a_failed_payment_keeps_the_reservation(client, concert):
    order, payment = reserve(concert)
    data = simulator.payment_failed_object(
        payment_intent_id="pi_sim_x", reference=order.reference, amount_ore=order.total_ore
    )

    post_event(client, "payment_intent.payment_failed", data)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.FAILED, OrderStatus.RESERVED)


def test_a_payment_that_failed_and_then_went_through_in_the_same_checkout_pays_the_order(client, concert):
    order, payment = reserve(concert)
    declined = simulator.payment_failed_object(
        payment_intent_id=simulator.payment_intent_id_for(payment.checkout_session_id),
        reference=order.reference,
        amount_ore=order.total_ore,
    )
    post_event(client, "payment_intent.payment_failed", declined)

    post_event(client, "checkout.session.completed", completed(order, payment))

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status, order.tickets.count()) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID, 2)
    assert not Refund.objects.exists()


def test_a_full_refund_at_the_provider_refunds_the_order_and_revokes_tickets(client, concert):
    order, payment = reserve(concert)
    post_event(client, "checkout.session.completed", completed(order, payment))
    refunded = simulator.charge_refunded_object(
        payment_intent_id=simulator.payment_intent_id_for(payment.checkout_session_id),
        amount_refunded_ore=order.total_ore,
        reference=order.reference,
    )

    post_event(client, "charge.refunded", refunded)
    post_event(client, "charge.refunded", refunded)  # a repeat with a new event id changes nothing more

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert set(order.tickets.values_list("status", flat=True)) == {TicketStatus.REVOKED}
    assert list(Refund.objects.values_list("amount_ore", "status")) == [(40000, RefundStatus.SUCCEEDED)]


@pytest.fixture
def paid(client, concert):
    order, payment = reserve(concert, quantity=3)
    post_event(client, "checkout.session.completed", completed(order, payment))
    payment.refresh_from_db()
    return order, payment


def _two_staff_refunds_first_one_sent_and_pending(order):
    first_ticket, second_ticket = list(order.tickets.order_by("id")[:2])
    cancel_tickets(order_id=order.pk, ticket_ids=[first_ticket.pk], refund_ore=20000, reason="a")
    cancel_tickets(order_id=order.pk, ticket_ids=[second_ticket.pk], refund_ore=20000, reason="b")
    sent, unsent = Refund.objects.order_by("pk")
    accepted = RefundResult(id="re_a", status="pending")  # paid out later, as MobilePay may
    with mock.patch.object(SimulatorGateway, "create_refund", lambda self, **call: accepted):
        send_refund(refund_id=sent.pk)
    return sent, unsent


def test_money_returned_settles_only_refunds_that_were_sent(client, paid):
    order, payment = paid
    sent, unsent = _two_staff_refunds_first_one_sent_and_pending(order)

    post_money_returned(client, payment, 20000)

    sent.refresh_from_db()
    unsent.refresh_from_db()
    assert (sent.status, unsent.status, unsent.provider_refund_id) == ("succeeded", "pending", "")
    assert Refund.objects.count() == 2  # nothing recorded as made at the provider
    assert send_refund(refund_id=unsent.pk).status == "succeeded"  # still sent, and paid out
    assert Refund.objects.get(pk=unsent.pk).provider_refund_id.startswith("re_sim_")


def test_a_refund_the_provider_fails_later_goes_on_the_staff_list(client, paid):
    order, _payment = paid
    sent, _unsent = _two_staff_refunds_first_one_sent_and_pending(order)
    failed = {
        "id": "re_a",
        "object": "refund",
        "amount": 20000,
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
    }

    post_event(client, "refund.failed", failed)
    post_event(client, "refund.updated", {**failed, "status": "pending"})  # late and out of order: no step back

    sent.refresh_from_db()
    assert sent.status == RefundStatus.FAILED
    issue = PaymentIssue.objects.get()
    assert (issue.kind, issue.order) == ("refund_failed", order)
    assert "expired_or_canceled_card" in issue.message


def test_a_refund_the_provider_failed_is_tried_again_as_a_new_attempt(
    client, admin_user, paid, refund_provider, django_capture_on_commit_callbacks
):
    order, _payment = paid
    sent, _unsent = _two_staff_refunds_first_one_sent_and_pending(order)
    failed = {"id": "re_a", "object": "refund", "amount": 20000, "status": "failed", "failure_reason": "lost_card"}
    post_event(client, "refund.failed", failed)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks() as sending:
        client.post(reverse("admin:tickets_refund_changelist"), {"action": "try_again", "_selected_action": [sent.pk]})
    post_event(client, "refund.updated", failed)  # the failed refund's news, late: it settles nothing now
    for send in sending:
        send()

    sent.refresh_from_db()
    assert refund_provider.keys == [f"refund-{sent.pk}-2"]  # a new key: the same one would get the stored failure back
    assert (sent.status, sent.attempt, sent.provider_refund_id[:7]) == (RefundStatus.SUCCEEDED, 2, "re_sim_")
    assert PaymentIssue.objects.get().message.endswith("(20000 øre, re_a): lost_card")


def test_money_returned_for_a_refund_that_may_have_been_made_is_not_recorded_twice(client, paid, refund_provider):
    order, payment = paid
    cancel_tickets(order_id=order.pk, ticket_ids=[order.tickets.first().pk], refund_ore=20000, reason="a")
    refund = Refund.objects.get()
    refund_provider.errors = [PaymentProviderError("no answer", error_type="api_connection_error", retryable=True)]
    send_refund(refund_id=refund.pk)  # unanswered on its last try: it may have been made

    post_money_returned(client, payment, 20000)

    assert list(Refund.objects.values_list("amount_ore", "status")) == [(20000, RefundStatus.FAILED)]
    assert send_refund(refund_id=refund.pk).status == RefundStatus.FAILED  # only "try again" sends it
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PENDING)
    assert send_refund(refund_id=refund.pk).status == RefundStatus.SUCCEEDED
    assert Refund.objects.count() == 1


def test_news_of_a_refund_whose_answer_was_lost_settles_it_by_its_metadata(client, paid, refund_provider):
    order, payment = paid
    cancel_tickets(order_id=order.pk, ticket_ids=[order.tickets.first().pk], refund_ore=20000, reason="a")
    refund = Refund.objects.get()
    refund_provider.errors = [PaymentProviderError("no answer", error_type="api_connection_error", retryable=True)]
    send_refund(refund_id=refund.pk)  # unanswered on its last try: failed, but it may have been made
    made = {"id": "re_made", "object": "refund", "amount": 20000, "status": "succeeded"}
    made["payment_intent"] = payment.payment_intent_id

    post_event(client, "refund.created", made | {"metadata": {"refund": str(refund.pk), "attempt": "2"}})
    post_event(client, "refund.created", made | {"metadata": {"refund": str(refund.pk), "attempt": "1"}, "amount": 1})
    other_payment = made | {"payment_intent": "pi_other", "metadata": {"refund": str(refund.pk), "attempt": "1"}}
    post_event(client, "refund.created", other_payment)
    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id) == (RefundStatus.FAILED, "")  # none of them is this one
    post_event(client, "refund.created", made | {"metadata": {"refund": str(refund.pk), "attempt": "1"}})

    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id, refund.may_be_paid_out) == (
        RefundStatus.SUCCEEDED,
        "re_made",
        False,
    )


def test_a_refund_counted_as_paid_out_that_fails_later_goes_on_the_staff_list(client, paid):
    order, payment = paid
    sent, _unsent = _two_staff_refunds_first_one_sent_and_pending(order)
    post_money_returned(client, payment, 20000)  # counted as paid out while still on its way
    sent.refresh_from_db()
    assert sent.status == RefundStatus.SUCCEEDED

    failed = {"id": "re_a", "object": "refund", "amount": 20000, "status": "failed", "failure_reason": "unknown"}
    post_event(client, "refund.failed", failed)

    sent.refresh_from_db()
    assert (sent.status, sent.attempt) == (RefundStatus.FAILED, 2)  # "try again" sends a new refund
    assert PaymentIssue.objects.get().message.endswith("(20000 øre, re_a): unknown")


def test_a_refund_paid_out_later_is_settled_by_its_update(client, paid):
    order, _payment = paid
    sent, _unsent = _two_staff_refunds_first_one_sent_and_pending(order)

    post_event(client, "refund.updated", {"id": "re_a", "object": "refund", "amount": 20000, "status": "succeeded"})

    sent.refresh_from_db()
    assert sent.status == RefundStatus.SUCCEEDED
    assert not PaymentIssue.objects.exists()


def test_refunding_a_surplus_second_payment_leaves_the_order_paid(client, paid, django_capture_on_commit_callbacks):
    order, payment = paid
    second = completed(order, payment) | {"id": "cs_sim_second", "payment_intent": "pi_sim_second"}
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", second)  # paid twice: the second is refunded
    surplus = simulator.charge_refunded_object(
        payment_intent_id="pi_sim_second", amount_refunded_ore=order.total_ore, reference=order.reference
    )

    post_event(client, "charge.refunded", surplus)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.tickets.filter(status=TicketStatus.VALID).count() == 3
    assert list(Refund.objects.values_list("amount_ore", "status", "payment__payment_intent_id")) == [
        (60000, RefundStatus.SUCCEEDED, "pi_sim_second")
    ]


def test_an_earlier_checkout_paid_after_a_later_one_is_the_surplus(client, concert, django_capture_on_commit_callbacks):
    from tickets.cancellation import cancel_order

    # given an order whose first checkout's card was declined, and a second checkout the buyer paid in
    order, first = reserve(concert, quantity=2)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.FAILED)
    later = Payment.objects.create(
        order=order,
        provider="simulator",
        checkout_session_id="cs_sim_later",
        amount_ore=order.total_ore,
        status=PaymentStatus.PENDING,
    )
    paid_in_later = completed(order, later) | {"payment_intent": "pi_sim_later"}
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", paid_in_later)

    # when the first checkout is paid too, that money is refunded, and the refund comes back from the provider
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "checkout.session.completed", completed(order, first))
    first.refresh_from_db()
    surplus = simulator.charge_refunded_object(
        payment_intent_id=first.payment_intent_id, amount_refunded_ore=order.total_ore, reference=order.reference
    )
    post_event(client, "charge.refunded", surplus)

    # then the order stays paid with its tickets, and cancelling it refunds the payment that paid it
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.tickets.filter(status=TicketStatus.VALID).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order_id=order.pk, reason="the buyer asked")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert set(Refund.objects.values_list("payment__checkout_session_id", "amount_ore", "status")) == {
        ("cs_sim_later", 40000, RefundStatus.SUCCEEDED),
        (first.checkout_session_id, 40000, RefundStatus.SUCCEEDED),
    }


def test_money_returned_beyond_our_refunds_counts_one_still_being_sent_once(client, paid):
    order, payment = paid
    Refund.objects.create(payment=payment, amount_ore=20000, reason="staff refund")  # not sent yet
    returned = simulator.charge_refunded_object(
        payment_intent_id=payment.payment_intent_id,
        amount_refunded_ore=50000,
        reference=order.reference,
        amount_ore=60000,
    )

    post_event(client, "charge.refunded", returned)  # ours on its way, and 300 kr. refunded in the dashboard

    assert sorted(Refund.objects.values_list("amount_ore", "status", "reason")) == [
        (20000, RefundStatus.PENDING, "staff refund"),
        (30000, RefundStatus.SUCCEEDED, "refunded at provider"),
    ]


def test_a_new_checkout_after_a_failed_payment_ends_the_earlier_one(
    concert, monkeypatch, django_capture_on_commit_callbacks
):

    ended = []
    end = lambda self, **call: ended.append(call["session_id"])  # noqa: E731
    monkeypatch.setattr(SimulatorGateway, "expire_checkout_session", end)
    order, first = reserve(concert, quantity=2)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.FAILED, checkout_session_id="cs_sim_declined")

    with django_capture_on_commit_callbacks(execute=True):
        again = start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no")

    assert again.payment.checkout_session_id != "cs_sim_declined"
    assert ended == ["cs_sim_declined"]


def declined(order, intent_id="pi_sim_declined"):
    return simulator.payment_failed_object(
        payment_intent_id=intent_id, reference=order.reference, amount_ore=order.total_ore
    )


@pytest.fixture
def declined_then_retried(client, concert, monkeypatch, django_capture_on_commit_callbacks):
    """An order whose first checkout's payment was declined, and a second checkout opened to try again
    (in a later minute: the same minute gets the same checkout back)."""
    monkeypatch.setattr(SimulatorGateway, "expire_checkout_session", lambda self, **call: None)
    order, first = reserve(concert, quantity=2)
    post_event(client, "payment_intent.payment_failed", declined(order))
    Payment.objects.filter(pk=first.pk).update(checkout_session_id="cs_sim_declined")
    with django_capture_on_commit_callbacks(execute=True):
        second = start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no").payment
    assert second.pk != first.pk
    return order, first, second


@pytest.mark.parametrize("newer_declined_once", [False, True], ids=["newer-open", "newer-declined-once"])
def test_an_earlier_checkouts_expiry_keeps_the_reservation_the_buyer_is_paying_for(
    client, declined_then_retried, newer_declined_once
):
    order, first, second = declined_then_retried
    if newer_declined_once:  # a declined try in the newer checkout, which stays open for another try
        post_event(client, "payment_intent.payment_failed", declined(order, "pi_sim_declined_again"))
    first_ended = simulator.checkout_session_expired_object(
        session_id="cs_sim_declined", reference=order.reference, amount_total_ore=order.total_ore
    )

    post_event(client, "checkout.session.expired", first_ended)

    order.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (order.status, first.status) == (OrderStatus.RESERVED, PaymentStatus.CANCELLED)
    assert second.status == (PaymentStatus.FAILED if newer_declined_once else PaymentStatus.PENDING)
    post_event(client, "checkout.session.completed", completed(order, second))
    order.refresh_from_db()
    assert (order.status, order.tickets.count(), Refund.objects.count()) == (OrderStatus.PAID, 2, 0)


def test_news_repeated_of_an_earlier_checkouts_failed_payment_leaves_the_newer_checkout_open(
    client, declined_then_retried
):
    order, first, second = declined_then_retried

    post_event(client, "payment_intent.payment_failed", declined(order))  # a second event of the same failure

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.payment_intent_id) == (PaymentStatus.FAILED, "pi_sim_declined")
    assert (second.status, second.payment_intent_id) == (PaymentStatus.PENDING, "")


@pytest.mark.parametrize("declined_once", [False, True], ids=["open", "declined-once"])
def test_the_current_checkouts_expiry_releases_the_reservation(client, concert, declined_once):
    order, payment = reserve(concert)
    if declined_once:
        post_event(client, "payment_intent.payment_failed", declined(order))
    ended = simulator.checkout_session_expired_object(
        session_id=payment.checkout_session_id, reference=order.reference, amount_total_ore=order.total_ore
    )

    post_event(client, "checkout.session.expired", ended)

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.EXPIRED, PaymentStatus.CANCELLED)


@pytest.mark.parametrize("late_news", ["checkout.session.expired", "payment_intent.payment_failed"])
def test_news_arriving_after_the_payment_leaves_the_order_paid(client, concert, late_news):
    order, payment = reserve(concert)
    post_event(client, "checkout.session.completed", completed(order, payment))
    late = {
        "checkout.session.expired": simulator.checkout_session_expired_object(
            session_id=payment.checkout_session_id, reference=order.reference, amount_total_ore=order.total_ore
        ),
        "payment_intent.payment_failed": simulator.payment_failed_object(
            payment_intent_id="pi_sim_other_try", reference=order.reference, amount_ore=order.total_ore
        ),
    }[late_news]

    assert post_event(client, late_news, late).json() == {"result": "handled"}

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert set(order.tickets.values_list("status", flat=True)) == {TicketStatus.VALID}


def test_tidying_a_lapsed_reservation_ends_its_checkout_at_the_provider(concert, monkeypatch):
    from tickets.tasks import tidy_reservations

    ended = []
    monkeypatch.setattr(SimulatorGateway, "expire_checkout_session", lambda self, **call: ended.append(call))
    lapsed, lapsed_payment = reserve(concert, quantity=1, now=timezone.now() - timedelta(minutes=16))
    holding, _holding_payment = reserve(concert, quantity=1)

    assert tidy_reservations.delay().get() == 1

    lapsed.refresh_from_db()
    holding.refresh_from_db()
    assert (lapsed.status, holding.status) == (OrderStatus.EXPIRED, OrderStatus.RESERVED)
    assert ended == [
        {
            "session_id": lapsed_payment.checkout_session_id,
            "idempotency_key": f"expire-{lapsed_payment.checkout_session_id}",
        }
    ]


def test_an_unknown_event_type_is_acknowledged_and_ignored(client):
    payload = json.dumps(
        {"id": "evt_x", "object": "event", "type": "customer.created", "created": 1, "data": {"object": {}}}
    ).encode()
    signature = sign_webhook_payload(payload=payload, secret="whsec_test")
    response = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.json() == {"result": "ignored"}


def test_a_second_checkout_for_the_same_order_reuses_the_open_one(concert):
    order, payment = reserve(concert)

    again = start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no")

    assert again.payment == payment
    assert again.url == payment.checkout_url == f"/payments/simulator/{payment.checkout_session_id}/"


def test_without_payments_configured_a_webhook_is_503_not_500(client, settings):
    settings.DEBUG = False
    response = client.post(WEBHOOK, b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x")
    assert (response.status_code, response.json()["code"]) == (503, "payments_unavailable")
