"""Benchmark of the statistics pages and exports, against the bare aggregate SQL they run.

Creates a throw-away test database (never the real one), fills it with N applications over ten years
(200,000 by default) with recevabilité decisions and jury decisions on signed sessions, then times
every statistics page and export through Django's test client (signed-in staff with TOTP), prints
median and 95th percentile, the number of SQL queries and, in the same run, the time of the bare SQL:
for the outcome tables the aggregate query alone; for every page and export, the very queries the
page ran (captured, then replayed through a cursor). The ratio page / bare SQL is what Django, Python
and the templates add; the figures themselves come from aggregate queries (no page reads the files
one by one), so the ratio stays small whatever the number of applications.

    .venv/bin/python bench/bench_statistiques.py --n 20000            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench \\
        .venv/bin/python bench/bench_statistiques.py                  # PostgreSQL (creates test_parchemin_bench)

Loading 200,000 applications (bulk_create, 5,000 rows a batch) takes about a minute on either engine.
The jury outcome each application stores is then written as production writes it
(``jurys.en_vigueur.recalculer_decisions_en_vigueur``, timed) and checked as ``verifier_statistiques``
checks it (timed).
"""

from __future__ import annotations

import argparse
import datetime
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

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

ANNEES = range(datetime.date.today().year - 10, datetime.date.today().year)


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


def remplir(n: int, alea: random.Random) -> None:
    from django.utils import timezone

    from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, Sexe
    from parchemin.candidatures.models import Candidature
    from parchemin.comptes.models import User
    from parchemin.jurys.enums import Decision, StatutSession
    from parchemin.jurys.models import Passage, SessionJury
    from parchemin.partenaires.models import Partenaire, SessionFormation
    from parchemin.referentiel.enums import VoieAcces
    from parchemin.referentiel.models import Certification, RegleJury
    from parchemin.statistiques.enums import Situation, Vague
    from parchemin.statistiques.models import Enquete

    call_command("charger_rs5142", stdout=io.StringIO())
    rs5142 = Certification.objects.get(code="RS5142")
    version = rs5142.version_en_vigueur()
    regle = RegleJury.objects.get(certification=rs5142)
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
    jurys = {
        (annee, mois): SessionJury.objects.create(
            certification=rs5142,
            regle=regle,
            intitule=f"Jury {mois}/{annee}",
            debut=timezone.make_aware(datetime.datetime(annee, mois, 15, 9)),
            lieu="Bordeaux",
            statut=StatutSession.VERROUILLEE,
        )
        for annee in ANNEES
        for mois in (6, 11)
    }
    users = User.objects.bulk_create((sans_mot_de_passe(f"bench{i}@example.org") for i in range(n)), batch_size=5000)
    voies = (VoieAcces.FORMATION_CONTINUE, VoieAcces.CANDIDATURE_INDIVIDUELLE, VoieAcces.EXPERIENCE)
    decisions = (
        (Decision.VALIDATION_TOTALE,) * 5 + (Decision.VALIDATION_PARTIELLE,) * 2 + (Decision.REFUS, Decision.ABSENT)
    )
    candidatures, issues = [], []
    for i, user in enumerate(users):
        annee = ANNEES[i % len(ANNEES)]
        voie = voies[alea.randrange(3)]
        session = sessions[alea.randrange(len(sessions))] if voie == VoieAcces.FORMATION_CONTINUE else None
        depose = timezone.make_aware(datetime.datetime(annee, 1 + alea.randrange(4), 1 + alea.randrange(28), 10))
        tirage = alea.random()
        recevable = tirage < 0.85
        retire = 0.85 <= tirage < 0.9
        candidatures.append(
            Candidature(
                candidat=user,
                certification=rs5142,
                version_referentiel=version,
                voie=voie,
                annee=annee,
                etat=EtatCandidature.DECIDEE
                if recevable
                else EtatCandidature.ABANDONNEE
                if retire
                else EtatCandidature.NON_RECEVABLE,
                nom_naissance="Bench",
                prenom1="Camille",
                sexe=Sexe.F,
                email=user.email,
                partenaire=session.partenaire if session else None,
                session_formation=session,
                deposee_le=depose,
                decision_recevabilite=""
                if retire
                else DecisionRecevabilite.RECEVABLE
                if recevable
                else DecisionRecevabilite.NON_RECEVABLE,
                decision_le=None if retire else depose + datetime.timedelta(days=alea.randrange(3, 70)),
            )
        )
        issues.append((recevable, jurys[(annee, alea.choice((6, 11)))], alea.choice(decisions)))
    Candidature.objects.bulk_create(candidatures, batch_size=5000)
    Passage.objects.bulk_create(
        (
            Passage(session=jury, candidature=c, decision_proposee=d, decision=d, verrouille=True)
            for c, (recevable, jury, d) in zip(candidatures, issues, strict=True)
            if recevable
        ),
        batch_size=5000,
    )
    # Insertion surveys of the holders, six months on: most answered, some declined, some silent.
    situations = list(Situation.values)
    enquetes = []
    for c, (recevable, jury, d) in zip(candidatures, issues, strict=True):
        if not recevable or d not in (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE):
            continue
        certifie_le = jury.debut.date()
        due_le = certifie_le + datetime.timedelta(days=183)
        tirage = alea.random()
        enquetes.append(
            Enquete(
                candidature=c,
                vague=Vague.SIX_MOIS,
                certifie_le=certifie_le,
                due_le=due_le,
                expire_le=due_le + datetime.timedelta(days=90),
                envoyee_le=jury.debut + datetime.timedelta(days=183),
                repondue_le=jury.debut + datetime.timedelta(days=190) if tirage < 0.6 else None,
                declinee_le=jury.debut + datetime.timedelta(days=186) if 0.6 <= tirage < 0.7 else None,
                situation=situations[alea.randrange(len(situations))] if tirage < 0.6 else "",
            )
        )
    Enquete.objects.bulk_create(enquetes, batch_size=5000)


