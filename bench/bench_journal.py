"""Benchmark of the audit journal: the back-office browse page (with filters) and the chain check.

Creates a throw-away test database (never the real one), appends N entries through the real
``enregistrer`` (20,000 by default), then times the page through Django's test client as a signed-in
manager with TOTP, and ``verifier_chaine`` over the whole chain. Prints median and 95th percentile,
and the number of SQL queries of each page.

    .venv/bin/python bench/bench_journal.py                            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench_journal \\
        .venv/bin/python bench/bench_journal.py                        # PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-parchemin-")) / "bench.sqlite3")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS = ("candidatures.deposer", "candidatures.recevabilite", "jurys.convoquer", "comptes.connexion", "pv.signer")


def remplir(n: int, alea: random.Random) -> None:
    from parchemin.comptes.models import User
    from parchemin.journal.services import enregistrer

    acteurs = [User.objects.create_user(email=f"acteur{i}@example.org") for i in range(20)]
    for i in range(n):
        acteur = alea.choice(acteurs)
        enregistrer(
            action=alea.choice(ACTIONS),
            acteur=acteur,
            objet=acteur,
            resume=f"Événement {i}",
            avant={"etat": "A"},
            apres={"etat": "B", "n": i},
        )


def percentile(valeurs: list[float], p: float) -> float:
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, round(p * (len(ordonnees) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="nombre d'entrées du journal")
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--graine", type=int, default=5142)
    args = parser.parse_args()

    setup_test_environment()
    ancien_nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        debut = time.perf_counter()
        remplir(args.n, random.Random(args.graine))
        duree = time.perf_counter() - debut
        par_entree = duree / args.n * 1000
        print(f"Base {connection.vendor} : {args.n} entrées ajoutées en {duree:.1f} s ({par_entree:.2f} ms/entrée)")

        from parchemin.comptes.enums import Role
        from parchemin.journal.services import verifier_chaine
        from tests.comptes.outils import connecter, creer_utilisateur

        client = connecter(Client(), creer_utilisateur("bench-gestion@example.org", Role.GESTIONNAIRE))
        url = reverse("backoffice:journal")
        aujourd_hui = timezone.localdate().isoformat()
        scenarios = [
            ("page 1, sans filtre", url),
            ("action = jurys.convoquer", f"{url}?action=jurys.convoquer"),
            ("acteur contient « acteur7 »", f"{url}?acteur=acteur7"),
            ("type d'objet + période du jour", f"{url}?objet_type=comptes.user&du={aujourd_hui}&au={aujourd_hui}"),
            ("page 200", f"{url}?page=200"),
        ]
        print(f"{'scénario':<40} {'médiane':>9} {'p95':>9} {'requêtes':>9}")
        for libelle, adresse in scenarios:
            client.get(adresse)
            durees = []
            for _ in range(args.repetitions):
                t = time.perf_counter()
                reponse = client.get(adresse)
                durees.append((time.perf_counter() - t) * 1000)
                assert reponse.status_code == 200, (adresse, reponse.status_code)
            with CaptureQueriesContext(connection) as requetes:
                client.get(adresse)
            mediane, p95 = statistics.median(durees), percentile(durees, 0.95)
            print(f"{libelle:<40} {mediane:>7.1f}ms {p95:>7.1f}ms {len(requetes):>9}")
        t = time.perf_counter()
        compte, rupture = verifier_chaine()
        print(f"verifier_chaine : {compte} entrées en {(time.perf_counter() - t) * 1000:.0f} ms, rupture : {rupture}")
    finally:
        connection.creation.destroy_test_db(ancien_nom, verbosity=0)


if __name__ == "__main__":
    main()
