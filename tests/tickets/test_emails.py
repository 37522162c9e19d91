"""The confirmation e-mail: sent once per paid order, in the buyer's language, with tickets and calendar entry."""

import base64
import email
import email.policy
import socket
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pypdfium2
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone, translation

from events.ics import event_uid
from tests.factories import EventFactory, HallFactory, TicketTypeFactory, VenueFactory, buyer
from tickets.checkout import start_checkout
from tickets.emails import event_when, vat_note
from tickets.models import Order, OrderStatus
from tickets.payments import simulator
from tickets.services import Item, place_order
from tickets.tasks import send_order_confirmation

pytestmark = pytest.mark.django_db
WEBHOOK = "/api/v1/payments/stripe/webhook/"
CPH = ZoneInfo("Europe/Copenhagen")
SITE = "https://kultur.helsingor.dk"


@pytest.fixture(autouse=True)
def _simulated_payments_and_site(simulated_payments, settings):
    settings.TICKET_SIGNING_KEYS = "1:" + base64.b64encode(bytes(range(32))).decode()
    settings.SITE_URL = SITE + "/"
    settings.DEFAULT_FROM_EMAIL = "kultur@helsingor.dk"


@pytest.fixture
def concert():
    """A concert at Kulturværftet with a taxed concert ticket and a VAT-exempt museum entry."""
    venue = VenueFactory(name="Kulturværftet", street_address="Allégade 2", postcode="3000", town="Helsingør")
    hall = HallFactory(venue=venue, name="Store Scene")
    starts_at = (timezone.now() + timedelta(days=30)).astimezone(CPH).replace(hour=19, minute=30, second=0)
    event = EventFactory(
        venue=venue,
        hall=hall,
        title_da="Jazz på havnen",
        title_en="Jazz by the harbour",
        title_sv="Jazz vid hamnen",
        title_de="Jazz am Hafen",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    concert_ticket = TicketTypeFactory(
        event=event, name_da="Koncert", name_en="Concert", name_sv="Konsert", name_de="Konzert", price_ore=25000
    )
    museum_entry = TicketTypeFactory(
        event=event,
        name_da="Museumsentré",
        name_en="Museum entry",
        name_sv="Museientré",
        name_de="Museumseintritt",
        price_ore=12500,
        vat_rate=Decimal("0.00"),
        position=1,
    )
    return event, concert_ticket, museum_entry


def reserve(concert, language="da"):
    event, concert_ticket, museum_entry = concert
    order = place_order(
        event_id=event.pk,
        items=[Item(concert_ticket.pk, 2), Item(museum_entry.pk, 1)],
        buyer=buyer(language=language),
    )
    payment = start_checkout(order=order, success_url="https://x/ok", cancel_url="https://x/no").payment
    return order, payment


def pay(client, order, payment):
    data = simulator.checkout_session_completed_object(
        session_id=payment.checkout_session_id,
        reference=order.reference,
        amount_total_ore=order.total_ore,
        payment_intent_id=simulator.payment_intent_id_for(payment.checkout_session_id),
    )
    payload, signature = simulator.simulated_event(type="checkout.session.completed", data_object=data)
    response = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.json() == {"result": "handled"}


def pdf_pages(content: bytes) -> int:
    document = pypdfium2.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


# The subject's start and the summary lines each language must show (prices as in format_price).
EXPECTED = {
    "da": (
        "Dine billetter: Jazz på havnen",
        [
            "Hej Karen Blixen,",
            "Hvor: Kulturværftet, Store Scene, Allégade 2, 3000 Helsingør",
            "Koncert",
            "  2 × 250,00 kr. = 500,00 kr. (inkl. 25 % moms)",
            "Museumsentré",
            "  1 × 125,00 kr. = 125,00 kr. (Momsfri)",
            "I alt: 625,00 kr.",
            "Billetter til arrangementer på en bestemt dato har ingen 14 dages fortrydelsesret.",
            "Hvis arrangementet aflyses, får du hele beløbet refunderet.",
        ],
    ),
    "sv": (
        "Dina biljetter: Jazz vid hamnen",
        [
            "Hej Karen Blixen,",
            "Var: Kulturværftet, Store Scene, Allégade 2, 3000 Helsingør",
            "Konsert",
            "  2 × DKK 250.00 = DKK 500.00 (inkl. 25 % moms)",
            "Museientré",
            "  1 × DKK 125.00 = DKK 125.00 (Momsfri)",
            "Totalt: DKK 625.00",
        ],
    ),
    "de": (
        "Ihre Tickets: Jazz am Hafen",
        [
            "Guten Tag Karen Blixen,",
            "Wo: Kulturværftet, Store Scene, Allégade 2, 3000 Helsingør",
            "Konzert",
            "  2 × DKK 250.00 = DKK 500.00 (inkl. 25 % MwSt.)",
            "Museumseintritt",
            "  1 × DKK 125.00 = DKK 125.00 (Umsatzsteuerfrei)",
            "Gesamt: DKK 625.00",
        ],
    ),
    "en": (
        "Your tickets: Jazz by the harbour",
        [
            "Hello Karen Blixen,",
            "Where: Kulturværftet, Store Scene, Allégade 2, 3000 Helsingør",
            "Concert",
            "  2 × DKK 250.00 = DKK 500.00 (incl. 25 % VAT)",
            "Museum entry",
            "  1 × DKK 125.00 = DKK 125.00 (VAT exempt)",
            "Total: DKK 625.00",
            "Tickets for events on a set date have no 14-day right of withdrawal.",
            "If the event is cancelled, you get a full refund.",
        ],
    ),
}


@pytest.mark.parametrize("language", ["da", "sv", "de", "en"])
def test_paying_sends_one_confirmation_in_the_buyers_language(
    client, concert, mailoutbox, django_capture_on_commit_callbacks, language
):
    # given a reserved order of a buyer who chose `language`
    order, payment = reserve(concert, language=language)

    # when the payment arrives
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order, payment)

    # then exactly one e-mail goes to the buyer, in their language
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    subject_start, lines = EXPECTED[language]
    order_url = f"{SITE}/{language}/orders/{order.reference}/{order.secret}/"
    event_url = f"{SITE}/{language}/events/{concert[0].slug}/"
    assert message.to == ["karen@example.dk"]
    assert message.from_email == "kultur@helsingor.dk"
    assert message.subject == f"{subject_start} ({order.reference})"
    body = message.body.splitlines()
    for line in lines:
        assert line in body
    assert order_url in body
    assert event_url in body
    with translation.override(language):
        when = event_when(concert[0].starts_at, concert[0].ends_at, language)
    assert when.endswith(", 19:30–21:30")
    assert any(line.endswith(f": {when}") for line in body)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}" dir="ltr">' in html
    assert f'<a href="{order_url}"' in html
    assert f'<a href="{event_url}"' in html
    assert "<h1" in html
    assert html.count("<h2") == 3
    assert "<img" not in html


