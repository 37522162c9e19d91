"""The statistics API: summary, visits, figures one by one and from CSV, open data; who may do what.

The world (last year): a ticketed concert at Kulturværftet with 5 admissions (3 by residents, 2 by
Swedes), a gate counter there (120 in), a head count of a drop-in festival at Toldkammeret (400) and a
partner figure of the maritime museum (8,000): 8,525 visits. Two distinct residents booked.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api import stats
from config.i18n import LANGUAGES
from events.models import BookingMode, Event, Organiser
from tests.factories import CategoryFactory, EventFactory, OrganiserFactory, TicketTypeFactory, VenueFactory
from tests.visitor_stats.helpers import admitted, figure_over, role_users
from tickets import devices
from tickets.models import ScannerDevice
from tickets.people import assign_person_keys
from venues.models import Venue
from visitor_stats import rollup_version, rollups, tasks
from visitor_stats.figures import CSV_COLUMNS
from visitor_stats.models import Population, Source, SurveyResult, VisitFigure, YearlyGoal

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
YEAR = timezone.localdate().year - 1
SUMMARY, VISITS, COUNTS = "/api/v1/stats/summary/", "/api/v1/stats/visits/", "/api/v1/stats/counts/"
IMPORT, OPEN_DATA = "/api/v1/stats/counts/import/", "/api/v1/stats/open-data/"


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


@pytest.fixture
def world() -> World:
    kulturvaerftet = VenueFactory(slug="kulturvaerftet", name="Kulturværftet")
    toldkammeret = VenueFactory(slug="toldkammeret", name="Toldkammeret")
    museum = VenueFactory(slug="museet-for-sofart", name="M/S Museet for Søfart")
    organiser = OrganiserFactory(slug="kulturhusene", name="Kulturhusene")
    concert_category = CategoryFactory(slug="koncert", name_da="Koncert", name_en="Concert")
    family = CategoryFactory(slug="familie", name_da="Familie", name_en="Family")
    concert = EventFactory(
        slug="jazz",
        venue=kulturvaerftet,
        category=concert_category,
        organiser=organiser,
        starts_at=at(3, 14, 19),
        ends_at=at(3, 14, 21),
    )
    festival = EventFactory(
        slug="havnefest",
        venue=toldkammeret,
        category=family,
        organiser=organiser,
        booking_mode=BookingMode.DROP_IN,
        starts_at=at(6, 21, 12),
        ends_at=at(6, 21, 18),
    )
    tickets = TicketTypeFactory(event=concert, price_ore=20000)
    admitted(tickets, 2, 2, email="karen@example.dk")
    admitted(tickets, 1, 1, email="  KAREN@Example.dk ")  # the same person
    admitted(tickets, 3, 2, email="anna@example.se", is_resident=False, country="SE", postcode="25225")
    admitted(tickets, 1, 0, email="peter@example.dk")  # booked, never came: still reached
    assign_person_keys()
    figure_over(Source.GATE_COUNTER, kulturvaerftet, at(3, 3, 9), 1, 120, counter="Hovedindgang", exits=110)
    figure_over(Source.HEAD_COUNT, toldkammeret, at(6, 21, 12), 6, 400, event=festival)
    figure_over(Source.PARTNER, museum, at(7, 1, 0), 24 * 31, 8000)
    rollups.rebuild()
    return World(kulturvaerftet, toldkammeret, museum, organiser, concert, festival)


def client_with_token(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def clients(world: World) -> dict[str, APIClient]:
    """One API client per role, each signed in with a DRF token (the device with its own token)."""
    users = role_users(world.kulturvaerftet, world.toldkammeret, world.organiser)
    device = ScannerDevice.objects.create(name="Door phone")
    device.venues.add(world.kulturvaerftet)
    _, device_token = devices.register_device(code=devices.new_registration_code(device_id=device.pk))
    device_client = APIClient()
    device_client.credentials(HTTP_AUTHORIZATION=f"Device {device_token}")
    return {"anonymous": APIClient(), "device": device_client} | {
        name: client_with_token(user) for name, user in users.items()
    }


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# Who may read and write

READERS = {"anonymous": 401, "device": 401, "user": 403, "staff_a": 403, "organiser": 403, "office": 200, "admin": 200}


@pytest.mark.parametrize("url", [SUMMARY, VISITS, f"{VISITS}?format=csv"])
def test_only_the_culture_office_and_admins_read_statistics(clients, url):
    statuses = {role: clients[role].get(url).status_code for role in READERS}

    assert statuses == READERS


def test_open_data_is_for_everyone_without_signing_in(clients):
    statuses = {role: clients[role].get(f"{OPEN_DATA}?year={YEAR}").status_code for role in READERS}

    assert set(statuses.values()) == {200}


def gate_count(venue: str = "kulturvaerftet", **overrides: object) -> dict[str, object]:
    return {
        "source": "gate_counter",
        "venue": venue,
        "counter": "Hovedindgang",
        "period_start": at(4, 2, 10).isoformat(),
        "period_end": at(4, 2, 11).isoformat(),
        "visits": 37,
        "exits": 35,
    } | overrides


def head_count(event: str = "havnefest", **overrides: object) -> dict[str, object]:
    return {
        "source": "head_count",
        "event": event,
        "period_start": at(6, 21, 12).isoformat(),
        "period_end": at(6, 21, 18).isoformat(),
        "visits": 450,
    } | overrides


def partner_figure(**overrides: object) -> dict[str, object]:
    return {
        "source": "partner",
        "venue": "museet-for-sofart",
        "period_start": at(8, 1, 0).isoformat(),
        "period_end": at(9, 1, 0).isoformat(),
        "visits": 7600,
        "note": "Monthly report",
    } | overrides


# fmt: off
WRITERS = {
    #              gate counter at Kulturværftet, head count at Toldkammeret's festival, partner figure
    "anonymous":  (401, 401, 401),
    "device":     (401, 401, 401),
    "user":       (403, 403, 403),
    "staff_a":    (201, 403, 403),  # staff of Kulturværftet
    "staff_b":    (403, 201, 403),  # staff of Toldkammeret, where the festival is
    "organiser":  (403, 201, 403),  # member of the festival's organiser
    "office":     (201, 201, 201),
    "admin":      (201, 201, 201),
}
# fmt: on


def test_who_may_post_which_figures(clients):
    before = VisitFigure.objects.count()

    statuses = {
        role: tuple(
            clients[role].post(COUNTS, payload, format="json").status_code
            for payload in (gate_count(), head_count(), partner_figure())
        )
        for role in WRITERS
    }

    assert statuses == WRITERS
    accepted = sum(status == 201 for row in statuses.values() for status in row)
    assert VisitFigure.objects.count() == before + accepted


def test_a_refused_figure_changes_nothing(clients):
    before = list(VisitFigure.objects.values_list("pk", "replaced_at"))

    response = clients["staff_a"].post(COUNTS, gate_count("toldkammeret"), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert list(VisitFigure.objects.values_list("pk", "replaced_at")) == before


# Posting figures


def test_a_gate_counter_posts_ins_and_outs_with_its_token(clients, world):
    response = clients["staff_a"].post(COUNTS, gate_count(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("source", "quality", "venue", "event", "counter", "visits", "exits")} == {
        "source": "gate_counter",
        "quality": "counted",
        "venue": "kulturvaerftet",
        "event": None,
        "counter": "Hovedindgang",
        "visits": 37,
        "exits": 35,
    }
    assert (body["entered_by"], body["is_correction"], body["replaces"]) == ("staff_a", False, None)
    stored = VisitFigure.objects.get(pk=body["id"])
    assert (stored.venue, stored.visits, stored.entered_by.username) == (world.kulturvaerftet, 37, "staff_a")


def test_a_head_count_takes_its_venue_from_the_event(clients, world):
    response = clients["organiser"].post(COUNTS, head_count(visits=420), format="json")

    body = response.json()
    assert (response.status_code, body["venue"], body["event"], body["quality"]) == (
        201,
        "toldkammeret",
        "havnefest",
        "estimated",
    )


def test_posting_the_same_slot_again_is_a_correction_with_a_trace(clients):
    first = clients["staff_a"].post(COUNTS, gate_count(visits=37), format="json").json()

    response = clients["office"].post(COUNTS, gate_count(visits=41, note="Counter missed a group"), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["is_correction"] is True
    assert {key: body["replaces"][key] for key in ("id", "visits", "entered_by")} == {
        "id": first["id"],
        "visits": 37,
        "entered_by": "staff_a",
    }
    old = VisitFigure.objects.get(pk=first["id"])
    assert (old.replaced_by_id, old.replaced_at is not None, old.visits) == (body["id"], True, 37)
    rollups.refresh_changes()
    april = clients["office"].get(f"{VISITS}?year={YEAR}&source=gate_counter").json()["rows"]
    assert [(row["key"], row["visits"]) for row in april] == [(f"{YEAR}-03", 120), (f"{YEAR}-04", 41)]


def test_a_head_count_of_a_ticketed_event_is_kept_beside_the_scans_not_added(clients):
    response = clients["organiser"].post(COUNTS, head_count("jazz", visits=9, **_concert_times()), format="json")
    rollups.refresh_changes()

    assert response.status_code == 201
    assert clients["office"].get(f"{SUMMARY}?year={YEAR}").json()["visits"] == 8525


def _concert_times() -> dict[str, str]:
    return {"period_start": at(3, 14, 19).isoformat(), "period_end": at(3, 14, 21).isoformat()}


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        (gate_count(visits=-1), "invalid_input", "visits"),
        (gate_count(exits=-3), "invalid_input", "exits"),
        (gate_count(visits="many"), "invalid_input", "visits"),
        (gate_count(visits=10**12), "invalid_input", "visits"),
        (gate_count("nowhere"), "invalid_input", "venue"),
        (head_count("no-such-event"), "invalid_input", "event"),
        (gate_count(period_start="yesterday"), "invalid_input", "period_start"),
        (gate_count(origin="martian"), "invalid_input", "origin"),
        (gate_count(period_end=at(4, 2, 9).isoformat()), "figure_rejected", None),
        (gate_count(period_end=at(4, 2, 10).isoformat()), "figure_rejected", None),
        (gate_count(counter=""), "figure_rejected", None),
        (gate_count(source="ticket_scans"), "figure_rejected", None),
        (head_count(event=None, venue="toldkammeret"), "figure_rejected", None),
        (head_count(venue="kulturvaerftet"), "figure_rejected", None),
        (
            gate_count(period_start="2000-01-01T00:00:00+01:00", period_end="2000-01-01T02:00:00+01:00"),
            "figure_rejected",
            None,
        ),
        (
            gate_count(
                period_start=(timezone.now() + timedelta(days=1)).isoformat(),
                period_end=(timezone.now() + timedelta(days=2)).isoformat(),
            ),
            "figure_rejected",
            None,
        ),
    ],
)
def test_bad_figures_are_400_with_a_code_and_change_nothing(clients, payload, code, field):
    payload = {key: value for key, value in payload.items() if value is not None}
    before = VisitFigure.objects.count()

    response = clients["admin"].post(COUNTS, payload, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    if field:
        assert list(response.json()["errors"]) == [field]
    assert VisitFigure.objects.count() == before


# Importing figures from CSV


def csv_file(*rows: dict[str, object]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def row(**values: object) -> dict[str, object]:
    return {
        "source": "gate_counter",
        "venue": "kulturvaerftet",
        "counter": "Hovedindgang",
        "period_start": at(5, 6, 10).isoformat(),
        "period_end": at(5, 6, 11).isoformat(),
        "visits": 12,
        "exits": 11,
    } | values


def test_a_csv_file_is_imported_as_an_upload(clients):
    text = csv_file(row(), row(period_start=at(5, 6, 11).isoformat(), period_end=at(5, 6, 12).isoformat(), visits=30))
    upload = SimpleUploadedFile("counts.csv", text.encode(), content_type="text/csv")

    response = clients["staff_a"].post(IMPORT, {"file": upload}, format="multipart")

    assert (response.status_code, response.json()) == (201, {"imported": 2})
    assert sorted(VisitFigure.objects.filter(period_start__month=5).values_list("visits", flat=True)) == [12, 30]


def test_a_csv_file_is_imported_as_the_request_body_and_a_repeated_row_corrects(clients):
    clients["office"].post(IMPORT, csv_file(row(visits=12)), content_type="text/csv")

    response = clients["office"].post(IMPORT, "\ufeff" + csv_file(row(visits=14)), content_type="text/csv")

    assert (response.status_code, response.json()) == (201, {"imported": 1})
    may = VisitFigure.objects.filter(period_start__month=5)
    assert list(may.filter(replaced_at__isnull=True).values_list("visits", flat=True)) == [14]
    assert list(may.filter(replaced_at__isnull=False).values_list("visits", flat=True)) == [12]


def test_a_file_with_errors_imports_nothing_and_names_each_row(clients):
    text = csv_file(
        row(),  # line 2: fine
        row(venue="toldkammeret"),  # line 3: not this user's venue
        row(visits="-5"),  # line 4
        row(venue="nowhere"),  # line 5
        row(period_end=at(5, 6, 9).isoformat()),  # line 6: ends before it starts
        row(period_start="6 May", period_end="7 May"),  # line 7
        row(),  # line 8: the same slot as line 2
    )
    before = VisitFigure.objects.count()

    response = clients["staff_a"].post(IMPORT, text, content_type="text/csv")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["imported"]) == ("import_rejected", 0)
    assert [error["row"] for error in body["row_errors"]] == [3, 4, 5, 6, 7, 8]
    assert all(error["message"] for error in body["row_errors"])
    assert VisitFigure.objects.count() == before


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        ("", "text/csv", "invalid_input"),
        ("source,venue\r\n", "text/csv", "import_rejected"),
        ("visits\r\n1\r\n".encode("utf-16"), "text/csv", "parse_error"),
        ({}, "multipart/form-data", "invalid_input"),
    ],
)
def test_an_unusable_file_is_400(clients, body, content_type, code):
    if content_type == "multipart/form-data":
        response = clients["office"].post(IMPORT, body, format="multipart")
    else:
        response = clients["office"].post(IMPORT, body, content_type=content_type)

    assert (response.status_code, response.json()["code"]) == (400, code)


def test_only_people_who_may_enter_figures_may_import(clients):
    text = csv_file(row())

    statuses = {role: clients[role].post(IMPORT, text, content_type="text/csv").status_code for role in WRITERS}

    assert statuses == {
        "anonymous": 401,
        "device": 401,
        "user": 403,
        "staff_a": 201,
        "staff_b": 400,  # allowed to enter figures, but not for Kulturværftet: a row error
        "organiser": 400,
        "office": 201,
        "admin": 201,
    }


# The summary


def test_the_summary_names_visits_goal_forecast_and_both_resident_shares(clients, world):
    YearlyGoal.objects.create(year=YEAR, visitors=10_000)
    Population.objects.all().delete()  # the 2024 figure a migration adds
    Population.objects.create(year=YEAR - 1, residents=40, source="Danmarks Statistik")
    SurveyResult.objects.create(year=YEAR, share=Decimal("71.50"), sample_size=1012, source="Borgerpanel")

    body = clients["office"].get(f"{SUMMARY}?year={YEAR}&lang=en").json()

    assert (body["year"], body["as_of"], body["visits"]) == (YEAR, f"{YEAR}-12-31", 8525)
    assert [(row["source"], row["quality"], row["visits"]) for row in body["visits_by_source"]] == [
        ("ticket_scans", "counted", 5),
        ("gate_counter", "counted", 120),
        ("head_count", "estimated", 400),
        ("partner", "reported", 8000),
    ]
    assert body["goal"] == {"visitors": 10000, "resident_share": "80.00"}
    assert (body["progress_percent"], body["target_to_date"]) == ("85.3", 10000)
    assert (body["forecast"]["visits"], body["forecast"]["method"]) == (8525, "even")
    assert body["target_curve"]["method"] == "even"
    march = body["target_curve"]["months"][2]
    assert march == {
        "month": 3,
        "label": "March",
        "visits": 125,
        "cumulative_visits": 125,
        "cumulative_target": round(10000 * (31 + 28 + 31 + (YEAR % 4 == 0)) / (365 + (YEAR % 4 == 0))),
    }
    assert [month["cumulative_visits"] for month in body["target_curve"]["months"]][-1] == 8525
    assert body["unique_residents"] == 2  # Karen twice, Peter once; the Swede is not a resident
    assert body["population"] == {"residents": 40, "year": YEAR - 1, "source": "Danmarks Statistik"}
    lower_bound = body["resident_share_lower_bound"]
    assert {key: lower_bound[key] for key in ("percent", "unique_residents", "population", "population_year")} == {
        "percent": "5.0",
        "unique_residents": 2,
        "population": 40,
        "population_year": YEAR - 1,
    }
    assert lower_bound["description"] and lower_bound["description"] != body["resident_share_survey"]["description"]
    survey = body["resident_share_survey"]
    assert {key: survey[key] for key in ("percent", "year", "sample_size", "source")} == {
        "percent": "71.50",
        "year": YEAR,
        "sample_size": 1012,
        "source": "Borgerpanel",
    }
    assert body["rollups_refreshed_until"] is not None


def test_a_summary_without_population_or_survey_says_so_and_uses_the_default_goal(clients, world):
    Population.objects.all().delete()

    body = clients["admin"].get(f"{SUMMARY}?year={YEAR}").json()

    assert (body["population"], body["resident_share_survey"]) == (None, None)
    assert body["resident_share_lower_bound"]["percent"] is None
    assert body["goal"] == {"visitors": 1_600_000, "resident_share": "80.00"}
    assert body["progress_percent"] == "0.5"


def test_the_summary_follows_last_years_monthly_shape_when_there_is_one(clients, world):
    for month in range(1, 13):
        figure_over(
            Source.PARTNER, world.museum, datetime(YEAR - 1, month, 1, tzinfo=CPH), 24, 1000 * (2 if month == 7 else 1)
        )
    rollups.rebuild()

    body = clients["office"].get(f"{SUMMARY}?year={YEAR}").json()

    assert (body["target_curve"]["method"], body["forecast"]["method"]) == ("previous_year", "previous_year")
    assert body["target_curve"]["months"][0]["cumulative_target"] == round(1_600_000 / 13)


def test_the_summary_defaults_to_this_year(clients, world):
    body = clients["office"].get(SUMMARY).json()

    assert (body["year"], body["visits"]) == (timezone.localdate().year, 0)


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "2025.5"])
def test_a_bad_year_is_400(clients, world, year):
    for url in (SUMMARY, VISITS, OPEN_DATA):
        response = clients["office"].get(f"{url}?year={year}")

        assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
            400,
            "invalid_input",
            ["year"],
        )


# Visits for charts and exports


def visit_rows(response) -> list[tuple[object, ...]]:
    return [(row["key"], row["label"], row["source"], row["visits"]) for row in response.json()["rows"]]


def test_visits_by_month_carry_month_names_in_the_request_language(clients):
    english = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=month&lang=en")
    danish = clients["office"].get(f"{VISITS}?year={YEAR}", HTTP_ACCEPT_LANGUAGE="da")

    assert visit_rows(english) == [
        (f"{YEAR}-03", "March", "gate_counter", 120),
        (f"{YEAR}-03", "March", "ticket_scans", 5),
        (f"{YEAR}-06", "June", "head_count", 400),
        (f"{YEAR}-07", "July", "partner", 8000),
    ]
    assert [row["label"] for row in danish.json()["rows"]] == ["marts", "marts", "juni", "juli"]
    assert (danish["Content-Language"], english.json()["total"]) == ("da", 8525)
    assert english.json()["rows"][0]["source_label"] == "Gate counters"
    assert english.json()["rows"][0]["quality"] == "counted"


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        (
            "venue",
            [
                ("kulturvaerftet", "Kulturværftet", "gate_counter", 120),
                ("kulturvaerftet", "Kulturværftet", "ticket_scans", 5),
                ("toldkammeret", "Toldkammeret", "head_count", 400),
                ("museet-for-sofart", "M/S Museet for Søfart", "partner", 8000),
            ],
        ),
        (
            "category",
            [
                ("koncert", "Concert", "ticket_scans", 5),
                ("familie", "Family", "head_count", 400),
                (None, "Without category", "gate_counter", 120),
                (None, "Without category", "partner", 8000),
            ],
        ),
        (
            "source",
            [
                ("gate_counter", "Gate counters", "gate_counter", 120),
                ("head_count", "Head counts", "head_count", 400),
                ("partner", "Partner figures", "partner", 8000),
                ("ticket_scans", "Ticket scans", "ticket_scans", 5),
            ],
        ),
        (
            "origin",
            [
                ("resident", "Residents of Helsingør Kommune", "ticket_scans", 3),
                ("swedish", "Swedish", "ticket_scans", 2),
                ("unknown", "Unknown", "gate_counter", 120),
                ("unknown", "Unknown", "head_count", 400),
                ("unknown", "Unknown", "partner", 8000),
            ],
        ),
    ],
)
def test_visits_grouped_with_labels_beside_keys(clients, group_by, expected):
    response = clients["office"].get(f"{VISITS}?year={YEAR}&group_by={group_by}&lang=en")

    assert response.status_code == 200
    assert visit_rows(response) == expected


@pytest.mark.parametrize(
    ("filters", "total"),
    [
        ("venue=kulturvaerftet", 125),
        ("category=koncert", 5),
        ("source=partner", 8000),
        ("venue=kulturvaerftet&source=gate_counter", 120),
        ("venue=toldkammeret&category=koncert", 0),
    ],
)
def test_visits_filtered_by_venue_category_and_source(clients, filters, total):
    body = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=venue&{filters}").json()

    assert body["total"] == sum(row["visits"] for row in body["rows"]) == total


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("group_by=week", "group_by"),
        ("venue=nowhere", "venue"),
        ("category=nothing", "category"),
        ("source=cash", "source"),
        ("lang=fr", "lang"),
    ],
)
def test_bad_visit_queries_are_400_with_the_field(clients, query, field):
    response = clients["office"].get(f"{VISITS}?year={YEAR}&{query}")

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400,
        "invalid_input",
        [field],
    )


def test_visits_as_csv_by_format_or_accept_header(clients):
    by_format = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=venue&format=csv&lang=en")
    by_accept = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=venue&lang=en", HTTP_ACCEPT="text/csv")

    assert by_format["Content-Type"] == "text/csv; charset=utf-8"
    assert by_format["Content-Disposition"] == f'attachment; filename="visits-{YEAR}-venue.csv"'
    assert by_format.content == by_accept.content
    assert csv_rows(by_format) == [
        ["key", "label", "source", "source_label", "quality", "visits"],
        ["kulturvaerftet", "Kulturværftet", "gate_counter", "Gate counters", "counted", "120"],
        ["kulturvaerftet", "Kulturværftet", "ticket_scans", "Ticket scans", "counted", "5"],
        ["toldkammeret", "Toldkammeret", "head_count", "Head counts", "estimated", "400"],
        ["museet-for-sofart", "M/S Museet for Søfart", "partner", "Partner figures", "reported", "8000"],
    ]


def test_a_bad_csv_request_answers_in_json(clients):
    response = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=week&format=csv&lang=en")

    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json()["errors"] == {"group_by": ['"week" is not a valid choice.']}


def test_csv_cells_cannot_become_spreadsheet_formulas(clients, world):
    Venue.objects.filter(pk=world.museum.pk).update(name="=HYPERLINK(1)")

    rows = csv_rows(clients["office"].get(f"{VISITS}?year={YEAR}&group_by=venue&format=csv"))

    assert rows[-1][1] == "'=HYPERLINK(1)"


# Open data


def test_open_data_suppresses_every_cell_under_five_people(api_client, world):
    response = api_client.get(f"{OPEN_DATA}?year={YEAR}&lang=en")

    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["small_cell_limit"]) == (YEAR, 5)
    assert [(row["month"], row["venue"], row["origin"], row["visits"]) for row in body["rows"]] == [
        (3, "kulturvaerftet", "resident", None),  # 3 people
        (3, "kulturvaerftet", "swedish", None),  # 2 people
        (3, "kulturvaerftet", "unknown", 120),
        (6, "toldkammeret", "unknown", 400),
        (7, "museet-for-sofart", "unknown", 8000),
    ]
    assert body["rows"][0] | {"visits": None} == {
        "month": 3,
        "month_label": "March",
        "venue": "kulturvaerftet",
        "venue_name": "Kulturværftet",
        "origin": "resident",
        "origin_label": "Residents of Helsingør Kommune",
        "visits": None,
    }
    assert "public" in response["Cache-Control"]


def test_open_data_as_csv_leaves_suppressed_cells_empty(api_client, world):
    response = api_client.get(f"{OPEN_DATA}?year={YEAR}&format=csv&lang=en")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="culture-visits-{YEAR}.csv"'
    assert csv_rows(response)[:3] == [
        ["month", "month_label", "venue", "venue_name", "origin", "origin_label", "visits"],
        ["3", "March", "kulturvaerftet", "Kulturværftet", "resident", "Residents of Helsingør Kommune", ""],
        ["3", "March", "kulturvaerftet", "Kulturværftet", "swedish", "Swedish", ""],
    ]


def test_open_data_of_a_year_without_visits_is_empty(api_client, world):
    assert api_client.get(f"{OPEN_DATA}?year={YEAR - 3}").json()["rows"] == []


# Caching


def test_answers_are_cached_until_the_rollups_are_refreshed(clients, world):
    office = clients["office"]
    assert office.get(f"{SUMMARY}?year={YEAR}").json()["visits"] == 8525
    figure_over(Source.GATE_COUNTER, world.kulturvaerftet, at(9, 1, 10), 1, 10, counter="Hovedindgang")

    cached = {
        "summary": office.get(f"{SUMMARY}?year={YEAR}").json()["visits"],
        "visits": office.get(f"{VISITS}?year={YEAR}").json()["total"],
    }
    rollups.refresh_changes()
    fresh = {
        "summary": office.get(f"{SUMMARY}?year={YEAR}").json()["visits"],
        "visits": office.get(f"{VISITS}?year={YEAR}").json()["total"],
    }

    assert cached == {"summary": 8525, "visits": 8525}
    assert fresh == {"summary": 8535, "visits": 8535}


def test_open_data_shows_a_rebuilt_rollup_at_once(api_client, world):
    def cell(month: int) -> list[object]:
        rows = api_client.get(f"{OPEN_DATA}?year={YEAR}").json()["rows"]
        return [row["visits"] for row in rows if row["month"] == month]

    assert cell(9) == []
    figure_over(Source.GATE_COUNTER, world.kulturvaerftet, at(9, 1, 10), 1, 10, counter="Hovedindgang")
    assert cell(9) == []

    rollups.rebuild()

    assert cell(9) == [10]


def test_a_cached_answer_reads_only_who_is_asking(clients, django_assert_num_queries):
    office = clients["office"]
    first = office.get(f"{VISITS}?year={YEAR}&group_by=venue")

    with django_assert_num_queries(2):  # the token with its user; the culture office permission
        again = office.get(f"{VISITS}?year={YEAR}&group_by=venue")
    clients["anonymous"].get(f"{OPEN_DATA}?year={YEAR}")
    with django_assert_num_queries(0):
        clients["anonymous"].get(f"{OPEN_DATA}?year={YEAR}")

    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"


def test_a_cached_answer_is_still_refused_to_those_who_may_not_read_it(clients):
    assert clients["office"].get(f"{SUMMARY}?year={YEAR}").status_code == 200

    statuses = {role: clients[role].get(f"{SUMMARY}?year={YEAR}").status_code for role in READERS}

    assert statuses == READERS


def test_a_committed_refresh_is_seen_at_once(clients, world, django_capture_on_commit_callbacks):
    office = clients["office"]
    before = office.get(f"{VISITS}?year={YEAR}").json()["total"]
    old_version = rollup_version.current()
    figure_over(Source.GATE_COUNTER, world.kulturvaerftet, at(9, 1, 10), 1, 10, counter="Hovedindgang")

    with django_capture_on_commit_callbacks(execute=True):
        rollups.refresh_changes()

    assert (before, office.get(f"{VISITS}?year={YEAR}").json()["total"]) == (8525, 8535)
    assert cache.get(rollup_version.KEY) not in (None, old_version)


def test_the_refresh_task_computes_this_years_answers_ahead(
    clients, world, django_capture_on_commit_callbacks, monkeypatch
):
    figure_over(Source.GATE_COUNTER, world.kulturvaerftet, timezone.now() - timedelta(hours=1), 1, 10, counter="Hal")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.refresh_rollups.delay()

    def never(*_args: object) -> None:
        raise AssertionError("computed while a person waited")

    monkeypatch.setattr(stats, "summary_data", never)
    monkeypatch.setattr(stats, "visits_data", never)
    summaries = {language: clients["office"].get(f"{SUMMARY}?lang={language}").json() for language in LANGUAGES}
    by_venue = clients["office"].get(f"{VISITS}?group_by=venue").json()

    assert {summary["visits"] for summary in summaries.values()} == {10}
    assert [(row["key"], row["visits"]) for row in by_venue["rows"]] == [("kulturvaerftet", 10)]


def test_answers_of_other_years_are_still_computed_when_asked(clients, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.refresh_rollups.delay()

    assert clients["office"].get(f"{SUMMARY}?year={YEAR}").json()["visits"] == 8525


def test_csv_answers_are_cached_apart_from_json(clients):
    as_json = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=source")
    as_csv = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=source&format=csv")
    json_again = clients["office"].get(f"{VISITS}?year={YEAR}&group_by=source")

    assert as_csv["Content-Type"].startswith("text/csv")
    assert csv_rows(as_csv)[0] == ["key", "label", "source", "source_label", "quality", "visits"]
    assert json_again.content == as_json.content


def test_languages_are_cached_apart(clients):
    english = clients["office"].get(f"{VISITS}?year={YEAR}&lang=en").json()["rows"][0]["label"]
    german = clients["office"].get(f"{VISITS}?year={YEAR}&lang=de").json()["rows"][0]["label"]

    assert (english, german) == ("March", "März")
