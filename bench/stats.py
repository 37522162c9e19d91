"""Visitor statistics at the size of two years: the nightly rebuild, the refresh, the API and the page.

    .venv/bin/python bench/stats.py            # or: make bench-stats; --help for the options

1. Data (once, kept for later runs): a template database `<name>_template` is migrated and filled
   by bench/stats_data.py with two years of visits (3.2 million by default from ticket scans, gate
   counters, head counts and partner figures, 15 venues, 5,000 events), then VACUUM (ANALYZE).
   Its comment records what was generated; it is made again when that differs (another day,
   other sizes, other migrations) or with `--regenerate`.
2. Each round works on a fresh copy (default postgres://postgres@127.0.0.1:5432/kultur_stats;
   `--database-url` or BENCH_STATS_DATABASE_URL; DATABASE_URL is never used):
   a. in one Django process: `rollups.rebuild()` `--rebuilds` times, with its wall time, the
      process's CPU time and PostgreSQL's (its backend, and parallel workers through the
      postmaster's reaped children); then a day's arrivals (counter hours, admissions of the day's
      events, head counts, a correction) and `rollups.refresh_changes()`, timed the same way; then
      a check that the refreshed table equals a rebuild's;
   b. gunicorn (config.wsgi, DEBUG=0, the cache in Redis database 12, emptied first) and a client
      of `--clients` threads: `/healthz` for reference, then for the summary, the visits of each
      grouping and the dashboard page: "cold" answers (the rollup state moves on as a refresh moves
      it and the cached rollup version is dropped, so every cache key is new and nothing is computed
      ahead; then one request alone, and `--clients` requests at the same moment, repeated `--cold`
      times) and "warm" answers (`--requests` in a closed loop), with the CPU time of the gunicorn
      workers and their PostgreSQL backends read from /proc; then a refresh task's commit and its
      answers computed ahead (timed), and the first answer of each scenario after it.
It prints Markdown tables (each round and the medians) and writes them to bench/results/. Results
and method: docs/benchmarks.md, "Visitor statistics".
"""

import argparse
import datetime as dt
import hashlib
import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

import common
import psycopg
import redis
import stats_data
from common import (
    CLOCK_TICKS,
    ROOT,
    CpuWindow,
    django_json,
    drop_database,
    fmt,
    log,
    machine_facts,
    manage,
    median,
    own_children_cpu,
    recreate_database,
    require_local_database,
    spread,
    start_server,
    stop_server,
    system_busy_ticks,
    vacuum_analyze,
    with_database,
    write_results,
)
from psycopg import sql

GENERATOR_VERSION = 1
VISITOR_KEY_SECRET = "bench-stats-visitor-key"
GROUPINGS = ("month", "venue", "category", "source", "origin")

