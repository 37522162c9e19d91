from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventStatus
from tests.factories import CategoryFactory, EventFactory, VenueFactory
from tests.frontend.pages import elements, event_titles, local, texts

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dict:
    starts_at = timezone.now() + timedelta(days=days)
    return {"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2)}


def test_the_list_shows_upcoming_public_events_in_start_order(client):
    # given
    EventFactory(title_da="Senere", **in_days(3))
    EventFactory(title_da="Snart", **in_days(1))
    EventFactory(title_da="Aflyst", status=EventStatus.CANCELLED, **in_days(2))
    EventFactory(title_da="Kladde", status=EventStatus.DRAFT, **in_days(1))
    EventFactory(title_da="Forbi", **in_days(-3))

    # when
    response = client.get("/da/")

    # then
    assert response.status_code == 200
    assert event_titles(response) == ["Snart", "Aflyst", "Senere"]


def test_drafts_are_never_listed_whatever_the_filters(client):
    # given
    venue = VenueFactory()
    EventFactory(title_da="Kladde", venue=venue, status=EventStatus.DRAFT, is_free=True)

    # when
    response = client.get("/da/", {"venue": venue.slug, "is_free": "true", "q": "Kladde", "status": "published"})

    # then
    assert response.status_code == 200
    assert event_titles(response) == []


def test_filter_by_venue(client):
    # given
    harbour, castle = VenueFactory(slug="havnen"), VenueFactory(slug="slottet")
    EventFactory(title_da="På havnen", venue=harbour)
    EventFactory(title_da="På slottet", venue=castle)

    # when
    response = client.get("/da/", {"venue": "havnen"})

    # then
    assert event_titles(response) == ["På havnen"]
    assert "selected" in elements(response, "option", value="havnen")[0]


def test_filter_by_category(client):
    # given
    music, talks = CategoryFactory(slug="musik"), CategoryFactory(slug="foredrag")
    EventFactory(title_da="Koncert", category=music)
    EventFactory(title_da="Foredrag", category=talks)

    # when
    response = client.get("/da/", {"category": "foredrag"})

    # then
    assert event_titles(response) == ["Foredrag"]


def test_filter_free_events(client):
    # given
    EventFactory(title_da="Gratis", is_free=True, **in_days(1))
    EventFactory(title_da="Med billet", is_free=False, **in_days(2))

    # when
    response = client.get("/da/", {"is_free": "true"})

    # then
    assert event_titles(response) == ["Gratis"]
    assert "checked" in elements(response, "input", id="filter-is_free")[0]


def test_filter_events_with_step_free_access(client):
    # given
    EventFactory(title_da="Niveaufri", venue=VenueFactory(has_step_free_access=True), **in_days(1))
    EventFactory(title_da="Trapper", venue=VenueFactory(has_step_free_access=False), **in_days(2))

    # when
    response = client.get("/da/", {"accessible": "true"})

    # then
    assert event_titles(response) == ["Niveaufri"]


def test_free_text_search_looks_at_the_page_language_and_falls_back_to_danish(client):
    # given
    EventFactory(title_da="Jazz på havnen", title_en="Jazz by the harbour", **in_days(1))
    EventFactory(title_da="Havnerundfart", title_en="", **in_days(2))
    EventFactory(title_da="Orgelkoncert", **in_days(3))

    # when
    english = client.get("/en/", {"q": "harbour"})
    untranslated = client.get("/en/", {"q": "rundfart"})
    danish = client.get("/da/", {"q": "havn"})

    # then
    assert event_titles(english) == ["Jazz by the harbour"]
    assert event_titles(untranslated) == ["Havnerundfart"]
    assert event_titles(danish) == ["Jazz på havnen", "Havnerundfart"]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("today", ["Exhibition", "Tonight"]),
        ("weekend", ["Exhibition", "Friday night", "Sunday matinee"]),
        ("week", ["Exhibition", "Tonight", "Friday afternoon", "Friday night", "Sunday matinee", "Next Tuesday"]),
        (
            "",
            [
                "Exhibition",
                "Tonight",
                "Friday afternoon",
                "Friday night",
                "Sunday matinee",
                "Next Tuesday",
                "Next Wednesday",
            ],
        ),
    ],
)
def test_date_quick_picks(client, freeze_now, when, expected):
    # given it is Wednesday 2 December 2026, 10:00 in Helsingør
    freeze_now(local(2026, 12, 2, 10, 0))
    for title, starts_at in [
        ("This morning", local(2026, 12, 2, 8, 0)),
        ("Tonight", local(2026, 12, 2, 19, 0)),
        ("Friday afternoon", local(2026, 12, 4, 15, 0)),
        ("Friday night", local(2026, 12, 4, 19, 0)),
        ("Sunday matinee", local(2026, 12, 6, 14, 0)),
        ("Next Tuesday", local(2026, 12, 8, 20, 0)),
        ("Next Wednesday", local(2026, 12, 9, 10, 0)),
    ]:
        EventFactory(title_da=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    # and an exhibition that opened last month and runs into January is on every day
    EventFactory(title_da="Exhibition", starts_at=local(2026, 11, 1, 10, 0), ends_at=local(2027, 1, 31, 17, 0))

    # when
    response = client.get("/da/", {"when": when})

    # then
    assert response.status_code == 200
    assert event_titles(response) == expected
    assert [radio["value"] for radio in elements(response, "input", name="when") if "checked" in radio] == [when]


def test_pages_have_a_stable_order_and_keep_the_filters(client):
    # given 30 events starting at the same moment
    venue = VenueFactory(slug="vaerftet")
    starts_at = timezone.now() + timedelta(days=2)
    events = EventFactory.create_batch(30, venue=venue, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))

    # when
    first = client.get("/da/", {"venue": "vaerftet"})
    second = client.get("/da/", {"venue": "vaerftet", "page": "2"})

    # then
    assert event_titles(first) + event_titles(second) == [event.title_da for event in events]
    assert len(event_titles(first)) == 24
    assert [link["href"] for link in elements(first, "a", rel="next")] == ["?venue=vaerftet&page=2"]


