import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so cached catalogue pages never leak between tests."""
    cache.clear()
    yield
    cache.clear()


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
