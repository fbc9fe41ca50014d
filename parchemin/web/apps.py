from django.apps import AppConfig


class WebConfig(AppConfig):
    """HTTP layer: shared templates and static files of every audience."""

    name = "parchemin.web"
    verbose_name = "Site web"

    def ready(self) -> None:
        # Every process (site, commands, tests) lists this app: register the project's lookups once.
        from parchemin import lookups  # noqa: F401
        from parchemin.web.public.cache import brancher_signaux

        # Public pages kept in the cache get a new version when what they show changes.
        brancher_signaux()
