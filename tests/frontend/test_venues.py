from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventStatus
from tests.factories import EventFactory, HallFactory, VenueFactory
from tests.frontend.pages import elements, event_titles, texts

pytestmark = pytest.mark.django_db


def soon(days: int = 1) -> dict:
    starts_at = timezone.now() + timedelta(days=days)
    return {"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2)}


def test_the_venue_list_counts_upcoming_public_events_only(client):
    # given
    harbour = VenueFactory(name="Toldkammeret", has_step_free_access=False)
    shipyard = VenueFactory(name="Kulturværftet")
    EventFactory.create_batch(2, venue=shipyard, **soon())
    EventFactory(venue=shipyard, status=EventStatus.CANCELLED, **soon())
    EventFactory(venue=shipyard, status=EventStatus.DRAFT, **soon())
    EventFactory(venue=shipyard, **soon(-10))
    EventFactory(venue=harbour, status=EventStatus.DRAFT, **soon())

    # when
    response = client.get("/en/venues/")

    # then
    assert response.status_code == 200
    assert texts(response, "h2", class_="card__title") == ["Kulturværftet", "Toldkammeret"]
    assert [text for text in texts(response, "p", class_="card__meta") if "upcoming" in text] == [
        "3 upcoming events",
        "0 upcoming events",
    ]
    assert texts(response, "li", class_="tag") == ["Step-free access"]


def test_the_venue_list_needs_few_queries(client, django_assert_max_num_queries):
    # given
    for _ in range(10):
        EventFactory(**soon())

    # when
    with django_assert_max_num_queries(1):
        response = client.get("/da/venues/")

    # then
    assert len(texts(response, "h2", class_="card__title")) == 10


def test_the_venue_page_describes_the_place(client):
    # given
    venue = VenueFactory(
        name="Kulturværftet",
        slug="kulturvaerftet",
        description_da="Kulturhuset på værftet.",
        description_en="",
        street_address="Allégade 2",
        postcode="3000",
        town="Helsingør",
        website="https://kulturvaerftet.dk",
        has_step_free_access=True,
        wheelchair_spaces=1,
        has_hearing_loop=False,
        has_accessible_toilet=True,
        accessibility_notes_en="Lift to every floor.",
    )
    HallFactory(venue=venue, name="Store Scene", seated_capacity=500, standing_capacity=1000)
    HallFactory(venue=venue, name="Lille Scene", seated_capacity=120, standing_capacity=None)

    # when
    response = client.get("/en/venues/kulturvaerftet/")

    # then
    assert response.status_code == 200
    assert texts(response, "h1") == ["Kulturværftet"]
    assert texts(response, "div", class_="prose")[0] == "Kulturhuset på værftet."  # Danish, as English is missing
    assert dict(zip(texts(response, "dt"), texts(response, "dd"), strict=True)) == {
        "Address": "Allégade 2 3000 Helsingør",
        "Coordinates": "Latitude 56.0387, longitude 12.6203 Open in OpenStreetMap",
        "Website": "https://kulturvaerftet.dk",
    }
    assert texts(response, "li", class_="fact fact--yes") == [
        "Step-free access",
        "1 wheelchair space",
        "Accessible toilet",
    ]
    assert texts(response, "li", class_="fact fact--no") == ["No hearing loop"]
    assert [link["href"] for link in elements(response, "a") if "openstreetmap" in link["href"]] == [
        "https://www.openstreetmap.org/?mlat=56.0387&mlon=12.6203#map=17/56.0387/12.6203"
    ]
    assert texts(response, "div", class_="prose prose--small") == ["Lift to every floor."]
    assert [text for text in texts(response, "li") if "Scene" in text] == [
        "Lille Scene 120 seated",
        "Store Scene 500 seated · 1000 standing",
    ]


def test_the_venue_page_lists_its_upcoming_public_events_and_its_calendar(client):
    # given
    venue = VenueFactory(slug="toldkammeret")
    EventFactory(title_da="Folkemusik", venue=venue, **soon(2))
    EventFactory(title_da="Aflyst koncert", venue=venue, status=EventStatus.CANCELLED, **soon(3))
    EventFactory(title_da="Kladde", venue=venue, status=EventStatus.DRAFT, **soon(1))
    EventFactory(title_da="Forbi", venue=venue, **soon(-5))
    EventFactory(title_da="Et andet sted", **soon(1))

    # when
    response = client.get("/da/venues/toldkammeret/")

    # then
    assert event_titles(response) == ["Folkemusik", "Aflyst koncert"]
    assert [link["href"] for link in elements(response, "a") if link["href"].startswith("webcal:")] == [
        "webcal://testserver/venues/toldkammeret/events.ics?lang=da"
    ]


def test_a_busy_venue_links_to_all_its_events(client):
    # given
    venue = VenueFactory(slug="vaerftet")
    EventFactory.create_batch(13, venue=venue, **soon())

    # when
    response = client.get("/en/venues/vaerftet/")

    # then
    assert len(event_titles(response)) == 12
    assert [link["href"] for link in elements(response, "a", class_="button button--secondary")] == [
        "/en/?venue=vaerftet"
    ]


def test_unknown_venues_give_404(client):
    assert client.get("/da/venues/findes-ikke/").status_code == 404


@pytest.mark.parametrize(
    ("spaces", "css_class", "text"),
    [
        (None, "fact fact--unknown", "Wheelchair spaces: ask the venue"),
        (0, "fact fact--no", "No reserved wheelchair spaces"),
        (3, "fact fact--yes", "3 wheelchair spaces"),
    ],
)
def test_wheelchair_spaces_unknown_none_or_some(client, spaces, css_class, text):
    VenueFactory(slug="toldkammeret", wheelchair_spaces=spaces)

    response = client.get("/en/venues/toldkammeret/")

    assert text in texts(response, "li", class_=css_class)
