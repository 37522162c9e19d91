"""On-sale rush: many buyers reserve and pay for the same concert at once, against gunicorn on loopback.

    .venv/bin/python bench/rush.py            # --help for the options

Each purchase attempt is two dependent requests, as a buyer's browser and Stripe would send them:
`POST /api/v1/orders/` for one ticket (`--max-quantity` draws 1..N instead), and on 201 at once a
signed `checkout.session.completed` webhook for that order (shaped like the payment simulator's
events, signed with `sign_webhook_payload` and the STRIPE_WEBHOOK_SECRET given to the server). An
attempt counts as paid when the webhook answers 200 {"result": "handled"}, as sold out on a 409
with code `sold_out`, and as an error otherwise. Defaults: 2,000 attempts from 50 concurrent
clients for a hall of 1,000 seats shared by two ticket types (stalls, and a balcony with its own
limit of 300); even attempts ask for stalls, odd ones for the balcony.

Each round, in order:
1. a fresh database cloned from a migrated template (default
   postgres://postgres@127.0.0.1:5432/kultur_rush; `--database-url` or BENCH_RUSH_DATABASE_URL;
   DATABASE_URL is never used), seeded with the concert and a small warm-up event, then VACUUM (ANALYZE);
2. gunicorn (config.wsgi, 6 sync workers by default) on a free port of 127.0.0.1 with DEBUG=1 (but
   not its query log, which production never has: bench/gunicorn_without_query_log.py) and no
   Stripe key (so payments go through the simulator gateway: the only way without Stripe), the cache
   and the Celery broker in a Redis database of its own (emptied first and after; no worker reads
   it, so tasks queued on commit are counted and dropped), e-mail to Django's locmem backend;
3. a warm-up rush on the warm-up event, then `/healthz` under the same client for reference, then
   the rush itself, bounded by the number of attempts and `--seconds`, reading the CPU time of the
   gunicorn workers and PostgreSQL backends from /proc around it;
4. gunicorn stops and the database is checked: tickets issued in total and per ticket type against
   their limits (oversold must be 0), orders and payments by status.

It prints Markdown tables (each round and the medians) and writes them to bench/results/, and exits
with an error if anything was oversold. `--profile` also samples pg_stat_activity during each rush
(connections waiting for locks, transactions left open while Python runs). The client is a thread
pool with one keep-alive http.client connection per thread and the reservations' bodies encoded
before the rush; everything stays on 127.0.0.1. Results and the reasons behind these choices:
docs/benchmarks.md, "On-sale rush".
"""

