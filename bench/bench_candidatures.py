"""Benchmark of the back-office pages on applications: list (with filters) and file page.

Creates a throw-away test database (never the real one), fills it with N applications (20,000 by
default), then times the pages through Django's test client, as a signed-in staff member with TOTP.
Prints median and 95th percentile per scenario, and the number of SQL queries of each page.

    .venv/bin/python bench/bench_candidatures.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench \\
        .venv/bin/python bench/bench_candidatures.py                   # PostgreSQL (creates test_parchemin_bench)
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-parchemin-")) / "bench.sqlite3")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DEBUG", "0")  # production settings: no query log kept in memory, no template debug

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

NOMS = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Lefèvre",
    "Garnier",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
)
PRENOMS = ("Hélène", "Élodie", "Camille", "Léa", "Chloé", "Inès", "Lucas", "Hugo", "Théo", "Noé", "Jérôme", "Loïc")


def siret_luhn(base: str) -> str:
    from parchemin.identifiants import luhn_valide

    for cle in range(10):
        if luhn_valide(base + str(cle)):
            return base + str(cle)
    raise ValueError(base)


def sans_mot_de_passe(email: str) -> Any:
    from parchemin.comptes.models import User

    user = User(email=email)
    user.set_unusable_password()
    return user


def remplir(n: int, alea: random.Random) -> list[int]:
    from parchemin.candidatures.enums import EtatCandidature, NiveauDiplome, Sexe
    from parchemin.candidatures.models import Candidature, normaliser_recherche
    from parchemin.comptes.models import User
    from parchemin.journal.services import enregistrer
    from parchemin.partenaires.models import Partenaire, SessionFormation
    from parchemin.referentiel.enums import VoieAcces
    from parchemin.referentiel.models import Certification

    call_command("charger_rs5142", stdout=io.StringIO())
    rs5142 = Certification.objects.get(code="RS5142")
    version = rs5142.version_en_vigueur()
    partenaires = Partenaire.objects.bulk_create(
        Partenaire(nom=f"Organisme {i}", siret=siret_luhn(f"8512345{i:06d}")) for i in range(12)
    )
    sessions = SessionFormation.objects.bulk_create(
        SessionFormation(
            partenaire=p,
            certification=rs5142,
            intitule="Piloter un tiers-lieu",
            numero=k,
            saison="2025-2026",
            date_debut=datetime.date(2025, 9, 1),
            date_fin=datetime.date(2026, 3, 1),
        )
        for p in partenaires
        for k in range(1, 4)
    )
    users = User.objects.bulk_create((sans_mot_de_passe(f"bench{i}@example.org") for i in range(n)), batch_size=2000)
    voies = (VoieAcces.FORMATION_CONTINUE, VoieAcces.CANDIDATURE_INDIVIDUELLE, VoieAcces.EXPERIENCE)
    etats = list(EtatCandidature)
    aujourd_hui = datetime.date.today()
    lot = []
    for i, user in enumerate(users):
        voie = voies[i % 3]
        etat = etats[alea.randrange(len(etats))]
        session = sessions[alea.randrange(len(sessions))] if voie == VoieAcces.FORMATION_CONTINUE else None
        nom, prenom = alea.choice(NOMS), alea.choice(PRENOMS)
        complet = aujourd_hui - datetime.timedelta(days=alea.randrange(0, 120))
        experience_deposee = voie == VoieAcces.EXPERIENCE and etat == EtatCandidature.DEPOSEE
        lot.append(
            Candidature(
                candidat=user,
                certification=rs5142,
                version_referentiel=version,
                voie=voie,
                annee=alea.choice((2024, 2025, 2026)),
                etat=etat,
                nom_naissance=nom,
                prenom1=prenom,
                sexe=alea.choice((Sexe.F, Sexe.M)),
                date_naissance=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                code_commune_naissance="33063",
                email=user.email,
                niveau_diplome=alea.choice(NiveauDiplome.values),
                annees_experience=alea.randrange(0, 25),
                partenaire=session.partenaire if session else None,
                session_formation=session,
                dossier_complet_le=complet if experience_deposee else None,
                echeance_recevabilite=complet + datetime.timedelta(days=61) if experience_deposee else None,
                nom_recherche=normaliser_recherche(f"{nom} {prenom} {user.email}"),
            )
        )
    Candidature.objects.bulk_create(lot, batch_size=2000)
    pks = list(Candidature.objects.order_by("?").values_list("pk", flat=True)[:50])
    for candidature in Candidature.objects.filter(pk__in=pks):
        for k in range(6):
            enregistrer(action="candidatures.bench", objet=candidature, resume=f"Étape {k}")
    return pks


class Ramasse:
    """Full garbage collections (generation 2) seen while measuring: how many, and their time."""

    def __init__(self) -> None:
        self.durees: list[float] = []
        self._debut = 0.0
        gc.callbacks.append(self._noter)

    def _noter(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._debut = time.perf_counter()
        else:
            self.durees.append((time.perf_counter() - self._debut) * 1000)

    def depuis(self, n: int) -> str:
        durees = self.durees[n:]
        return f"{len(durees)} / {sum(durees):.0f} ms" if durees else "0"


RAMASSE: Ramasse | None = None


def mesurer(client: Client, url: str, repetitions: int) -> tuple[list[float], int, int, str]:
    assert RAMASSE is not None
    client.get(url)  # warm-up (template loading, caches)
    durees = []
    avant = len(RAMASSE.durees)
    for _ in range(repetitions):
        debut = time.perf_counter()
        reponse = client.get(url)
        durees.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200, (url, reponse.status_code)
    ramasse = RAMASSE.depuis(avant)
    with CaptureQueriesContext(connection) as requetes:
        client.get(url)
    return durees, len(requetes), len(reponse.content), ramasse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="nombre de candidatures")
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--graine", type=int, default=5142)
    parser.add_argument(
        "--sans-gel",
        action="store_true",
        help="ne pas figer les objets du démarrage (comparaison, voir parchemin/wsgi.py)",
    )
    args = parser.parse_args()
    alea = random.Random(args.graine)

    # No setup_test_environment(): it instruments every template render (a signal and a copy of the
    # context per template), which production does not pay. The process is prepared as the WSGI entry
    # point prepares a worker.
    global RAMASSE
    if not args.sans_gel:
        from parchemin.wsgi import preparer_le_processus

        preparer_le_processus()
    RAMASSE = Ramasse()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    moteur = connection.vendor
    ancien_nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        debut = time.perf_counter()
        pks = remplir(args.n, alea)
        print(f"Base {moteur} : {args.n} candidatures créées en {time.perf_counter() - debut:.1f} s")
        if not args.sans_gel:
            # A worker serving these pages never held the objects the fill built: collect them, then
            # freeze what is left (as preparer_le_processus froze the start-up), so that full
            # collections during the measures walk only what the requests build, as in production.
            gc.collect()
            gc.freeze()

        from parchemin.comptes.enums import Role
        from tests.comptes.outils import connecter, creer_utilisateur

        client = connecter(Client(), creer_utilisateur("bench-gestion@example.org", Role.GESTIONNAIRE))
        liste = reverse("backoffice:candidatures")
        scenarios = [
            ("liste, page 1 (25)", f"{liste}"),
            ("liste, page 1 (200)", f"{liste}?taille=200"),
            ("liste, voie expérience + année 2026", f"{liste}?voie=EXPERIENCE&annee=2026"),
            ("liste, état déposée + tri par nom", f"{liste}?etat=DEPOSEE&tri=nom"),
            ("liste, organisme + session", None),
            ("liste, recherche « helene martin »", f"{liste}?q=helene+martin"),
            ("liste, recevabilité en retard", f"{liste}?retard=on&tri=echeance"),
            ("liste, dernière page (25)", f"{liste}?page=last"),
        ]
        from parchemin.partenaires.models import SessionFormation

        session = SessionFormation.objects.order_by("pk").first()
        assert session is not None
        scenarios[4] = (scenarios[4][0], f"{liste}?partenaire={session.partenaire_id}&session={session.pk}")
        # The other back-office lists, with the data the applications brought (journal, sessions).
        scenarios += [
            ("échéances de recevabilité", reverse("backoffice:candidatures_echeances")),
            ("sessions de jury", reverse("backoffice:jurys_sessions")),
            ("vivier des jurés", reverse("backoffice:jurys_vivier")),
            ("organismes partenaires", reverse("backoffice:partenaires")),
            ("parchemins", reverse("backoffice:parchemins")),
            ("journal", reverse("backoffice:journal")),
            ("courriels", reverse("backoffice:courriels")),
        ]
        print(f"Charge (/proc/loadavg) : {Path('/proc/loadavg').read_text().strip()}")
        print(f"Objets figés au démarrage : {gc.get_freeze_count()}")
        print(f"{'page':<42} {'médiane':>9} {'p95':>9} {'requêtes':>9} {'octets':>9}  GC complètes (nombre / durée)")
        for nom, url in scenarios:
            assert url is not None
            durees, requetes, taille, ramasse = mesurer(client, url, args.repetitions)
            p95 = statistics.quantiles(durees, n=20)[-1]
            print(f"{nom:<42} {statistics.median(durees):>7.1f}ms {p95:>7.1f}ms {requetes:>9} {taille:>9}  {ramasse}")
        details: list[float] = []
        requetes_detail = set()
        for pk in pks[: args.repetitions]:
            durees, requetes, _, _ = mesurer(client, reverse("backoffice:candidature", kwargs={"pk": pk}), 3)
            details.extend(durees)
            requetes_detail.add(requetes)
        p95 = statistics.quantiles(details, n=20)[-1]
        print(
            f"{'fiche candidature (historique de 6 entrées)':<42} {statistics.median(details):>7.1f}ms {p95:>7.1f}ms "
            f"{'/'.join(map(str, sorted(requetes_detail))):>9}"
        )
        print(f"Charge (/proc/loadavg) : {Path('/proc/loadavg').read_text().strip()}")
    finally:
        connection.creation.destroy_test_db(ancien_nom, verbosity=0)


if __name__ == "__main__":
    main()
