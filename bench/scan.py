"""Door scanning: 1,000 paid tickets scanned at once by many scanners, then 200 of them again.

    .venv/bin/python bench/scan.py            # or: make bench-scan; --help for the options

Each round, in order:
1. a fresh database cloned from a migrated template (default
   postgres://postgres@127.0.0.1:5432/kultur_scan; `--database-url` or BENCH_SCAN_DATABASE_URL;
   DATABASE_URL is never used), seeded directly (bulk inserts, it is set-up) with one concert per
   kind of scanner, each with 1,000 tickets of 500 paid orders, a small warm-up event, a registered
   scanner device (its token from the one-time code, as a phone gets it) and a member of the venue's
   door staff with an API token; then VACUUM (ANALYZE);
2. gunicorn (config.wsgi, DEBUG=0, its own signing key) on a free port of 127.0.0.1, the cache in a
   Redis database of its own (emptied first);
3. a warm-up (every worker thread opens its database connection), then `/healthz` under the same
   client for reference, then for each kind of scanner (`Authorization: Device …` and `Token …`, in
   turns): the 1,000 first scans from 20 client threads, then 200 of the same tickets again, which
   must all answer 409 `already_used`; the CPU time of the gunicorn workers, their PostgreSQL
   backends, Redis, the client and the rest of the machine is read from /proc around both phases;
4. gunicorn stops and the database is checked: every ticket admitted exactly once, one stored scan
   per request (1,200 per concert).

The client is a pool of threads, each with one keep-alive `http.client` connection (lighter than
requests, since the client shares the two CPUs with the server). It prints Markdown tables (each
round and the medians), writes them to bench/results/, and exits with an error if a check failed.
Results and method: docs/benchmarks.md, "Door scanning".
"""

import argparse
import base64
import http.client
import itertools
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common
import redis
from common import (
    CpuWindow,
    django_json,
    drop_database,
    fmt,
    log,
    machine_facts,
    manage,
    median,
    recreate_database,
    require_local_database,
    spread,
    start_server,
    stop_server,
    vacuum_analyze,
    with_database,
    write_results,
)

SCANS = "/api/v1/scans/"
AUTH_KINDS = {"device": "Device", "staff": "Token"}
WARMUP = "scan-opvarmning"
GATES = ("Hovedindgang", "Sideindgang")

SEED = """
import json
import secrets
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from events.models import BookingMode, Category, Event, EventStatus, Organiser
from tickets.devices import new_registration_code, register_device
from tickets.documents import ticket_code
from tickets.models import Order, OrderLine, OrderStatus, ScannerDevice, Ticket, TicketStatus, TicketType
from venues.models import Hall, Venue

venue = Venue.objects.create(name="Kulturværftet", slug="kulturvaerftet", street_address="Allégade 2",
                             postcode="3000", town="Helsingør", wheelchair_spaces=6)
hall = Hall.objects.create(venue=venue, name="Store Scene", slug="store-scene", seated_capacity=5000)
organiser = Organiser.objects.create(name="Kulturværftet", slug="kulturvaerftet")
category = Category.objects.create(slug="koncert", name_da="Koncert", name_en="Concert")
now = timezone.now()
# Doors are open: admission starts an hour before the start.
starts = now + timedelta(minutes=30)

def concert(slug, tickets):
    event = Event.objects.create(
        slug=slug, title_da="Koncert " + slug, status=EventStatus.PUBLISHED, booking_mode=BookingMode.TICKETS,
        organiser=organiser, category=category, venue=venue, hall=hall,
        starts_at=starts, ends_at=starts + timedelta(hours=2),
    )
    standard = TicketType.objects.create(event=event, name_da="Standard", name_en="Standard", price_ore=25000,
                                         vat_rate=Decimal("25.00"))
    companion = TicketType.objects.create(event=event, name_da="Ledsager", name_en="Companion", price_ore=0,
                                          vat_rate=Decimal("25.00"), is_companion=True, position=1)
    orders = Order.objects.bulk_create(
        Order(reference=f"{{event.pk:03d}}{{i:06d}}", event=event, status=OrderStatus.PAID,
              expires_at=now, paid_at=now, total_ore=50000, buyer_name=f"Gæst {{i}}",
              buyer_email=f"guest{{i}}@example.dk", buyer_is_resident=i % 3 == 0, buyer_postcode="3000",
              buyer_country="DK", language="da")
        for i in range((tickets + 1) // 2)
    )
    OrderLine.objects.bulk_create(
        OrderLine(order=order, ticket_type=standard, quantity=2, unit_price_ore=25000, vat_rate=Decimal("25.00"))
        for order in orders
    )
    # Every twentieth ticket is a companion ticket: its answer asks staff to take a look.
    made = Ticket.objects.bulk_create(
        Ticket(order=orders[i // 2], ticket_type=companion if i % 20 == 19 else standard, event=event,
               status=TicketStatus.VALID)
        for i in range(tickets)
    )
    return [ticket_code(ticket) for ticket in made]

codes = {{slug: concert(slug, n) for slug, n in {events}.items()}}
staff = User.objects.create_user("dorvagt", password=secrets.token_urlsafe(16))
venue.staff.add(staff)
device = ScannerDevice.objects.create(name="Dørtelefon 1")
device.venues.add(venue)
_, device_token = register_device(code=new_registration_code(device_id=device.pk))
with open({codes_path!r}, "w") as output:
    json.dump({{"codes": codes, "tokens": {{"device": device_token, "staff": Token.objects.create(user=staff).key}}}},
              output)
print(json.dumps({{"ok": True}}))
"""