# Runs in a Django process on the round's database: the rebuilds, a day's arrivals, the refresh.
IN_PROCESS = """
import json, resource, time
from pathlib import Path
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from visitor_stats import rollups

def ticks(pid, fields):
    values = Path(f"/proc/{{pid}}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(values[i]) for i in fields)

def measured(work):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    postmaster = int(Path(f"/proc/{{backend}}/stat").read_text().rsplit(")", 1)[1].split()[1])
    before = (time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), ticks(backend, (11, 12)),
              ticks(postmaster, (13, 14)))
    result = work()
    after = (time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), ticks(backend, (11, 12)),
             ticks(postmaster, (13, 14)))
    hz = {hz}
    return {{
        "wall_s": after[0] - before[0],
        "python_cpu_s": (after[1].ru_utime + after[1].ru_stime) - (before[1].ru_utime + before[1].ru_stime),
        "postgres_cpu_s": (after[2] - before[2]) / hz,
        "postgres_workers_cpu_s": (after[3] - before[3]) / hz,
        "rows": result,
    }}

def table_digest():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(visits), md5(string_agg(concat_ws(',', day, venue_id, event_id, category_id, "
            "source, quality, origin, visits), ';' ORDER BY day, venue_id, event_id, category_id, source, origin, "
            "visits)) FROM visitor_stats_dailyvisits"
        )
        return list(cursor.fetchone())

out = {{"rebuilds": [], "today": timezone.localdate().isoformat()}}
user = User.objects.create_user("kulturkontoret", password=None, is_staff=True)
user.groups.add(Group.objects.get(name="Culture office"))
out["token"] = Token.objects.create(user=user).key
session = SessionStore()
session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
out["session"] = session.session_key
for _ in range({rebuilds}):
    out["rebuilds"].append(measured(rollups.rebuild))
out["table"] = table_digest()

ARRIVALS = [
    # the day's counter hours (yesterday's doors and hours, a day later), posted now
    "INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits, exits,"
    " origin, note, entered_at, venue_id) SELECT source, quality, counter, period_start + interval '1 day',"
    " period_end + interval '1 day', visits, exits, origin, '', now(), venue_id FROM visitor_stats_visitfigure"
    " WHERE source = 'gate_counter' AND replaced_at IS NULL AND period_start >= %(today)s::date - 1"
    " AND period_start < %(today)s::date",
    # the day's events: four in five paid tickets admitted, scanned now
    "UPDATE tickets_ticket t SET entered_at = e.starts_at - interval '20 minutes', door_changed_at = now(),"
    " entry_gate = 'Hovedindgang' FROM events_event e, tickets_order o WHERE e.id = t.event_id AND"
    " o.id = t.order_id AND o.status = 'paid' AND e.starts_at >= %(today)s::date AND e.starts_at <"
    " %(today)s::date + 1 AND t.entered_at IS NULL AND random() < 0.8",
    # head counts of the day's drop-in events
    "INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits, origin,"
    " note, entered_at, venue_id, event_id) SELECT 'head_count', 'estimated', '', starts_at, ends_at, 60,"
    " 'unknown', '', now(), venue_id, id FROM events_event WHERE booking_mode = 'drop_in' AND starts_at >="
    " %(today)s::date AND starts_at < %(today)s::date + 1",
]
CORRECTION = (
    "WITH old AS (SELECT id FROM visitor_stats_visitfigure WHERE source = 'gate_counter' AND replaced_at IS NULL"
    " AND period_start < %(today)s::date - 1 ORDER BY period_start DESC LIMIT 1),"
    " new AS (INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits,"
    " exits, origin, note, entered_at, venue_id) SELECT source, quality, counter || ' (ny)', period_start, period_end,"
    " visits + 7, exits, origin, 'Rettet', now(), venue_id FROM visitor_stats_visitfigure WHERE id = (SELECT id"
    " FROM old) RETURNING id)"
    " UPDATE visitor_stats_visitfigure SET replaced_at = now(), replaced_by_id = (SELECT id FROM new)"
    " WHERE id = (SELECT id FROM old)"
)
with transaction.atomic(), connection.cursor() as cursor:
    arrived = []
    for statement in ARRIVALS + [CORRECTION]:
        cursor.execute(statement, {{"today": out["today"]}})
        arrived.append(cursor.rowcount)
out["arrivals"] = dict(zip(["counter_hours", "admissions", "head_counts", "corrections"], arrived))
out["partitions"] = len(rollups.changed_partitions(rollups.RollupState.objects.get().refreshed_until
                                                   - rollups.REFRESH_OVERLAP))
out["refresh"] = measured(rollups.refresh_changes)
refreshed = table_digest()
check = measured(rollups.rebuild)
out["refresh_equals_rebuild"] = refreshed == table_digest()
out["table_after_refresh"] = refreshed
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
# Everything this process made PostgreSQL do, for the other load around it.
out["postgres_total_cpu_s"] = ticks(backend, (11, 12)) / {hz}
print(json.dumps(out))
"""


