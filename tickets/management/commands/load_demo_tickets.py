"""`manage.py load_demo_tickets`: demo ticket types for the demo events (run after load_demo)."""

from typing import Any

from django.core.management.base import BaseCommand

from tickets.demo import load_demo_ticket_types


class Command(BaseCommand):
    help = "Give every upcoming bookable event without ticket types a demo set of prices. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo_ticket_types()
        self.stdout.write(self.style.SUCCESS(f"Demo ticket types: {created} created."))