import argparse
import http.client
import itertools
import json
import os
import random
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import common
import psycopg
import redis
from common import (
    ROOT,
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

sys.path.insert(0, str(ROOT))
from tickets.payments.gateway import sign_webhook_payload
from tickets.payments.simulator import checkout_session_completed_object, payment_intent_id_for
from tickets.payments.stripe_gateway import API_VERSION

ORDERS = "/api/v1/orders/"
WEBHOOK = "/api/v1/payments/stripe/webhook/"
WEBHOOK_SECRET = "whsec_rush_" + "0" * 24  # loopback only; the server gets the same value
CONCERT, WARMUP = "rush-koncert", "rush-opvarmning"

SEED = """
import json
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from events.models import BookingMode, Category, Event, EventStatus, Organiser
from tickets.models import TicketType
from venues.models import Hall, Venue

venue = Venue.objects.create(name="Kulturværftet", slug="kulturvaerftet", street_address="Allégade 2",
                             postcode="3000", town="Helsingør", wheelchair_spaces=6)
hall = Hall.objects.create(venue=venue, name="Store Scene", slug="store-scene", seated_capacity={seats})
organiser = Organiser.objects.create(name="Kulturværftet", slug="kulturvaerftet")
category = Category.objects.create(slug="koncert", name_da="Koncert", name_en="Concert")
starts = timezone.now() + timedelta(days=30)

def event(slug, title, capacity=None):
    return Event.objects.create(
        slug=slug, title_da=title, status=EventStatus.PUBLISHED, booking_mode=BookingMode.TICKETS,
        organiser=organiser, category=category, venue=venue, hall=hall, capacity=capacity,
        starts_at=starts, ends_at=starts + timedelta(hours=2),
    )

def ticket_type(event, name, price, capacity=None, position=0):
    return TicketType.objects.create(
        event=event, name_da=name, name_en=name, price_ore=price, vat_rate=Decimal("25.00"),
        capacity=capacity, max_per_order=10, position=position,
    )

concert = event("{concert}", "Udsolgt koncert")
stalls = ticket_type(concert, "Parterre", 25000)
balcony = ticket_type(concert, "Balkon", 18000, capacity={balcony}, position=1)
warmup = event("{warmup}", "Opvarmning", capacity={warmup_seats})
warmup_type = ticket_type(warmup, "Billet", 10000)
print(json.dumps({{"stalls": stalls.pk, "balcony": balcony.pk, "warmup": warmup_type.pk}}))
"""

CHECK = """
import json
from django.db.models import Count
from tickets.models import Order, Payment, PaymentIssue, ProcessedWebhookEvent, Refund, Ticket

slug = "{concert}"

def by(queryset, field):
    return dict(queryset.values_list(field).annotate(n=Count("pk")))

print(json.dumps({{
    "tickets_by_type": {{str(k): v for k, v in by(Ticket.objects.filter(event__slug=slug, status="valid"),
                                                 "ticket_type_id").items()}},
    "orders_by_status": by(Order.objects.filter(event__slug=slug), "status"),
    "payments_by_status": by(Payment.objects.filter(order__event__slug=slug), "status"),
    "paid_orders_without_all_tickets": sum(
        1 for order in Order.objects.filter(event__slug=slug, status="paid").prefetch_related("lines", "tickets")
        if sum(line.quantity for line in order.lines.all()) != len(order.tickets.all())
    ),
    "refunds": Refund.objects.count(),
    "payment_issues": PaymentIssue.objects.count(),
    "webhook_events": ProcessedWebhookEvent.objects.count(),
}}))
"""


@dataclass
class Sale:
    """What the clients try to buy: an event, its ticket types by attempt, and the limits to check."""

    slug: str
    type_ids: list[int]
    seats: int
    limits: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)


# --- the client -------------------------------------------------------------------------------------


def webhook_body(*, session_id: str, reference: str, amount: int) -> bytes:
    """A `checkout.session.completed` event as the simulator (and Stripe) sends it."""
    data = checkout_session_completed_object(
        session_id=session_id,
        reference=reference,
        amount_total_ore=amount,
        payment_intent_id=payment_intent_id_for(session_id),
    )
    event = {
        "id": "evt_rush_" + secrets.token_hex(12),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": data},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
    }
    return json.dumps(event).encode()


class Client:
    """One keep-alive HTTP connection (http.client: a small share of the two CPUs, unlike requests).

    A connection the server closed (sync workers close after every answer) is opened again for
    the next request; a request that finds its idle connection closed is sent once more.
    """

    def __init__(self, base: str) -> None:
        address = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None):
        """Send a request; its status and body."""
        try:
            return self._send(method, path, body, headers or {})
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.connection.close()
            return self._send(method, path, body, headers or {})

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.connection.close()


JSON = {"Content-Type": "application/json"}


def order_body(sale: Sale, index: int, quantity: int) -> bytes:
    """The reservation an attempt posts: one ticket type in turn, a buyer in one of the four languages."""
    order = {
        "event": sale.slug,
        "items": [{"ticket_type": sale.type_ids[index % len(sale.type_ids)], "quantity": quantity}],
        "buyer": {
            "name": f"Købers Navn {index}",
            "email": f"buyer{index}@example.dk",
            "is_resident": index % 3 == 0,
            "postcode": "3000",
            "country": "DK",
            "language": ("da", "en", "sv", "de")[index % 4],
        },
    }
    return json.dumps(order).encode()


