"""`manage.py load_demo`: the real venues and a current season, loaded idempotently."""

import io
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from events.demo.places import CATEGORIES, ORGANISERS, VENUES
from events.demo.season import plan_season
from events.demo.specials import SERIES
from events.models import Category, Event, EventSeries, EventStatus, Organiser
from venues.models import Entrance, Hall, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """One media folder for the module, so the generated images are drawn only once."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media(settings, media_root):
    settings.MEDIA_ROOT = media_root


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Venue, Hall, Entrance, Organiser, Category, EventSeries, Event)
    return {model.__name__: model.objects.count() for model in models}


def test_running_twice_creates_and_changes_nothing():
    load()
    before = counts()
    events_before = dict(Event.objects.values_list("slug", "updated_at"))

    output = load()

    assert counts() == before
    assert dict(Event.objects.values_list("slug", "updated_at")) == events_before
    assert "0 new occurrences" in output
    assert "0 created / 0 updated / 0 removed" in output
    assert before["Venue"] == len(VENUES)
    assert before["Organiser"] == len(ORGANISERS)
    assert before["Category"] == len(CATEGORIES)
    assert before["EventSeries"] == len(SERIES)
    assert Event.objects.filter(series__isnull=True).count() == 320


def test_a_season_of_published_upcoming_events_over_six_months():
    load()
    now = timezone.now()

    season = Event.objects.public().upcoming().filter(status=EventStatus.PUBLISHED)

    assert season.count() >= 300
    assert season.filter(starts_at__gt=now + timedelta(days=150)).exists()
    assert not season.filter(starts_at__gt=now + timedelta(days=200)).exists()
    assert season.filter(category__slug="koncert", hall__slug="store-scene", venue__slug="kulturvaerftet").count() >= 10
    assert season.filter(category__slug="boern-og-familie", venue__slug="toldkammeret").exists()
    assert season.filter(category__slug="festival", venue__slug="vaerftshallerne").count() >= 9
    assert season.filter(category__slug="udstilling").exists()
    free_talks = season.filter(
        category__slug="foredrag", is_free=True, booking_mode__in=["free_registration", "drop_in"]
    )
    assert free_talks.count() >= 10


def test_venues_are_the_real_ones_with_halls_and_entrances():
    load()

    kulturvaerftet = Venue.objects.get(slug="kulturvaerftet")
    store_scene = kulturvaerftet.halls.get(slug="store-scene")

    assert (kulturvaerftet.street_address, kulturvaerftet.postcode, kulturvaerftet.town) == (
        "Allégade 2",
        "3000",
        "Helsingør",
    )
    assert (store_scene.seated_capacity, store_scene.standing_capacity) == (500, 1000)
    assert set(kulturvaerftet.halls.values_list("slug", flat=True)) == {"store-scene", "lille-scene"}
    assert kulturvaerftet.entrances.filter(hall=store_scene).exists()
    assert set(Venue.objects.values_list("postcode", flat=True)) <= {"3000", "3060", "3070", "3100"}
    # Only Store Scene's capacities are known; no other hall may claim one.
    assert (
        not Hall.objects.exclude(pk=store_scene.pk)
        .filter(Q(seated_capacity__isnull=False) | Q(standing_capacity__isnull=False))
        .exists()
    )
    for venue in Venue.objects.all():
        assert venue.latitude is not None and venue.longitude is not None, venue.slug
        assert Decimal("55.9") < venue.latitude < Decimal("56.2"), venue.slug
        assert Decimal("12.3") < venue.longitude < Decimal("12.7"), venue.slug
        assert venue.description_da and venue.description_en, venue.slug
        assert venue.image.name and default_storage.exists(venue.image.name), venue.slug
        assert venue.entrances.exists(), venue.slug


def test_series_are_expanded_into_occurrences_without_their_exceptions():
    load()

    for series in EventSeries.objects.filter(status=EventStatus.PUBLISHED):
        assert series.occurrences.filter(status=EventStatus.PUBLISHED).count() >= 5, series.slug
    dock_walk = EventSeries.objects.get(slug="dokvandring")
    starts = {timezone.localtime(event.starts_at) for event in dock_walk.occurrences.all()}
    whole_days = [value for value in dock_walk.excluded_dates if "T" not in value]
    single_times = [value for value in dock_walk.excluded_dates if "T" in value]

    assert whole_days and single_times
    assert not {start.date().isoformat() for start in starts} & set(whole_days)
    assert not {start.strftime("%Y-%m-%dT%H:%M") for start in starts} & set(single_times)
    assert {start.strftime("%H:%M") for start in starts} == {"11:00", "11:30", "12:00", "12:30"}


def test_drafts_exist_but_never_show_publicly(client):
    load()
    draft = Event.objects.filter(status=EventStatus.DRAFT, series__isnull=True).first()

    assert draft is not None
    assert EventSeries.objects.filter(status=EventStatus.DRAFT).exists()
    assert not Event.objects.public().filter(status=EventStatus.DRAFT).exists()
    assert client.get(f"/api/v1/events/{draft.slug}/").status_code == 404
    assert client.get(f"/da/events/{draft.slug}/").status_code == 404


def test_cancelled_and_postponed_events_say_so():
    load()

    cancelled = Event.objects.filter(status=EventStatus.CANCELLED, series__isnull=True)
    postponed = Event.objects.filter(status=EventStatus.POSTPONED)

    assert cancelled.count() >= 2
    assert postponed.count() >= 1
    assert all("aflyst" in event.description_da and "refund" in event.description_en for event in cancelled)


def test_every_event_has_danish_and_english_texts_and_an_image():
    load()

    missing = Event.objects.filter(
        Q(title_da="")
        | Q(title_en="")
        | Q(summary_da="")
        | Q(summary_en="")
        | Q(image="")
        | Q(image_alt_da="")
        | Q(image_alt_en="")
    )

    assert list(missing.values_list("slug", flat=True)) == []
    assert Event.objects.exclude(title_sv="").exclude(title_de="").count() >= 50
    images = set(Event.objects.values_list("image", flat=True))
    assert len(images) < 100
    assert all(default_storage.exists(name) for name in images)


def test_a_smaller_count_removes_the_extra_generated_events_only():
    load("--events", "340")
    occurrences = Event.objects.filter(series__isnull=False).count()

    load("--events", "30")

    assert Event.objects.filter(series__isnull=True).count() == 30
    assert Event.objects.filter(series__isnull=False).count() == occurrences


def test_no_event_is_planned_on_christmas_eve_christmas_day_or_new_years_eve():
    zone = ZoneInfo("Europe/Copenhagen")

    plans = plan_season(count=3000, seed=7, today=date(2026, 12, 1), zone=zone)

    quiet = {(12, 24), (12, 25), (12, 31), (1, 1)}
    days = {(plan.starts_at.month, plan.starts_at.day) for plan in plans}
    assert len(plans) == 3000
    assert not days & quiet