CHECK = """
import json
from django.db.models import Count
from tickets.models import Scan, Ticket

out = {{}}
for slug in {slugs}:
    ok_per_ticket = dict(
        Scan.objects.filter(event__slug=slug, result="ok").values_list("ticket").annotate(n=Count("pk"))
    )
    out[slug] = {{
        "tickets": Ticket.objects.filter(event__slug=slug).count(),
        "entered": Ticket.objects.filter(event__slug=slug, entered_at__isnull=False).count(),
        "admitted_once": sum(1 for n in ok_per_ticket.values() if n == 1),
        "admitted_more_than_once": sum(1 for n in ok_per_ticket.values() if n > 1),
        "scans": Scan.objects.filter(event__slug=slug).count(),
        "scans_by_result": dict(
            Scan.objects.filter(event__slug=slug).values_list("result").annotate(n=Count("pk"))
        ),
        "double_entries": Scan.objects.filter(event__slug=slug, is_double_entry=True).count(),
    }}
print(json.dumps(out))
"""


def signing_key() -> str:
    """A signing key of the benchmark's own (`id:base64`), given to the server and the seed alike."""
    return "1:" + base64.b64encode(secrets.token_bytes(32)).decode()


def server_env(args: argparse.Namespace, work: Path, database_url: str, key: str) -> dict[str, str]:
    return common.server_env(
        database_url=database_url,
        redis_url=args.redis_url,
        cache_prefix="scan",
        work=work,
        # Persistent connections for the whole round: a backend that ends mid-measurement takes its CPU time along.
        DATABASE_CONN_MAX_AGE="600",
        TICKET_SIGNING_KEYS=key,
        TICKET_SIGNING_KEY_ID="1",
    )


# --- the client -------------------------------------------------------------------------------------


