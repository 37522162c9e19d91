"""Where a purchase's time goes, in one process: CPU per request, its SQL statements, and a cProfile.

    .venv/bin/python bench/rush_profile.py            # --help for the options

Seeds a database of its own the way bench/rush.py does (default
postgres://postgres@127.0.0.1:5432/kultur_rush_profile, dropped at the end), then sends the three
requests of the rush straight to the WSGI application, as gunicorn's workers do (the whole
middleware stack, no network, one thread, no contention): the reservation (`201`), its signed
`checkout.session.completed` webhook (`200 handled`), and a reservation for a sold-out event (`409
sold_out`). For each it prints the CPU time per request, the SQL statements per request with the
time each took (wall time around the database call: PostgreSQL plus the round trip), and, unless
--no-profile, the functions cProfile finds most expensive over a second batch. Run it with DEBUG on
(as the rush's server, for the payment simulator) and, with --no-debug-log, without Django's query
log, as in production.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from common import ROOT, django_json, drop_database, manage, recreate_database, require_local_database, vacuum_analyze
from profiling import WsgiClient, measured, profile_report, report
from rush import CONCERT, ORDERS, SEED, WARMUP, WEBHOOK, WEBHOOK_SECRET, Sale, order_body, webhook_body
from rush import server_env as rush_server_env

sys.path.insert(0, str(ROOT))


def purchase(client, body: bytes) -> tuple:  # type: ignore[no-untyped-def]
    """The reservation; the webhook's payload and headers to pay for it."""
    from tickets.payments.gateway import sign_webhook_payload

    reply = client.post(ORDERS, body, content_type="application/json")
    if reply.status_code != 201:
        sys.exit(f"reservation: expected 201, got {reply.status_code}: {reply.content[:200]!r}")
    placed = reply.json()
    session_id = placed["payment_url"].rstrip("/").rsplit("/", 1)[-1]
    payload = webhook_body(session_id=session_id, reference=placed["reference"], amount=placed["total_ore"])
    return payload, sign_webhook_payload(payload=payload, secret=WEBHOOK_SECRET)


def pay(client, payload: bytes, signature: str) -> None:  # type: ignore[no-untyped-def]
    reply = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    if reply.json() != {"result": "handled"}:
        sys.exit(f"webhook: {reply.status_code} {reply.content[:200]!r}")


def sold_out(client, body: bytes) -> None:  # type: ignore[no-untyped-def]
    reply = client.post(ORDERS, body, content_type="application/json")
    if reply.status_code != 409:
        sys.exit(f"sold out: expected 409, got {reply.status_code}: {reply.content[:200]!r}")


def profiled(client, bodies: list[bytes], full: Sale, top: int) -> str:  # type: ignore[no-untyped-def]
    def steps() -> int:
        for index, body in enumerate(bodies):
            pay(client, *purchase(client, body))
            sold_out(client, order_body(full, index, 1))
        return len(bodies)

    return profile_report(steps, unit="purchase", top=top, sorts=(os.environ.get("PROFILE_SORT", "tottime"),))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_RUSH_PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kultur_rush_profile"
        ),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_RUSH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--purchases", type=int, default=300, help="Purchases measured (and as many profiled).")
    parser.add_argument("--top", type=int, default=30, help="Functions listed from the profile.")
    parser.add_argument("--no-profile", action="store_true", help="Only CPU and statements, no cProfile.")
    parser.add_argument("--no-debug-log", action="store_true", help="Leave out Django's query log, as with DEBUG off.")
    args = parser.parse_args()
    require_local_database(args.database_url, "The profile")
    work = Path(tempfile.mkdtemp(prefix="kultur-rush-profile-"))
    env = rush_server_env(argparse.Namespace(redis_url=args.redis_url), work, args.database_url)
    try:
        recreate_database(args.database_url)
        manage(env, "migrate", "--no-input", "-v0")
        seats = 20 + 2 * args.purchases
        ids = django_json(env, SEED.format(seats=seats, balcony=seats, warmup_seats=1, concert=CONCERT, warmup=WARMUP))
        vacuum_analyze(args.database_url)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        if args.no_debug_log:
            from django.db.backends.base.base import BaseDatabaseWrapper

            BaseDatabaseWrapper.queries_logged = property(lambda self: self.force_debug_cursor)  # type: ignore[method-assign,assignment]
        client = WsgiClient()
        concert = Sale(slug=CONCERT, type_ids=[ids["stalls"], ids["balcony"]], seats=seats)
        full = Sale(slug=WARMUP, type_ids=[ids["warmup"]], seats=1)
        bodies = [order_body(concert, index, 1) for index in range(seats)]
        pay(client, *purchase(client, order_body(full, 0, 1)))  # the sold-out event's only seat
        for body in bodies[:20]:  # imports, translations, the connection
            pay(client, *purchase(client, body))
        batch = bodies[20 : 20 + args.purchases]
        reserved = measured(lambda body: purchase(client, body), [(body,) for body in batch])
        paid = measured(lambda payload, signature: pay(client, payload, signature), reserved["results"])
        refused = measured(lambda body: sold_out(client, body), [(order_body(full, i, 1),) for i in range(len(batch))])
        total = reserved["cpu_ms"] + paid["cpu_ms"] + refused["cpu_ms"]
        print(f"# One purchase (reservation, webhook, and the sold-out answer it carries): {total:.2f} ms CPU")
        for name, result in (("reservation (201)", reserved), ("webhook (200)", paid), ("sold out (409)", refused)):
            report(name, result, "request")
        if not args.no_profile:
            later = bodies[20 + args.purchases : 20 + 2 * args.purchases]
            print("\n## cProfile of as many purchases again (reservation, webhook, sold-out answer)\n")
            print(profiled(client, later, full, args.top))
        connection.close()
    finally:
        drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
