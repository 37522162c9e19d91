"""The statistics page and the head-count pages: who gets in, the figures shown, filters, exports, the form.

The world (last year): a ticketed concert at Kulturværftet (capacity 20) with 6 tickets sold and 5
admissions (3 by residents, 2 by Swedes), a gate counter there (120 in), a head count of a drop-in
festival at Toldkammeret (400) and a partner figure of the maritime museum (8,000): 8,525 visits.
A second drop-in event at Toldkammeret has ended without a head count.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from events.models import BookingMode, Event, Organiser
from frontend import statistics_data
from tests.factories import CategoryFactory, EventFactory, OrganiserFactory, TicketTypeFactory, VenueFactory
from tests.frontend.pages import elements, html, texts
from tests.visitor_stats.helpers import admitted, figure_over, role_users
from tickets.people import assign_person_keys
from venues.models import Venue
from visitor_stats import reports, rollups, tasks
from visitor_stats.models import Population, Source, SurveyResult, VisitFigure

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
YEAR = timezone.localdate().year - 1
PAGE = "/en/statistics/"
HEAD_COUNTS = "/en/statistics/head-counts/"
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=CPH)


@dataclass
class World:
    kulturvaerftet: Venue
    toldkammeret: Venue
    museum: Venue
    organiser: Organiser
    concert: Event
    festival: Event
    market: Event


@pytest.fixture
def world() -> World:
    kulturvaerftet = VenueFactory(slug="kulturvaerftet", name="Kulturværftet")
    toldkammeret = VenueFactory(slug="toldkammeret", name="Toldkammeret")
    museum = VenueFactory(slug="museet-for-sofart", name="M/S Museet for Søfart")
    organiser = OrganiserFactory(slug="kulturhusene", name="Kulturhusene")
    concerts = CategoryFactory(slug="koncert", name_da="Koncert", name_en="Concert")
    family = CategoryFactory(slug="familie", name_da="Familie", name_en="Family")
    concert = EventFactory(
        slug="jazz", title_da="Jazz på værftet", venue=kulturvaerftet, category=concerts, organiser=organiser,
        starts_at=at(3, 14, 19), ends_at=at(3, 14, 21), capacity=20,
    )  # fmt: skip
    festival = EventFactory(
        slug="havnefest", title_da="Havnefest", venue=toldkammeret, category=family, organiser=organiser,
        booking_mode=BookingMode.DROP_IN, starts_at=at(6, 21, 12), ends_at=at(6, 21, 18),
    )  # fmt: skip
    market = EventFactory(
        slug="julemarked", title_da="Julemarked", venue=toldkammeret, category=family,
        booking_mode=BookingMode.DROP_IN, starts_at=at(12, 5, 10), ends_at=at(12, 5, 16),
    )  # fmt: skip
    tickets = TicketTypeFactory(event=concert, price_ore=20000)
    admitted(tickets, 2, 2, email="karen@example.dk")
    admitted(tickets, 1, 1, email="  KAREN@Example.dk ")  # the same person
    admitted(tickets, 3, 2, email="anna@example.se", is_resident=False, country="SE", postcode="25225")
    assign_person_keys()
    figure_over(Source.GATE_COUNTER, kulturvaerftet, at(3, 3, 9), 1, 120, counter="Hovedindgang", exits=110)
    figure_over(Source.HEAD_COUNT, toldkammeret, at(6, 21, 12), 6, 400, event=festival)
    figure_over(Source.PARTNER, museum, at(7, 1, 0), 24 * 31, 8000)
    Population.objects.create(year=YEAR, residents=63_838, source="Danmarks Statistik")
    SurveyResult.objects.create(year=YEAR, share=Decimal("41.00"), sample_size=1_012, source="Kulturvaneundersøgelsen")
    rollups.rebuild()
    return World(kulturvaerftet, toldkammeret, museum, organiser, concert, festival, market)


@pytest.fixture
def users(world: World) -> dict[str, User | None]:
    """One user per role; `anonymous` is None."""
    users: dict[str, User | None] = role_users(world.kulturvaerftet, world.toldkammeret, world.organiser)
    users["anonymous"] = None
    return users


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def office(users: dict[str, User | None]) -> Client:
    return signed_in(users["office"])


def page(client: Client, **query: object):
    response = client.get(PAGE, {"year": YEAR, **query})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def table(response, slug: str) -> list[list[str]]:
    """The rows of one chart's table (header row first), as a visitor reads them."""
    markup = html(response)
    start = markup.index(f'data-chart-panel="{slug}"')
    section = markup[start : markup.index("</section>", start)]
    return [
        [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in CELL.findall(row)]
        for row in section.split("<tr>")[1:]
    ]