def test_the_confirmation_carries_the_tickets_as_pdf_and_the_event_as_ics(
    client, concert, mailoutbox, django_capture_on_commit_callbacks
):
    order, payment = reserve(concert)

    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order, payment)

    (pdf_name, pdf, pdf_type), (ics_name, ics, ics_type) = mailoutbox[0].attachments
    assert (pdf_name, pdf_type) == ("tickets.pdf", "application/pdf")
    assert pdf[:4] == b"%PDF"
    assert pdf_pages(pdf) == 3
    assert (ics_name, ics_type) == ("event.ics", "text/calendar; method=PUBLISH")
    calendar = icalendar.Calendar.from_ical(ics)
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert str(vevent["UID"]) == event_uid(concert[0])
    assert str(vevent["URL"]) == f"{SITE}/da/events/{concert[0].slug}/"


def test_running_the_task_again_sends_nothing(client, concert, mailoutbox, django_capture_on_commit_callbacks):
    order, payment = reserve(concert)
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order, payment)
    order.refresh_from_db()
    sent_at = order.confirmation_sent_at

    assert send_order_confirmation.delay(order.pk).get() is False

    order.refresh_from_db()
    assert len(mailoutbox) == 1
    assert sent_at is not None
    assert order.confirmation_sent_at == sent_at


def test_an_unpaid_order_gets_no_confirmation(concert, mailoutbox):
    order, _payment = reserve(concert)

    assert send_order_confirmation.delay(order.pk).get() is False

    order.refresh_from_db()
    assert (order.status, order.confirmation_sent_at, mailoutbox) == (OrderStatus.RESERVED, None, [])


