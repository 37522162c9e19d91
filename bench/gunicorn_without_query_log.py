"""gunicorn settings for the on-sale rush's server: Django's query log off in every worker.

The rush's server runs with DEBUG on only because the payment simulator (the one gateway that works
without Stripe keys) refuses to run without it. With DEBUG on, Django records every SQL statement it
runs (`connection.queries`), which production, with DEBUG off, never does; this turns that record
off, so the rush measures the sale as production runs it. `bench/rush.py --query-log` keeps it.
"""


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    from django.db.backends.base.base import BaseDatabaseWrapper

    # As with DEBUG off: statements are recorded only where a test or the shell asks for it.
    BaseDatabaseWrapper.queries_logged = property(lambda self: self.force_debug_cursor)  # type: ignore[method-assign,assignment]
