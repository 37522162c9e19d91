"""iCalendar feeds, checked by parsing them back as a calendar program would."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from events.models import EventStatus
from events.services import save_event_edit

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


def test_feed_has_every_required_property(client: Client, catalogue):
    jazz = catalogue["jazz"]

    calendar = parse(client.get("/events.ics"))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"])
    assert str(calendar["PRODID"])
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Copenhagen"
    assert {component.name for component in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    vevent = events_by_summary(calendar)["Jazz på havnen"]
    assert str(vevent["UID"]) == f"{jazz.uid}@kultur.helsingor.dk"
    assert vevent.decoded("DTSTART") == jazz.starts_at
    assert vevent.decoded("DTSTART").tzinfo.key == "Europe/Copenhagen"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert vevent.decoded("DTEND") == jazz.ends_at
    assert vevent["SEQUENCE"] == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("DTSTAMP") <= timezone.now()
    assert vevent.decoded("LAST-MODIFIED") == jazz.updated_at.replace(microsecond=0)
    assert str(vevent["LOCATION"]) == "Kulturværftet, Store Scene, Allégade 2, 3000 Helsingør"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (56.0387, 12.6203)
    assert str(vevent["URL"]) == "http://testserver/da/events/jazz/"


def test_feed_lists_public_upcoming_events_and_keeps_cancelled_ones(client, catalogue):
    calendar = parse(client.get("/events.ics"))

    summaries = events_by_summary(calendar)
    assert sorted(summaries) == ["Aflyst koncert", "Dukketeater for de mindste", "Jazz på havnen"]
    assert str(summaries["Aflyst koncert"]["STATUS"]) == "CANCELLED"
    assert "Hemmelig" not in client.get("/events.ics").content.decode()


def test_feed_accepts_the_api_filters(client, catalogue):
    calendar = parse(client.get("/events.ics?venue=toldkammeret&is_free=true"))
    assert list(events_by_summary(calendar)) == ["Dukketeater for de mindste"]


def test_feed_speaks_the_requested_language(client, catalogue):
    calendar = parse(client.get("/events.ics?lang=en"))
    assert "Jazz by the harbour" in events_by_summary(calendar)
    assert str(events_by_summary(calendar)["Jazz by the harbour"]["URL"]) == "http://testserver/en/events/jazz/"


def test_bad_feed_filters_give_400_with_a_field_message(client, catalogue):
    response = client.get("/events.ics?starts_after=soon&lang=en")
    assert response.status_code == 400
    assert response.json()["errors"]["starts_after"]
    assert client.get("/events.ics?lang=xx").status_code == 400


def test_single_event_and_venue_feeds(client, catalogue):
    single = parse(client.get("/events/jazz.ics"))
    assert list(events_by_summary(single)) == ["Jazz på havnen"]
    assert str(single["X-WR-CALNAME"]) == "Jazz på havnen"

    venue = parse(client.get("/venues/toldkammeret/events.ics"))
    assert list(events_by_summary(venue)) == ["Dukketeater for de mindste"]

    assert client.get("/events/hemmelig.ics").status_code == 404
    assert client.get("/venues/nowhere/events.ics").status_code == 404


def test_uid_stays_and_sequence_grows_when_an_event_changes(client, catalogue, django_capture_on_commit_callbacks):
    jazz = catalogue["jazz"]
    before = events_by_summary(parse(client.get("/events/jazz.ics")))["Jazz på havnen"]

    jazz.starts_at += timedelta(hours=1)
    jazz.ends_at += timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        save_event_edit(event=jazz, changed_fields=["starts_at", "ends_at"])
    after = events_by_summary(parse(client.get("/events/jazz.ics")))["Jazz på havnen"]

    assert str(after["UID"]) == str(before["UID"])
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(hours=1)


def test_cancelling_an_event_keeps_it_in_the_feed_as_cancelled_with_a_new_sequence(
    client, catalogue, django_capture_on_commit_callbacks
):
    jazz = catalogue["jazz"]
    jazz.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        save_event_edit(event=jazz, changed_fields=["status"])

    vevent = events_by_summary(parse(client.get("/events.ics")))["Jazz på havnen"]

    assert (str(vevent["STATUS"]), vevent["SEQUENCE"]) == ("CANCELLED", 1)


def test_an_edit_that_calendars_do_not_show_keeps_the_sequence(client, catalogue):
    jazz = catalogue["jazz"]
    jazz.age_limit = 18
    save_event_edit(event=jazz, changed_fields=["age_limit"])
    jazz.refresh_from_db()
    assert jazz.sequence == 0


def test_conditional_get_answers_304_until_the_feed_changes(client, catalogue, django_capture_on_commit_callbacks):
    first = client.get("/events.ics")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get("/events.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/events.ics", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    not_modified = client.get("/events.ics", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    jazz = catalogue["jazz"]
    jazz.title_da = "Jazz i Værftshallerne"
    with django_capture_on_commit_callbacks(execute=True):
        save_event_edit(event=jazz, changed_fields=["title_da"])

    changed = client.get("/events.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Jazz i Værftshallerne" in events_by_summary(parse(changed))


def test_different_filters_have_different_etags(client, catalogue):
    assert client.get("/events.ics")["ETag"] != client.get("/events.ics?venue=toldkammeret")["ETag"]
    assert client.get("/events.ics")["ETag"] != client.get("/events.ics?lang=en")["ETag"]


def test_an_event_crossing_new_year_is_covered_by_the_timezone(client, db):
    from tests.factories import EventFactory

    starts = timezone.now().replace(month=12, day=31, hour=22, minute=0, second=0, microsecond=0)
    if starts < timezone.now():
        starts = starts.replace(year=starts.year + 1)
    EventFactory(slug="nytaar", title_da="Nytårskoncert", starts_at=starts, ends_at=starts + timedelta(hours=4))

    calendar = parse(client.get("/events/nytaar.ics"))

    (zone,) = calendar.walk("VTIMEZONE")
    first_year = starts.astimezone(CPH).year
    assert f"{first_year}-01-01 to {first_year + 2}-01-01" in str(zone["COMMENT"])