def closed_loop(base: str, jobs: list[tuple[str, str, bytes | None, dict[str, str]]], *, clients: int) -> dict:
    """Send the jobs (method, path, body, headers) from `clients` threads, each waiting for its answer.

    Each thread keeps one connection; a dropped connection is opened again and the request sent
    again (harmless for scans: the nonce makes a retry answer as the first attempt did).
    """
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    numbers = itertools.count()
    lock = threading.Lock()
    start = threading.Barrier(clients)
    answers: list[tuple[int, float, int | str, bytes]] = []
    resent = itertools.count()

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        start.wait()
        try:
            while True:
                with lock:
                    index = next(numbers)
                if index >= len(jobs):
                    return
                method, path, body, headers = jobs[index]
                started = time.perf_counter()
                status: int | str
                for attempt in range(3):
                    try:
                        connection.request(method, path, body=body, headers=headers)
                        reply = connection.getresponse()
                        status, data = reply.status, reply.read()
                        break
                    except (http.client.HTTPException, OSError) as error:
                        connection.close()
                        next(resent)
                        status, data = type(error).__name__, b""
                        if attempt == 2:
                            break
                took = time.perf_counter() - started
                with lock:
                    answers.append((index, took, status, data))
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - began
    answers.sort()
    return {"elapsed_s": elapsed, "answers": answers, "resent": next(resent)}


def scan_jobs(codes: list[str], slug: str, authorization: str, prefix: str) -> list:
    headers = {"Authorization": authorization, "Content-Type": "application/json", "Accept-Language": "da"}
    return [
        (
            "POST",
            SCANS,
            json.dumps(
                {"code": code, "event": slug, "gate": GATES[i % 2], "nonce": f"{prefix}-{uuid.uuid4().hex}"}
            ).encode(),
            headers,
        )
        for i, code in enumerate(codes)
    ]


def outcomes(run: dict) -> Counter[str]:
    """`<status> <result>` for each answer, e.g. `200 ok`, `409 already_used`."""
    found: Counter[str] = Counter()
    for _index, _took, status, data in run["answers"]:
        try:
            body = json.loads(data)
            result = body.get("result") or body.get("code") or "?"
            if result == "already_used" and not body.get("first_used"):
                result = "already_used without first_used"
        except ValueError:
            result = "not JSON"
        found[f"{status} {result}"] += 1
    return found