def test_a_free_registration_is_confirmed_without_the_refund_sentences(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(title_da="Forfatteraften på biblioteket")
    talk = TicketTypeFactory(event=event, name_da="Gratis billet", price_ore=0, vat_rate=Decimal("0.00"))

    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(event_id=event.pk, items=[Item(talk.pk, 2)], buyer=buyer())

    (message,) = mailoutbox
    body = message.body.splitlines()
    assert message.subject == f"Dine billetter: Forfatteraften på biblioteket ({order.reference})"
    assert "  2 × 0,00 kr. = 0,00 kr. (Momsfri)" in body
    assert "Hvis arrangementet aflyses, giver vi dig besked på e-mail." in body
    assert "Hvis arrangementet aflyses, får du hele beløbet refunderet." not in body
    assert pdf_pages(message.attachments[0].content) == 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_leaves_the_payment_and_a_later_retry_sends(
    client, concert, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # given no mail server listening
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    order, payment = reserve(concert)

    # when the payment arrives, the e-mail fails (after its retries)
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order, payment)

    # then the order is paid all the same and the claim on the e-mail is released
    order.refresh_from_db()
    assert (order.status, order.confirmation_sent_at) == (OrderStatus.PAID, None)

    # and once mail works again the task sends it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_order_confirmation.delay(order.pk).get() is True
    assert len(mailoutbox) == 1


class Collector:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS = "", "", False
    yield collector
    controller.stop()


def test_a_real_smtp_server_receives_the_confirmation_with_both_attachments(client, concert, smtp_server):
    # given a paid order (its queued e-mail not yet run)
    order, payment = reserve(concert, language="sv")
    pay(client, order, payment)

    # when the task runs
    assert send_order_confirmation.delay(order.pk).get() is True

    # then the server received one message for the buyer
    (envelope,) = smtp_server.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    attachments = list(message.iter_attachments())
    assert envelope.rcpt_tos == ["karen@example.dk"]
    assert envelope.mail_from == "kultur@helsingor.dk"
    assert message["Subject"] == f"Dina biljetter: Jazz vid hamnen ({order.reference})"
    assert [(part.get_filename(), part.get_content_type()) for part in attachments] == [
        ("tickets.pdf", "application/pdf"),
        ("event.ics", "text/calendar"),
    ]
    assert attachments[0].get_content()[:4] == b"%PDF"
    assert attachments[1].get_param("method") == "PUBLISH"
    assert "BEGIN:VCALENDAR" in attachments[1].get_content()
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/sv/orders/{order.reference}/{order.secret}/" in body


@pytest.mark.parametrize(
    ("language", "starts", "ends", "expected"),
    [
        ("da", (2026, 6, 14, 19, 30), (2026, 6, 14, 21, 30), "søndag 14. juni 2026, 19:30–21:30"),
        ("en", (2026, 12, 5, 10, 0), (2026, 12, 5, 16, 0), "Saturday 5 December 2026, 10:00–16:00"),
        ("sv", (2026, 6, 14, 19, 30), (2026, 6, 14, 19, 30), "söndag 14 juni 2026, 19:30"),
        (
            "de",
            (2026, 8, 7, 18, 0),
            (2026, 8, 9, 23, 0),
            "Freitag, 7. August 2026, 18:00 – Sonntag, 9. August 2026, 23:00",
        ),
    ],
)
def test_the_date_is_written_in_copenhagen_time_the_languages_way(language, starts, ends, expected):
    utc = ZoneInfo("UTC")
    starts_at = datetime(*starts, tzinfo=CPH).astimezone(utc)
    ends_at = datetime(*ends, tzinfo=CPH).astimezone(utc)

    with translation.override(language):
        assert event_when(starts_at, ends_at, language) == expected


@pytest.mark.parametrize(
    ("language", "taxed", "exempt"),
    [
        ("da", "inkl. 25 % moms", "Momsfri"),
        ("sv", "inkl. 25 % moms", "Momsfri"),
        ("de", "inkl. 25 % MwSt.", "Umsatzsteuerfrei"),
        ("en", "incl. 25 % VAT", "VAT exempt"),
    ],
)
def test_each_line_says_what_it_holds_of_vat(language, taxed, exempt):
    with translation.override(language):
        assert (vat_note(Decimal("25.00")), vat_note(Decimal("0.00"))) == (taxed, exempt)


def test_a_confirmation_is_not_sent_for_an_order_that_does_not_exist(mailoutbox):
    assert send_order_confirmation.delay(987654).get() is False
    assert mailoutbox == []
    assert not Order.objects.exists()
