"""The statistics page and the head-count form in real headless Chromium: charts, tables, axe, phones, languages."""

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_pages import describe, run_axe
from tests.frontend.test_dashboard import YEAR, World, world  # noqa: F401  (the fixture)
from visitor_stats.models import VisitFigure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["months", "venues", "origins", "utilisation"]
# The share of a canvas's pixels that are drawn on must be more than this for it to count as a chart.
DRAWN = 0.01
COUNT_DRAWN = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { drawn += 1; } }
  return drawn / (canvas.width * canvas.height);
}"""


def sign_in(page: Page, live_server, user: User) -> None:
    """Puts a signed-in session into the browser, as the sign-in form would."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def admin(world: World) -> User:  # noqa: F811
    return User.objects.create_superuser("admin")


@pytest.fixture
def narrow(chromium: Browser) -> Iterator[Page]:
    """The narrowest phone the pages are made for: 320 CSS pixels."""
    context = chromium.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page: Page) -> None:
    violations = run_axe(page)
    assert violations == [], describe(violations)


def assert_charts_drawn(page: Page, slugs: list[str] = CHARTS) -> None:
    for slug in slugs:
        chart = page.locator(f'[data-chart="{slug}"]')
        expect(chart).to_have_attribute("data-drawn", "true")
        assert chart.locator("canvas").evaluate(COUNT_DRAWN) > DRAWN, slug


def open_tables(page: Page) -> None:
    for summary in page.locator("[data-chart-table] > summary").all():
        summary.click()


def test_the_dashboard_draws_its_charts_beside_tables_and_is_accessible(live_server, page, admin):
    sign_in(page, live_server, admin)

    page.goto(f"{live_server.url}/da/statistics/?year={YEAR}")

    expect(page.locator("h1")).to_have_text(f"Besøgsstatistik {YEAR}")
    assert_charts_drawn(page)
    expect(page.locator(".tile__value").first).to_have_text("8.525")
    # The tables fold away once the charts are drawn, and open with one click.
    expect(page.locator("[data-chart-table][open]")).to_have_count(0)
    months = page.locator('[data-chart-panel="months"]')
    months.get_by_text("Vis som tabel").click()
    march = months.locator("tbody tr").nth(2).locator("th, td")
    expect(march).to_have_count(7)
    assert march.all_inner_texts()[:6] == ["marts", "5", "120", "0", "0", "125"]
    open_tables(page)
    assert_accessible(page)


def test_the_filters_work_on_a_phone_of_320_pixels(live_server, narrow, admin):
    sign_in(narrow, live_server, admin)
    narrow.goto(f"{live_server.url}/da/statistics/?year={YEAR}")

    narrow.locator("#id_venue").select_option("toldkammeret")
    narrow.get_by_role("button", name="Vis", exact=True).click()

    expect(narrow).to_have_url(f"{live_server.url}/da/statistics/?year={YEAR}&venue=toldkammeret")
    assert_charts_drawn(narrow, ["months", "venues", "origins"])  # no tickets sold there: no utilisation
    expect(narrow.locator('[data-chart-panel="utilisation"]')).to_contain_text("Ingen tal for disse filtre.")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    expect(narrow.locator('[data-chart-panel="venues"] tbody th')).to_have_text(["Toldkammeret"])
    open_tables(narrow)
    assert_accessible(narrow)


def test_the_dashboard_in_swedish(live_server, page, admin):
    sign_in(page, live_server, admin)

    page.goto(f"{live_server.url}/sv/statistics/?year={YEAR}")

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text(f"Besöksstatistik {YEAR}")
    expect(page.locator(".tile__value").first).to_have_text("8\xa0525")
    assert_charts_drawn(page)
    assert_accessible(page)


def test_without_javascript_the_tables_are_open(live_server, chromium, admin):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, admin)

    page.goto(f"{live_server.url}/en/statistics/?year={YEAR}")

    expect(page.locator("[data-chart-table][open]")).to_have_count(4)
    expect(page.locator("[data-chart]")).to_have_count(4)
    for chart in page.locator("[data-chart]").all():
        expect(chart).to_be_hidden()
    context.close()


def test_venue_staff_enter_a_head_count_and_errors_are_shown_at_the_field(live_server, page, world):  # noqa: F811
    staff = User.objects.create_user("mette")
    world.toldkammeret.staff.add(staff)
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/da/statistics/head-counts/")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Indtast antal\W+Julemarked")).click()
    page.get_by_role("button", name="Gem antal").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    field = page.get_by_label("Antal personer")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field__error")).to_have_text("Fejl: Skriv det antal personer, der blev talt.")
    assert_accessible(page)

    field.fill("1250")
    page.get_by_role("button", name="Gem antal").click()

    expect(page.locator(".notice--saved")).to_contain_text("Julemarked")
    expect(page.locator(".todo__title")).to_have_count(0)
    assert VisitFigure.objects.get(event=world.market).visits == 1250
    assert_accessible(page)
