import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from events.models import EventStatus
from tests.browser.conftest import AXE_SCRIPT
from tests.factories import CategoryFactory, EventFactory, HallFactory, OrganiserFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def season():
    """Two venues, a few events in Danish and English, one cancelled, one draft."""
    shipyard = VenueFactory(name="Kulturværftet", slug="kulturvaerftet", wheelchair_spaces=8, has_hearing_loop=True)
    customs_house = VenueFactory(name="Toldkammeret", slug="toldkammeret", has_step_free_access=False)
    HallFactory(venue=shipyard, name="Store Scene", slug="store-scene")
    music = CategoryFactory(slug="musik", name_da="Musik", name_en="Music")
    talks = CategoryFactory(slug="foredrag", name_da="Foredrag", name_en="Talk")
    organiser = OrganiserFactory(name="Kulturværftet", website="https://kulturvaerftet.dk")
    start = timezone.localtime().replace(hour=19, minute=30, second=0, microsecond=0) + timedelta(days=3)
    events = {}
    for slug, title_da, title_en, venue, category, days, extra in [
        ("jazz-paa-havnen", "Jazz på havnen", "Jazz by the harbour", shipyard, music, 0, {"is_free": True}),
        ("folkemusik", "Folkemusik i Toldkammeret", "Folk music at Toldkammeret", customs_house, music, 1, {}),
        ("kronborg-foredrag", "Kronborg gennem 600 år", "", shipyard, talks, 2, {}),
        ("aflyst", "Aflyst koncert", "Cancelled concert", customs_house, music, 4, {"status": EventStatus.CANCELLED}),
        ("kladde", "Hemmelig kladde", "", customs_house, music, 1, {"status": EventStatus.DRAFT}),
    ]:
        starts_at = start + timedelta(days=days)
        events[slug] = EventFactory(
            slug=slug,
            title_da=title_da,
            title_en=title_en,
            summary_da="En aften med musik ved Øresund.",
            summary_en="An evening of music by the Øresund.",
            venue=venue,
            category=category,
            organiser=organiser,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            performance_language="da",
            **extra,
        )
    return events


def run_axe(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


def test_a_visitor_filters_opens_an_event_and_switches_to_english(live_server, page, season):
    # given the Danish list
    page.goto(f"{live_server.url}/da/")
    expect(page.locator("h1")).to_have_text("Det sker i Helsingør")
    expect(page.locator(".card__title")).to_have_text(
        ["Jazz på havnen", "Folkemusik i Toldkammeret", "Kronborg gennem 600 år", "Aflyst koncert"]
    )

    # when filtering to one venue
    page.get_by_label("Sted").select_option("toldkammeret")
    page.get_by_role("button", name="Vis arrangementer").click()

    # then only its public events are left
    expect(page).to_have_url(f"{live_server.url}/da/?venue=toldkammeret")
    expect(page.locator(".card__title")).to_have_text(["Folkemusik i Toldkammeret", "Aflyst koncert"])
    expect(page.locator(".status-badge")).to_have_text(["Aflyst"])

    # when opening an event
    page.get_by_role("link", name="Folkemusik i Toldkammeret").click()

    # then
    expect(page).to_have_url(f"{live_server.url}/da/events/folkemusik/")
    expect(page.locator("h1")).to_have_text("Folkemusik i Toldkammeret")

    # when switching to English
    page.get_by_role("navigation", name="Sprog").get_by_role("link", name="English").click()

    # then the same event is shown in English, with its JSON-LD
    expect(page).to_have_url(f"{live_server.url}/en/events/folkemusik/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Folk music at Toldkammeret")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "Event"
    assert data["name"] == "Folk music at Toldkammeret"
    assert data["url"] == f"{live_server.url}/en/events/folkemusik/"
    assert data["location"]["name"] == "Toldkammeret"
    assert data["location"]["address"]["addressCountry"] == "DK"
    assert data["startDate"] == timezone.localtime(season["folkemusik"].starts_at).isoformat(timespec="seconds")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(live_server, page, season):
    # given
    page.goto(f"{live_server.url}/da/")

    # when
    page.keyboard.press("Tab")

    # then
    expect(page.locator(":focus")).to_have_text("Gå til indhold")
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/da/#main")
    expect(page.locator("main")).to_be_focused()


def test_quick_picks_work_from_the_keyboard(live_server, page, season):
    # given
    page.goto(f"{live_server.url}/en/")

    # when choosing "Next 7 days" with the keyboard and sending the form with Enter
    page.locator("#filter-when-week").focus()
    page.keyboard.press("Space")
    page.locator("#filter-q").focus()
    page.keyboard.press("Enter")

    # then
    expect(page).to_have_url(f"{live_server.url}/en/?when=week")
    expect(page.locator("#filter-when-week")).to_be_checked()
    expect(page.locator(".card__title")).to_have_text(  # the cancelled concert is a week away: too late
        ["Jazz by the harbour", "Folk music at Toldkammeret", "Kronborg gennem 600 år"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/da/",
        "/da/events/jazz-paa-havnen/",
        "/da/events/aflyst/",
        "/da/venues/",
        "/da/venues/kulturvaerftet/",
        "/da/accessibility/",
        "/en/",
        "/en/?venue=nowhere&is_free=maybe",
        "/en/events/folkemusik/",
        "/sv/venues/toldkammeret/",
        "/de/events/kronborg-foredrag/",
        "/de/nothing-here/",
    ],
)
def test_pages_have_no_wcag_21_aa_violations(live_server, page, season, path):
    # given
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_have_count(1)

    # when
    violations = run_axe(page)

    # then
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["/da/", "/en/?venue=nowhere"])
def test_the_list_on_a_phone_has_no_wcag_21_aa_violations(live_server, phone, season, path):
    # given
    phone.goto(f"{live_server.url}{path}")

    # when
    violations = run_axe(phone)

    # then
    assert violations == [], describe(violations)


