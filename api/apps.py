from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from api import stats
        from visitor_stats.rollup_version import rollups_changed

        rollups_changed.connect(stats.warm_answers, dispatch_uid="api-stats-warm")