def attempt(client: Client, body: bytes, quantity: int) -> dict:
    """One buyer: reserve, and when that succeeds pay through the signed webhook."""
    result: dict = {"quantity": quantity}
    started = time.perf_counter()
    try:
        status, reply = client.request("POST", ORDERS, body, JSON)
        reserved = time.perf_counter()
        result["reserve_s"] = reserved - started
        if status == 409 and json.loads(reply).get("code") == "sold_out":
            return result | {"outcome": "sold_out"}
        if status != 201:
            return result | {"outcome": f"reserve {status} {reply[:80].decode(errors='replace')}"}
        placed = json.loads(reply)
        session_id = placed["payment_url"].rstrip("/").rsplit("/", 1)[-1]
        payload = webhook_body(session_id=session_id, reference=placed["reference"], amount=placed["total_ore"])
        headers = JSON | {"Stripe-Signature": sign_webhook_payload(payload=payload, secret=WEBHOOK_SECRET)}
        status, reply = client.request("POST", WEBHOOK, payload, headers)
        finished = time.perf_counter()
        result |= {"webhook_s": finished - reserved, "purchase_s": finished - started}
        if status == 200 and json.loads(reply) == {"result": "handled"}:
            return result | {"outcome": "paid"}
        return result | {"outcome": f"webhook {status} {reply[:80].decode(errors='replace')}"}
    except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
        return result | {"outcome": f"client {type(error).__name__}"}


def rush(base: str, sale: Sale, *, attempts: int, clients: int, seconds: float, max_quantity: int, seed: int) -> dict:
    """Run the attempts from `clients` threads; stop starting new ones after `seconds`."""
    numbers = itertools.count()
    lock = threading.Lock()
    start = threading.Barrier(clients)
    quantities = random.Random(seed)
    plan = [quantities.randint(1, max_quantity) for _ in range(attempts)]
    bodies = [order_body(sale, index, quantity) for index, quantity in enumerate(plan)]
    results: list[dict] = []

    def client() -> None:
        connection = Client(base)
        start.wait()
        try:
            while True:
                with lock:
                    index = next(numbers)
                if index >= attempts or time.monotonic() > deadline:
                    return
                outcome = attempt(connection, bodies[index], plan[index])
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    deadline = time.monotonic() + seconds
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - began
    outcomes = Counter(r["outcome"] for r in results)
    paid = [r for r in results if r["outcome"] == "paid"]
    errors = {k: v for k, v in outcomes.items() if k not in ("paid", "sold_out")}
    return {
        "attempts": len(results),
        "elapsed_s": elapsed,
        "paid": len(paid),
        "paid_tickets": sum(r["quantity"] for r in paid),
        "sold_out": outcomes["sold_out"],
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "paid_per_s": len(paid) / elapsed,
        "attempts_per_s": len(results) / elapsed,
        "purchase_ms": spread([r["purchase_s"] for r in paid]),
        "reserve_ms": spread([r["reserve_s"] for r in results if "webhook_s" in r]),
        "webhook_ms": spread([r["webhook_s"] for r in paid]),
        "sold_out_ms": spread([r["reserve_s"] for r in results if r["outcome"] == "sold_out"]),
        "timed_out": len(results) < attempts,
    }


def healthz(base: str, *, requests_total: int, clients: int) -> dict:
    """The trivial view under the same client and server: the ceiling of this set-up."""
    numbers = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: Counter[str] = Counter()

    def client() -> None:
        connection = Client(base)
        try:
            while True:
                with lock:
                    if next(numbers) >= requests_total:
                        return
                started = time.perf_counter()
                try:
                    status: int | str = connection.request("GET", "/healthz")[0]
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    if status != 200:
                        failures[str(status)] += 1
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - began
    return {"rps": len(latencies) / elapsed, "ms": spread(latencies), "errors": sum(failures.values())}


class ActivitySampler(threading.Thread):
    """Samples what the server's database connections are doing, from pg_stat_activity (--profile).

    Lock waits show queueing on the event row; "idle in transaction" is the application running
    Python while its transaction (and any row lock it took) stays open.
    """

    def __init__(self, database_url: str, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.stop = threading.Event()
        self.counts: Counter[str] = Counter()
        self.waiting_on: Counter[str] = Counter()
        self.samples = 0
        self.backend_pid = 0  # its own connection, left out of the server's CPU

    def run(self) -> None:
        name = urllib.parse.urlsplit(self.database_url).path.lstrip("/")
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            self.backend_pid = connection.info.backend_pid
            while not self.stop.wait(self.interval):
                rows = connection.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                    [name],
                ).fetchall()
                self.samples += 1
                for state, wait_type, wait_event, query in rows:
                    if state == "active" and wait_type == "Lock":
                        kind = "waiting for a lock"
                        self.waiting_on[f"{wait_event}: {' '.join(query.split())[:70]}"] += 1
                    elif state == "active" and wait_type == "IO":
                        kind = f"in I/O ({wait_event})"
                    elif state == "active":
                        kind = "running a statement"
                    else:
                        kind = state or "unknown"
                    self.counts[kind] += 1

    def result(self) -> dict:
        self.stop.set()
        self.join(timeout=5)
        samples = max(1, self.samples)
        return {
            "samples": self.samples,
            "mean_connections": {kind: n / samples for kind, n in self.counts.most_common()},
            "lock_waits_on": {query: n / samples for query, n in self.waiting_on.most_common(3)},
        }