def recalculer_et_verifier() -> None:
    """The stored jury outcome, written as production writes it (the jury's services call the same
    function in their transaction), then the check of ``verifier_statistiques`` over every row."""
    from django.db import transaction

    from parchemin.jurys.en_vigueur import liste_ecarts, recalculer_decisions_en_vigueur

    debut = time.perf_counter()
    with transaction.atomic():
        ecrites = recalculer_decisions_en_vigueur(None)
    print(f"Décision en vigueur recalculée pour {ecrites} candidatures en {time.perf_counter() - debut:.1f} s")
    debut = time.perf_counter()
    ecarts = liste_ecarts()
    print(f"Vérification (verifier_statistiques) : {len(ecarts)} écart(s) en {time.perf_counter() - debut:.1f} s")
    assert not ecarts


def plans() -> None:
    """The database's plan for the statistics' main queries (EXPLAIN), to check which index each uses."""
    from django.db.models import Count

    from parchemin.statistiques.resultats import (
        AXE_DECISION,
        INDICATEURS,
        REGROUPEMENTS,
        Filtres,
        candidatures_annotees,
        dossiers,
    )

    comptes = {i.code: Count("pk", filter=i.condition) for i in INDICATEURS}
    annee = ANNEES[-1]
    requetes = {
        f"comptes par {champ} ({regroupement})": Filtres(axe=axe)
        .appliquer(candidatures_annotees())
        .values(champ, *REGROUPEMENTS[regroupement][1])
        .annotate(**comptes)
        .order_by()
        for axe, champ in (("candidature", "annee"), (AXE_DECISION, "annee_decision"))
        for regroupement in ("aucun", "partenaire")
    }
    requetes["dossiers derrière un chiffre (année de candidature)"] = dossiers(Filtres(annee=annee), "refus")
    requetes["dossiers derrière un chiffre (année de décision)"] = dossiers(
        Filtres(axe=AXE_DECISION, annee=annee), "refus"
    )
    for nom, qs in requetes.items():
        print(f"--- plan : {nom}")
        print(qs.explain())


def chronometrer(fonction: Any, repetitions: int, *, echauffement: bool = True) -> list[float]:
    if echauffement:
        fonction()
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    return durees


def ligne(nom: str, durees: list[float], requetes: int | str, nu: str = "", ratio: str = "") -> None:
    p95 = statistics.quantiles(durees, n=20)[-1] if len(durees) > 1 else durees[0]
    print(f"{nom:<46} {statistics.median(durees):>9.1f}ms {p95:>9.1f}ms {requetes!s:>9} {nu:>11} {ratio:>7}")


def rejouer(requetes: list[dict[str, str]]) -> Any:
    """The page's own read queries, as the database received them, run alone through a cursor."""
    lectures = [q["sql"] for q in requetes if q["sql"].lstrip()[:6].upper() in ("SELECT", "WITH R", "WITH T")]

    def executer() -> None:
        with connection.cursor() as curseur:
            for sql in lectures:
                curseur.execute(sql)
                curseur.fetchall()

    return executer


