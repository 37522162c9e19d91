"""In-process measurement shared by the profile scripts (bench/scan_profile.py, bench/rush_profile.py).

`WsgiClient` sends requests straight to the project's WSGI application, as gunicorn's workers do
(Django's test client adds work of its own: signal receivers connected per request, copies of the
response and its templates). `measured` runs a step once per set of arguments and returns the CPU and
wall time per step and its SQL statements grouped by shape; `profile_report` runs steps under
cProfile (CPU time, so waiting for PostgreSQL is left out) and sums its time by package.
"""

import cProfile
import io
import json
import pstats
import re
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from common import ROOT

PACKAGES = [
    ("this project", str(ROOT) + "/"),
    ("Django ORM", "django/db/models/"),
    ("Django database backend", "django/db/"),
    ("DRF", "rest_framework/"),
    ("Django, other", "django/"),
    ("psycopg", "psycopg/"),
    ("logging", "logging/"),
]


def shape(sql: str) -> str:
    """A statement with its values blanked, so that repeats of one statement count together."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((\?, )+\?\)", "(…)", sql)
    return " ".join(sql.split())


class Reply:
    """What a request answered: its status and body."""

    def __init__(self, status: str, body: bytes) -> None:
        self.status_code = int(status.split(" ", 1)[0])
        self.content = body

    def json(self) -> Any:
        return json.loads(self.content)


class WsgiClient:
    """Requests to the project's WSGI application in this process: no network, no test-client extras."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()
        self.host = host

    def post(self, path: str, body: bytes | str, *, content_type: str, **headers: str) -> Reply:
        body = body.encode() if isinstance(body, str) else body
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": self.host,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        } | headers
        answered: list[str] = []
        response = self.application(environ, lambda status, _headers, _exc_info=None: answered.append(status))
        try:
            content = b"".join(response)
        finally:
            response.close()
        return Reply(answered[0], content)


class StatementTimer:
    """Times every SQL statement run through Django's connection (an execute wrapper)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, time.perf_counter() - started))


def measured(step: Callable[..., Any], arguments: list[tuple]) -> dict:
    """Run `step(*each)` for each of the arguments: the results, and per step CPU and wall ms and statements."""
    from django.db import connection

    timer = StatementTimer()
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(timer):
        results = [step(*each) for each in arguments]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    by_shape: dict[str, list[float]] = defaultdict(list)
    for sql, took in timer.statements:
        by_shape[shape(sql)].append(took)
    n = len(arguments)
    return {
        "results": results,
        "cpu_ms": cpu * 1000 / n,
        "wall_ms": wall * 1000 / n,
        "statements": len(timer.statements) / n,
        "sql_ms": sum(t for _, t in timer.statements) * 1000 / n,
        "by_shape": sorted(
            ((len(times) / n, sum(times) * 1000 / len(times), sql[:160]) for sql, times in by_shape.items()),
            key=lambda row: -row[0] * row[1],
        ),
    }


def report(name: str, result: dict, unit: str) -> None:
    """Print what `measured` found, per `unit` (a scan, a request)."""
    print(
        f"\n## {name}: {result['cpu_ms']:.2f} ms CPU, {result['wall_ms']:.2f} ms wall, "
        f"{result['statements']:.1f} statements taking {result['sql_ms']:.2f} ms per {unit}"
    )
    for per_unit, mean_ms, sql in result["by_shape"]:
        print(f"  {per_unit:.2f} x {mean_ms:.3f} ms  {sql}")


def profile_report(steps: Callable[[], int], *, unit: str, top: int, sorts: tuple[str, ...]) -> str:
    """Run `steps` (which returns how many units it ran) under cProfile: CPU by package, then the top functions."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    units = steps()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(_by_package(stats, units, unit) + "\n")
    for sort in sorts:
        stats.sort_stats(sort).print_stats(top)
    return re.sub(re.escape(str(ROOT)) + "/", "", out.getvalue())


def _by_package(stats: pstats.Stats, units: int, unit: str) -> str:
    """CPU ms per unit spent in each package's own code (tottime), the rest under "other"."""
    spent: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        kind = next((name for name, marker in PACKAGES if marker in filename), "other")
        if kind == "this project" and "/.venv/" in filename:
            kind = next((name for name, marker in PACKAGES[1:] if marker in filename), "other")
        spent[kind] += row[2]
    total = sum(spent.values())
    lines = [f"CPU per {unit} under the profiler: {total * 1000 / units:.2f} ms"]
    lines += [f"  {kind}: {ms * 1000 / units:.2f} ms" for kind, ms in sorted(spent.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines)
