from django.apps import AppConfig


class WebConfig(AppConfig):
    """HTTP layer: shared templates and static files of every audience."""

    name = "parchemin.web"
    verbose_name = "Site web"
