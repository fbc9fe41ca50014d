"""Fixtures shared by the whole suite."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in a
# thread with a running loop unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class _ServeurDeTestUneRequeteALaFois(ThreadedWSGIServer):
    """The live server of browser tests, answering one request at a time.

    On SQLite's in-memory test database every thread of the live server shares the test's single
    connection. A page whose images are views (the statistics charts) makes the browser ask for
    several of them at once, and two requests running queries on that one connection at the same time
    hung both threads for good. Requests still arrive on their own threads (a connection held open by
    the browser blocks nobody), but each runs, response body included, under one lock."""

    _verrou = threading.Lock()

    def set_app(self, application: Any) -> None:
        verrou = self._verrou

        def une_a_la_fois(environ: Any, start_response: Any) -> Any:
            verrou.acquire()
            try:
                reponse = application(environ, start_response)
            except BaseException:
                verrou.release()
                raise
            return _LibereALaFin(reponse, verrou)

        super().set_app(une_a_la_fois)


class _LibereALaFin:
    """A WSGI response that releases the lock when the server closes it (after the last byte, or
    after an error: the server closes the response in both cases)."""

    def __init__(self, reponse: Any, verrou: threading.Lock) -> None:
        self._reponse = reponse
        self._verrou = verrou

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._reponse)

    def close(self) -> None:
        try:
            if hasattr(self._reponse, "close"):
                self._reponse.close()
        finally:
            self._verrou.release()


LiveServerThread.server_class = _ServeurDeTestUneRequeteALaFois


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # Argon2 is slow on purpose; tests create many accounts. Production keeps Argon2 (settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _fichiers_statiques_sans_inventaire() -> None:
    # Every test client builds its own middleware chain, and WhiteNoise (DEBUG off, so no autorefresh)
    # starts by listing every static file through the finders: ≈ 22 ms per client, thousands of clients,
    # about a fifth of the suite's time. With autorefresh it looks a file up when one is asked for,
    # through the same finders: the same files are served, nothing is listed in advance.
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True, scope="session")
def _cle_ancrage_temporaire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # The journal's checkpoint key of the test run, never the developer's var/ key.
    from django.conf import settings

    ancienne = settings.JOURNAL_CLE_ANCRAGE_FICHIER
    settings.JOURNAL_CLE_ANCRAGE_FICHIER = tmp_path_factory.mktemp("cle") / "cle-ancrage-journal.pem"
    yield
    settings.JOURNAL_CLE_ANCRAGE_FICHIER = ancienne


@pytest.fixture(autouse=True)
def _media_temporaires(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Uploaded files of a test never land in the developer's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _taches_de_test(settings: Any) -> None:
    # Background tasks (tests/taches.py): jury planning runs inside the request (deterministic, no
    # worker to wait for); a final PV numbers its parchemins at once, but their issuance task is only
    # recorded (no PDF rendering in jury tests; tests/parchemins ask for it or call the services).
    from tests.taches import PLANIFICATION, reglage

    settings.TASKS = reglage(PLANIFICATION)


@pytest.fixture
def taches_en_base(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real database backend, for a test that runs the worker (tests.taches.travailler)."""
    from tests.taches import BASE_DE_DONNEES

    settings.TASKS = BASE_DE_DONNEES
    # The worker drops "old" connections between tasks; inside a test's transaction that would close
    # the test's own connection. Everything else of the worker runs as in production.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@pytest.fixture(scope="session")
def _fichier_cachet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parchemin.jurys.cachet import generer_cachet_autosigne

    chemin = tmp_path_factory.mktemp("cachet") / "cachet-pv.pem"
    generer_cachet_autosigne(chemin, "Certificateur de test")
    return chemin


@pytest.fixture(autouse=True)
def _cachet_de_test(settings: Any, _fichier_cachet: Path) -> None:
    # A self-signed seal made once per test run, never the developer's var/ one.
    settings.CACHET_PV_CLE = settings.CACHET_PV_CERTIFICAT = str(_fichier_cachet)
    settings.CACHET_PV_AUTOGENERE = False


@pytest.fixture
def client() -> Client:
    """A client that enforces CSRF like a browser would (pytest-django's default one does not)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def rs5142(db: None) -> Any:
    from parchemin.referentiel.models import Certification

    call_command("charger_rs5142", stdout=io.StringIO())
    return Certification.objects.get(code="RS5142")


@pytest.fixture
def effacer_les_pv_verrouilles(transactional_db: None) -> Iterator[None]:
    """Signed PVs refuse deletion (database triggers), but a transactional test empties its tables
    afterwards: lift the triggers with the SQL of their own migration, delete, and lay them again."""
    yield
    import importlib

    from django.db import connection

    from parchemin.accrochage.models import Accuse, Lot, PassageCDC
    from parchemin.jurys.models import Passage, ProcesVerbal, SignaturePV
    from parchemin.parchemins.models import Attestation, Parchemin

    verrous = importlib.import_module("parchemin.jurys.migrations.0002_verrous_pv")
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as curseur:
        for instruction in [*verrous.SQLITE_DROP] if sqlite else verrous.POSTGRES_DROP:
            curseur.execute(instruction)
    # Parchemins point at passages (PROTECT): they go first, after what the CDC export keeps of them.
    PassageCDC.objects.all().delete()
    Accuse.objects.all().delete()
    Lot.objects.all().delete()
    Attestation.objects.all().delete()
    Parchemin.objects.all().delete()
    SignaturePV.objects.all().delete()
    Passage.objects.all().delete()
    ProcesVerbal.objects.all().delete()
    with connection.cursor() as curseur:
        for instruction in verrous.SQLITE if sqlite else verrous.POSTGRES:
            curseur.execute(instruction)


# The demo world, built once per test process and copied into each test that asks for it
# (``demo_chargee``). Loading the demo takes 10–20 s; copying a SQLite database page by page takes a
# few hundred milliseconds. Only SQLite's in-memory test database is copied; on PostgreSQL each test
# loads the demo itself, as before.
_DEMO_INSTANTANE: dict[str, Any] = {}


def _sqlite_en_memoire() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture
def demo_chargee(rs5142: Any, effacer_les_pv_verrouilles: None, settings: Any) -> Any:
    """The RS5142 référentiel and the demo (``charger_demo``), with the demo's stored files, in a
    transactional test. The first test of a process loads it and keeps a copy of the database and of
    the media folder; the next ones get that copy, identical to a fresh load on the same day."""
    import sqlite3

    from django.core.cache import cache
    from django.db import connection

    from parchemin.demo.services import charger_demo

    if not _sqlite_en_memoire():
        charger_demo()
        return rs5142
    connection.ensure_connection()
    if "base" not in _DEMO_INSTANTANE:
        charger_demo()
        copie = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copie)
        dossier = Path(tempfile.mkdtemp(prefix="parchemin-demo-media-"))
        shutil.copytree(settings.MEDIA_ROOT, dossier, dirs_exist_ok=True)
        _DEMO_INSTANTANE.update(base=copie, media=dossier)
    else:
        _DEMO_INSTANTANE["base"].backup(connection.connection)
        shutil.copytree(_DEMO_INSTANTANE["media"], settings.MEDIA_ROOT, dirs_exist_ok=True)
        cache.clear()
    from parchemin.referentiel.models import Certification

    return Certification.objects.get(code="RS5142")


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and Path(explicit).exists():
        return explicit
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true mais aucun Chromium trouvé : les tests navigateur ne doivent pas être sautés en CI.")
        pytest.skip("Aucun Chromium trouvé (installez le paquet Debian chromium) : test navigateur sauté.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navigateur = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