def server_env(args: argparse.Namespace, work: Path, database_url: str) -> dict[str, str]:
    return common.server_env(
        database_url=database_url,
        redis_url=args.redis_url,
        cache_prefix="stats",
        work=work,
        DATABASE_CONN_MAX_AGE="600",
        VISITOR_KEY_SECRET=VISITOR_KEY_SECRET,
    )


# --- the data -----------------------------------------------------------------------------------


def wanted_data(args: argparse.Namespace, env: dict[str, str]) -> str:
    """What the template should hold: the generator, its sizes, the day and the migrations."""
    migrations = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/migrations/0*.py"))
    return json.dumps(
        {
            "generator": GENERATOR_VERSION,
            "generator_code": hashlib.sha256((ROOT / "bench" / "stats_data.py").read_bytes()).hexdigest()[:12],
            "today": dt.datetime.now(ZoneInfo("Europe/Copenhagen")).date().isoformat(),
            "visits": args.visits,
            "events": args.events,
            "migrations": hashlib.sha256("\n".join(migrations).encode()).hexdigest()[:12],
        },
        sort_keys=True,
    )


def database_comment(url: str, name: str) -> str | None:
    with psycopg.connect(with_database(url, "postgres")) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return row[0] if row else None


def ensure_template(args: argparse.Namespace, work: Path, template_url: str) -> dict:
    """The template database with the generated data, made again when it is not what is wanted."""
    name = urllib.parse.urlsplit(template_url).path.lstrip("/")
    env = server_env(args, work, template_url)
    wanted = wanted_data(args, env)
    found = database_comment(template_url, name)
    if found and not args.regenerate:
        described = json.loads(found)
        if described.get("wanted") == wanted:
            log(f"reusing the data in {name} (generated {described['generated_at']})")
            return described
    log(f"generating two years of visits into {name}")
    recreate_database(template_url)
    manage(env, "migrate", "--no-input", "-v0")
    today = dt.date.fromisoformat(json.loads(wanted)["today"])
    generated = stats_data.generate(
        template_url, today=today, visits=args.visits, events=args.events, secret=VISITOR_KEY_SECRET
    )
    began = time.perf_counter()
    vacuum_analyze(template_url)
    with psycopg.connect(template_url) as connection:
        size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    described = {
        "wanted": wanted,
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "generate_s": generated.seconds,
        "vacuum_s": time.perf_counter() - began,
        "counts": generated.counts,
        "visits": generated.visits,
        "database_mb": size / 1024 / 1024,
    }
    with psycopg.connect(with_database(template_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'COMMENT ON DATABASE "{name}" IS {sql.quote(json.dumps(described))}')
    log(
        f"generated in {generated.seconds:.0f} s (+ {described['vacuum_s']:.0f} s VACUUM ANALYZE): "
        f"{sum(generated.visits.values()):,} visits {generated.visits}, rows {generated.counts}"
    )
    return described


# --- the client -----------------------------------------------------------------------------------


def fetch_all(base: str, path: str, headers: dict[str, str], *, clients: int, requests: int) -> dict:
    """`requests` GETs from `clients` threads (one keep-alive connection each), all starting at once."""
    parts = urllib.parse.urlsplit(base)
    numbers, lock = itertools.count(), threading.Lock()
    start = threading.Barrier(clients)
    answers: list[tuple[float, int, int]] = []

    def client() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        connection.connect()
        start.wait()
        try:
            while next(numbers) < requests:
                began = time.perf_counter()
                connection.request("GET", path, headers=headers)
                reply = connection.getresponse()
                body = reply.read()
                with lock:
                    answers.append((time.perf_counter() - began, reply.status, len(body)))
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - began
    return {"elapsed_s": elapsed, "answers": answers}


def scenarios(year: int, auth: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    api = {"Authorization": f"Token {auth['token']}", "Accept": "application/json", "Accept-Language": "da"}
    page = {"Cookie": f"sessionid={auth['session']}", "Accept-Language": "da"}
    return [
        ("summary", f"/api/v1/stats/summary/?year={year}", api),
        *[(f"visits {g}", f"/api/v1/stats/visits/?year={year}&group_by={g}", api) for g in GROUPINGS],
        ("dashboard", "/da/statistics/", page),
    ]


# The rollups' version in the server's cache (visitor_stats.rollup_version.KEY, Django's key format).
VERSION_CACHE_KEY = "stats:1:stats:rollup-version"

# A refresh task that found nothing new, as the worker runs it: the state moves on and commits, then
# the common answers are computed ahead (visitor_stats.tasks).
WARMING = """
import json, resource, time
from django.db import transaction
from django.utils import timezone
from visitor_stats import rollup_version
from visitor_stats.models import RollupState
with transaction.atomic():
    RollupState.objects.filter(pk=1).update(refreshed_until=timezone.now())
    rollup_version.changed()
began, usage = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
rollup_version.rollups_changed.send(sender=None)
after = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": time.perf_counter() - began,
                  "python_cpu_s": after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime}))
"""


def measure_path(base: str, server_pid: int, url: str, path: str, headers: dict, args: argparse.Namespace) -> dict:
    """Cold answers (alone, then `clients` at once, after the rollup state moved on) and warm ones."""
    cache = redis.Redis.from_url(args.redis_url)
    with psycopg.connect(url, autocommit=True) as connection:
        own = connection.execute("SELECT pg_backend_pid()").fetchone()[0]

        def next_rollup_state() -> None:
            # What a refresh without new visits changes: the moment it ran, and so every cache key;
            # the cached version is dropped as a refresh drops it, without the answers computed ahead.
            connection.execute(
                "UPDATE visitor_stats_rollupstate SET refreshed_until = refreshed_until + interval '1 millisecond'"
            )
            cache.delete(VERSION_CACHE_KEY)

        alone, together, statuses = [], [], set()
        window = CpuWindow(server_pid, url)
        for _ in range(args.cold):
            next_rollup_state()
            run = fetch_all(base, path, headers, clients=1, requests=1)
            alone += [a[0] for a in run["answers"]]
            statuses |= {a[1] for a in run["answers"]}
        for _ in range(args.cold):
            next_rollup_state()
            run = fetch_all(base, path, headers, clients=args.clients, requests=args.clients)
            together += [a[0] for a in run["answers"]]
            statuses |= {a[1] for a in run["answers"]}
        cold_cpu = window.close(not_server=own)
    cold_requests = args.cold * (1 + args.clients)
    fetch_all(base, path, headers, clients=1, requests=1)  # in the cache now
    window = CpuWindow(server_pid, url)
    warm = fetch_all(base, path, headers, clients=args.clients, requests=args.requests)
    cpu = window.close()
    statuses |= {a[1] for a in warm["answers"]}
    latencies = [a[0] for a in warm["answers"]]
    return {
        "statuses": sorted(statuses),
        "bytes": warm["answers"][0][2] if warm["answers"] else 0,
        "warm_rps": len(latencies) / warm["elapsed_s"],
        "warm_ms": spread(latencies),
        "warm_cpu_ms": {k: cpu[f"{k}_s"] * 1000 / len(latencies) for k in ("workers", "postgres", "client")},
        "cold_alone_ms": spread(alone),
        "cold_together_ms": spread(together),
        "cold_cpu_ms": {k: cold_cpu[f"{k}_s"] * 1000 / cold_requests for k in ("workers", "postgres")},
        "other_share": max(cpu["other_share"], cold_cpu["other_share"]),
    }


# --- a round --------------------------------------------------------------------------------------


def one_round(args: argparse.Namespace, number: int, template_url: str, work: Path) -> dict:
    url = args.database_url
    began = time.perf_counter()
    recreate_database(url, template=urllib.parse.urlsplit(template_url).path.lstrip("/"))
    results: dict = {"round": number, "copy_s": time.perf_counter() - began}
    env = server_env(args, work, url)
    busy, children_cpu, started = system_busy_ticks(), own_children_cpu(), time.monotonic()
    results |= django_json(env, IN_PROCESS.format(rebuilds=args.rebuilds, hz=CLOCK_TICKS))
    # The machine's busy time less this Django process and its PostgreSQL backend (and parallel workers).
    ours = own_children_cpu() - children_cpu + results["postgres_total_cpu_s"]
    ours += sum(r["postgres_workers_cpu_s"] for r in [*results["rebuilds"], results["refresh"]])
    others = (system_busy_ticks() - busy) / CLOCK_TICKS - ours
    results["in_process_other_share"] = max(0.0, others) / ((time.monotonic() - started) * (os.cpu_count() or 1))
    rebuild = results["rebuilds"]
    walls = ", ".join(f"{r['wall_s']:.1f}" for r in rebuild)
    log(
        f"round {number}: rebuild {walls} s "
        f"({rebuild[-1]['rows']:,} rows); refresh of {results['partitions']} partitions "
        f"{results['refresh']['wall_s']:.2f} s; refresh equals rebuild: {results['refresh_equals_rebuild']}"
    )
    redis.Redis.from_url(args.redis_url).flushdb()
    server, base = start_server(args, env, work / f"gunicorn-{number}.log")
    try:
        year = dt.date.fromisoformat(results["today"]).year
        paths = scenarios(year, results)
        for _name, path, headers in paths:  # every worker thread connected, every view imported once
            fetch_all(base, path, headers, clients=args.clients, requests=args.clients)
        window = CpuWindow(server.pid, url)
        run = fetch_all(base, "/healthz", {}, clients=args.clients, requests=args.healthz_requests)
        cpu = window.close()
        latencies = [a[0] for a in run["answers"]]
        results["healthz"] = {
            "rps": len(latencies) / run["elapsed_s"],
            "ms": spread(latencies),
            "server_cpu_ms": (cpu["workers_s"] + cpu["postgres_s"]) * 1000 / len(latencies),
            "other_share": cpu["other_share"],
        }
        results["http"] = {}
        for name, path, headers in paths:
            measured = measure_path(base, server.pid, url, path, headers, args)
            measured["vs_healthz_by_cpu"] = results["healthz"]["server_cpu_ms"] / max(
                1e-9, measured["warm_cpu_ms"]["workers"] + measured["warm_cpu_ms"]["postgres"]
            )
            results["http"][name] = measured
            log(
                f"round {number} {name}: warm p95 {measured['warm_ms']['p95']:.1f} ms, cold alone p50 "
                f"{measured['cold_alone_ms']['p50']:.0f} ms, cold x{args.clients} p95 "
                f"{measured['cold_together_ms']['p95']:.0f} ms, statuses {measured['statuses']}, "
                f"other load {measured['other_share']:.0%}"
            )
        results["warming"] = django_json(env, WARMING)
        for name, path, headers in paths:  # the first answer after the refresh task, alone
            run = fetch_all(base, path, headers, clients=1, requests=1)
            results["http"][name]["after_refresh_task_ms"] = run["answers"][0][0] * 1000
        log(
            f"round {number}: answers computed ahead in {results['warming']['wall_s']:.2f} s; first answers after "
            + ", ".join(f"{n} {x['after_refresh_task_ms']:.0f} ms" for n, x in results["http"].items())
        )
    finally:
        stop_server(server)
    log_text = (work / f"gunicorn-{number}.log").read_text(errors="replace")
    results["server_tracebacks"] = log_text.count("Traceback")
    if results["server_tracebacks"]:
        sys.stderr.write(log_text[-3000:])
    return results


# --- report -----------------------------------------------------------------------------------------


def summarise(rounds: list[dict], data: dict, args: argparse.Namespace, facts: dict[str, str]) -> str:
    def mid(pick) -> float:
        return median([pick(r) for r in rounds])

    counts, visits = data["counts"], data["visits"]
    lines = [
        f"Data: {sum(visits.values()):,} visits (" + ", ".join(f"{k} {v:,}" for k, v in visits.items()) + "); "
        f"{counts['events_event']:,} events ({counts.get('events_tickets', 0):,} ticketed, "
        f"{counts.get('events_free_registration', 0):,} free registration, {counts.get('events_drop_in', 0):,} "
        f"drop-in), {counts['tickets_order']:,} orders from {counts['people']:,} people, "
        f"{counts['tickets_ticket']:,} tickets ({counts['tickets_admitted']:,} admitted), "
        f"{counts['visitor_stats_visitfigure']:,} visit figures; database {data['database_mb']:,.0f} MB; "
        f"generated in {data['generate_s']:.0f} s + {data['vacuum_s']:.0f} s VACUUM (ANALYZE).",
        "",
        "| Round | rebuild wall s (each) | Python CPU s | PostgreSQL CPU s (+ parallel workers) | rows | refresh "
        "after a day: partitions, wall s, Python + PostgreSQL CPU s | refresh = rebuild | other load |",
        "|---|---|---:|---:|---:|---|---|---:|",
    ]
    for r in rounds:
        rb, rf = r["rebuilds"], r["refresh"]
        lines.append(
            f"| {r['round']} | " + ", ".join(fmt(x["wall_s"], 2) for x in rb) + f" | "
            f"{fmt(median([x['python_cpu_s'] for x in rb]), 2)} | {fmt(median([x['postgres_cpu_s'] for x in rb]), 2)}"
            f" (+ {fmt(median([x['postgres_workers_cpu_s'] for x in rb]), 2)}) | {rb[-1]['rows']:,} | "
            f"{r['partitions']}, {fmt(rf['wall_s'], 2)}, {fmt(rf['python_cpu_s'], 2)} + "
            f"{fmt(rf['postgres_cpu_s'] + rf['postgres_workers_cpu_s'], 2)} | {r['refresh_equals_rebuild']} | "
            f"{r['in_process_other_share']:.0%} |"
        )
    rebuild_wall = mid(lambda r: median([x["wall_s"] for x in r["rebuilds"]]))
    lines += [
        "",
        f"Rebuild, median: **{fmt(rebuild_wall, 2)} s** (target under 60 s: "
        f"{'met' if rebuild_wall < 60 else 'NOT met'}). Arrivals of the day (round 1): {rounds[0]['arrivals']}.",
        "",
        f"HTTP: {args.clients} concurrent clients, gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", DEBUG=0; warm: {args.requests} requests per scenario; cold: {args.cold} x 1 request alone and "
        f"{args.cold} x {args.clients} at once, each after the rollup state moved on. Medians of {len(rounds)} rounds.",
        "",
        "| Scenario | warm req/s | warm p50 / p95 / p99 ms | warm server CPU ms/req (workers + PostgreSQL) | "
        "vs /healthz by CPU | cold alone p50 / max ms | cold x{c} p50 / p95 / p99 ms | cold server CPU ms/req | "
        "first answer after a refresh task ms | KB | other load |".replace("{c}", str(args.clients)),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| `/healthz` | {fmt(mid(lambda r: r['healthz']['rps']))} | "
        + " / ".join(fmt(mid(lambda r, p=p: r["healthz"]["ms"][p]), 1) for p in ("p50", "p95", "p99"))
        + f" | {fmt(mid(lambda r: r['healthz']['server_cpu_ms']), 2)} | 1.00 | | | | | | "
        f"{mid(lambda r: r['healthz']['other_share']):.0%} |",
    ]
    met = True
    for name in rounds[0]["http"]:

        def h(pick, name=name) -> float:
            return mid(lambda r: pick(r["http"][name]))

        warm_p95 = h(lambda x: x["warm_ms"]["p95"])
        met = met and (warm_p95 < 100 or name == "dashboard")
        lines.append(
            f"| {name} | {fmt(h(lambda x: x['warm_rps']))} | "
            + " / ".join(fmt(h(lambda x, p=p: x["warm_ms"][p]), 1) for p in ("p50", "p95", "p99"))
            + f" | {fmt(h(lambda x: x['warm_cpu_ms']['workers'] + x['warm_cpu_ms']['postgres']), 2)} "
            f"({fmt(h(lambda x: x['warm_cpu_ms']['workers']), 2)} + "
            f"{fmt(h(lambda x: x['warm_cpu_ms']['postgres']), 2)})"
            f" | {fmt(h(lambda x: x['vs_healthz_by_cpu']), 2)} | {fmt(h(lambda x: x['cold_alone_ms']['p50']))} / "
            f"{fmt(h(lambda x: x['cold_alone_ms']['p99']))} | "
            + " / ".join(fmt(h(lambda x, p=p: x["cold_together_ms"][p])) for p in ("p50", "p95", "p99"))
            + f" | {fmt(h(lambda x: x['cold_cpu_ms']['workers'] + x['cold_cpu_ms']['postgres']), 1)} | "
            f"{fmt(h(lambda x: x['after_refresh_task_ms']), 1)} | "
            f"{fmt(h(lambda x: x['bytes']) / 1024, 1)} | {h(lambda x: x['other_share']):.0%} |"
        )
    statuses = sorted({s for r in rounds for x in r["http"].values() for s in x["statuses"]})
    lines += [
        "",
        "Answers computed ahead after a refresh task (this year's summary, visits in each grouping and the page, "
        f"in 4 languages): {fmt(mid(lambda r: r['warming']['wall_s']), 2)} s wall, "
        f"{fmt(mid(lambda r: r['warming']['python_cpu_s']), 2)} s Python CPU.",
        "",
        f"API target (summary and visits p95 under 100 ms at {args.clients} clients, warm as deployed): "
        f"{'met' if met else 'NOT met'} by the medians. HTTP statuses seen: {statuses}; server tracebacks: "
        f"{sum(r['server_tracebacks'] for r in rounds)}.",
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()),
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_STATS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_stats"),
        help="Dropped and copied from `<name>_template` every round; the template is kept for the next run.",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_STATS_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="A Redis database of its own for the cache: it is emptied.",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rebuilds", type=int, default=3, help="Rebuilds per round.")
    parser.add_argument("--visits", type=int, default=3_200_000)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=10, help="Concurrent clients (threads).")
    parser.add_argument("--requests", type=int, default=1000, help="Warm requests per scenario.")
    parser.add_argument("--cold", type=int, default=5, help="Cold measurements per scenario (alone and together).")
    parser.add_argument("--healthz-requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    parser.add_argument("--regenerate", action="store_true", help="Generate the data again even if it is current.")
    parser.add_argument("--drop-template", action="store_true", help="Drop the template at the end.")
    parser.add_argument("--keep-database", action="store_true", help="Leave the last round's database for a look.")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    require_local_database(args.database_url, "The benchmark")
    work = Path(tempfile.mkdtemp(prefix="kultur-stats-"))
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    template_url = with_database(args.database_url, f"{name}_template")
    rounds = []
    try:
        data = ensure_template(args, work, template_url)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=server_env(args, work, template_url),
            check=True,
        )
        for number in range(1, args.rounds + 1):
            rounds.append(one_round(args, number, template_url, work))
        facts = machine_facts(template_url)
    finally:
        if args.drop_template:
            drop_database(template_url)
        if not args.keep_database:
            drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)
    table = summarise(rounds, data, args, facts)
    print(table)
    stem = write_results("stats-", table, {"facts": facts, "args": vars(args), "data": data, "rounds": rounds})
    log(f"results written to bench/results/{stem}.md and .json")
    if not all(r["refresh_equals_rebuild"] for r in rounds):
        sys.exit("CHECK FAILED: the refreshed rollups differ from a rebuild's.")


if __name__ == "__main__":
    main()
