"""The rollups' version in the cache, read from the database once and moved by refreshes; cold answers computed once."""

import threading
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache

from visitor_stats import rollup_version, rollups
from visitor_stats.access import may_read_statistics

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_no_version_before_the_first_rollup():
    assert rollup_version.current() is None
    assert cache.get(rollup_version.KEY) is None


def test_the_version_is_read_from_the_database_once(django_assert_num_queries):
    rollups.rebuild(now=NOW)

    with django_assert_num_queries(1):
        first = rollup_version.current()
    with django_assert_num_queries(0):
        again = rollup_version.current()

    assert first == again == f"{NOW.isoformat()}/{NOW.isoformat()}"


def test_a_refresh_moves_the_version_at_once_and_again_after_commit(django_capture_on_commit_callbacks):
    rollups.rebuild(now=NOW)
    before = rollup_version.current()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rollups.refresh_changes(now=NOW.replace(hour=10))
    inside = rollup_version.current()  # before the commit, this transaction's own state
    for callback in callbacks:
        callback()

    assert before != inside
    assert cache.get(rollup_version.KEY) == inside


def test_a_cold_answer_being_computed_is_waited_for_not_computed_again():
    key = "stats:test-answer"
    cache.delete(key)
    cache.add(key + ":computing", 1, 30)  # another request is computing it
    threading.Timer(0.1, lambda: cache.set(key, "computed by the other", 30)).start()
    computed: list[str] = []

    value = rollup_version.computed_once(key, lambda: computed.append("again") or "computed again")

    assert (value, computed) == ("computed by the other", [])


def test_a_cold_answer_is_computed_once_and_the_lock_let_go():
    key = "stats:test-answer-2"
    cache.delete(key)

    first = rollup_version.computed_once(key, lambda: "fresh")
    second = rollup_version.computed_once(key, lambda: "not again")

    assert (first, second) == ("fresh", "fresh")
    assert cache.get(key + ":computing") is None


def test_culture_office_membership_is_one_query(django_assert_num_queries):
    member = User.objects.create_user("office")
    member.groups.add(Group.objects.get(name="Culture office"))
    direct = User.objects.create_user("direct")
    direct.user_permissions.add(Permission.objects.get(codename="view_all_attendance"))
    other = User.objects.create_user("other")
    inactive = User.objects.create_user("gone", is_active=False)
    inactive.groups.add(Group.objects.get(name="Culture office"))
    users = [User.objects.get(pk=user.pk) for user in (member, direct, other, inactive)]  # nothing read yet

    with django_assert_num_queries(3):
        allowed = [may_read_statistics(user) for user in users]
        again = [may_read_statistics(user) for user in users]  # once per request and user

    assert allowed == again == [True, True, False, False]