# --- database and server ----------------------------------------------------------------------------


def server_env(args: argparse.Namespace, work: Path, database_url: str) -> dict[str, str]:
    return common.server_env(
        database_url=database_url,
        redis_url=args.redis_url,
        cache_prefix="rush",
        work=work,
        # The payment simulator is the only gateway without Stripe keys, and it needs DEBUG on.
        debug=True,
        # Persistent connections for the whole round: a backend that ends mid-measurement takes its CPU time along.
        DATABASE_CONN_MAX_AGE="600",
        STRIPE_SECRET_KEY="",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )


def oversold(check: dict, sale: Sale) -> dict:
    issued = {int(k): v for k, v in check["tickets_by_type"].items()}
    total = sum(issued.values())
    by_type = {type_id: max(0, issued.get(type_id, 0) - limit) for type_id, limit in sale.limits.items()}
    return {
        "issued": total,
        "issued_by_type": {sale.names.get(k, str(k)): v for k, v in issued.items()},
        "oversold": max(0, total - sale.seats) + sum(by_type.values()),
        "oversold_by_type": {sale.names.get(k, str(k)): v for k, v in by_type.items()},
        "unsold": max(0, sale.seats - total),
    }


def one_round(args: argparse.Namespace, number: int, template_url: str, work: Path) -> dict:
    url = args.database_url
    recreate_database(url, template=urllib.parse.urlsplit(template_url).path.lstrip("/"))
    env = server_env(args, work, url)
    ids = django_json(
        env,
        SEED.format(seats=args.seats, balcony=args.balcony, concert=CONCERT, warmup=WARMUP, warmup_seats=args.warmup),
    )
    vacuum_analyze(url)
    queue = redis.Redis.from_url(args.redis_url)
    queue.flushdb()
    concert = Sale(
        CONCERT,
        [ids["stalls"], ids["balcony"]],
        args.seats,
        limits={ids["balcony"]: args.balcony},
        names={ids["stalls"]: "stalls", ids["balcony"]: "balcony"},
    )
    warmup = Sale(WARMUP, [ids["warmup"]], args.warmup)
    server_log = work / f"gunicorn-{number}.log"
    server, base = start_server(args, env, server_log)
    try:
        warm = rush(
            base, warmup, attempts=args.warmup * 3 // 2, clients=args.clients, seconds=60, max_quantity=1, seed=0
        )
        if warm["paid"] == 0:
            sys.exit(f"the warm-up sold nothing: {warm['error_kinds']}")
        health = healthz(base, requests_total=args.healthz_requests, clients=args.clients)
        sampler = ActivitySampler(url) if args.profile else None
        window = CpuWindow(server.pid, url)
        if sampler:
            sampler.start()
        result = rush(
            base,
            concert,
            attempts=args.attempts,
            clients=args.clients,
            seconds=args.seconds,
            max_quantity=args.max_quantity,
            seed=number,
        )
        cpu = window.close(not_server=sampler.backend_pid if sampler else 0)
        activity = sampler.result() if sampler else None
    finally:
        stop_server(server)
    tracebacks = server_log.read_text(errors="replace").count("Traceback")
    if tracebacks:
        log(f"the server logged {tracebacks} tracebacks; the last lines of its log:")
        sys.stderr.write(server_log.read_text(errors="replace")[-3000:])
    check = django_json(env, CHECK.format(concert=CONCERT))
    tasks = queue.llen("celery")
    queue.flushdb()
    paid = max(1, result["paid"])
    result |= {
        "round": number,
        "healthz": health,
        "cpu": cpu,
        "server_cpu_ms_per_paid": (cpu["workers_s"] + cpu["postgres_s"]) * 1000 / paid,
        "cpu_ms_per_paid": {key: cpu[f"{key}_s"] * 1000 / paid for key in ("workers", "postgres", "redis", "client")},
        "check": check | oversold(check, concert),
        "celery_tasks_queued": tasks,
        "server_tracebacks": tracebacks,
        "database_activity": activity,
        "warmup": {k: warm[k] for k in ("paid", "sold_out", "errors", "paid_per_s")},
    }
    if activity:
        log(f"round {number} database connections, mean per sample: {json.dumps(activity, ensure_ascii=False)}")
    log(
        f"round {number}: {result['paid']} paid ({result['paid_per_s']:.0f}/s), {result['sold_out']} sold out, "
        f"{result['errors']} errors, purchase p50 {result['purchase_ms']['p50']:.0f} ms p99 "
        f"{result['purchase_ms']['p99']:.0f} ms, oversold {result['check']['oversold']}, "
        f"server CPU {result['server_cpu_ms_per_paid']:.1f} ms/paid order, /healthz {health['rps']:.0f} req/s"
    )
    return result


