"""Buying tickets in real headless Chromium: choose, give details, pay in the simulator, see the tickets."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_pages import describe, run_axe
from tests.factories import CategoryFactory, EventFactory, HallFactory, TicketTypeFactory, VenueFactory, buyer
from tickets.checkout import start_checkout
from tickets.models import Order, OrderStatus
from tickets.services import Item, place_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def simulated_payments(settings):
    """The live server runs in this process, so the payment simulator is on for it too."""
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def concert(simulated_payments):
    venue = VenueFactory(name="Kulturværftet", slug="kulturvaerftet", wheelchair_spaces=8)
    hall = HallFactory(venue=venue, name="Store Scene", seated_capacity=40, standing_capacity=None)
    starts_at = timezone.localtime().replace(hour=19, minute=30, second=0, microsecond=0) + timedelta(days=3)
    event = EventFactory(
        slug="jazz-paa-havnen",
        title_da="Jazz på havnen",
        summary_da="En aften med swing ved Øresund.",
        venue=venue,
        hall=hall,
        category=CategoryFactory(name_da="Musik"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    TicketTypeFactory(event=event, name_da="Voksen", price_ore=25000, position=1)
    TicketTypeFactory(event=event, name_da="Studerende", price_ore=15000, capacity=3, position=2)
    TicketTypeFactory(event=event, name_da="Ledsager", price_ore=0, vat_rate="0.00", is_companion=True, position=3)
    return event


@pytest.fixture
def danish_phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page: Page) -> None:
    violations = run_axe(page)
    assert violations == [], describe(violations)


def assert_no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_visitor_buys_two_tickets_on_a_phone_and_sees_them(live_server, danish_phone, concert):
    page = danish_phone

    # given the event page in Danish, with its ticket chooser
    page.goto(f"{live_server.url}/da/events/jazz-paa-havnen/")
    chooser = page.get_by_role("region", name="Billetter")
    expect(chooser.locator(".ticket-option__name")).to_have_text(["Voksen", "Studerende", "Ledsager"])
    expect(chooser.locator(".availability")).to_have_text(["Ledige", "Få tilbage", "Få tilbage"])
    assert_accessible(page)
    assert_no_sideways_scrolling(page)

    # when choosing two adult tickets with the + button and continuing
    page.get_by_role("link", name="Køb billetter").click()
    more_adults = page.get_by_role("button", name="Én billet mere: Voksen")
    more_adults.click()
    more_adults.click()
    expect(page.get_by_label("Antal – Voksen")).to_have_value("2")
    expect(chooser.locator("[data-ticket-total]")).to_have_text("2 billetter: 500,00 kr.")
    page.get_by_role("button", name="Fortsæt").click()

    # then the details page shows the choice, and only the chosen type is in the address
    expect(page).to_have_url(re.compile(r"/da/events/jazz-paa-havnen/checkout/\?ticket_\d+=2$"))
    expect(page.locator("h1")).to_have_text("Dine oplysninger")
    expect(page.locator(".checkout__summary tfoot td")).to_have_text("500,00 kr.")
    expect(page.locator(".terms")).to_contain_text("ingen 14 dages fortrydelsesret")
    assert_accessible(page)
    assert_no_sideways_scrolling(page)

    # when filling in the details and ordering
    page.get_by_label("Fulde navn").fill("Karen Blixen")
    page.get_by_label("E-mail", exact=True).fill("karen@example.dk")
    page.get_by_text("Ja", exact=True).click()  # the pill drawn for the radio button
    expect(page.get_by_role("radio", name="Ja")).to_be_checked()
    page.get_by_label("Postnummer").fill("3000")
    expect(page.get_by_label("Land", exact=True)).to_have_value("DK")
    page.get_by_role("button", name="Bestil og betal").click()

    # then the clearly labelled payment simulator shows the order
    expect(page).to_have_url(re.compile(r"/payments/simulator/cs_sim_\w+/$"))
    expect(page.locator("h1")).to_have_text("Testbetaling – ingen penge flyttes")
    expect(page.locator(".pay-sheet tfoot td")).to_have_text("500,00 kr.")
    assert_accessible(page)
    assert_no_sideways_scrolling(page)

    # when paying by card
    page.get_by_role("button", name="Betal med kort (test)").click()

    # then the confirmation page shows two tickets, each with its QR code
    order = Order.objects.get()
    expect(page).to_have_url(f"{live_server.url}/da/orders/{order.reference}/{order.secret}/")
    expect(page.locator("h1")).to_have_text("Dine billetter")
    expect(page.get_by_role("img", name=re.compile(r"^QR-kode til billet \d af 2$"))).to_have_count(2)
    expect(page.locator(".ticket-card__count")).to_have_text(["Billet 1 af 2", "Billet 2 af 2"])
    expect(page.get_by_role("link", name="Hent billetter (PDF)")).to_be_visible()
    assert order.status == OrderStatus.PAID
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_continuing_without_tickets_says_so_and_stays_on_the_page(live_server, danish_phone, concert):
    page = danish_phone
    page.goto(f"{live_server.url}/da/events/jazz-paa-havnen/")

    page.get_by_role("button", name="Fortsæt").click()

    expect(page.locator(".ticket-chooser__error")).to_have_text("Vælg mindst én billet.")
    expect(page).to_have_url(f"{live_server.url}/da/events/jazz-paa-havnen/")
    expect(page.get_by_label("Antal – Voksen")).to_be_focused()


def test_a_form_with_errors_takes_focus_to_the_summary_and_has_no_violations(live_server, page, concert):
    # given the details page for one adult ticket
    page.goto(f"{live_server.url}/da/events/jazz-paa-havnen/")
    page.get_by_label("Antal – Voksen").fill("1")
    page.get_by_role("button", name="Fortsæt").click()

    # when ordering without any details
    page.get_by_role("button", name="Bestil og betal").click()

    # then the error summary has focus and links to each field
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Skriv dit navn.", "Skriv din e-mailadresse.", "Svar, om du bor i Helsingør Kommune."]
    )
    summary.get_by_role("link", name="Skriv dit navn.").click()
    expect(page.get_by_label("Fulde navn")).to_be_focused()
    assert_accessible(page)


def test_the_reserved_order_page_counts_down_and_has_no_violations(live_server, page, concert):
    # given a reservation made on the details page
    page.goto(f"{live_server.url}/da/events/jazz-paa-havnen/")
    page.get_by_label("Antal – Voksen").fill("1")
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_label("Fulde navn").fill("Karen Blixen")
    page.get_by_label("E-mail", exact=True).fill("karen@example.dk")
    page.get_by_text("Nej", exact=True).click()
    page.get_by_role("button", name="Bestil og betal").click()
    expect(page).to_have_url(re.compile("/payments/simulator/"))
    order = Order.objects.get()

    # when the buyer opens the order page before paying
    page.goto(f"{live_server.url}/da/orders/{order.reference}/{order.secret}/")

    # then it counts down the reservation and offers to pay
    expect(page.locator("h1")).to_have_text("Venter på betaling")
    expect(page.locator(".countdown")).to_have_text(re.compile(r"^1[45] minutter tilbage$"))
    assert_accessible(page)

    # when paying from there, then the open checkout is reused
    page.get_by_role("link", name="Betal nu").click()
    expect(page).to_have_url(re.compile(r"/payments/simulator/cs_sim_\w+/$"))
    assert order.payments.count() == 1


def test_every_step_fits_a_320_pixel_screen(live_server, danish_phone, concert):
    # given a paid order and a reserved one with an open checkout
    adult = concert.ticket_types.get(name_da="Voksen")
    paid = place_order(event_id=concert.pk, items=[Item(adult.pk, 2)], buyer=buyer())
    checkout = start_checkout(order=paid, success_url=live_server.url, cancel_url=live_server.url)
    danish_phone.goto(f"{live_server.url}{checkout.url}")
    danish_phone.get_by_role("button", name="Betal med kort (test)").click()
    reserved = place_order(event_id=concert.pk, items=[Item(adult.pk, 1)], buyer=buyer())
    simulator = start_checkout(order=reserved, success_url=live_server.url, cancel_url=live_server.url).url
    danish_phone.set_viewport_size({"width": 320, "height": 740})

    for path in [
        "/da/events/jazz-paa-havnen/",
        f"/da/events/jazz-paa-havnen/checkout/?ticket_{adult.pk}=2",
        simulator,
        f"/da/orders/{paid.reference}/{paid.secret}/",
        f"/da/orders/{reserved.reference}/{reserved.secret}/",
    ]:
        # when
        danish_phone.goto(f"{live_server.url}{path}")

        # then
        assert danish_phone.evaluate("() => document.documentElement.scrollWidth") == 320, path