def scan_phases(base: str, codes: list[str], slug: str, authorization: str, args: argparse.Namespace) -> dict:
    """The first scans of every ticket, then re-scans of every fifth one."""
    first = closed_loop(base, scan_jobs(codes, slug, authorization, "f"), clients=args.clients)
    again = codes[:: max(1, len(codes) // args.rescans)][: args.rescans]
    second = closed_loop(base, scan_jobs(again, slug, authorization, "r"), clients=args.clients)
    first_outcomes, second_outcomes = outcomes(first), outcomes(second)
    elapsed = first["elapsed_s"] + second["elapsed_s"]
    everything = [a[1] for a in first["answers"]] + [a[1] for a in second["answers"]]
    return {
        "scans": len(everything),
        "elapsed_s": elapsed,
        "scans_per_s": len(everything) / elapsed,
        "first_per_s": len(first["answers"]) / first["elapsed_s"],
        "rescans_per_s": len(second["answers"]) / second["elapsed_s"],
        "ms": spread(everything),
        "first_ms": spread([a[1] for a in first["answers"]]),
        "rescan_ms": spread([a[1] for a in second["answers"]]),
        "first_outcomes": dict(first_outcomes),
        "rescan_outcomes": dict(second_outcomes),
        "first_ok": first_outcomes["200 ok"],
        "rescans_already_used": second_outcomes["409 already_used"],
        "rescans": len(again),
        "resent": first["resent"] + second["resent"],
    }


def healthz(base: str, args: argparse.Namespace) -> dict:
    run = closed_loop(base, [("GET", "/healthz", None, {})] * args.healthz_requests, clients=args.clients)
    failures = sum(1 for a in run["answers"] if a[2] != 200)
    return {
        "rps": len(run["answers"]) / run["elapsed_s"],
        "ms": spread([a[1] for a in run["answers"]]),
        "errors": failures,
    }


# --- a round ----------------------------------------------------------------------------------------


def one_round(args: argparse.Namespace, number: int, template_url: str, work: Path) -> dict:
    url = args.database_url
    recreate_database(url, template=urllib.parse.urlsplit(template_url).path.lstrip("/"))
    key = signing_key()
    env = server_env(args, work, url, key)
    kinds = args.auth if number % 2 else list(reversed(args.auth))
    events = {f"scan-{kind}": args.tickets for kind in kinds} | {WARMUP: args.warmup}
    codes_path = work / "codes.json"
    django_json(env, SEED.format(events=events, codes_path=str(codes_path)))
    seeded = json.loads(codes_path.read_text())
    vacuum_analyze(url)
    redis.Redis.from_url(args.redis_url).flushdb()
    server_log = work / f"gunicorn-{number}.log"
    server, base = start_server(args, env, server_log)
    results: dict = {"round": number, "order": kinds}
    try:
        warm = seeded["codes"][WARMUP]
        for i, kind in enumerate(AUTH_KINDS):
            share = warm[i :: len(AUTH_KINDS)]
            auth = f"{AUTH_KINDS[kind]} {seeded['tokens'][kind]}"
            closed_loop(base, scan_jobs(share + share[:10], WARMUP, auth, "w"), clients=args.clients)
        window = CpuWindow(server.pid, url)
        results["healthz"] = healthz(base, args)
        cpu = window.close()
        results["healthz"]["server_cpu_ms"] = (cpu["workers_s"] + cpu["postgres_s"]) * 1000 / args.healthz_requests
        for kind in kinds:
            slug = f"scan-{kind}"
            window = CpuWindow(server.pid, url)
            run = scan_phases(base, seeded["codes"][slug], slug, f"{AUTH_KINDS[kind]} {seeded['tokens'][kind]}", args)
            cpu = window.close()
            scans = max(1, run["scans"])
            server_ms = (cpu["workers_s"] + cpu["postgres_s"]) * 1000 / scans
            run |= {
                "cpu": cpu,
                "server_cpu_ms_per_scan": server_ms,
                "cpu_ms_per_scan": {
                    k: cpu[f"{k}_s"] * 1000 / scans for k in ("workers", "postgres", "redis", "client")
                },
                "vs_healthz": run["scans_per_s"] / results["healthz"]["rps"],
                # As in bench/run.py: /healthz's server CPU per request over the scan's, steadier under other load.
                "vs_healthz_by_cpu": results["healthz"]["server_cpu_ms"] / server_ms,
            }
            results[kind] = run
            log(
                f"round {number} {kind}: {run['scans_per_s']:.0f} scans/s, p50 {run['ms']['p50']:.1f} ms, "
                f"p99 {run['ms']['p99']:.1f} ms, {run['first_ok']} ok, {run['rescans_already_used']}/"
                f"{run['rescans']} re-scans already_used, server CPU {run['server_cpu_ms_per_scan']:.2f} ms/scan, "
                f"other load {cpu['other_share']:.0%}"
            )
    finally:
        stop_server(server)
    tracebacks = server_log.read_text(errors="replace").count("Traceback")
    if tracebacks:
        log(f"the server logged {tracebacks} tracebacks; the last lines of its log:")
        sys.stderr.write(server_log.read_text(errors="replace")[-3000:])
    check = django_json(env, CHECK.format(slugs=[f"scan-{kind}" for kind in kinds]))
    for kind in kinds:
        results[kind]["check"] = check[f"scan-{kind}"]
        results[kind]["passed"] = passed(results[kind], args)
    results["server_tracebacks"] = tracebacks
    return results


def passed(run: dict, args: argparse.Namespace) -> bool:
    """Every ticket admitted exactly once, every re-scan already_used, every request stored once."""
    check = run["check"]
    return (
        run["first_ok"] == args.tickets
        and run["rescans_already_used"] == run["rescans"]
        and check["entered"] == args.tickets
        and check["admitted_once"] == args.tickets
        and check["admitted_more_than_once"] == 0
        and check["scans"] == args.tickets + run["rescans"]
        and check["scans_by_result"] == {"ok": args.tickets, "already_used": run["rescans"]}
    )


# --- report -----------------------------------------------------------------------------------------


def summarise(rounds: list[dict], args: argparse.Namespace, facts: dict[str, str]) -> str:
    def lat(spread: dict) -> str:
        return " / ".join(fmt(spread[p], 1) for p in ("p50", "p95", "p99"))

    columns: list[tuple[str, Callable[[dict, dict], str]]] = [
        ("scans/s", lambda r, k: fmt(r[k]["scans_per_s"])),
        ("first / re-scans per s", lambda r, k: f"{fmt(r[k]['first_per_s'])} / {fmt(r[k]['rescans_per_s'])}"),
        ("p50 / p95 / p99 ms", lambda r, k: lat(r[k]["ms"])),
        ("ok", lambda r, k: fmt(r[k]["first_ok"])),
        ("re-scans already_used", lambda r, k: f"{r[k]['rescans_already_used']}/{r[k]['rescans']}"),
        (
            "DB: admitted once / twice / scans",
            lambda r, k: (
                f"{r[k]['check']['admitted_once']} / {r[k]['check']['admitted_more_than_once']} / "
                f"{r[k]['check']['scans']}"
            ),
        ),
        (
            "server CPU ms/scan (gunicorn + PostgreSQL)",
            lambda r, k: (
                f"{fmt(r[k]['server_cpu_ms_per_scan'], 2)} ({fmt(r[k]['cpu_ms_per_scan']['workers'], 2)} + "
                f"{fmt(r[k]['cpu_ms_per_scan']['postgres'], 2)})"
            ),
        ),
        ("client CPU ms/scan", lambda r, k: fmt(r[k]["cpu_ms_per_scan"]["client"], 2)),
        ("/healthz req/s", lambda r, k: fmt(r["healthz"]["rps"])),
        ("vs /healthz", lambda r, k: fmt(r[k]["vs_healthz"], 2)),
        ("vs /healthz by CPU", lambda r, k: fmt(r[k]["vs_healthz_by_cpu"], 3)),
        ("other load", lambda r, k: f"{r[k]['cpu']['other_share']:.0%}"),
    ]

    def mid(kind: str, pick: Callable[[dict], float]) -> float:
        return median([pick(r[kind]) for r in rounds])

    lines = [
        f"{args.tickets:,} first scans then {args.rescans} re-scans per kind of scanner, from {args.clients} "
        f"concurrent clients; gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", DEBUG=0; {len(rounds)} rounds, each on a fresh database. scans/s counts all "
        f"{args.tickets + args.rescans:,} scans over both phases; latencies are over all of them.",
        "",
    ]
    for kind in args.auth:
        medians = {
            "scans_per_s": mid(kind, lambda r: r["scans_per_s"]),
            "first_per_s": mid(kind, lambda r: r["first_per_s"]),
            "rescans_per_s": mid(kind, lambda r: r["rescans_per_s"]),
            "ms": {p: mid(kind, lambda r, p=p: r["ms"][p]) for p in ("p50", "p95", "p99")},
            "first_ok": mid(kind, lambda r: r["first_ok"]),
            "rescans_already_used": min(r[kind]["rescans_already_used"] for r in rounds),
            "rescans": args.rescans,
            "check": {
                "admitted_once": min(r[kind]["check"]["admitted_once"] for r in rounds),
                "admitted_more_than_once": max(r[kind]["check"]["admitted_more_than_once"] for r in rounds),
                "scans": mid(kind, lambda r: r["check"]["scans"]),
            },
            "server_cpu_ms_per_scan": mid(kind, lambda r: r["server_cpu_ms_per_scan"]),
            "cpu_ms_per_scan": {
                k: mid(kind, lambda r, k=k: r["cpu_ms_per_scan"][k]) for k in ("workers", "postgres", "client")
            },
            "vs_healthz": mid(kind, lambda r: r["vs_healthz"]),
            "vs_healthz_by_cpu": mid(kind, lambda r: r["vs_healthz_by_cpu"]),
            "cpu": {"other_share": mid(kind, lambda r: r["cpu"]["other_share"])},
        }
        summary = {
            "round": "**median**",
            kind: medians,
            "healthz": {"rps": median([r["healthz"]["rps"] for r in rounds])},
        }
        met = medians["scans_per_s"] >= 300 and medians["ms"]["p99"] < 100
        lines += [
            f"**{kind}** (`Authorization: {AUTH_KINDS[kind]} …`)",
            "",
            "| Round | " + " | ".join(name for name, _ in columns) + " |",
            "|---|" + "---:|" * len(columns),
            *[f"| {r['round']} | " + " | ".join(pick(r, kind) for _, pick in columns) + " |" for r in rounds],
            f"| {summary['round']} | " + " | ".join(pick(summary, kind) for _, pick in columns) + " |",
            "",
            f"Target (at least 300 scans/s, p99 under 100 ms): {'met' if met else 'NOT met'} by the medians. "
            f"Checks passed in {sum(r[kind]['passed'] for r in rounds)} of {len(rounds)} rounds. "
            "Outcomes: "
            + "; ".join(f"{r[kind]['first_outcomes']} then {r[kind]['rescan_outcomes']}" for r in rounds[:1])
            + " (round 1).",
            "",
        ]
    lines += [
        "/healthz under the same client: "
        + ", ".join(
            f"{fmt(r['healthz']['rps'])} req/s (p99 {fmt(r['healthz']['ms']['p99'], 1)} ms, server CPU "
            f"{fmt(r['healthz']['server_cpu_ms'], 2)} ms/request)"
            for r in rounds
        )
        + ".",
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()),
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_SCAN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_scan"),
        help="Dropped and recreated every round (and `<name>_template` once per run).",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_SCAN_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="A Redis database of its own for the cache: it is emptied.",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tickets", type=int, default=1000, help="Tickets scanned once each, per kind of scanner.")
    parser.add_argument("--rescans", type=int, default=200, help="Of those, scanned a second time.")
    parser.add_argument("--clients", type=int, default=20, help="Concurrent clients (threads).")
    parser.add_argument(
        "--auth",
        default="device,staff",
        type=lambda text: [kind for kind in text.split(",") if kind],
        help="Kinds of scanner, in turns: device (Authorization: Device) and/or staff (Authorization: Token).",
    )
    parser.add_argument("--warmup", type=int, default=100, help="Tickets of the warm-up event.")
    parser.add_argument("--healthz-requests", type=int, default=2000)
    # Processes as in the README's production command: threads of one process share its GIL.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    # sync, as the README's production command (gunicorn's default): any free process takes the next
    # request, where a gthread process keeps its kept-alive clients waiting while it serves another.
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="sync")
    parser.add_argument("--keep-database", action="store_true", help="Leave the last round's database for a look.")
    args = parser.parse_args()
    if not args.auth or set(args.auth) - set(AUTH_KINDS):
        parser.error(f"--auth takes {', '.join(AUTH_KINDS)}")
    return args


def main() -> None:
    args = parse_args()
    require_local_database(args.database_url, "The benchmark")
    work = Path(tempfile.mkdtemp(prefix="kultur-scan-"))
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    template_url = with_database(args.database_url, f"{name}_template")
    log(f"migrating a template database for {name}")
    recreate_database(template_url)
    manage(server_env(args, work, template_url, signing_key()), "migrate", "--no-input", "-v0")
    rounds = []
    try:
        for number in range(1, args.rounds + 1):
            rounds.append(one_round(args, number, template_url, work))
        facts = machine_facts(template_url)
    finally:
        drop_database(template_url)
        if not args.keep_database:
            drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)
    table = summarise(rounds, args, facts)
    print(table)
    stem = write_results("scan-", table, {"facts": facts, "args": vars(args), "rounds": rounds})
    log(f"results written to bench/results/{stem}.md and .json")
    failed = [f"round {r['round']} {kind}" for r in rounds for kind in args.auth if not r[kind]["passed"]]
    if failed:
        sys.exit("CHECK FAILED (an admission, a re-scan answer or a stored scan is wrong): " + ", ".join(failed))


if __name__ == "__main__":
    main()
