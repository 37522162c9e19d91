from collections.abc import Callable
from datetime import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def freeze_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], datetime]:
    """Fix "now" for the pages, the queries and the factories alike."""

    def freeze(moment: datetime) -> datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
