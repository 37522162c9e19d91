"""Series become concrete occurrences that can each be cancelled or changed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Event, EventStatus
from events.services import save_event_edit, sync_series_occurrences
from tests.factories import EventSeriesFactory

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=CPH)


def weekly_series(**overrides):
    values = {
        "slug": "byvandring",
        "title_da": "Byvandring",
        "first_starts_at": datetime(2026, 12, 5, 14, 0, tzinfo=CPH),
        "recurrence_rule": "FREQ=WEEKLY;BYDAY=SA;COUNT=6",
        "duration": timedelta(hours=1, minutes=30),
        "doors_open_before": timedelta(minutes=15),
    }
    return EventSeriesFactory(**(values | overrides))


def test_sync_creates_one_event_per_occurrence_with_the_series_content():
    series = weekly_series()

    result = sync_series_occurrences(series_id=series.pk, now=NOW)

    assert (result.created, result.updated, result.cancelled, result.deleted) == (6, 0, 0, 0)
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert [e.slug for e in occurrences[:2]] == ["byvandring-2026-12-05-1400", "byvandring-2026-12-12-1400"]
    first = occurrences[0]
    assert first.title_da == "Byvandring"
    assert first.venue_id == series.venue_id
    assert first.status == EventStatus.PUBLISHED
    assert first.ends_at - first.starts_at == timedelta(hours=1, minutes=30)
    assert first.starts_at - first.doors_open_at == timedelta(minutes=15)
    assert first.recurrence_id == first.starts_at


def test_sync_twice_changes_nothing():
    series = weekly_series()
    sync_series_occurrences(series_id=series.pk, now=NOW)
    before = list(Event.objects.values_list("pk", "uid", "sequence", "updated_at").order_by("pk"))

    result = sync_series_occurrences(series_id=series.pk, now=NOW)

    assert (result.created, result.updated, result.cancelled, result.deleted) == (0, 0, 0, 0)
    assert list(Event.objects.values_list("pk", "uid", "sequence", "updated_at").order_by("pk")) == before


def test_series_edit_updates_occurrences_and_bumps_their_sequence_but_keeps_uids():
    series = weekly_series()
    sync_series_occurrences(series_id=series.pk, now=NOW)
    uids = set(Event.objects.values_list("uid", flat=True))

    series.title_en = "Town walk"
    series.title_da = "Byvandring i den gamle by"
    series.save()
    result = sync_series_occurrences(series_id=series.pk, now=NOW)

    assert result.updated == 6
    assert set(Event.objects.values_list("uid", flat=True)) == uids
    assert set(Event.objects.values_list("title_da", "title_en", "sequence")) == {
        ("Byvandring i den gamle by", "Town walk", 1)
    }


def test_an_exception_cancels_a_published_occurrence_and_deletes_a_draft_one():
    published = weekly_series()
    draft = weekly_series(slug="udkast", status=EventStatus.DRAFT)
    for series in (published, draft):
        sync_series_occurrences(series_id=series.pk, now=NOW)
        series.excluded_dates = ["2026-12-12"]
        series.save()

    published_result = sync_series_occurrences(series_id=published.pk, now=NOW)
    draft_result = sync_series_occurrences(series_id=draft.pk, now=NOW)

    assert (published_result.cancelled, published_result.deleted) == (1, 0)
    assert (draft_result.cancelled, draft_result.deleted) == (0, 1)
    removed = published.occurrences.get(slug="byvandring-2026-12-12-1400")
    assert (removed.status, removed.sequence) == (EventStatus.CANCELLED, 1)
    assert not draft.occurrences.filter(slug="udkast-2026-12-12-1400").exists()
    assert published.occurrences.exclude(status=EventStatus.CANCELLED).count() == 5


def test_an_occurrence_edited_on_its_own_is_not_overwritten_by_the_series():
    series = weekly_series()
    sync_series_occurrences(series_id=series.pk, now=NOW)
    occurrence = series.occurrences.order_by("starts_at").first()
    occurrence.status = EventStatus.CANCELLED
    save_event_edit(event=occurrence, changed_fields=["status"])

    series.title_da = "Ny titel"
    series.save()
    sync_series_occurrences(series_id=series.pk, now=NOW)

    occurrence.refresh_from_db()
    assert (occurrence.is_detached, occurrence.status, occurrence.title_da) == (
        True,
        EventStatus.CANCELLED,
        "Byvandring",
    )
    assert occurrence.sequence == 1
    assert series.occurrences.filter(title_da="Ny titel").count() == 5


def test_past_occurrences_are_left_alone():
    series = weekly_series()
    sync_series_occurrences(series_id=series.pk, now=NOW)
    later = datetime(2026, 12, 20, 8, 0, tzinfo=CPH)

    series.title_da = "Ændret"
    series.save()
    sync_series_occurrences(series_id=series.pk, now=later)

    assert list(series.occurrences.order_by("starts_at").values_list("title_da", flat=True)) == [
        "Byvandring",
        "Byvandring",
        "Byvandring",
        "Ændret",
        "Ændret",
        "Ændret",
    ]


def test_thousands_of_occurrences_are_created_in_a_few_batched_queries(django_assert_max_num_queries):
    # given museum slots every 30 minutes, 10:00-16:30, every day for a year: 5,110 occurrences
    series = weekly_series(
        slug="museum",
        first_starts_at=datetime(2026, 12, 2, 10, 0, tzinfo=CPH),
        recurrence_rule="FREQ=DAILY;BYHOUR=10,11,12,13,14,15,16;BYMINUTE=0,30;COUNT=5110",
        duration=timedelta(minutes=30),
    )

    # (SQLite caps query parameters at 999, so its batches are smaller than PostgreSQL's)
    with django_assert_max_num_queries(300):
        result = sync_series_occurrences(series_id=series.pk, now=NOW)

    assert result.created == 5110
    assert series.occurrences.count() == 5110
