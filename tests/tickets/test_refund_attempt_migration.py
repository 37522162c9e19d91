"""Refunds recorded before sends were tracked keep their key, and one that failed may have been paid out."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("tickets", "0010_confirmation_claim")]
AFTER = [("tickets", "0011_refund_attempt")]


@pytest.fixture
def executor(transactional_db):
    """Migrations run back and forth; every migration is applied again afterwards, for the tests after."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_refunds_without_a_provider_refund_keep_their_key_from_their_creation(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    payment = old.get_model("tickets", "Payment").objects.create(provider="stripe", amount_ore=500)
    Refund = old.get_model("tickets", "Refund")
    created = timezone.now() - timedelta(days=3)
    for status, provider_refund_id in (("pending", ""), ("failed", ""), ("failed", "re_1"), ("succeeded", "re_2")):
        refund = Refund.objects.create(
            payment=payment, amount_ore=100, reason=status, status=status, provider_refund_id=provider_refund_id
        )
        Refund.objects.filter(pk=refund.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps.get_model("tickets", "Refund")
    rows = new.objects.order_by("pk").values_list("status", "attempt", "may_be_paid_out", "key_first_sent_at")
    assert list(rows) == [
        ("pending", 1, False, created),
        ("failed", 1, True, created),
        ("failed", 1, False, None),
        ("succeeded", 1, False, None),
    ]
