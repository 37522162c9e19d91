"""`manage.py recount_paid_tickets`: count each ticket type's paid tickets again and correct the count."""

from typing import Any

from django.core.management.base import BaseCommand

from tickets.capacity import recount_paid


class Command(BaseCommand):
    help = (
        "Count each ticket type's valid tickets on paid orders again and correct the kept count where it "
        "differs. Run it once after deploying the release that adds the count, when the new processes run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        corrected = recount_paid()
        self.stdout.write(f"Ticket types whose paid count was corrected: {corrected}")