def test_the_stylesheet_is_served(live_server, page, season):
    # when
    page.goto(f"{live_server.url}/da/")

    # then the page is styled: the header has the sea-blue background
    background = page.locator(".site-header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(11, 50, 80)"


@pytest.mark.parametrize(
    "path",
    [
        "/da/",
        "/da/?venue=nowhere",
        "/de/events/jazz-paa-havnen/",
        "/sv/venues/",
        "/da/venues/kulturvaerftet/",
        "/en/accessibility/",
    ],
)
def test_pages_fit_a_360_pixel_phone_without_sideways_scrolling(live_server, phone, season, path):
    for width in (360, 320):  # 320 CSS pixels is WCAG's reflow width (400 % zoom on a 1280 px screen)
        # when
        phone.set_viewport_size({"width": width, "height": 740})
        phone.goto(f"{live_server.url}{path}")

        # then
        widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths == [width, width]


def test_on_a_phone_the_extra_filters_fold_away_and_open_on_demand(live_server, phone, season):
    # given
    phone.goto(f"{live_server.url}/da/")
    venue = phone.get_by_label("Sted")
    expect(venue).to_be_hidden()

    # when
    phone.get_by_text("Flere filtre").click()

    # then
    expect(venue).to_be_visible()


def test_the_accessibility_check_does_catch_violations(page):
    # given a page with two known faults
    page.set_content("<html><body><main><img src='harbour.png'></main></body></html>")

    # when
    violations = run_axe(page)

    # then
    assert sorted(violation["id"] for violation in violations) == ["document-title", "html-has-lang", "image-alt"]


def test_a_buyer_who_lost_the_email_gets_the_links_again_on_a_phone(live_server, phone, season):
    # given a paid order for an event of the season, and a buyer on a narrow phone without the e-mail
    from django.core import mail
    from django.core.cache import cache

    from frontend.order_links import ADDRESS_LIMITS, CLIENT_LIMITS, limit_key
    from tests.factories import TicketTypeFactory, paid_tickets
    from tickets.people import person_key

    cache.delete_many(
        [limit_key("client", "127.0.0.1", window) for window, _most in CLIENT_LIMITS]
        + [limit_key("address", person_key("karen@example.dk"), window) for window, _most in ADDRESS_LIMITS]
    )
    (ticket,) = paid_tickets(TicketTypeFactory(event=season["folkemusik"]), email="karen@example.dk")
    phone.set_viewport_size({"width": 320, "height": 740})
    phone.goto(f"{live_server.url}/da/")

    # when they follow the footer's link and send the form empty
    phone.get_by_role("link", name="Find dine billetter").click()
    expect(phone.locator("h1")).to_have_text("Find dine billetter")
    assert run_axe(phone) == []
    phone.get_by_role("button", name="Send mig linkene").click()

    # then the mistake is explained and the field marked
    expect(phone.locator("#error-summary")).to_be_focused()
    expect(phone.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")
    assert run_axe(phone) == []

    # when they give their address
    phone.get_by_label("E-mail").fill("karen@example.dk")
    phone.get_by_role("button", name="Send mig linkene").click()

    # then the page says to look in the inbox, and the links are there
    expect(phone.get_by_role("heading", name="Tjek din indbakke")).to_be_visible()
    assert run_axe(phone) == []
    assert phone.evaluate("() => document.documentElement.scrollWidth") == 320
    (message,) = [sent for sent in mail.outbox if sent.subject == "Dine billetter fra Kultur i Helsingør"]
    assert f"/da/orders/{ticket.order.reference}/{ticket.order.secret}/" in message.body
