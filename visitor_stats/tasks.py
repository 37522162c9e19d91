"""Background work of visitor statistics; every task is safe to run twice."""

from celery import shared_task

from visitor_stats import rollups


@shared_task
def refresh_rollups() -> int:
    """Count again the (venue, day) partitions where visits arrived since the last refresh."""
    return rollups.refresh_changes()


@shared_task
def rebuild_rollups() -> int:
    """Nightly: count every visit again from scratch (the same figures as the incremental path)."""
    return rollups.rebuild()
