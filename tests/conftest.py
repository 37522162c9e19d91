import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db.models import Count, F, Q
from rest_framework.test import APIClient

from config.celery import app as celery_app
from events import catalogue_version
from events.models import BookingMode, EventStatus
from tests.factories import CategoryFactory, EventFactory, HallFactory, OrganiserFactory, VenueFactory
from tickets.models import OrderStatus, TicketStatus, TicketType
from visitor_stats import rollup_version


@pytest.fixture(autouse=True)
def _fresh_catalogue_version():
    """Each test sees a new catalogue version, so cached pages never leak between tests.

    (Clearing the whole cache would also empty a Redis database shared with a Celery broker.)
    """
    catalogue_version.bump()


@pytest.fixture(autouse=True)
def _rollup_version_from_the_database():
    """Each test reads the rollups' version from its own database first, not one cached by an earlier test."""
    cache.delete(rollup_version.KEY)


@pytest.fixture(autouse=True)
def _ticket_signing_key(settings):
    """Tests run with DEBUG off, where ticket codes need a configured key."""
    settings.TICKET_SIGNING_KEYS = "1:" + base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True, scope="session")
def _every_task_registered():
    """Import every app's tasks as a worker does at start, before any test runs an in-process worker.

    A task module first imported while such a worker runs registers only with the worker's
    temporary app state, and its tasks would be unknown to the tests after it.
    """
    celery_app.autodiscover_tasks(force=True)


@pytest.fixture(autouse=True)
def _paid_tickets_add_up(request):
    """After every test that used the database, each ticket type's paid count is its valid tickets on paid orders.

    So every way the suite pays, cancels or refunds an order also checks the count the sale keeps.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("db")  # checked before the test's database is rolled back or flushed
    yield
    valid_and_paid = Q(tickets__status=TicketStatus.VALID, tickets__order__status=OrderStatus.PAID)
    wrong = TicketType.objects.annotate(counted=Count("tickets", filter=valid_and_paid)).exclude(
        paid_tickets=F("counted")
    )
    assert list(wrong.values_list("pk", "paid_tickets", "counted")) == []


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def simulated_payments(settings):
    """Payments through the local simulator (development, no Stripe key), its events signed with a known secret."""
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"


@dataclass
class RefundProvider:
    """The simulator's refunds as a test sets them: the keys it was asked under, the errors it raises
    first, and something that happens meanwhile (while the provider is being asked)."""

    keys: list[str] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)
    meanwhile: Callable[[], object] | None = None


@pytest.fixture
def refund_provider(monkeypatch, simulated_payments):
    from tickets.payments.simulator import SimulatorGateway

    provider = RefundProvider()
    real_create_refund = SimulatorGateway.create_refund

    def create_refund(self, **call):
        provider.keys.append(call["idempotency_key"])
        if provider.meanwhile:
            provider.meanwhile()
        if provider.errors:
            raise provider.errors.pop(0)
        return real_create_refund(self, **call)

    monkeypatch.setattr(SimulatorGateway, "create_refund", create_refund)
    return provider


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Ordinary tests run Celery tasks in-process, also when REDIS_URL points at a real broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def catalogue(db):
    """Two venues, two categories and a handful of events with known attributes."""
    now = datetime.now(CPH).replace(microsecond=0)
    kulturvaerftet = VenueFactory(slug="kulturvaerftet", name="Kulturværftet", has_step_free_access=True)
    toldkammeret = VenueFactory(slug="toldkammeret", name="Toldkammeret", has_step_free_access=False)
    store_scene = HallFactory(venue=kulturvaerftet, slug="store-scene", name="Store Scene")
    concert = CategoryFactory(slug="koncert", name_da="Koncert", name_en="Concert")
    family = CategoryFactory(slug="familie", name_da="Familie", name_en="Family")
    culture_house = OrganiserFactory(slug="kulturhuse", name="Kulturhusene")
    association = OrganiserFactory(slug="jazzklub", name="Helsingør Jazzklub")
    events = {
        "jazz": EventFactory(
            slug="jazz",
            title_da="Jazz på havnen",
            title_en="Jazz by the harbour",
            summary_da="Swing og sol",
            venue=kulturvaerftet,
            hall=store_scene,
            category=concert,
            organiser=association,
            starts_at=now + timedelta(days=2),
        ),
        "puppets": EventFactory(
            slug="dukketeater",
            title_da="Dukketeater for de mindste",
            summary_da="Sjov for hele familien",
            venue=toldkammeret,
            category=family,
            organiser=culture_house,
            booking_mode=BookingMode.FREE_REGISTRATION,
            is_free=True,
            starts_at=now + timedelta(days=5),
        ),
        "cancelled": EventFactory(
            slug="aflyst",
            title_da="Aflyst koncert",
            venue=kulturvaerftet,
            category=concert,
            organiser=culture_house,
            status=EventStatus.CANCELLED,
            starts_at=now + timedelta(days=9),
        ),
        "draft": EventFactory(
            slug="hemmelig",
            title_da="Hemmelig koncert",
            venue=kulturvaerftet,
            category=concert,
            organiser=culture_house,
            status=EventStatus.DRAFT,
            starts_at=now + timedelta(days=3),
        ),
        "past": EventFactory(
            slug="forbi",
            title_da="Forbi",
            venue=kulturvaerftet,
            category=concert,
            organiser=culture_house,
            starts_at=now - timedelta(days=3),
        ),
    }
    return events