def test_an_empty_result_says_so(client):
    # given
    EventFactory(title_da="Koncert")

    # when
    response = client.get("/en/", {"q": "opera"})

    # then
    assert response.status_code == 200
    assert event_titles(response) == []
    assert texts(response, "div", class_="empty-state")[0] == (
        "No events match your search Try another date, remove a filter or search for something else. "
        "Show all upcoming events"
    )


def test_empty_parameters_are_the_same_as_none(client):
    # given
    EventFactory(title_da="Koncert")

    # when
    response = client.get("/da/", {"venue": "", "category": "", "is_free": "", "accessible": "", "q": "", "when": ""})

    # then
    assert response.status_code == 200
    assert event_titles(response) == ["Koncert"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"venue": "nowhere"}, "Venue: Select a valid choice. nowhere is not one of the available choices."),
        ({"category": "nothing"}, "Category: Select a valid choice. nothing is not one of the available choices."),
        ({"is_free": "maybe"}, "Free admission: Select a valid choice. maybe is not one of the available choices."),
        ({"accessible": "yes"}, "Step-free access: Select a valid choice. yes is not one of the available choices."),
        ({"when": "someday"}, "When: Choose one of: Today, This weekend, Next 7 days."),
        (
            {"starts_after": "soon"},
            "Starts after: Enter an ISO 8601 date or date-time, e.g. 2026-12-01T18:00+01:00.",
        ),
        (
            {"starts_before": "99999-01-01"},
            "Starts before: Enter an ISO 8601 date or date-time, e.g. 2026-12-01T18:00+01:00.",
        ),
        ({"q": "x" * 201}, "Search: Ensure this value has at most 200 characters (it has 201)."),
        ({"organiser": "ghost"}, "Organiser: Select a valid choice. ghost is not one of the available choices."),
        ({"booking_mode": "vip"}, "Booking: Select a valid choice. vip is not one of the available choices."),
        ({"ordering": "title"}, "Sort order: Select a valid choice. title is not one of the available choices."),
    ],
)
def test_bad_filter_values_give_400_with_the_errors_shown(client, params, message):
    # given
    EventFactory(title_da="Koncert")

    # when
    response = client.get("/en/", params)

    # then
    assert response.status_code == 400
    assert texts(response, "div", class_="error-summary") == [f"Some filters could not be used {message}"]
    assert event_titles(response) == []


