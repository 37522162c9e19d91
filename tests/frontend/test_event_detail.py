from datetime import timedelta

import pytest

from events.models import BookingMode, EventStatus
from tests.factories import CategoryFactory, EventFactory, HallFactory, OrganiserFactory, VenueFactory
from tests.frontend.pages import elements, html, json_ld, local, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def concert():
    """A free Saturday concert at Kulturværftet's big stage, in English."""
    venue = VenueFactory(
        name="Kulturværftet",
        slug="kulturvaerftet",
        street_address="Allégade 2",
        postcode="3000",
        town="Helsingør",
        has_step_free_access=True,
        wheelchair_spaces=8,
        has_hearing_loop=True,
        has_accessible_toilet=False,
        accessibility_notes_da="Elevator til alle etager.",
    )
    starts_at = local(2026, 12, 5, 19, 30)
    return EventFactory(
        slug="jazz-paa-havnen",
        title_da="Jazz på havnen",
        title_en="Jazz by the harbour",
        summary_da="En aften med jazz.",
        summary_en="An evening of jazz.",
        description_da="Første afsnit.\n\nAndet afsnit.",
        description_en="First paragraph.\n\nSecond paragraph.",
        image="events/jazz.jpg",
        image_alt_da="Kvartet på scenen",
        image_alt_en="Quartet on stage",
        accessibility_notes_en="Sign language on request.",
        venue=venue,
        hall=HallFactory(venue=venue, name="Store Scene"),
        category=CategoryFactory(slug="musik", name_da="Musik", name_en="Music"),
        organiser=OrganiserFactory(name="Kulturværftet", slug="kv", website="https://kulturvaerftet.dk"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        doors_open_at=starts_at - timedelta(minutes=30),
        age_limit=12,
        performance_language="en",
        booking_mode=BookingMode.FREE_REGISTRATION,
        is_free=True,
    )


def test_the_event_page_shows_what_a_visitor_needs(client, freeze_now, concert):
    # given
    freeze_now(local(2026, 11, 30, 12, 0))

    # when
    response = client.get("/en/events/jazz-paa-havnen/")

    # then
    assert response.status_code == 200
    assert texts(response, "h1") == ["Jazz by the harbour"]
    assert texts(response, "p", class_="event-hero__when") == ["Saturday 5 December 2026, 19:30"]
    assert texts(response, "p", class_="event-hero__where") == ["Kulturværftet, Store Scene"]
    assert texts(response, "p", class_="lead") == ["An evening of jazz."]
    assert texts(response, "div", class_="prose")[0] == "First paragraph. Second paragraph."
    assert "<p>First paragraph.</p>\n\n<p>Second paragraph.</p>" in html(response)
    assert [(image["src"], image["alt"]) for image in elements(response, "img")] == [
        ("/media/events/jazz.jpg", "Quartet on stage")
    ]
    assert dict(zip(texts(response, "dt"), texts(response, "dd"), strict=True)) == {
        "When": "Saturday 5 December 2026 19:30–21:30",
        "Doors open": "19:00",
        "Where": "Kulturværftet, Store Scene Allégade 2 3000 Helsingør",
        "Price": "Free admission",
        "Booking": "Free registration",
        "Category": "Music",
        "Organiser": "Kulturværftet",
        "Age limit": "From 12 years",
        "Language": "English",
    }
    assert texts(response, "li", class_="fact fact--yes") == ["Step-free access", "8 wheelchair spaces", "Hearing loop"]
    assert texts(response, "li", class_="fact fact--no") == ["No accessible toilet"]
    assert "Sign language on request." in html(response)
    assert "Elevator til alle etager." in html(response)


@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("da", "lørdag 5. december 2026, 19:30"),
        ("en", "Saturday 5 December 2026, 19:30"),
        ("sv", "lördag 5 december 2026, 19:30"),
        ("de", "Samstag, 5. Dezember 2026, 19:30"),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(client, concert, language, when):
    # when
    response = client.get(f"/{language}/events/jazz-paa-havnen/")

    # then
    assert texts(response, "p", class_="event-hero__when") == [when]
    assert elements(response, "time")[0]["datetime"] == "2026-12-05T19:30+01:00"


def test_the_event_page_carries_schema_org_json_ld(client, concert):
    # when
    response = client.get("/en/events/jazz-paa-havnen/")

    # then
    data = json_ld(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Jazz by the harbour"
    assert data["description"] == "An evening of jazz."
    assert data["startDate"] == "2026-12-05T19:30:00+01:00"
    assert data["endDate"] == "2026-12-05T21:30:00+01:00"
    assert data["doorTime"] == "2026-12-05T19:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Kulturværftet",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Allégade 2",
            "postalCode": "3000",
            "addressLocality": "Helsingør",
            "addressCountry": "DK",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 56.0387, "longitude": 12.6203},
        "url": "http://testserver/en/venues/kulturvaerftet/",
    }
    assert data["image"] == ["http://testserver/media/events/jazz.jpg"]
    assert data["organizer"] == {"@type": "Organization", "name": "Kulturværftet", "url": "https://kulturvaerftet.dk"}
    assert data["inLanguage"] == "en"
    assert data["isAccessibleForFree"] is True
    assert data["url"] == "http://testserver/en/events/jazz-paa-havnen/"
    assert set(data) == {
        "@context",
        "@type",
        "name",
        "description",
        "startDate",
        "endDate",
        "doorTime",
        "eventStatus",
        "eventAttendanceMode",
        "location",
        "image",
        "organizer",
        "inLanguage",
        "isAccessibleForFree",
        "url",
    }


