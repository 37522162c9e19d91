"""Every interface text is translated into Danish, Swedish and German."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.parametrize("language", ["da", "sv", "de"])
@pytest.mark.parametrize("problem", ["--untranslated", "--only-fuzzy"])
def test_no_text_is_missing_or_fuzzy(language, problem):
    catalogue = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")

    listed = subprocess.run(
        ["msgattrib", problem, "--no-obsolete", str(catalogue)], capture_output=True, text=True, check=True
    ).stdout

    msgids = [line for line in listed.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert msgids == []
