"""Throughput and latency of the public reads, measured against gunicorn on loopback.

    .venv/bin/python bench/run.py            # or: make bench

What it does, in order:
1. creates the PostgreSQL database (default postgres://postgres@127.0.0.1:5432/kultur_bench, or
   --database-url / BENCH_DATABASE_URL; DATABASE_URL is deliberately not used, so a development
   database is never filled) if it is missing, migrates it, loads the demo catalogue with
   `load_demo --events 10000` and runs VACUUM (ANALYZE);
2. collects static files into a temporary folder and starts gunicorn (config.wsgi, DEBUG=0) on a free
   port of 127.0.0.1, with the cache in its own Redis database (emptied first);
3. for each round and each scenario: a short warm-up, then one bounded wrk run (a fixed number of
   requests and a time limit, whichever comes first), reading the gunicorn workers' and PostgreSQL's
   CPU time from /proc before and after;
4. prints a Markdown table of medians over the rounds, with each scenario's throughput as a share of
   the trivial /healthz view measured in the same round, and writes it to bench/results/.

The load tool is wrk (Debian package `wrk`: `apt-get install wrk`); when it is missing and the script
runs as root it installs it. All traffic goes to 127.0.0.1 only.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import common
from common import (
    CLOCK_TICKS,
    ROOT,
    children,
    cpu_spent,
    cpu_ticks,
    database_backends,
    free_port,
    gunicorn_command,
    log,
    machine_facts,
    manage,
    median,
    own_children_cpu,
    pids_named,
    system_busy_ticks,
    vacuum_analyze,
    wait_until_up,
)

LUA = r"""
-- Bounded load: each thread stops after its share of the requests (wrk's -d is the time limit).
-- wrk reports its whole -d as the duration even when threads stop early, so the threads note
-- their own start and finish (from /proc/uptime) and done() computes the real elapsed time.
local limit = tonumber(os.getenv("BENCH_LIMIT_PER_THREAD")) or 0
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^ ]+") do paths[#paths + 1] = path end
local header = os.getenv("BENCH_IF_NONE_MATCH")
local index, done_count = 0, 0
local threads = {}

local function uptime()
  local file = io.open("/proc/uptime")
  local value = file:read("*n")
  file:close()
  return value
end

setup = function(thread) table.insert(threads, thread) end

request = function()
  if not started then started = uptime() end
  index = index % #paths + 1
  -- Like browsers and calendar apps, accept gzip (the full feed is served compressed).
  local headers = {["Accept-Encoding"] = "gzip"}
  if header and header ~= "" then headers["If-None-Match"] = header end
  return wrk.format("GET", paths[index], headers)
end

response = function(status, headers, body)
  done_count = done_count + 1
  if limit > 0 and done_count >= limit and not finished then
    finished = uptime()
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local first, last, all_finished = nil, nil, true
  for _, thread in ipairs(threads) do
    local s, f = thread:get("started"), thread:get("finished")
    if s and (first == nil or s < first) then first = s end
    if f == nil then all_finished = false elseif last == nil or f > last then last = f end
  end
  local elapsed = summary.duration
  if all_finished and first and last and last > first then elapsed = (last - first) * 1000000 end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, "hit_limit": %s}\n',
    summary.requests, elapsed, summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    tostring(all_finished)))
