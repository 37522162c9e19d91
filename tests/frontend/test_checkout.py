"""Buying tickets on the pages: choose, give details, pay in the simulator, see the tickets."""

import re
from datetime import timedelta

import pypdfium2
import pytest

from events.models import BookingMode
from tests.factories import EventFactory, HallFactory, TicketTypeFactory, buyer
from tests.frontend.pages import elements, html, local, texts
from tickets.models import Order, OrderStatus, Payment, PaymentStatus, Ticket
from tickets.selectors import offered_ticket_types
from tickets.services import Item, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_payments")]

DETAILS = {
    "name": "Karen Blixen",
    "email": "karen@example.dk",
    "is_resident": "yes",
    "postcode": "3000",
    "country": "DK",
    "language": "da",
}


@pytest.fixture
def concert():
    """A concert in a hall of 12 seats: adults at 250 kr., children at 100 kr. (at most 4)."""
    hall = HallFactory(name="Store Scene", seated_capacity=12, standing_capacity=None)
    event = EventFactory(
        slug="koncert", title_da="Jazz på havnen", title_en="Jazz by the harbour", venue=hall.venue, hall=hall
    )
    adult = TicketTypeFactory(event=event, name_da="Voksen", name_en="Adult", price_ore=25000, position=1)
    child = TicketTypeFactory(
        event=event, name_da="Barn", name_en="Child", price_ore=10000, max_per_order=4, position=2
    )
    TicketTypeFactory(event=event, name_da="Skjult", is_visible=False)
    return event, adult, child


def checkout_url(event, language="da", **quantities):
    query = "&".join(f"ticket_{ticket_type.pk}={quantity}" for ticket_type, quantity in quantities.values())
    return f"/{language}/events/{event.slug}/checkout/?{query}"


def buy(client, event, adult, quantity=2, language="da", **details):
    """Post the details form for `quantity` adult tickets."""
    return client.post(checkout_url(event, language, adult=(adult, quantity)), DETAILS | details)


def test_the_event_page_offers_each_visible_ticket_type(client, concert):
    _event, adult, child = concert

    response = client.get("/da/events/koncert/")

    assert response.status_code == 200
    assert [form["action"] for form in elements(response, "form", class_="ticket-chooser")] == [
        "/da/events/koncert/checkout/"
    ]
    assert texts(response, "span", class_="ticket-option__name") == ["Voksen", "Barn"]
    assert texts(response, "span", class_="ticket-option__price") == ["250,00 kr.", "100,00 kr."]
    assert texts(response, "span", class_="availability availability--available") == ["Ledige", "Ledige"]
    quantities = elements(response, "input", class_="quantity__input")
    assert [(q["name"], q["min"], q["max"], q["value"]) for q in quantities] == [
        (f"ticket_{adult.pk}", "0", "10", "0"),
        (f"ticket_{child.pk}", "0", "4", "0"),
    ]
    assert [label["text"] for label in elements(response, "label", class_="quantity__label")] == [
        "Antal – Voksen",
        "Antal – Barn",
    ]
    assert texts(response, "button", class_="button ticket-chooser__submit") == ["Fortsæt"]
    assert [link["href"] for link in elements(response, "a") if link["text"] == "Køb billetter"] == ["#tickets"]


@pytest.mark.parametrize(
    ("language", "price", "total"),
    [("da", "250,00 kr.", "500,00 kr."), ("en", "DKK 250.00", "DKK 500.00"), ("sv", "DKK 250.00", "DKK 500.00")],
)
def test_prices_are_written_the_way_each_language_writes_them(client, concert, language, price, total):
    event, adult, _child = concert

    event_page = client.get(f"/{language}/events/koncert/")
    details = client.get(checkout_url(event, language, adult=(adult, 2)))

    assert texts(event_page, "span", class_="ticket-option__price")[0] == price
    assert texts(details, "td") == [total, total]
    assert texts(details, "strong") == [total]


