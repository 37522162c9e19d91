"""Background work of visitor statistics; every task is safe to run twice."""

from celery import shared_task
from django.db import transaction

from visitor_stats import rollup_version, rollups


def _warm_after_commit() -> None:
    """Have the common answers computed for the new rollups, so people rarely meet a cold one."""
    transaction.on_commit(lambda: rollup_version.rollups_changed.send(sender=rollups))


@shared_task
def refresh_rollups() -> int:
    """Count again the (venue, day) partitions where visits arrived since the last refresh."""
    written = rollups.refresh_changes()
    _warm_after_commit()
    return written


@shared_task
def rebuild_rollups() -> int:
    """Nightly: count every visit again from scratch (the same figures as the incremental path)."""
    rows = rollups.rebuild()
    _warm_after_commit()
    return rows