end
"""


@dataclass
class Scenario:
    key: str
    label: str
    paths: list[str]
    requests: int
    expect_status: int = 200
    if_none_match: str = ""
    rounds: list[dict] = field(default_factory=list)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: installing the Debian package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: install it with `sudo apt-get install wrk` (Debian/Ubuntu) and run again.")
    return found


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def server_env(args: argparse.Namespace, work: Path) -> dict[str, str]:
    return common.server_env(database_url=args.database_url, redis_url=args.redis_url, cache_prefix="bench", work=work)


def flush_cache(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"{base}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def run_wrk(wrk: str, script: str, base: str, scenario: Scenario, *, requests: int, seconds: float, args) -> dict:
    env = {
        **os.environ,
        "BENCH_PATHS": " ".join(scenario.paths),
        "BENCH_LIMIT_PER_THREAD": str(max(1, requests // args.threads_client)),
        "BENCH_IF_NONE_MATCH": scenario.if_none_match,
    }
    command = [
        wrk,
        "-t",
        str(args.threads_client),
        "-c",
        str(args.connections),
        "-d",
        f"{max(1, round(seconds))}s",  # wrk takes whole seconds
        "--timeout",
        "30s",
        "-s",
        script,
        f"{base}{scenario.paths[0]}",
    ]
    # wrk stops itself at the count or the duration; the subprocess timeout is only a safety net.
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    return json.loads(line[len("BENCH ") :])


def scenarios(base: str, args: argparse.Namespace) -> list[Scenario]:
    status, _headers, body = fetch(base, "/api/v1/events/?page_size=100")
    if status != 200:
        sys.exit(f"/api/v1/events/ answered {status}")
    listing = json.loads(body)
    slugs = [event["slug"] for event in listing["results"]]
    after = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    _status, feed_headers, feed = fetch(base, "/events.ics")
    log(f"/events.ics is {len(feed) / 1e6:.1f} MB; {listing['count']} upcoming public events in the API")
    n = args.requests
    return [
        Scenario("healthz", "`/healthz` (trivial view, ceiling)", ["/healthz"], n),
        Scenario("api_list", "API list, first page `/api/v1/events/`", ["/api/v1/events/"], n),
        Scenario(
            "api_filtered",
            "API filtered `?venue=kulturvaerftet&category=koncert&starts_after=…`",
            [f"/api/v1/events/?venue=kulturvaerftet&category=koncert&starts_after={after}"],
            n,
        ),
        Scenario(
            "event_page",
            f"Event page `/da/events/<slug>/` ({len(slugs)} slugs in turn)",
            [f"/da/events/{slug}/" for slug in slugs],
            n,
        ),
        Scenario("ics_full", "Full feed `/events.ics`", ["/events.ics"], max(20, n // 50)),
        Scenario(
            "ics_304",
            "Feed revalidation `/events.ics` with If-None-Match (304)",
            ["/events.ics"],
            n,
            expect_status=304,
            if_none_match=feed_headers.get("ETag", ""),
        ),
    ]


def summarise(all_scenarios: list[Scenario], args: argparse.Namespace, facts: dict[str, str]) -> str:
    healthz = all_scenarios[0]
    lines = [
        f"Medians of {args.rounds} rounds; {args.connections} connections from {args.threads_client} wrk thread(s); "
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; {args.events} single events loaded.",
        "",
        "| Scenario | req/s | vs /healthz | p50 ms | p95 ms | p99 ms | worker CPU ms/req | PostgreSQL CPU ms/req "
        "| vs /healthz by CPU | requests/round | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in all_scenarios:
        rounds = scenario.rounds
        ratios = [mine["rps"] / base["rps"] for mine, base in zip(rounds, healthz.rounds, strict=True)]
        # Server CPU per request (workers + their PostgreSQL backends) against /healthz: throughput
        # as a CPU-bound server would see it, and less disturbed by other load on the machine.
        cpu_ratios = [
            (base["worker_cpu_ms"] + base["db_cpu_ms"]) / max(1e-9, mine["worker_cpu_ms"] + mine["db_cpu_ms"])
            for mine, base in zip(rounds, healthz.rounds, strict=True)
        ]
        # wrk counts statuses of 400 and up as errors, so the 304s of the revalidation scenario are not.
        errors = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in rounds)

        def mid(key: str, rounds: list[dict] = rounds) -> float:
            return median([r[key] for r in rounds])

        lines.append(
            f"| {scenario.label} | {mid('rps'):,.0f} | {median(ratios):.2f} | {mid('p50_us') / 1000:.1f} "
            f"| {mid('p95_us') / 1000:.1f} | {mid('p99_us') / 1000:.1f} | {mid('worker_cpu_ms'):.2f} "
            f"| {mid('db_cpu_ms'):.2f} | {median(cpu_ratios):.2f} | {mid('requests'):,.0f} | {errors} |"
        )
    shares = [r["other_cpu_share"] for scenario in all_scenarios for r in scenario.rounds]
    lines += [
        "",
        f"CPU used by processes other than the server, its database backends, Redis and wrk during the "
        f"measurements: {min(shares):.0%} to {max(shares):.0%} of the machine (median {median(shares):.0%}).",
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()),
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_bench"),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="A Redis database of its own: it is emptied before the run.",
    )
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--skip-load", action="store_true", help="Use the database as it is.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=4000, help="Requests per scenario and round (at most).")
    parser.add_argument("--seconds", type=float, default=10, help="Time limit per scenario and round.")
    parser.add_argument("--warmup-seconds", type=float, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads-client", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="kultur-bench-"))
    env = server_env(args, work)
    ensure_database(args.database_url)
    log("migrating")
    manage(env, "migrate", "--no-input", "-v0")
    if not args.skip_load:
        log(f"loading the demo catalogue with {args.events} single events")
        started = time.monotonic()
        log(manage(env, "load_demo", "--events", str(args.events)).strip())
        log(f"loaded in {time.monotonic() - started:.1f} s")
    vacuum_analyze(args.database_url)
    manage(env, "collectstatic", "--no-input", "-v0")
    flush_cache(args.redis_url)
    script = work / "bench.lua"
    script.write_text(LUA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        gunicorn_command(args, port),
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(base, server)
        facts = machine_facts(args.database_url)
        all_scenarios = scenarios(base, args)
        for round_number in range(1, args.rounds + 1):
            for scenario in all_scenarios:
                status, _headers, _body = fetch(
                    base,
                    scenario.paths[0],
                    {"If-None-Match": scenario.if_none_match} if scenario.if_none_match else None,
                )
                if status != scenario.expect_status:
                    sys.exit(f"{scenario.paths[0]} answered {status}, expected {scenario.expect_status}")
                run_wrk(
                    wrk, str(script), base, scenario, requests=scenario.requests, seconds=args.warmup_seconds, args=args
                )
                workers = children(server.pid)
                backends = database_backends(args.database_url)
                redis_pids = pids_named("redis-server")
                worker_before, db_before = cpu_ticks(workers), cpu_ticks(backends)
                redis_before, busy_before, wrk_before = cpu_ticks(redis_pids), system_busy_ticks(), own_children_cpu()
                started = time.monotonic()
                result = run_wrk(
                    wrk, str(script), base, scenario, requests=scenario.requests, seconds=args.seconds, args=args
                )
                worker_after, db_after = cpu_ticks(workers), cpu_ticks(backends)
                redis_after, busy_after, wrk_after = cpu_ticks(redis_pids), system_busy_ticks(), own_children_cpu()
                window = time.monotonic() - started
                ours = (
                    cpu_spent(worker_before, worker_after)
                    + cpu_spent(db_before, db_after)
                    + cpu_spent(redis_before, redis_after)
                    + (wrk_after - wrk_before)
                )
                others = max(0.0, (busy_after - busy_before) / CLOCK_TICKS - ours)
                count = max(1, result["requests"])
                result.update(
                    rps=result["requests"] / (result["duration_us"] / 1e6),
                    worker_cpu_ms=cpu_spent(worker_before, worker_after) * 1000 / count,
                    db_cpu_ms=cpu_spent(db_before, db_after) * 1000 / count,
                    other_cpu_share=others / (window * (os.cpu_count() or 1)),
                )
                scenario.rounds.append(result)
                log(
                    f"round {round_number} {scenario.key}: {result['rps']:.0f} req/s, "
                    f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, "
                    f"{result['requests']} requests, worker CPU {result['worker_cpu_ms']:.2f} ms/req"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    table = summarise(all_scenarios, args, facts)
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"{stamp}.md").write_text(table + "\n")
    raw = {"facts": facts, "args": vars(args), "scenarios": {s.key: s.rounds for s in all_scenarios}}
    (results / f"{stamp}.json").write_text(json.dumps(raw, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    log(f"results written to bench/results/{stamp}.md and .json")


if __name__ == "__main__":
    main()