def test_availability_is_said_in_words(client, concert, freeze_now):
    event, adult, child = concert
    now = freeze_now(local(2026, 11, 30, 12, 0))
    event.starts_at, event.ends_at = local(2026, 12, 5, 19, 30), local(2026, 12, 5, 21, 30)
    event.save()
    child.on_sale_at = local(2026, 12, 1, 10, 0)
    child.save()
    TicketTypeFactory(event=event, name_en="Early bird", off_sale_at=now - timedelta(days=1), position=3)
    place_order(event_id=event.pk, items=[Item(adult.pk, 5)], buyer=buyer(), now=now)

    response = client.get("/en/events/koncert/")

    assert texts(response, "span", class_="ticket-option__name") == ["Adult", "Child", "Early bird"]
    assert [text for text in texts(response, "span") if text.startswith(("Few", "On sale", "Not on"))] == [
        "Few left",
        "On sale from Tuesday 1 December, 10:00",
        "Not on sale",
    ]
    assert [q["name"] for q in elements(response, "input", class_="quantity__input")] == [f"ticket_{adult.pk}"]


def test_a_sold_out_event_says_so_and_offers_nothing_to_choose(client, concert):
    event, adult, _child = concert
    place_order(event_id=event.pk, items=[Item(adult.pk, 10)], buyer=buyer())
    place_order(event_id=event.pk, items=[Item(adult.pk, 2)], buyer=buyer())

    response = client.get("/en/events/koncert/")

    assert texts(response, "span", class_="availability availability--sold_out") == ["Sold out", "Sold out"]
    assert elements(response, "input", class_="quantity__input") == []
    assert texts(response, "p", class_="ticket-chooser__none") == ["There are no tickets for sale right now."]


def test_the_cached_event_page_shows_sales_made_since_it_was_cached(client, concert, monkeypatch):
    # given a cached event page, and a chooser kept for no time at all
    monkeypatch.setattr("frontend.checkout.AVAILABILITY_CACHE_SECONDS", 0)
    event, adult, _child = concert
    client.get("/en/events/koncert/")

    # when every seat is sold
    place_order(event_id=event.pk, items=[Item(adult.pk, 10)], buyer=buyer())
    place_order(event_id=event.pk, items=[Item(adult.pk, 2)], buyer=buyer())

    # then the page, still from the cache, has a fresh chooser
    assert texts(client.get("/en/events/koncert/"), "span", class_="availability availability--sold_out") == [
        "Sold out",
        "Sold out",
    ]


@pytest.mark.parametrize(
    "overrides",
    [{"booking_mode": BookingMode.DROP_IN}, {"status": "cancelled"}, {"status": "postponed"}],
)
def test_events_that_take_no_bookings_have_no_chooser(client, concert, overrides):
    event, _adult, _child = concert
    for name, value in overrides.items():
        setattr(event, name, value)
    event.save()

    response = client.get("/en/events/koncert/")

    assert response.status_code == 200
    assert elements(response, "section", id="tickets") == []
    assert "ticket-chooser" not in html(response)


def test_a_ticketed_event_without_ticket_types_says_tickets_are_not_on_sale_yet(client):
    EventFactory(slug="snart")

    response = client.get("/en/events/snart/")

    assert texts(response, "p", class_="ticket-chooser__none") == ["Tickets are not on sale yet."]


