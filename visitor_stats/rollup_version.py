"""The rollups' version, kept in the cache so a cached statistics answer asks the database nothing.

The version names the rollup state (when the rollups were last refreshed and rebuilt). A refresh or
rebuild drops it inside its transaction, so that transaction's own reads see the new state, and
writes the committed state after commit; a missing version is read from the database once. After a
task's refresh or rebuild commits, `rollups_changed` is sent, so answers can be computed ahead of
the people who will ask for them.
"""

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

from visitor_stats.models import RollupState

KEY = "stats:rollup-version"
# The version is written after every commit; the lifetime only bounds how long it could outlive a
# worker that died between its commit and that write.
VERSION_SECONDS = 300
# Keys change with every refresh; the lifetime bounds how long an edited goal, population or survey
# (not part of the rollups) takes to show.
ANSWER_SECONDS = 300

# A cold answer is computed by one request; others asking at the same moment wait this long for it
# (and then compute it themselves, should the first one have died).
COMPUTE_LOCK_SECONDS = 30
WAIT_SECONDS = 10
_POLL_SECONDS = 0.02

# Sent (no arguments) after a refresh or rebuild task has committed.
rollups_changed = Signal()

T = TypeVar("T")


def _from_database() -> str | None:
    state = RollupState.objects.filter(pk=1).values_list("refreshed_until", "rebuilt_at").first()
    if state is None or state[0] is None:
        return None
    return "/".join(moment.isoformat() if moment else "" for moment in state)


def current() -> str | None:
    """The rollups' version; None before the first rollup (nothing worth caching then)."""
    version = cache.get(KEY)
    if version is None:
        version = _from_database()
        if version is not None:
            cache.add(KEY, version, VERSION_SECONDS)
    return version


def _store_committed() -> None:
    version = _from_database()
    if version is not None:
        cache.set(KEY, version, VERSION_SECONDS)


def changed() -> None:
    """Record a rollup change made in the current transaction."""
    cache.delete(KEY)
    transaction.on_commit(_store_committed)


def cache_key(kind: str, parts: dict[str, Any], version: str) -> str:
    described = json.dumps({"kind": kind, "parts": parts, "rollups": version}, sort_keys=True, default=str)
    return "stats:" + hashlib.sha256(described.encode()).hexdigest()


def computed_once(key: str, compute: Callable[[], T]) -> T:
    """The cached value of `key`; when missing, computed by one caller while the others wait for it."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    lock = key + ":computing"
    owner = cache.add(lock, 1, COMPUTE_LOCK_SECONDS)
    if not owner:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
            hit = cache.get(key)
            if hit is not None:
                return hit
    try:
        value = compute()
        cache.set(key, value, ANSWER_SECONDS)
    finally:
        if owner:
            cache.delete(lock)
    return value


def remembered(kind: str, parts: dict[str, Any], compute: Callable[[], T]) -> T:
    """A report computed once per rollup version, for every language and view that needs it."""
    version = current()
    if version is None:
        return compute()
    return computed_once(cache_key(kind, parts, version), compute)
