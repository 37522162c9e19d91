"""What the benchmark scripts share: gunicorn, databases cloned from a template, CPU time from /proc, reports.

Used by bench/run.py (catalogue), bench/rush.py (on-sale rush) and bench/scan.py (door scanning).
"""

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def vacuum_analyze(url: str) -> None:
    """Give PostgreSQL statistics and a visibility map after the bulk load, as autovacuum would in time."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def manage(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """utime + stime (fields 14 and 15 of /proc/<pid>/stat) of each process still there."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def cpu_spent(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds spent between two samples by the processes present in both."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys()) / CLOCK_TICKS


def system_busy_ticks() -> int:
    """CPU ticks all CPUs spent busy since boot (the first line of /proc/stat, less idle and iowait)."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values[:8]) - values[3] - values[4]


def own_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def database_backends(url: str) -> list[int]:
    """PostgreSQL backends connected to the bench database: the gunicorn workers' connections."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchall()
    return [row[0] for row in rows]


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting; see the output above.")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz in time.")


def machine_facts(database_url: str) -> dict[str, str]:
    import django

    model = ""
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    memory_kb = int(
        next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1]
    )
    with psycopg.connect(database_url) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    gunicorn = subprocess.run([PYTHON, "-m", "gunicorn", "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": model,
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "gunicorn": gunicorn,
        "commit": commit.stdout.strip() or "unknown",
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def gunicorn_command(args: argparse.Namespace, port: int) -> list[str]:
    """gunicorn serving config.wsgi on 127.0.0.1:port with the workers the options ask for."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads if args.worker_class == "gthread" else 1),
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        *(["--config", str(args.gunicorn_config)] if getattr(args, "gunicorn_config", None) else []),
    ]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(values: list[float]) -> dict[str, float]:
    return {f"p{p}": percentile(values, p) * 1000 for p in (50, 95, 99)} | {"n": len(values)}


class CpuWindow:
    """CPU seconds of the server's processes over a measurement, sampled from /proc."""

    def __init__(self, server_pid: int, database_url: str) -> None:
        self.server_pid, self.database_url = server_pid, database_url
        self.workers = cpu_ticks(children(server_pid))
        self.backends = cpu_ticks(database_backends(database_url))
        self.redis = cpu_ticks(pids_named("redis-server"))
        self.busy = system_busy_ticks()
        self.client = self._own_cpu()
        self.began = time.monotonic()

    @staticmethod
    def _own_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    @staticmethod
    def _spent(before: dict[int, int], after: dict[int, int]) -> float:
        # A process that appeared meanwhile (a new database connection) counts from zero.
        return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / CLOCK_TICKS

    def close(self, *, not_server: int = 0) -> dict[str, float]:
        """CPU seconds spent since the start; `not_server` is a database backend of the benchmark's own."""
        pids = {*self.backends, *database_backends(self.database_url)} - {not_server}
        after = cpu_ticks(list(pids))
        if self.backends.keys() - after.keys():
            log(f"{len(self.backends.keys() - after.keys())} database backends ended during the rush: CPU undercounted")
        backends = self._spent(self.backends, after)
        workers = self._spent(self.workers, cpu_ticks(list(self.workers)))
        redis_cpu = self._spent(self.redis, cpu_ticks(list(self.redis)))
        client = self._own_cpu() - self.client
        window = time.monotonic() - self.began
        others = max(0.0, (system_busy_ticks() - self.busy) / CLOCK_TICKS - workers - backends - redis_cpu - client)
        return {
            "workers_s": workers,
            "postgres_s": backends,
            "redis_s": redis_cpu,
            "client_s": client,
            "other_share": others / (window * (os.cpu_count() or 1)),
        }


def require_local_database(url: str, what: str) -> None:
    """Stop unless the database is on this machine: `what` (the benchmark, the profile) drops and recreates it."""
    if urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"{what} drops and recreates its database: use one on this machine.")


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def recreate_database(url: str, *, template: str | None = None) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_json(env: dict[str, str], code: str) -> dict:
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def start_server(args: argparse.Namespace, env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = gunicorn_command(args, port)
    # The server's log (409s are logged as warnings, as in production) goes to a file, not the terminal.
    with open(log_path, "ab") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
    except SystemExit:
        sys.stderr.write(Path(log_path).read_text()[-4000:])
        raise
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def fmt(value: float, digits: int = 0) -> str:
    return "–" if value != value else f"{value:,.{digits}f}"  # NaN for no values


def server_env(
    *, database_url: str, redis_url: str, cache_prefix: str, work: Path, debug: bool = False, **extra: str
) -> dict[str, str]:
    """A benchmark server's environment: the production settings with a bench-only secret, one host,
    quiet logs and no throttle; `extra` adds or overrides variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1" if debug else "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": cache_prefix,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "API_ANON_RATE": "",
        **extra,
    }


def write_results(prefix: str, table: str, raw: dict) -> str:
    """The Markdown table and the raw figures in bench/results/ (not committed); the file stem."""
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stem = prefix + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"{stem}.md").write_text(table + "\n")
    (results / f"{stem}.json").write_text(json.dumps(raw, indent=2))
    return stem
