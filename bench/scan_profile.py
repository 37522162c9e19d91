"""Where a scan's time goes, in one process: CPU per scan, its SQL statements, and a cProfile.

    .venv/bin/python bench/scan_profile.py            # --help for the options

Seeds a database of its own the way bench/scan.py does (default
postgres://postgres@127.0.0.1:5432/kultur_scan_profile, dropped at the end), then sends scans
through Django's test client (the whole middleware stack, no network, one thread, no contention):
first scans (`200 ok`) and re-scans (`409 already_used`), with a device token and with a staff
user's token. For each it prints the CPU time per scan, the SQL statements per scan with the time
each took (wall time around the database call: PostgreSQL plus the round trip), and the functions
cProfile finds most expensive over a second batch of scans.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

from common import ROOT, django_json, drop_database, log, manage, recreate_database, vacuum_analyze
from scan import AUTH_KINDS, GATES, SCANS, SEED, server_env, signing_key


def shape(sql: str) -> str:
    """A statement with its values blanked, so that repeats of one statement count together."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((\?, )+\?\)", "(…)", sql)
    return " ".join(sql.split())


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


def scan_body(code: str, slug: str) -> str:
    return json.dumps({"code": code, "event": slug, "gate": GATES[0], "nonce": uuid.uuid4().hex})


def measure(client, codes: list[str], slug: str, authorization: str, expect: int) -> dict:  # type: ignore[no-untyped-def]
    from django.db import connection

    timer = StatementTimer()
    cpu = time.process_time()
    wall = time.perf_counter()
    with connection.execute_wrapper(timer):
        for code in codes:
            reply = client.post(
                SCANS,
                scan_body(code, slug),
                content_type="application/json",
                HTTP_AUTHORIZATION=authorization,
                HTTP_ACCEPT_LANGUAGE="da",
            )
            if reply.status_code != expect:
                sys.exit(f"expected {expect}, got {reply.status_code}: {reply.content[:200]!r}")
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    by_shape: dict[str, list[float]] = defaultdict(list)
    for sql, took in timer.statements:
        by_shape[shape(sql)].append(took)
    n = len(codes)
    return {
        "scans": n,
        "cpu_ms_per_scan": cpu * 1000 / n,
        "wall_ms_per_scan": wall * 1000 / n,
        "statements_per_scan": len(timer.statements) / n,
        "sql_ms_per_scan": sum(t for _, t in timer.statements) * 1000 / n,
        "statements": sorted(
            (
                {"per_scan": len(times) / n, "mean_ms": sum(times) * 1000 / len(times), "sql": sql[:160]}
                for sql, times in by_shape.items()
            ),
            key=lambda s: -s["per_scan"] * s["mean_ms"],
        ),
    }


def profile(client, codes: list[str], slug: str, authorization: str, expect: int, top: int) -> str:  # type: ignore[no-untyped-def]
    # CPU time, not wall time: waiting for PostgreSQL (or for a CPU on a busy machine) is left out.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for code in codes:
        client.post(
            SCANS,
            scan_body(code, slug),
            content_type="application/json",
            HTTP_AUTHORIZATION=authorization,
            HTTP_ACCEPT_LANGUAGE="da",
        )
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(by_package(stats, len(codes)) + "\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return re.sub(re.escape(str(ROOT)) + "/", "", out.getvalue())


PACKAGES = [
    ("this project", str(ROOT) + "/"),
    ("Django ORM", "django/db/models/"),
    ("Django database backend", "django/db/"),
    ("DRF", "rest_framework/"),
    ("Django, other", "django/"),
    ("psycopg", "psycopg/"),
    ("logging", "logging/"),
]


def by_package(stats: pstats.Stats, scans: int) -> str:
    """CPU ms per scan spent in each package's own code (tottime), the rest under "other"."""
    spent: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        tottime = row[2]
        kind = next((name for name, marker in PACKAGES if marker in filename and ".venv" not in marker), "other")
        if kind == "this project" and "/.venv/" in filename:
            kind = next((name for name, marker in PACKAGES[1:] if marker in filename), "other")
        spent[kind] += tottime
    total = sum(spent.values())
    lines = [f"CPU per scan under the profiler: {total * 1000 / scans:.2f} ms"]
    lines += [f"  {kind}: {ms * 1000 / scans:.2f} ms" for kind, ms in sorted(spent.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_SCAN_PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_scan_profile"
        ),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_SCAN_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--scans", type=int, default=300, help="Scans measured per case (and as many profiled).")
    parser.add_argument("--top", type=int, default=30, help="Functions listed from the profile.")
    parser.add_argument("--auth", default="device,staff")
    parser.add_argument("--no-profile", action="store_true", help="Only CPU and statements, no cProfile.")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("The profile drops and recreates its database: use one on this machine.")
    kinds = [kind for kind in args.auth.split(",") if kind]
    work = Path(tempfile.mkdtemp(prefix="kultur-scan-profile-"))
    env = server_env(argparse.Namespace(redis_url=args.redis_url), work, args.database_url, signing_key())
    try:
        recreate_database(args.database_url)
        manage(env, "migrate", "--no-input", "-v0")
        per_case = args.scans * (1 if args.no_profile else 2)
        events = {f"scan-{kind}": per_case + 20 for kind in kinds}
        django_json(env, SEED.format(events=events, codes_path=str(work / "codes.json")))
        seeded = json.loads((work / "codes.json").read_text())
        vacuum_analyze(args.database_url)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        for kind in kinds:
            slug, codes = f"scan-{kind}", seeded["codes"][f"scan-{kind}"]
            authorization = f"{AUTH_KINDS[kind]} {seeded['tokens'][kind]}"
            warm, measured, profiled = codes[:20], codes[20 : 20 + args.scans], codes[20 + args.scans :]
            for code in warm:  # imports, translations, the connection
                client.post(
                    SCANS, scan_body(code, slug), content_type="application/json", HTTP_AUTHORIZATION=authorization
                )
            cases = [("first scan (200 ok)", measured, 200), ("re-scan (409 already_used)", measured, 409)]
            for name, batch, expect in cases:
                result = measure(client, batch, slug, authorization, expect)
                print(
                    f"\n## {kind}, {name}: {result['cpu_ms_per_scan']:.2f} ms CPU, {result['wall_ms_per_scan']:.2f} ms "
                    f"wall, {result['statements_per_scan']:.1f} statements taking {result['sql_ms_per_scan']:.2f} ms "
                    "per scan"
                )
                for statement in result["statements"]:
                    print(f"  {statement['per_scan']:.2f} x {statement['mean_ms']:.3f} ms  {statement['sql']}")
            if not args.no_profile:
                print(f"\n## {kind}, cProfile of {len(profiled)} first scans\n")
                print(profile(client, profiled, slug, authorization, 200, args.top))
    finally:
        drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)
    log("done")


if __name__ == "__main__":
    main()
