"""WSGI entry point (gunicorn parchemin.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
application = get_wsgi_application()


def preparer_le_processus() -> None:
    """Load every view module now and set aside what start-up built, out of the garbage collector's reach.

    A worker holds hundreds of thousands of long-lived objects (modules, URL patterns, models, templates).
    A full collection walks all of them, and a list page that builds thousands of objects triggers one
    every few requests: those were the tail latencies of the back-office lists (bench_candidatures prints
    the full collections seen). Frozen objects are never walked again, so a full collection only walks
    what requests built. Nothing frozen is garbage: start-up objects live as long as the process."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every view module now rather than in a first request
    gc.collect()
    gc.freeze()


preparer_le_processus()
