"""`manage.py load_demo`: the Helsingør venues and a generated season of events, safe to run again."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.demo.loader import load_demo

DEFAULT_EVENTS = 320
DEFAULT_SEED = 2030


class Command(BaseCommand):
    help = (
        "Load the real Helsingør venues, organisers, categories, repeating series and a season of single "
        "events over the next six months. Running it again updates the same rows instead of adding new ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--events",
            type=int,
            default=DEFAULT_EVENTS,
            help=f"Single events to have in the catalogue; series come on top (default {DEFAULT_EVENTS}).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the generated programme.")
        parser.add_argument(
            "--refresh-images", action="store_true", help="Draw the generated images again even if they exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["events"] < 0:
            raise CommandError("--events must be 0 or more.")
        started = time.perf_counter()
        result = load_demo(
            events=options["events"],
            seed=options["seed"],
            refresh_images=options["refresh_images"],
            log=lambda message: self.stdout.write(message) if options["verbosity"] > 1 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {time.perf_counter() - started:.1f} s: {result.venues} venues, "
                f"{result.series} series ({result.occurrences_created} new occurrences), single events "
                f"{result.events_created} created / {result.events_updated} updated / {result.events_deleted} removed."
            )
        )