# Who gets in

STATISTICS_ACCESS = {
    "anonymous": 302,
    "user": 403,
    "staff_a": 403,
    "staff_b": 403,
    "organiser": 403,
    "office": 200,
    "admin": 200,
}
HEAD_COUNT_ACCESS = {
    "anonymous": 302,
    "user": 403,
    "staff_a": 200,
    "staff_b": 200,
    "organiser": 200,
    "office": 200,
    "admin": 200,
}
FESTIVAL_FORM_ACCESS = {  # the festival is the organiser's, at Toldkammeret
    "anonymous": 302,
    "user": 403,
    "staff_a": 403,
    "staff_b": 200,
    "organiser": 200,
    "office": 200,
    "admin": 200,
}


@pytest.mark.parametrize(("role", "status"), STATISTICS_ACCESS.items())
@pytest.mark.parametrize("path", [PAGE, "/en/statistics/visits.xlsx"])
def test_only_the_culture_office_and_admins_open_the_statistics(users, role, status, path):
    response = signed_in(users[role]).get(path, {"year": YEAR})

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    if status == 302:
        assert response["Location"] == f"/en/staff/login/?next={path}%3Fyear%3D{YEAR}"
    if status == 403:
        assert "No access" in html(response)


@pytest.mark.parametrize(("role", "status"), HEAD_COUNT_ACCESS.items())
def test_organisers_venue_staff_the_office_and_admins_open_the_head_counts(users, role, status):
    response = signed_in(users[role]).get(HEAD_COUNTS)

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), FESTIVAL_FORM_ACCESS.items())
def test_the_head_count_form_is_for_the_events_organiser_its_venues_staff_the_office_and_admins(
    users, world, role, status
):
    client = signed_in(users[role])

    shown = client.get(f"{HEAD_COUNTS}havnefest/")
    sent = client.post(f"{HEAD_COUNTS}havnefest/", {"visits": "999"})

    assert shown.status_code == status
    assert sent.status_code == (302 if status == 200 else status)
    current = VisitFigure.objects.get(event=world.festival, replaced_at__isnull=True)
    assert current.visits == (999 if status == 200 else 400)


def test_signing_in_leads_back_to_the_statistics(users):
    office = users["office"]
    office.set_password("kronborg-og-kulturhavnen")
    office.save()
    client = Client()

    form = client.get(f"/da/staff/login/?next=/da/statistics/%3Fyear%3D{YEAR}")
    response = client.post(
        "/da/staff/login/",
        {"username": "office", "password": "kronborg-og-kulturhavnen", "next": f"/da/statistics/?year={YEAR}"},
    )

    assert form.status_code == 200
    assert "Log ind" in html(form)
    assert (response.status_code, response["Location"]) == (302, f"/da/statistics/?year={YEAR}")
    assert client.get(response["Location"]).status_code == 200


def test_a_signed_in_organiser_is_sent_on_to_the_head_counts(users):
    client = signed_in(users["organiser"])

    response = client.get("/en/staff/login/")

    assert (response.status_code, response["Location"]) == (302, HEAD_COUNTS)


# What the page shows


def test_the_tiles_show_the_summary_of_the_year(office):
    summary = reports.summary(year=YEAR, today=timezone.localdate())

    response = page(office)

    assert summary.visits == 8_525
    assert texts(response, "p", class_="tile__value") == [
        f"{summary.visits:,}",
        f"{summary.forecast:,}",
        str(summary.unique_residents),
        "41.0 %",
    ]
    tiles = " ".join(texts(response, "li", class_="tile"))
    assert "of the goal of 1,600,000 (0.5 %)" in tiles
    assert "Lower bound At least 0.0 % of the 63,838 residents" in tiles
    assert "Survey Kulturvaneundersøgelsen, " + str(YEAR) + ": 1,012 people answered." in tiles
    assert "Method: Visits so far divided by the share of the year's visits the target curve expects by now." in tiles
    assert summary.unique_residents == 1
    assert texts(response, "dd") == ["5", "120", "400", "8,000"]


def test_every_chart_has_a_canvas_with_a_name_and_its_figures_as_a_table(office):
    response = page(office)

    canvases = elements(response, "canvas", role="img")
    assert [canvas["aria-label"] for canvas in canvases] == [
        f"{title}. The figures are in the table below the chart."
        for title in (
            "Visits per month by source",
            "Visits per venue",
            "Where visitors come from",
            "Utilisation and no-shows per venue",
        )
    ]
    assert len(elements(response, "table", class_="figures")) == 4
    assert len(elements(response, "script", type="application/json")) == 4