def test_a_bad_filter_marks_its_control_invalid_and_links_to_it(client):
    # when
    response = client.get("/en/", {"venue": "nowhere", "q": "jazz"})

    # then
    assert elements(response, "select", id="filter-venue")[0]["aria-invalid"] == "true"
    assert "aria-invalid" not in elements(response, "input", id="filter-q")[0]
    assert [link["href"] for link in elements(response, "a") if link["href"].startswith("#filter-")] == [
        "#filter-venue"
    ]


@pytest.mark.parametrize(
    "name", ["q", "venue", "category", "organiser", "starts_after", "when", "is_free", "status", "ordering"]
)
def test_null_characters_are_bad_input_not_a_database_error(client, name):
    # when
    response = client.get("/da/", {name: "a\x00b"})

    # then
    assert response.status_code == 400
    assert event_titles(response) == []


def test_there_is_nothing_to_subscribe_to_while_the_filters_are_wrong(client):
    # when
    response = client.get("/da/", {"venue": "nowhere"})

    # then
    assert [link for link in elements(response, "a") if link["href"].startswith("webcal:")] == []


def test_a_subscription_keeps_every_chosen_venue(client):
    # given
    VenueFactory(slug="havnen")
    VenueFactory(slug="slottet")

    # when
    response = client.get("/en/", {"venue": ["havnen", "slottet"]})

    # then
    assert [link["href"] for link in elements(response, "a") if link["href"].startswith("webcal:")] == [
        "webcal://testserver/events.ics?venue=havnen&venue=slottet&lang=en"
    ]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "99999999999999999999999"])
def test_odd_page_numbers_show_a_page_rather_than_an_error(client, page):
    # given
    EventFactory(title_da="Koncert")

    # when
    response = client.get("/da/", {"page": page})

    # then
    assert response.status_code == 200
    assert event_titles(response) == ["Koncert"]


def test_the_list_page_needs_as_many_queries_for_many_events_as_for_few(client, django_assert_max_num_queries):
    # given
    EventFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/da/")
    EventFactory.create_batch(28)

    # when
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as many:
        response = client.get("/da/")

    # then
    assert len(event_titles(response)) == 24
    assert len(many) == len(few)


def test_the_list_links_a_calendar_subscription_for_the_chosen_filters(client):
    # given
    VenueFactory(slug="havnen")

    # when
    response = client.get("/en/", {"venue": "havnen", "when": "week", "is_free": "true"})

    # then
    assert [link["href"] for link in elements(response, "a") if link["href"].startswith("webcal:")] == [
        "webcal://testserver/events.ics?venue=havnen&is_free=true&lang=en"
    ]


def test_the_form_keeps_filters_it_has_no_control_for(client):
    # given
    EventFactory(title_da="Bibliotekets aften", organiser__slug="bibliotekerne")

    # when
    response = client.get("/da/", {"organiser": "bibliotekerne"})

    # then
    assert event_titles(response) == ["Bibliotekets aften"]
    assert [(field["name"], field["value"]) for field in elements(response, "input", type="hidden")] == [
        ("organiser", "bibliotekerne")
    ]


def test_a_running_exhibition_shows_when_it_ends(client, freeze_now):
    # given an exhibition that opened last month and runs into January
    freeze_now(local(2026, 12, 2, 10, 0))
    EventFactory(title_da="Skibe og søfolk", starts_at=local(2026, 11, 9, 10, 0), ends_at=local(2027, 1, 31, 17, 0))
    EventFactory(title_da="Heldagsværksted", starts_at=local(2026, 12, 2, 9, 0), ends_at=local(2026, 12, 2, 23, 0))

    # when
    response = client.get("/da/")

    # then
    assert texts(response, "p", class_="card__meta card__meta--when") == [
        "Nu, indtil søndag 31. januar 2027",
        "onsdag 2. december, 09:00",
    ]
    assert texts(response, "p", class_="date-badge") == ["til 31 jan", "2 dec"]