def test_the_details_page_shows_the_choice_and_asks_for_the_details(client, concert):
    event, adult, child = concert

    response = client.get(checkout_url(event, "da", adult=(adult, 2), child=(child, 1)))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert texts(response, "h1") == ["Dine oplysninger"]
    assert texts(response, "th", scope="row") == [
        "2 × Voksen250,00 kr. pr. stk.",
        "1 × Barn100,00 kr. pr. stk.",
        "I alt",
    ]
    assert texts(response, "td") == ["500,00 kr.", "100,00 kr.", "600,00 kr."]
    assert [(i["name"], i.get("value")) for i in elements(response, "input") if i.get("type") in ("text", "email")] == [
        ("name", ""),
        ("email", ""),
        ("postcode", ""),
    ]
    assert [(i["value"], "checked" in i) for i in elements(response, "input", name="is_resident")] == [
        ("yes", False),
        ("no", False),
    ]
    assert "checked" not in elements(response, "input", name="newsletter_opt_in")[0]
    assert [o["value"] for o in elements(response, "option") if "selected" in o] == ["DK", "da"]
    assert texts(response, "legend") == ["Bor du i Helsingør Kommune?"]
    terms = texts(response, "section", class_="terms")[0]
    assert "Billetter til arrangementer på en bestemt dato har ingen 14 dages fortrydelsesret." in terms
    assert "Hvis arrangementet aflyses, får du hele beløbet refunderet." in terms
    assert texts(response, "button", type="submit") == ["Bestil og betal"]


@pytest.mark.parametrize(("language", "country"), [("da", "DK"), ("sv", "SE"), ("de", "DE"), ("en", "other")])
def test_country_and_language_default_from_the_page_language(client, concert, language, country):
    event, adult, _child = concert

    response = client.get(checkout_url(event, language, adult=(adult, 1)))

    assert [o["value"] for o in elements(response, "option") if "selected" in o] == [country, language]


