import pytest
from rest_framework.test import APIClient

from config.celery import app as celery_app
from events import catalogue_version


@pytest.fixture(autouse=True)
def _fresh_catalogue_version():
    """Each test sees a new catalogue version, so cached pages never leak between tests.

    (Clearing the whole cache would also empty a Redis database shared with a Celery broker.)
    """
    catalogue_version.bump()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Ordinary tests run Celery tasks in-process, also when REDIS_URL points at a real broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
