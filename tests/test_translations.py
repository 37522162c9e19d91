"""Every interface text is translated into Danish, Swedish and German."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from events.filters import EventFilter
from tickets.models import Order


@pytest.mark.parametrize("language", ["da", "sv", "de"])
@pytest.mark.parametrize("problem", ["--untranslated", "--only-fuzzy"])
def test_no_text_is_missing_or_fuzzy(language, problem):
    catalogue = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")

    listed = subprocess.run(
        ["msgattrib", problem, "--no-obsolete", str(catalogue)], capture_output=True, text=True, check=True
    ).stdout

    msgids = [line for line in listed.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert msgids == []


@pytest.mark.parametrize(
    ("language", "order", "sort_order"),
    [("da", "ordre", "sortering"), ("sv", "order", "sortering"), ("de", "Bestellung", "Sortierung")],
)
def test_a_ticket_order_is_not_translated_as_a_sort_order(language, order, sort_order):
    with translation.override(language):
        assert str(Order._meta.verbose_name) == order
        assert str(EventFilter.base_filters["ordering"].label) == sort_order
