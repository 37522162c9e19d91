"""Filters for the log: the answers that are the product working, not something to look into."""

import logging


class SkipConflicts(logging.Filter):
    """Leave out Django's warning for each 409: a sold-out answer or a ticket already used is an everyday
    outcome, and an on-sale rush or a busy door would bury everything else in them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 409
