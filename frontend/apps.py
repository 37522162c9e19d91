from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Public site"

    def ready(self) -> None:
        from frontend import statistics
        from visitor_stats.rollup_version import rollups_changed

        rollups_changed.connect(statistics.warm_dashboard, dispatch_uid="frontend-statistics-warm")
