"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load now what the first requests would (every view through the URL patterns, each language's
# translations), then move everything loaded out of the garbage collector's sight: it lives as long as
# the process, and a full collection no longer walks it in the middle of a request. At the door this
# took the slowest scans from 50-80 ms down to about 30 (docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018
for language, _name in settings.LANGUAGES:
    translation.activate(language)  # reads the language's catalogues
translation.deactivate()
gc.collect()
gc.freeze()
