from django.apps import AppConfig


class JurysConfig(AppConfig):
    name = "parchemin.jurys"
    verbose_name = "Jurys"

    def ready(self) -> None:
        # The retention policy lives in ``candidatures`` (below this app): it reads and erases the
        # jury's records about a candidate through this plug rather than by importing ``jurys``.
        from parchemin.candidatures.conservation import brancher_archives_jury

        from . import conservation

        brancher_archives_jury(conservation)
