"""Settings come from the environment; production refuses to start without a secret."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app


def run_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_unless_debug():
    assert "SECRET_KEY must be set" in run_settings(DEBUG="0").stderr
    assert run_settings(DEBUG="1").stdout.strip() == "True"
    assert run_settings(DEBUG="0", SECRET_KEY="s").stdout.strip() == "False"


def test_time_zone_is_copenhagen_with_utc_storage():
    assert (settings.TIME_ZONE, settings.USE_TZ) == ("Europe/Copenhagen", True)


def test_every_periodic_job_is_a_registered_task_outside_the_summer_time_hour():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        assert 2 not in entry["schedule"].hour


def test_every_environment_variable_is_documented_in_the_readme_and_the_example():
    root = Path(settings.BASE_DIR)
    source = (root / "config" / "settings.py").read_text()
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list|env_int)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    readme = (root / "README.md").read_text()
    example = (root / ".env.example").read_text()

    assert len(read) > 30  # the pattern still finds what settings.py reads
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
    assert sorted(name for name in read if not re.search(rf"^#? ?{name}=", example, re.MULTILINE)) == []