def mesurer(client: Client, nom: str, url: str, repetitions: int) -> None:
    reset_queries()  # the log holds 9,000 queries at most: a full one would capture nothing
    with CaptureQueriesContext(connection) as requetes:  # also the warm-up of both measures
        reponse = client.get(url)
    assert reponse.status_code == 200, (url, reponse.status_code)
    capturees = list(requetes.captured_queries)  # read from the live log, which the next request empties
    durees = chronometrer(lambda: client.get(url), repetitions, echauffement=False)
    durees_nu = chronometrer(rejouer(capturees), repetitions, echauffement=False)
    nu, page = statistics.median(durees_nu), statistics.median(durees)
    ligne(nom, durees, len(capturees), f"{nu:.1f}ms", f"{page / nu:.2f}" if nu else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="nombre de candidatures")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--graine", type=int, default=5142)
    parser.add_argument("--plans", action="store_true", help="afficher le plan (EXPLAIN) des requêtes principales")
    args = parser.parse_args()

    setup_test_environment(debug=False)  # no query log while loading and timing
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    ancien_nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        debut = time.perf_counter()
        remplir(args.n, random.Random(args.graine))
        print(f"Base {connection.vendor} : {args.n} candidatures sur 10 ans en {time.perf_counter() - debut:.1f} s")
        recalculer_et_verifier()
        if connection.vendor == "postgresql":
            # What autovacuum does on a live database after such a load; SQLite keeps no statistics
            # unless someone runs ANALYZE, so its plans are measured without them, as deployed.
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE")
        if args.plans:
            plans()

        from django.db.models import Count

        from parchemin.comptes.enums import Role
        from parchemin.statistiques.resultats import INDICATEURS, REGROUPEMENTS, Filtres, candidatures_annotees
        from tests.comptes.outils import connecter, creer_utilisateur

        client = connecter(Client(), creer_utilisateur("bench-gestion@example.org", Role.GESTIONNAIRE))
        print(f"{'page ou export':<46} {'médiane':>11} {'p95':>11} {'requêtes':>9} {'SQL nu':>11} {'ratio':>7}")
        for regroupement in REGROUPEMENTS:
            # The bare aggregate: the same SQL the table runs, executed alone through a cursor.
            champs = REGROUPEMENTS[regroupement][1]
            agregat = (
                Filtres()
                .appliquer(candidatures_annotees())
                .values("annee", *champs)
                .annotate(**{i.code: Count("pk", filter=i.condition) for i in INDICATEURS})
                .order_by()
            )
            sql, parametres = agregat.query.sql_with_params()

            def brut(sql: str = sql, parametres: Any = parametres) -> None:
                with connection.cursor() as curseur:
                    curseur.execute(sql, parametres)
                    curseur.fetchall()

            durees_sql = chronometrer(brut, args.repetitions)
            url = reverse("backoffice:statistiques") + f"?regroupement={regroupement}"
            mesurer(client, f"page résultats ({regroupement})", url, args.repetitions)
            ligne(f"  dont : agrégat des comptes seul ({regroupement})", durees_sql, 1)
        autres = [
            ("page résultats par année de décision", reverse("backoffice:statistiques") + "?axe=decision"),
            ("export CSV (voie)", reverse("backoffice:statistiques_export", args=["csv"]) + "?regroupement=voie"),
            (
                "export XLSX (session)",
                reverse("backoffice:statistiques_export", args=["xlsx"]) + "?regroupement=session",
            ),
            ("graphiques (page)", reverse("backoffice:statistiques_graphiques")),
            ("graphique SVG décisions", reverse("backoffice:statistiques_graphique", args=["decisions"])),
            ("graphique SVG taux", reverse("backoffice:statistiques_graphique", args=["taux"])),
            (
                "dossiers derrière un chiffre (page 1)",
                reverse("backoffice:statistiques_dossiers") + "?indicateur=refus",
            ),
            ("données ouvertes (page)", reverse("public:statistiques", args=["rs5142"])),
            ("données ouvertes (CSV)", reverse("public:statistiques_csv", args=["rs5142"])),
            ("rapport annuel PDF", reverse("backoffice:statistiques_rapport", args=[ANNEES[-1]])),
        ]
        for nom, url in autres:
            mesurer(client, nom, url, args.repetitions)
    finally:
        connection.creation.destroy_test_db(ancien_nom, verbosity=0)


if __name__ == "__main__":
    main()
