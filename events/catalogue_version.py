"""A token that changes whenever the public catalogue changes; cached responses are keyed on it."""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

KEY = "catalogue:version"


def current() -> str:
    """The catalogue's current version token."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        version = cache.get(KEY)
    return str(version)


def bump() -> None:
    """Invalidate every response cached for an older catalogue."""
    cache.set(KEY, uuid.uuid4().hex, None)


def cache_key(kind: str, *parts: str) -> str:
    """A cache key for something derived from the current catalogue, e.g. a rendered page."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"{kind}:{current()}:{digest}"


def changed() -> None:
    """Record a catalogue change made in the current transaction."""
    # Now, so this transaction's own reads see the change; again after commit, because a
    # concurrent request may have cached the old rows under the new version meanwhile.
    bump()
    transaction.on_commit(bump)


def _on_model_change(**_kwargs: object) -> None:
    changed()


def _connect() -> None:
    from events.models import Category, Event, EventSeries, Organiser
    from venues.models import Entrance, Hall, Venue

    for model in (Event, EventSeries, Category, Organiser, Venue, Hall, Entrance):
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")


_connect()
