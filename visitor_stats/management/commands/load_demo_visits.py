"""`manage.py load_demo_visits`: made-up visitor figures for the statistics dashboard (run after load_demo)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from visitor_stats.demo import load_demo_visits

DEFAULT_SEED = 2030


class Command(BaseCommand):
    help = (
        "Fill last year and this year up to yesterday with demo visitor figures (gate counters, partner figures, "
        "head counts of past drop-in events, noted 'demo') and a demo survey, then rebuild the rollups. Running it "
        "again replaces only its own figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the made-up figures.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = load_demo_visits(seed=options["seed"])
        if not (result.gate_counter or result.partner):
            self.stdout.write(self.style.WARNING("None of the demo venues exist: run load_demo first."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo visits loaded in {time.perf_counter() - started:.1f} s: {result.gate_counter} gate-counter, "
                f"{result.partner} partner and {result.head_count} head-count figures, "
                f"survey {'created' if result.survey_created else 'kept'}, {result.rollup_rows} rollup rows."
            )
        )