def test_the_whole_flow_from_choice_to_tickets_on_screen_and_in_the_pdf(client, concert):
    event, adult, _child = concert

    # when the visitor sends the details form
    response = buy(client, event, adult, 2, newsletter_opt_in="on")

    # then two tickets are reserved for them and they are sent to the payment page
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert (order.status, order.total_ore, order.lines.get().quantity) == (OrderStatus.RESERVED, 50000, 2)
    assert (order.buyer_name, order.buyer_email, order.buyer_is_resident) == ("Karen Blixen", "karen@example.dk", True)
    assert (order.buyer_postcode, order.buyer_country, order.language, order.newsletter_opt_in) == (
        "3000",
        "DK",
        "da",
        True,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/payments/simulator/{payment.checkout_session_id}/"

    # when they open the simulator
    simulator = client.get(response["Location"])

    # then it says clearly that nothing is real, and what is being paid
    assert simulator.status_code == 200
    assert simulator["Cache-Control"] == "private, no-store"
    assert texts(simulator, "h1") == ["Testbetaling – ingen penge flyttes"]
    assert texts(simulator, "h2") == [f"Ordre {order.reference}"]
    assert texts(simulator, "td") == ["500,00 kr.", "500,00 kr."]
    assert texts(simulator, "button") == ["Betal med kort (test)", "Betal med MobilePay (test)", "Annullér betaling"]

    # when they pay by card
    paid = client.post(response["Location"], {"action": "card"})

    # then the order is paid through the webhook and they land on the order page
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert payment.payment_intent_id == "pi_sim_" + payment.checkout_session_id.removeprefix("cs_sim_")
    assert paid.status_code == 302
    assert paid["Location"] == f"http://testserver/da/orders/{order.reference}/{order.secret}/"

    # and the order page shows both tickets with their QR codes
    page = client.get(paid["Location"])
    assert page.status_code == 200
    assert (page["Cache-Control"], page["Referrer-Policy"]) == ("private, no-store", "no-referrer")
    assert texts(page, "h1") == ["Dine billetter"]
    assert [svg["aria-label"] for svg in elements(page, "svg", role="img")] == [
        "QR-kode til billet 1 af 2",
        "QR-kode til billet 2 af 2",
    ]
    assert texts(page, "h2", class_="ticket-card__title") == ["Voksen", "Voksen"]
    assert texts(page, "p", class_="ticket-card__count") == ["Billet 1 af 2", "Billet 2 af 2"]
    assert set(texts(page, "p", class_="ticket-card__where")) == {
        f"{event.venue.name}, Store Scene Allégade 2, 3000 Helsingør"
    }

    # and the PDF downloads with one page per ticket
    pdf_link, calendar_link = (link["href"] for link in elements(page, "a") if link["href"].endswith((".pdf", ".ics")))
    pdf = client.get(pdf_link)
    assert pdf.status_code == 200
    assert (pdf["Content-Type"], pdf["Content-Disposition"]) == (
        "application/pdf",
        f'attachment; filename="tickets-{order.reference}.pdf"',
    )
    assert pdf["Cache-Control"] == "private, no-store"
    assert len(pypdfium2.PdfDocument(pdf.content)) == 2

    # and the calendar entry points back to the event page
    calendar = client.get(calendar_link)
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Jazz på havnen" in calendar.content.decode()
    assert "URL:http://testserver/da/events/koncert/" in calendar.content.decode()


def test_paying_with_mobilepay_in_the_simulator_pays_too(client, concert):
    event, adult, _child = concert
    simulator_url = buy(client, event, adult, 1)["Location"]

    response = client.post(simulator_url, {"action": "mobilepay"})

    assert response.status_code == 302
    assert Order.objects.get().status == OrderStatus.PAID
    assert Ticket.objects.count() == 1


def test_sold_out_answers_409_with_the_reason_and_creates_nothing(client, concert):
    event, adult, _child = concert
    place_order(event_id=event.pk, items=[Item(adult.pk, 10)], buyer=buyer())
    place_order(event_id=event.pk, items=[Item(adult.pk, 1)], buyer=buyer())
    before = (Order.objects.count(), Payment.objects.count())

    response = buy(client, event, adult, 2, language="en")

    assert response.status_code == 409
    assert texts(response, "div", class_="error-summary")[0] == (
        "The tickets could not be booked Only 1 ticket of the type Adult is left. Choose tickets again"
    )
    assert (Order.objects.count(), Payment.objects.count()) == before
    # the answers are kept, so the visitor can try again with fewer tickets
    assert elements(response, "input", name="name")[0]["value"] == "Karen Blixen"


def test_tickets_sold_between_the_two_steps_answer_409_not_500(client, concert):
    event, adult, child = concert
    page = client.get(checkout_url(event, "en", adult=(adult, 8), child=(child, 4)))
    assert page.status_code == 200
    place_order(event_id=event.pk, items=[Item(child.pk, 1)], buyer=buyer())

    response = client.post(checkout_url(event, "en", adult=(adult, 8), child=(child, 4)), DETAILS)

    assert response.status_code == 409
    assert "There are not that many tickets left. Please choose fewer." in texts(response, "p")
    assert Order.objects.count() == 1


def test_the_details_page_warns_at_once_when_the_choice_is_no_longer_there(client, concert):
    event, adult, _child = concert
    place_order(event_id=event.pk, items=[Item(adult.pk, 10)], buyer=buyer())

    response = client.get(checkout_url(event, "en", adult=(adult, 3)))

    assert response.status_code == 409
    assert "Only 2 tickets of the type Adult are left." in texts(response, "p")


def test_a_bad_form_answers_400_with_every_error_linked_to_its_field(client, concert):
    event, adult, _child = concert

    response = client.post(
        checkout_url(event, "en", adult=(adult, 2)), {"email": "not-an-e-mail", "country": "DK", "language": "en"}
    )

    assert response.status_code == 400
    assert [(link["href"], link["text"]) for link in elements(response, "a") if link["href"].startswith("#id_")] == [
        ("#id_name", "Enter your name."),
        ("#id_email", "Enter an e-mail address like name@example.dk."),
        ("#id_is_resident_0", "Answer whether you live in Helsingør Kommune."),
    ]
    assert elements(response, "input", name="name")[0]["aria-invalid"] == "true"
    assert elements(response, "input", name="email")[0]["aria-describedby"] == "id_email-hint id_email-error"
    assert elements(response, "input", name="email")[0]["value"] == "not-an-e-mail"
    assert Order.objects.count() == 0


def test_a_danish_postcode_must_have_four_digits(client, concert):
    event, adult, _child = concert

    response = buy(client, event, adult, 1, language="en", postcode="30000")

    assert response.status_code == 400
    assert "Error: A Danish postcode has four digits, for example 3000." in texts(response, "p")
    assert buy(client, event, adult, 1, language="en", postcode="SE-25225", country="SE").status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose at least one ticket."),
        ("ticket_{adult}=0", "Choose at least one ticket."),
        ("ticket_{adult}=two", "Choose the number of tickets as a whole number."),
        ("ticket_{adult}=-1", "Those tickets are not sold for this event."),
        ("ticket_{hidden}=1", "Those tickets are not sold for this event."),
        ("ticket_999999=1", "Those tickets are not sold for this event."),
        ("ticket_{child}=5", "You can choose from 1 to 4 tickets of the type Child per order."),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_choice_answers_400_and_creates_nothing(client, concert, query, message, method):
    event, adult, child = concert
    hidden = event.ticket_types.get(is_visible=False)
    url = "/en/events/koncert/checkout/?" + query.format(adult=adult.pk, child=child.pk, hidden=hidden.pk)

    response = client.post(url, DETAILS) if method == "post" else client.get(url)

    assert response.status_code == 400
    assert message in texts(response, "p")
    assert elements(response, "form", method="post") == []
    assert Order.objects.count() == 0


def test_an_event_that_no_longer_sells_answers_409(client, concert):
    event, adult, _child = concert
    event.booking_mode = BookingMode.DROP_IN
    event.save()

    response = buy(client, event, adult, 1, language="en")

    assert response.status_code == 409
    assert "This event does not sell tickets now." in texts(response, "p")
    assert Order.objects.count() == 0


def test_drafts_and_unknown_events_have_no_checkout(client, concert):
    event, adult, _child = concert
    event.status = "draft"
    event.save()

    assert client.get(checkout_url(event, "en", adult=(adult, 1))).status_code == 404
    assert client.get("/en/events/nothing/checkout/").status_code == 404


def test_the_details_form_is_protected_against_cross_site_posts(concert):
    from django.test import Client

    event, adult, _child = concert
    client = Client(enforce_csrf_checks=True)

    response = buy(client, event, adult, 1)

    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_without_payments_the_visitor_gets_a_503_and_the_seats_are_released(client, concert, settings):
    settings.DEBUG = False  # no Stripe key and no simulator
    event, adult, _child = concert

    response = buy(client, event, adult, 2, language="en")

    assert response.status_code == 503
    assert re.search(r"Payment is not possible right now", html(response))
    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert offered_ticket_types(event=event, now=Order.objects.get().created_at)[0].left == 12


def test_free_registration_issues_tickets_without_a_payment(client):
    event = EventFactory(slug="foredrag", booking_mode=BookingMode.FREE_REGISTRATION, is_free=True)
    seat = TicketTypeFactory(event=event, name_da="Plads", name_en="Seat", price_ore=0, vat_rate="0.00")

    event_page = client.get("/da/events/foredrag/")
    details = client.get(f"/da/events/foredrag/checkout/?ticket_{seat.pk}=2")
    response = client.post(f"/da/events/foredrag/checkout/?ticket_{seat.pk}=2", DETAILS)

    assert texts(event_page, "h2", id="tickets-heading") == ["Tilmelding"]
    assert texts(event_page, "span", class_="ticket-option__price") == ["Gratis"]
    assert texts(details, "td") == ["Gratis", "Gratis"]
    assert texts(details, "button", type="submit") == ["Bekræft bestilling"]
    assert "fortrydelsesret" not in html(details)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/da/orders/{order.reference}/{order.secret}/"
    assert (order.status, order.total_ore, Payment.objects.count()) == (OrderStatus.PAID, 0, 0)
    page = client.get(response["Location"])
    assert len(elements(page, "svg", role="img")) == 2
