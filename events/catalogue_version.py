"""A token that changes whenever the public catalogue changes; cached responses are keyed on it."""

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


def _bump_after_commit(**_kwargs: object) -> None:
    transaction.on_commit(bump)


def _connect() -> None:
    from events.models import Category, Event, EventSeries, Organiser
    from venues.models import Entrance, Hall, Venue

    for model in (Event, EventSeries, Category, Organiser, Venue, Hall, Entrance):
        post_save.connect(_bump_after_commit, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(_bump_after_commit, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")


_connect()
