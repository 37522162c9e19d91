"""Background work of the catalogue: thin tasks that take ids and call a service."""

from celery import shared_task

from events import services
from events.models import EventSeries


@shared_task
def sync_series(series_id: int) -> dict[str, int]:
    """Bring one series' occurrences in line with its rule; safe to run twice."""
    result = services.sync_series_occurrences(series_id=series_id)
    return {"created": result.created, "updated": result.updated, "cancelled": result.cancelled}


@shared_task
def extend_all_series() -> int:
    """Nightly: roll every series' horizon forward."""
    ids = list(EventSeries.objects.values_list("pk", flat=True))
    for series_id in ids:
        services.sync_series_occurrences(series_id=series_id)
    return len(ids)