def test_json_ld_leaves_out_what_the_event_does_not_have(client):
    # given a paid event without picture, doors time, language or organiser website, at a venue without coordinates
    EventFactory(
        slug="uden",
        title_da="Uden billede",
        summary_da="",
        description_da="",
        venue=VenueFactory(latitude=None, longitude=None),
        organiser=OrganiserFactory(slug="foreningen", website=""),
        is_free=False,
        performance_language="",
        starts_at=local(2027, 1, 10, 14, 0),
        ends_at=local(2027, 1, 10, 15, 0),
    )

    # when
    response = client.get("/sv/events/uden/")

    # then
    data = json_ld(response)
    assert "image" not in data
    assert "description" not in data
    assert "doorTime" not in data
    assert "isAccessibleForFree" not in data
    assert "geo" not in data["location"]
    assert data["inLanguage"] == "sv"
    assert data["organizer"]["url"] == "http://testserver/sv/?organiser=foreningen"
    assert data["name"] == "Uden billede"  # Danish, as there is no Swedish title


def test_script_breaking_text_is_escaped_inside_json_ld(client):
    # given
    EventFactory(slug="farlig", title_da="</script><script>alert('x')</script> & <!-- mere")

    # when
    response = client.get("/da/events/farlig/")

    # then
    assert "<script>alert" not in html(response)
    assert json_ld(response)["name"] == "</script><script>alert('x')</script> & <!-- mere"
    assert texts(response, "h1") == ["</script><script>alert('x')</script> & <!-- mere"]


@pytest.mark.parametrize(
    ("status", "schema_status", "notice"),
    [
        (
            EventStatus.CANCELLED,
            "https://schema.org/EventCancelled",
            "Cancelled This event is cancelled. If you have booked, you will get your money back in full.",
        ),
        (
            EventStatus.POSTPONED,
            "https://schema.org/EventPostponed",
            "Postponed This event is postponed. The new date will be announced here.",
        ),
    ],
)
def test_cancelled_and_postponed_events_say_so_clearly(client, status, schema_status, notice):
    # given
    EventFactory(slug="aendret", status=status)

    # when
    response = client.get("/en/events/aendret/")

    # then
    assert response.status_code == 200
    assert texts(response, "div", class_=f"notice notice--{status}") == [notice]
    assert json_ld(response)["eventStatus"] == schema_status


def test_drafts_have_no_page(client):
    # given
    EventFactory(slug="kladde", title_da="Hemmelig koncert", status=EventStatus.DRAFT)

    # when
    response = client.get("/da/events/kladde/")

    # then
    assert response.status_code == 404
    assert "Hemmelig koncert" not in html(response)


def test_unknown_events_give_404(client):
    assert client.get("/da/events/findes-ikke/").status_code == 404


def test_past_public_events_keep_their_page(client, freeze_now):
    # given
    freeze_now(local(2026, 12, 2, 12, 0))
    EventFactory(
        slug="sidste-aar",
        title_da="Sidste års koncert",
        starts_at=local(2025, 12, 5, 19, 0),
        ends_at=local(2025, 12, 5, 21, 0),
    )

    # when
    response = client.get("/en/events/sidste-aar/")

    # then
    assert response.status_code == 200
    assert texts(response, "h1") == ["Sidste års koncert"]
    assert texts(response, "div", class_="notice notice--past") == ["This event has ended See what's on now"]
    assert [link for link in elements(response, "a") if "download" in link] == []  # nothing left to add to a calendar


def test_calendar_links_add_the_event_and_subscribe_to_the_venue_or_everything(client, concert):
    # when
    response = client.get("/en/events/jazz-paa-havnen/")

    # then
    downloads = [link["href"] for link in elements(response, "a") if "download" in link]
    subscriptions = [link["href"] for link in elements(response, "a") if link["href"].startswith("webcal:")]
    assert downloads == ["http://testserver/events/jazz-paa-havnen.ics?lang=en"] * 2
    assert subscriptions == [
        "webcal://testserver/venues/kulturvaerftet/events.ics?lang=en",
        "webcal://testserver/events.ics?lang=en",
    ]
    assert client.get("/events/jazz-paa-havnen.ics?lang=en").status_code == 200


def test_the_event_page_has_open_graph_tags(client, concert):
    # when
    response = client.get("/en/events/jazz-paa-havnen/")

    # then
    og = {meta["property"]: meta["content"] for meta in elements(response, "meta") if "property" in meta}
    assert og == {
        "og:type": "website",
        "og:site_name": "Culture in Helsingør",
        "og:title": "Jazz by the harbour",
        "og:description": "An evening of jazz.",
        "og:url": "http://testserver/en/events/jazz-paa-havnen/",
        "og:locale": "en_GB",
        "og:image": "http://testserver/media/events/jazz.jpg",
        "og:image:alt": "Quartet on stage",
    }
    assert elements(response, "meta", name="description")[0]["content"] == "An evening of jazz."


def test_missing_translations_fall_back_to_danish(client):
    # given
    EventFactory(
        slug="kun-dansk", title_da="Kun på dansk", summary_da="Dansk resumé.", image_alt_da="Dansk billedtekst"
    )

    # when
    response = client.get("/de/events/kun-dansk/")

    # then
    assert texts(response, "h1") == ["Kun på dansk"]
    assert texts(response, "p", class_="lead") == ["Dansk resumé."]
    assert json_ld(response)["description"] == "Dansk resumé."
