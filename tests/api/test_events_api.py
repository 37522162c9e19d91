"""The public event API: filters, languages, drafts, pagination and errors."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def slugs(response):
    assert response.status_code == 200, response.content
    return [event["slug"] for event in response.json()["results"]]


def test_list_shows_upcoming_public_events_in_start_order_without_drafts(api_client, catalogue):
    response = api_client.get("/api/v1/events/")

    assert slugs(response) == ["jazz", "dukketeater", "aflyst"]
    assert response.json()["count"] == 3


def test_a_draft_is_not_found_by_slug(api_client, catalogue):
    assert api_client.get("/api/v1/events/hemmelig/").status_code == 404
    assert api_client.get("/api/v1/events/?status=draft").status_code == 400


def test_a_past_event_is_still_found_by_slug(api_client, catalogue):
    response = api_client.get("/api/v1/events/forbi/")
    assert response.status_code == 200
    assert response.json()["title"] == "Forbi"


def test_detail_has_description_and_times_with_offset(api_client, catalogue):
    jazz = catalogue["jazz"]
    body = api_client.get("/api/v1/events/jazz/").json()

    assert body["description"] == ""
    starts = datetime.fromisoformat(body["starts_at"])
    assert starts.utcoffset() == timezone.localtime(jazz.starts_at).utcoffset()
    assert starts == jazz.starts_at
    assert body["page_url"] == "http://testserver/da/events/jazz/"
    assert body["ics_url"] == "http://testserver/events/jazz.ics"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("venue=toldkammeret", ["dukketeater"]),
        ("venue=toldkammeret&venue=kulturvaerftet", ["jazz", "dukketeater", "aflyst"]),
        ("category=familie", ["dukketeater"]),
        ("category=koncert", ["jazz", "aflyst"]),
        ("organiser=jazzklub", ["jazz"]),
        ("is_free=true", ["dukketeater"]),
        ("is_free=false", ["jazz", "aflyst"]),
        ("booking_mode=free_registration", ["dukketeater"]),
        ("accessible=true", ["jazz", "aflyst"]),
        ("accessible=false", ["dukketeater"]),
        ("status=cancelled", ["aflyst"]),
        ("q=havnen", ["jazz"]),
        ("q=HELE familien", ["dukketeater"]),
        ("ordering=-starts_at", ["aflyst", "dukketeater", "jazz"]),
    ],
)
def test_each_filter(api_client, catalogue, query, expected):
    assert slugs(api_client.get(f"/api/v1/events/?{query}")) == expected


def test_date_filters_take_iso_datetimes_with_offset_and_plain_dates(api_client, catalogue):
    jazz, puppets = catalogue["jazz"], catalogue["puppets"]
    after = timezone.localtime(jazz.starts_at + timedelta(minutes=1)).isoformat()
    before = timezone.localtime(puppets.starts_at + timedelta(minutes=1)).isoformat()

    response = api_client.get("/api/v1/events/", {"starts_after": after, "starts_before": before})
    assert slugs(response) == ["dukketeater"]

    day = timezone.localtime(catalogue["past"].starts_at).date().isoformat()
    next_day = (timezone.localtime(catalogue["past"].starts_at) + timedelta(days=1)).date().isoformat()
    assert slugs(api_client.get("/api/v1/events/", {"starts_after": day, "starts_before": next_day})) == ["forbi"]


def test_a_past_event_is_listed_when_a_date_filter_asks_for_it(api_client, catalogue):
    since = (timezone.now() - timedelta(days=10)).isoformat()
    assert slugs(api_client.get("/api/v1/events/", {"starts_after": since})) == [
        "forbi",
        "jazz",
        "dukketeater",
        "aflyst",
    ]


def test_search_uses_the_requested_language_and_falls_back_to_danish(api_client, catalogue):
    assert slugs(api_client.get("/api/v1/events/?lang=en&q=harbour")) == ["jazz"]
    # the English title does not say "havnen", and English exists, so no match in English
    assert slugs(api_client.get("/api/v1/events/?lang=en&q=havnen")) == []
    # the puppet show has no English title, so the Danish one is searched
    assert slugs(api_client.get("/api/v1/events/?lang=en&q=dukketeater")) == ["dukketeater"]


@pytest.mark.parametrize(
    ("params", "headers", "title", "category"),
    [
        ("", {}, "Jazz på havnen", "Koncert"),
        ("?lang=en", {}, "Jazz by the harbour", "Concert"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "Jazz by the harbour", "Concert"),
        ("?lang=da", {"HTTP_ACCEPT_LANGUAGE": "en"}, "Jazz på havnen", "Koncert"),
        ("?lang=sv", {}, "Jazz på havnen", "Koncert"),
        ("?lang=de", {}, "Jazz på havnen", "Koncert"),
    ],
)
def test_texts_come_in_the_requested_language_with_danish_fallback(
    api_client, catalogue, params, headers, title, category
):
    response = api_client.get(f"/api/v1/events/jazz/{params}", **headers)

    body = response.json()
    assert (body["title"], body["category"]["name"]) == (title, category)
    assert body["summary"] == "Swing og sol"
    assert response["Content-Language"] == (params[-2:] if params else headers.get("HTTP_ACCEPT_LANGUAGE", "da")[:2])


def test_pagination_is_stable_across_equal_start_times(api_client, db):
    starts_at = timezone.now() + timedelta(days=1)
    venue = VenueFactory()
    created = [EventFactory(slug=f"e{i:02d}", venue=venue, starts_at=starts_at).slug for i in range(25)]

    first = api_client.get("/api/v1/events/?page_size=10").json()
    second = api_client.get("/api/v1/events/?page_size=10&page=2").json()
    third = api_client.get("/api/v1/events/?page_size=10&page=3").json()

    seen = [e["slug"] for page in (first, second, third) for e in page["results"]]
    assert seen == created
    assert first["count"] == 25
    assert first["next"].endswith("page=2&page_size=10")
    assert third["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("starts_after=tomorrow", "starts_after"),
        ("starts_before=2026-13-01", "starts_before"),
        ("starts_after=0815-01-01T00:00:00", "starts_after"),
        ("venue=no-such-venue", "venue"),
        ("category=nope", "category"),
        ("organiser=nope", "organiser"),
        ("is_free=maybe", "is_free"),
        ("accessible=2", "accessible"),
        ("booking_mode=walk", "booking_mode"),
        ("status=draft", "status"),
        ("ordering=title", "ordering"),
        ("lang=fi", "lang"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page_size=-5", "page_size"),
    ],
)
def test_bad_filter_values_give_400_with_a_field_message(api_client, catalogue, query, field):
    response = api_client.get(f"/api/v1/events/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert list(body["errors"]) == [field]
    assert isinstance(body["errors"][field][0], str)


def test_a_page_past_the_end_is_404_with_a_code(api_client, catalogue):
    response = api_client.get("/api/v1/events/?page=99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_edit_shows_at_once_despite_the_cache(api_client, catalogue, django_capture_on_commit_callbacks):
    assert api_client.get("/api/v1/events/jazz/").json()["title"] == "Jazz på havnen"
    jazz = catalogue["jazz"]

    jazz.title_da = "Jazz i Værftshallerne"
    with django_capture_on_commit_callbacks(execute=True):
        jazz.save()

    assert api_client.get("/api/v1/events/jazz/").json()["title"] == "Jazz i Værftshallerne"


def test_unpublishing_hides_a_cached_event(api_client, catalogue, django_capture_on_commit_callbacks):
    assert "jazz" in slugs(api_client.get("/api/v1/events/"))
    jazz = catalogue["jazz"]
    jazz.status = "draft"
    with django_capture_on_commit_callbacks(execute=True):
        jazz.save()
    assert "jazz" not in slugs(api_client.get("/api/v1/events/"))
    assert api_client.get("/api/v1/events/jazz/").status_code == 404


def test_list_query_count_does_not_grow_with_the_number_of_events(api_client, db, django_assert_num_queries):
    venue = VenueFactory()
    for i in range(3):
        EventFactory(slug=f"few-{i}", venue=venue, starts_at=timezone.now() + timedelta(days=i + 1))
    with django_assert_num_queries(3):  # the venue filter's slug, count, page
        assert len(slugs(api_client.get("/api/v1/events/?venue=" + venue.slug))) == 3

    for i in range(30):
        EventFactory(slug=f"many-{i}", venue=venue, starts_at=timezone.now() + timedelta(days=i + 1))
    with django_assert_num_queries(3):
        assert len(slugs(api_client.get("/api/v1/events/?page_size=30&venue=" + venue.slug))) == 30


def test_ends_after_with_starts_before_finds_everything_on_during_a_period(api_client, catalogue):
    now = timezone.now()
    EventFactory(
        slug="udstilling",
        venue=catalogue["jazz"].venue,
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=30),
    )
    period = {
        "ends_after": (now + timedelta(days=1)).isoformat(),
        "starts_before": (now + timedelta(days=3)).isoformat(),
    }

    assert slugs(api_client.get("/api/v1/events/", period)) == ["udstilling", "jazz"]
