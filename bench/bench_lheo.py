"""Time and peak memory of one anonymous LHÉO export of a catalogue of 50,000 sessions.

Not a test: it prints figures. Run on SQLite (a scratch file, never the instance's database):

    .venv/bin/python bench/bench_lheo.py

or on PostgreSQL (the database is created if missing, and filled once):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench_lheo .venv/bin/python bench/bench_lheo.py

Two requests are measured through the Django test client (no network): the export itself, read to
the end as a client would, and the export of a certification whose partners have no declaration
number (nothing exportable: a 404). Time is measured without tracing; the peak of Python allocations
(tracemalloc) on a second run of the same request; and the process's maximum resident set before and
after the first (two anonymous exports: within the per-visitor limit).
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/parchemin-bench-lheo.sqlite3")  # noqa: S108

SESSIONS = 50_000
PARTENAIRES = 500
TITRES = ["Piloter un tiers-lieu", "Animer une communauté", "Ouvrir un fablab", "Gérer un coworking"]


def _creer_base() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, nom = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connexion:
        if not connexion.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone():
            connexion.execute(f'CREATE DATABASE "{nom}"')


def _remplir() -> None:
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from parchemin.partenaires.enums import Modalite
    from parchemin.partenaires.models import Partenaire, SessionFormation
    from parchemin.referentiel.models import Certification

    if SessionFormation.objects.count() >= SESSIONS:
        return
    debut = time.perf_counter()
    call_command("charger_rs5142", verbosity=0)
    certification = Certification.objects.get(code="RS5142")
    SessionFormation.objects.all().delete()
    Partenaire.objects.filter(siret__startswith="0000").delete()
    # Synthetic SIRETs and declaration numbers (bulk_create does not validate): bench data only.
    partenaires = Partenaire.objects.bulk_create(
        Partenaire(
            nom=f"Organisme de formation {i}",
            siret=f"{i:014d}",
            numero_declaration_activite=f"{75000000000 + i}",
            adresse=f"{i} rue des Tiers-Lieux",
        )
        for i in range(1, PARTENAIRES + 1)
    )
    aujourd_hui = datetime.date.today()
    lot: list[SessionFormation] = []
    for numero in range(1, SESSIONS + 1):
        lot.append(
            SessionFormation(
                partenaire=partenaires[numero % PARTENAIRES],
                certification=certification,
                intitule=f"{TITRES[numero % len(TITRES)]} — formation certifiante",
                numero=numero,
                saison="2026-2027",
                description="Contenu de la formation, modules et évaluation. " * 10,
                region="75",
                modalite=Modalite.DISTANCE,
                date_debut=aujourd_hui + datetime.timedelta(days=30 + numero % 300),
                date_fin=aujourd_hui + datetime.timedelta(days=400),
                duree_jours=20,
                duree_heures=140,
                prix=Decimal(3500),
                capacite=12,
                inscrits=4,
                publiee=True,
                lien_inscription="https://example.org/inscription",
            )
        )
        if len(lot) == 5000:
            with transaction.atomic():
                SessionFormation.objects.bulk_create(lot)
            lot = []
    print(f"Données chargées en {time.perf_counter() - debut:.0f} s", flush=True)


def _lire(client: object, url: str) -> tuple[int, int]:
    reponse = client.get(url)  # type: ignore[attr-defined]
    if getattr(reponse, "streaming", False):
        return reponse.status_code, sum(len(morceau) for morceau in reponse.streaming_content)
    return reponse.status_code, len(reponse.content)


def _mesurer(libelle: str, client: object, url: str) -> None:
    """Time without tracing (tracemalloc slows allocation-heavy code several times), then the same
    request again under tracemalloc for the peak of Python allocations."""
    rss_avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    debut = time.perf_counter()
    statut, taille = _lire(client, url)
    duree = time.perf_counter() - debut
    rss_apres = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    _lire(client, url)
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{libelle} : statut {statut}, {duree:.2f} s, {taille / 1e6:.1f} Mo envoyés, "
        f"pic Python {pic / 1e6:.1f} Mo, RSS max {rss_avant:.0f} → {rss_apres:.0f} Mo",
        flush=True,
    )


def main() -> None:
    _creer_base()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    _remplir()
    from parchemin.partenaires.models import Partenaire

    url = "/certifications/rs5142/ou-suivre/lheo.xml"
    _mesurer(f"Export LHÉO de {SESSIONS} sessions", Client(), url)
    Partenaire.objects.filter(siret__startswith="0000").update(numero_declaration_activite="")
    try:
        _mesurer("Sans numéro de déclaration (404)", Client(), url)
    finally:
        for partenaire in Partenaire.objects.filter(siret__startswith="0000"):
            Partenaire.objects.filter(pk=partenaire.pk).update(
                numero_declaration_activite=f"{75000000000 + int(partenaire.siret)}"
            )


if __name__ == "__main__":
    main()