# --- report -----------------------------------------------------------------------------------------


def summarise(rounds: list[dict], args: argparse.Namespace, facts: dict[str, str]) -> str:
    def mid(pick) -> float:
        return median([pick(r) for r in rounds])

    def lat(spread: dict) -> str:
        return " / ".join(fmt(spread[p]) for p in ("p50", "p95", "p99"))

    def per_paid(key: str) -> Callable[[dict], str]:
        return lambda r: fmt(r["cpu_ms_per_paid"][key], 1)

    # Two tables (outcomes, latencies): one row per round, then the medians over the rounds.
    outcome_columns: list[tuple[str, Callable[[dict], str]]] = [
        ("paid orders/s", lambda r: fmt(r["paid_per_s"])),
        ("attempts", lambda r: fmt(r["attempts"])),
        ("paid", lambda r: fmt(r["paid"])),
        ("sold-out answers", lambda r: fmt(r["sold_out"])),
        ("errors", lambda r: str(r["errors"])),
        ("oversold", lambda r: str(r["check"]["oversold"])),
        ("unsold seats", lambda r: str(r["check"]["unsold"])),
        ("server CPU ms/paid order", lambda r: fmt(r["server_cpu_ms_per_paid"], 1)),
        ("of which gunicorn", per_paid("workers")),
        ("of which PostgreSQL", per_paid("postgres")),
        ("client CPU ms/paid order", per_paid("client")),
        ("other load", lambda r: f"{r['cpu']['other_share']:.0%}"),
    ]
    latency_columns: list[tuple[str, Callable[[dict], str]]] = [
        ("purchase (reserve + webhook)", lambda r: lat(r["purchase_ms"])),
        ("reserve, 201", lambda r: lat(r["reserve_ms"])),
        ("webhook", lambda r: lat(r["webhook_ms"])),
        ("sold-out answer (409)", lambda r: lat(r["sold_out_ms"])),
        ("/healthz (same client)", lambda r: lat(r["healthz"]["ms"])),
        ("/healthz req/s", lambda r: fmt(r["healthz"]["rps"])),
    ]
    medians: dict = {
        "paid_per_s": mid(lambda r: r["paid_per_s"]),
        "attempts": mid(lambda r: r["attempts"]),
        "paid": mid(lambda r: r["paid"]),
        "sold_out": mid(lambda r: r["sold_out"]),
        "errors": sum(r["errors"] for r in rounds),
        "check": {
            "oversold": max(r["check"]["oversold"] for r in rounds),
            "unsold": max(r["check"]["unsold"] for r in rounds),
        },
        "server_cpu_ms_per_paid": mid(lambda r: r["server_cpu_ms_per_paid"]),
        "cpu_ms_per_paid": {
            key: mid(lambda r, key=key: r["cpu_ms_per_paid"][key]) for key in ("workers", "postgres", "client")
        },
        "cpu": {"other_share": mid(lambda r: r["cpu"]["other_share"])},
        "healthz": {
            "ms": {p: mid(lambda r, p=p: r["healthz"]["ms"][p]) for p in ("p50", "p95", "p99")},
            "rps": mid(lambda r: r["healthz"]["rps"]),
        },
    } | {
        key: {p: mid(lambda r, key=key, p=p: r[key][p]) for p in ("p50", "p95", "p99")}
        for key in ("purchase_ms", "reserve_ms", "webhook_ms", "sold_out_ms")
    }

    def table(columns: list[tuple[str, Callable[[dict], str]]], title: str) -> list[str]:
        rows = [
            f"| {title} | " + " | ".join(name for name, _ in columns) + " |",
            "|---|" + "---:|" * len(columns),
        ]
        rows += [f"| {r['round']} | " + " | ".join(pick(r) for _, pick in columns) + " |" for r in rounds]
        rows.append("| **median** | " + " | ".join(pick(medians) for _, pick in columns) + " |")
        return rows

    quantity = "1 ticket" if args.max_quantity == 1 else f"1–{args.max_quantity} tickets (uniform)"
    met = medians["paid_per_s"] >= 100 and medians["purchase_ms"]["p99"] < 1000
    kinds: Counter[str] = Counter()
    for r in rounds:
        kinds.update(r["error_kinds"])
    return "\n".join(
        [
            f"{args.attempts:,} attempts of {quantity} from {args.clients} concurrent clients for {args.seats:,} "
            f"seats (balcony limit {args.balcony}); gunicorn {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", DEBUG=1 {'with' if args.query_log else 'without'} its query log; {len(rounds)} rounds, "
            "each on a fresh database. Medians per column; errors are summed "
            "and oversold / unsold are the maximum over the rounds.",
            "",
            *table(outcome_columns, "Round"),
            "",
            "Latency in ms, p50 / p95 / p99:",
            "",
            *table(latency_columns, "Round"),
            "",
            f"Target (at least 100 paid orders/s, purchase p99 under 1 s): {'met' if met else 'NOT met'} "
            "by the medians.",
            "Tickets issued per type: "
            + "; ".join(str(r["check"]["issued_by_type"]) for r in rounds)
            + f" (balcony limit {args.balcony}). Orders by status: "
            + "; ".join(str(r["check"]["orders_by_status"]) for r in rounds)
            + ".",
            "Celery tasks queued (and dropped) per round, warm-up included: "
            + ", ".join(str(r["celery_tasks_queued"]) for r in rounds)
            + ".",
            "Errors: " + (", ".join(f"{k} × {v}" for k, v in kinds.items()) or "none") + ".",
            "",
            "Machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()),
        ]
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_RUSH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_rush"),
        help="Dropped and recreated every round (and `<name>_template` once per run).",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_RUSH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="A Redis database of its own for the cache and the Celery broker: it is emptied.",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=2000, help="Purchase attempts per round.")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients (threads).")
    parser.add_argument("--seats", type=int, default=1000, help="The hall's seats, shared by both ticket types.")
    parser.add_argument("--balcony", type=int, default=300, help="The balcony ticket type's own limit.")
    parser.add_argument("--max-quantity", type=int, default=1, help="Tickets per attempt: 1..N, drawn uniformly.")
    parser.add_argument("--seconds", type=float, default=180, help="No new attempt starts after this (per round).")
    parser.add_argument("--warmup", type=int, default=100, help="Seats of the warm-up event (1.5 attempts per seat).")
    parser.add_argument("--healthz-requests", type=int, default=2000)
    # Processes, not threads, for the write path: a thread holding the event's lock then never waits for
    # its siblings' GIL, and any free worker takes the next request (docs/benchmarks.md, "On-sale rush").
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="sync")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Sample pg_stat_activity during the rush (lock waits, open transactions).",
    )
    parser.add_argument("--keep-database", action="store_true", help="Leave the last round's database for a look.")
    parser.add_argument(
        "--query-log",
        action="store_true",
        help="Keep Django's record of every SQL statement, which DEBUG turns on and production never has.",
    )
    args = parser.parse_args()
    args.gunicorn_config = None if args.query_log else str(ROOT / "bench" / "gunicorn_without_query_log.py")
    return args


def main() -> None:
    args = parse_args()
    require_local_database(args.database_url, "The rush")
    work = Path(tempfile.mkdtemp(prefix="kultur-rush-"))
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    template_url = with_database(args.database_url, f"{name}_template")
    log(f"migrating a template database for {name}")
    recreate_database(template_url)
    manage(server_env(args, work, template_url), "migrate", "--no-input", "-v0")
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
    stem = write_results("rush-", table, {"facts": facts, "args": vars(args), "rounds": rounds})
    log(f"results written to bench/results/{stem}.md and .json")
    if any(r["check"]["oversold"] for r in rounds):
        sys.exit("OVERSOLD: more tickets were issued than seats or a ticket type's limit.")


if __name__ == "__main__":
    main()
