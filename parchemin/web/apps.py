from django.apps import AppConfig


class WebConfig(AppConfig):
    """HTTP layer: shared templates and static files of every audience."""

    name = "parchemin.web"
    verbose_name = "Site web"

    def ready(self) -> None:
        # Every process (site, commands, tests) lists this app: register the project's lookups once.
        from parchemin import lookups  # noqa: F401
