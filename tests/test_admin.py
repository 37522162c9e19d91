"""Organisers manage venues, events and series, in every language, through the admin."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from events.models import Event, EventSeries
from tests.factories import CategoryFactory, EventFactory, OrganiserFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:venues_venue_changelist",
        "admin:venues_venue_add",
        "admin:events_event_changelist",
        "admin:events_event_add",
        "admin:events_eventseries_add",
        "admin:events_category_changelist",
        "admin:events_organiser_add",
    ],
)
def test_admin_pages_open(staff_client, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_event_change_form_has_every_language(staff_client):
    event = EventFactory()
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    for language in ("da", "en", "sv", "de"):
        assert f'name="title_{language}"' in html
        assert f'name="description_{language}"' in html


def test_event_change_form_links_to_its_sales_and_attendance_and_the_links_answer(staff_client):
    event = EventFactory(slug="jazz")
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    for link in (
        "/api/v1/events/jazz/sales/?format=csv",
        "/api/v1/events/jazz/sales/",
        "/api/v1/events/jazz/attendance/",
    ):
        assert f'href="{link}"' in html
        assert staff_client.get(link).status_code == 200


# A Saturday a few weeks ahead, inside the horizon that series are expanded to.
FIRST_SATURDAY = date.today() + timedelta(days=14 + (5 - date.today().weekday()) % 7)


def saturday(weeks: int) -> date:
    return FIRST_SATURDAY + timedelta(weeks=weeks)


def series_form(**overrides):
    organiser, category, venue = OrganiserFactory(), CategoryFactory(), VenueFactory()
    data = {
        "slug": "omvisning",
        "status": "published",
        "first_starts_at_0": FIRST_SATURDAY.isoformat(),
        "first_starts_at_1": "14:00",
        "duration": "01:30:00",
        "doors_open_before": "",
        "recurrence_rule": "FREQ=WEEKLY;BYDAY=SA;COUNT=4",
        "excluded_dates": f'["{saturday(1).isoformat()}"]',
        "title_da": "Omvisning",
        "organiser": organiser.pk,
        "category": category.pk,
        "venue": venue.pk,
        "booking_mode": "drop_in",
        "tags": "[]",
    }
    for key in ("summary", "description", "image_alt", "accessibility_notes"):
        for language in ("da", "en", "sv", "de"):
            data.setdefault(f"{key}_{language}", "")
    for language in ("en", "sv", "de"):
        data[f"title_{language}"] = ""
    return data | overrides


def test_saving_a_series_in_the_admin_creates_its_occurrences(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:events_eventseries_add"), series_form())

    assert response.status_code == 302, response.content.decode()[:2000]
    series = EventSeries.objects.get(slug="omvisning")
    assert list(series.occurrences.order_by("starts_at").values_list("slug", flat=True)) == [
        f"omvisning-{saturday(weeks)}-1400" for weeks in (0, 2, 3)
    ]


def test_a_bad_rule_is_refused_in_the_form(staff_client):
    response = staff_client.post(reverse("admin:events_eventseries_add"), series_form(recurrence_rule="FREQ=NEVER"))

    assert response.status_code == 200
    assert "Not a valid recurrence rule" in response.content.decode()
    assert not EventSeries.objects.exists()
    assert not Event.objects.exists()