def test_the_month_table_splits_visits_by_source_beside_the_target(office):
    rows = table(page(office), "months")

    assert rows[0] == [
        "Month",
        "Ticket scans (counted)",
        "Gate counters (counted)",
        "Head counts (estimated)",
        "Partner figures (reported)",
        "Total",
        "Target for the month",
    ]
    assert rows[3][:6] == ["March", "5", "120", "0", "0", "125"]
    assert rows[6][:6] == ["June", "0", "0", "400", "0", "400"]
    assert rows[13][:6] == ["Year", "5", "120", "400", "8,000", "8,525"]
    assert rows[13][6] == "1,600,000"


def test_the_venue_origin_and_utilisation_tables(office):
    response = page(office)

    assert [row[0] for row in table(response, "venues")[1:]] == [
        "M/S Museet for Søfart",
        "Toldkammeret",
        "Kulturværftet",
        "All venues",
    ]
    assert table(response, "origins")[1:] == [
        ["Residents of Helsingør Kommune", "3", "0.0 %"],
        ["Swedish", "2", "0.0 %"],
        ["Unknown", "8,520", "99.9 %"],
        ["All visits", "8,525", "100.0 %"],
    ]
    assert table(response, "utilisation")[1] == ["Kulturværftet", "20", "6", "5", "30.0 %", "25.0 %", "16.7 %"]


def test_a_venue_filter_narrows_the_charts_but_not_the_tiles_and_drops_the_target(office):
    response = page(office, venue="toldkammeret")

    months = table(response, "months")
    assert months[0][-1] == "Total"
    assert months[6] == ["June", "400", "400"]
    assert [row[0] for row in table(response, "venues")[1:]] == ["Toldkammeret", "All venues"]
    assert texts(response, "p", class_="tile__value")[0] == "8,525"
    assert "The target is for all visits in the municipality" in html(response)
    assert 'value="toldkammeret" selected' in html(response)


def test_source_and_category_filters(office):
    by_source = page(office, source="partner")
    by_category = page(office, category="koncert")

    assert [row[0] for row in table(by_source, "venues")[1:]] == ["M/S Museet for Søfart", "All venues"]
    assert table(by_category, "venues")[1][0] == "Kulturværftet"
    assert table(by_category, "venues")[1][-1] == "5"


def test_a_filter_that_does_not_exist_is_answered_with_its_error(office):
    response = office.get(PAGE, {"year": YEAR, "venue": "atlantis"})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in html(response)
    assert "Select a valid choice." in html(response)


def test_the_page_follows_the_rollups_at_once(office, world):
    page(office)
    figure_over(Source.PARTNER, world.museum, at(8, 1, 0), 24, 1000)
    rollups.refresh_changes()

    assert texts(page(office), "p", class_="tile__value")[0] == "9,525"


