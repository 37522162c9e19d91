"""Property-based requests generated from the OpenAPI schema: no input may cause a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def _keep_connection_open():
    """The test's transaction must survive the WSGI requests schemathesis makes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def _payments_simulated(settings):
    """Orders and webhooks take their real paths (the simulator stands in for Stripe)."""
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_fuzz"


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_generated_request_is_a_server_error(case, catalogue, _keep_connection_open, _payments_simulated):
    case.call_and_validate(checks=[not_a_server_error])
