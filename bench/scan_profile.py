"""Where a scan's time goes, in one process: CPU per scan, its SQL statements, and a cProfile.

    .venv/bin/python bench/scan_profile.py            # --help for the options

Seeds a database of its own the way bench/scan.py does (default
postgres://postgres@127.0.0.1:5432/kultur_scan_profile, dropped at the end), then sends scans
straight to the WSGI application, as gunicorn's workers do (the whole middleware stack, no network,
one thread, no contention): first scans (`200 ok`) and re-scans (`409 already_used`), with a device
token and with a staff user's token. For each it prints the CPU time per scan, the SQL statements per scan with the time
each took (wall time around the database call: PostgreSQL plus the round trip), and the functions
cProfile finds most expensive over a second batch of scans.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from common import (
    ROOT,
    django_json,
    drop_database,
    log,
    manage,
    recreate_database,
    require_local_database,
    vacuum_analyze,
)
from profiling import WsgiClient, profile_report, report
from profiling import measured as measure
from scan import AUTH_KINDS, GATES, SCANS, SEED, server_env, signing_key


def scan_body(code: str, slug: str) -> str:
    return json.dumps({"code": code, "event": slug, "gate": GATES[0], "nonce": uuid.uuid4().hex})


def post_scan(client, code: str, slug: str, authorization: str, expect: int | None = None) -> None:  # type: ignore[no-untyped-def]
    reply = client.post(
        SCANS,
        scan_body(code, slug),
        content_type="application/json",
        HTTP_AUTHORIZATION=authorization,
        HTTP_ACCEPT_LANGUAGE="da",
    )
    if expect is not None and reply.status_code != expect:
        sys.exit(f"expected {expect}, got {reply.status_code}: {reply.content[:200]!r}")


def profile(client, codes: list[str], slug: str, authorization: str, top: int) -> str:  # type: ignore[no-untyped-def]
    def steps() -> int:
        for code in codes:
            post_scan(client, code, slug, authorization)
        return len(codes)

    return profile_report(steps, unit="scan", top=top, sorts=("cumulative", "tottime"))


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
    require_local_database(args.database_url, "The profile")
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

        client = WsgiClient()
        for kind in kinds:
            slug, codes = f"scan-{kind}", seeded["codes"][f"scan-{kind}"]
            authorization = f"{AUTH_KINDS[kind]} {seeded['tokens'][kind]}"
            warm, measured, profiled = codes[:20], codes[20 : 20 + args.scans], codes[20 + args.scans :]
            for code in warm:  # imports, translations, the connection
                post_scan(client, code, slug, authorization)
            cases = [("first scan (200 ok)", measured, 200), ("re-scan (409 already_used)", measured, 409)]
            for name, batch, expect in cases:
                result = measure(post_scan, [(client, code, slug, authorization, expect) for code in batch])
                report(f"{kind}, {name}", result, "scan")
            if not args.no_profile:
                print(f"\n## {kind}, cProfile of {len(profiled)} first scans\n")
                print(profile(client, profiled, slug, authorization, args.top))
    finally:
        drop_database(args.database_url)
        shutil.rmtree(work, ignore_errors=True)
    log("done")


if __name__ == "__main__":
    main()
