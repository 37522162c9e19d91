"""`manage.py buyer_data export|erase <email>`: a buyer's data on request (GDPR access and erasure)."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tickets import people


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase the personal data of the buyer with this e-mail address. Erasing keeps "
        "amounts, payments and refunds (bookkeeping) and the pseudonymous statistics, as after pseudonymisation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Erase without asking for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        if "@" not in email:
            raise CommandError(f"Not an e-mail address: {email!r}")
        if options["action"] == "export":
            self.stdout.write(json.dumps(asdict(people.export_buyer(email)), ensure_ascii=False, indent=2))
            return
        orders = len(people.export_buyer(email).orders)
        if orders == 0:
            self.stdout.write(f"No orders of {people.normalise_email(email)}: nothing to erase.")
            return
        if not options["yes"] and not self._confirmed(email, orders):
            raise CommandError("Nothing erased.")
        erased = people.erase_buyer(email)
        self.stdout.write(self.style.SUCCESS(f"Personal data removed from {erased} orders."))

    def _confirmed(self, email: str, orders: int) -> bool:
        question = f"Remove the name and e-mail of {people.normalise_email(email)} from {orders} orders? [y/N] "
        try:
            answer = input(question)
        except EOFError:  # no terminal to ask on
            return False
        return answer.strip().lower() in {"y", "yes", "j", "ja"}