def test_the_refresh_task_draws_this_years_page_ahead(office, world, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.refresh_rollups.delay()

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("drawn while a person waited")

    monkeypatch.setattr(statistics_data, "dashboard", never)
    this_year = office.get(PAGE)
    in_danish = office.get("/da/statistics/")

    assert (this_year.status_code, in_danish.status_code) == (200, 200)


def test_the_page_is_in_danish_too(users):
    response = signed_in(users["office"]).get("/da/statistics/", {"year": YEAR})

    assert texts(response, "p", class_="tile__value")[0] == "8.525"
    assert "Besøg pr. måned fordelt på kilde" in html(response)


# Exports


def export_links(response, kind: str) -> list[str]:
    return [link["href"] for link in elements(response, "a", class_="exports__link") if kind in link["text"]]


def test_the_csv_export_is_the_visits_api_with_the_current_filters(office):
    response = page(office, venue="kulturvaerftet")
    (csv_link, *_others) = export_links(response, "CSV")

    exported = office.get(csv_link)

    assert csv_link.startswith("/api/v1/stats/visits/?")
    assert exported.status_code == 200
    assert list(csv.reader(io.StringIO(exported.content.decode()))) == [
        ["key", "label", "source", "source_label", "quality", "visits"],
        [f"{YEAR}-03", "March", "gate_counter", "Gate counters", "counted", "120"],
        [f"{YEAR}-03", "March", "ticket_scans", "Ticket scans", "counted", "5"],
    ]


def test_the_excel_export_holds_the_visits_with_the_current_filters(office):
    response = page(office, source="head_count")
    links = export_links(response, "Excel")

    by_month = office.get(links[0])
    by_venue = office.get(links[1])

    assert by_month["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert by_month["Content-Disposition"] == f'attachment; filename="visits-{YEAR}-month.xlsx"'
    sheet = load_workbook(io.BytesIO(by_month.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Key", "Name", "Source code", "Source", "Quality", "Visits"],
        [f"{YEAR}-06", "June", "head_count", "Head counts", "Estimated", 400],
    ]
    venue_rows = list(load_workbook(io.BytesIO(by_venue.content)).active.iter_rows(values_only=True))
    assert venue_rows[1] == ("toldkammeret", "Toldkammeret", "head_count", "Head counts", "Estimated", 400)


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(office, world):
    Venue.objects.filter(pk=world.museum.pk).update(name='=HYPERLINK("http://example.com")')

    response = office.get("/en/statistics/visits.xlsx", {"year": YEAR, "group_by": "venue", "source": "partner"})

    cell = load_workbook(io.BytesIO(response.content)).active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.com")', "s")


# Head counts


def test_the_to_do_list_holds_ended_drop_in_events_without_a_count(users):
    organiser = signed_in(users["organiser"])
    staff_b = signed_in(users["staff_b"])
    staff_a = signed_in(users["staff_a"])

    assert texts(organiser.get(HEAD_COUNTS), "p", class_="todo__title") == []  # the market is not theirs
    assert texts(staff_b.get(HEAD_COUNTS), "p", class_="todo__title") == ["Julemarked"]
    assert texts(staff_a.get(HEAD_COUNTS), "p", class_="todo__title") == []
    assert texts(signed_in(users["office"]).get(HEAD_COUNTS), "p", class_="todo__title") == ["Julemarked"]


def test_a_head_count_is_saved_and_leaves_the_to_do_list(users, world):
    client = signed_in(users["staff_b"])

    response = client.post(f"{HEAD_COUNTS}julemarked/", {"visits": "1250", "note": "Counted at both gates"})

    assert (response.status_code, response["Location"]) == (302, HEAD_COUNTS)
    saved = VisitFigure.objects.get(event=world.market)
    assert (saved.source, saved.quality, saved.visits, saved.venue, saved.entered_by) == (
        "head_count",
        "estimated",
        1250,
        world.toldkammeret,
        users["staff_b"],
    )
    assert (saved.period_start, saved.period_end, saved.note) == (at(12, 5, 10), at(12, 5, 16), "Counted at both gates")
    listing = client.get(HEAD_COUNTS)
    assert texts(listing, "p", class_="todo__title") == []
    assert "Saved: the head count of Julemarked is 1,250." in html(listing)


@pytest.mark.parametrize(
    ("visits", "message"),
    [
        ("", "Enter the number of people counted."),
        ("many", "Enter a whole number, for example 120."),
        ("-5", "The number cannot be negative."),
        ("10000001", "The number is too large: at most 10000000."),
    ],
)
def test_a_bad_number_is_shown_next_to_the_field_and_nothing_is_saved(users, world, visits, message):
    client = signed_in(users["staff_b"])

    response = client.post(f"{HEAD_COUNTS}julemarked/", {"visits": visits})

    assert response.status_code == 400
    assert texts(response, "p", class_="field__error") == [f"Error: {message}"]
    (field,) = elements(response, "input", name="visits")
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == "id_visits-hint id_visits-error"
    assert texts(response, "title")[0].startswith("Error:")
    assert not VisitFigure.objects.filter(event=world.market).exists()


def test_an_event_that_has_not_started_cannot_be_counted(users, world):
    EventFactory(slug="kommende", venue=world.toldkammeret, booking_mode=BookingMode.DROP_IN)

    response = signed_in(users["staff_b"]).post(f"{HEAD_COUNTS}kommende/", {"visits": "10"})

    assert response.status_code == 400
    assert "Visits cannot be counted ahead of time." in html(response)
    assert not VisitFigure.objects.filter(event__slug="kommende").exists()


def test_a_correction_replaces_the_count_and_keeps_the_old_one(users, world):
    client = signed_in(users["organiser"])

    response = client.post(f"{HEAD_COUNTS}havnefest/", {"visits": "450", "note": "Recounted from photos"})

    assert response.status_code == 302
    old, new = VisitFigure.objects.filter(event=world.festival).order_by("id")
    assert (old.visits, old.replaced_by, new.visits, new.replaced_at) == (400, new, 450, None)
    form = client.get(f"{HEAD_COUNTS}havnefest/")
    assert "The current count is 450" in html(form)
    assert texts(form, "th", scope="row") == ["450", "400"]
    assert "Corrected: the head count of Havnefest is now 450." in html(client.get(HEAD_COUNTS))
