"""Benchmark of parchemins: signing and verifying one credential (ours, and Digital Bazaar's on the same
credential in the same run), rendering one PDF, issuing a session of 100 parchemins end to end.

Creates a throw-away SQLite database (never the real one) with RS5142, a locked jury session of N
validated candidates (100 by default), then times each step. Node.js and tests/parchemins/node's
libraries (`npm ci --prefix tests/parchemins/node`) are needed for the comparison; without them the
ratio is not printed. The verification endpoint's throughput under load is measured by
bench/bench_serveur.py (wrk, gunicorn), beside a trivial page.

    .venv/bin/python bench/bench_parchemins.py [--candidats 100] [--tours 30]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
DOSSIER = Path(tempfile.mkdtemp(prefix="bench-parchemins-"))
os.environ.pop("DATABASE_URL", None)
os.environ["SQLITE_PATH"] = str(DOSSIER / "bench.sqlite3")
os.environ["PARCHEMINS_CLE_FICHIER"] = str(DOSSIER / "cle.pem")
os.environ["TACHES_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from parchemin.candidatures.models import Candidature  # noqa: E402
from parchemin.comptes.models import User  # noqa: E402
from parchemin.jurys.enums import Decision, StatutSession  # noqa: E402
from parchemin.jurys.models import Passage, SessionJury  # noqa: E402
from parchemin.parchemins import preuve, services  # noqa: E402
from parchemin.parchemins.jsonld import DOSSIER_CONTEXTES, FICHIERS_CONTEXTES  # noqa: E402
from parchemin.parchemins.models import Parchemin  # noqa: E402
from parchemin.parchemins.verification import _resolveur, cles_publiques  # noqa: E402
from parchemin.referentiel.models import Certification, RegleJury  # noqa: E402


def ms(secondes: list[float]) -> str:
    return f"médiane {statistics.median(secondes) * 1000:7.1f} ms, max {max(secondes) * 1000:7.1f} ms"


def session_de(n: int) -> SessionJury:
    certification = Certification.objects.get(code="RS5142")
    session = SessionJury.objects.create(
        certification=certification,
        regle=RegleJury.objects.get(certification=certification),
        intitule="Session de mesure",
        debut=timezone.now(),
        lieu="Bordeaux",
    )
    version = certification.versions.order_by("-numero").first()
    for i in range(n):
        candidat = User.objects.create_user(email=f"bench{i}@example.org", password="x" * 20)
        candidature = Candidature.objects.create(
            candidat=candidat,
            certification=certification,
            version_referentiel=version,
            voie="CANDIDATURE_INDIVIDUELLE",
            annee=timezone.localdate().year,
            nom_naissance=f"Titulaire{i}",
            prenom1="Camille",
        )
        decision = Decision.VALIDATION_TOTALE if i % 4 else Decision.VALIDATION_PARTIELLE
        unites = ["1", "2", "3"] if i % 4 else ["1", "3"]
        Passage.objects.create(
            session=session,
            candidature=candidature,
            decision_proposee=decision,
            decision=decision,
            unites_proposees=unites,
            unites_validees=unites,
            deliberee_le=timezone.now(),
        )
    Passage.objects.filter(session=session).update(verrouille=True)
    SessionJury.objects.filter(pk=session.pk).update(statut=StatutSession.VERROUILLEE)
    session.refresh_from_db()
    return session


def digital_bazaar(credential: dict, tours: int) -> float | None:
    node = shutil.which("node")
    dossier = RACINE / "tests" / "parchemins" / "node"
    if node is None or not (dossier / "node_modules" / "@digitalbazaar" / "vc").exists():
        return None
    methodes = [
        {"id": m, "type": "Multikey", "controller": m.split("#")[0], "publicKeyMultibase": k}
        for m, k in cles_publiques().items()
    ]
    paquet = {
        "contexts": {u: json.loads((DOSSIER_CONTEXTES / f).read_text()) for u, f in FICHIERS_CONTEXTES.items()},
        "did": {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": methodes[0]["controller"],
            "verificationMethod": methodes,
            "assertionMethod": [m["id"] for m in methodes],
        },
        "statusLists": {},
        "credentials": [{k: v for k, v in credential.items() if k != "credentialStatus"}],
        "rounds": tours,
    }
    chemin = DOSSIER / "paquet.json"
    chemin.write_text(json.dumps(paquet))
    sortie = subprocess.run(  # noqa: S603
        [node, str(dossier / "verifier.mjs"), str(chemin)], capture_output=True, text=True, check=True, cwd=dossier
    )
    return float(json.loads(sortie.stdout.splitlines()[0])["msPerVerify"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidats", type=int, default=100)
    parser.add_argument("--tours", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("charger_rs5142", stdout=io.StringIO())
    session = session_de(args.candidats)
    print(f"charge de la machine (1/5/15 min) : {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")

    debut = time.perf_counter()
    parchemins = services.preparer_parchemins(session)
    numerotation = time.perf_counter() - debut
    # End to end as in production: one issuance task per parchemin, run by one pass of the worker.
    for parchemin in parchemins:
        services.mettre_en_file(parchemin)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    total = time.perf_counter() - debut
    from django_tasks_db.models import DBTaskResult

    emissions = [
        (r.finished_at - r.started_at).total_seconds()
        for r in DBTaskResult.objects.filter(status="SUCCESSFUL")
        if r.finished_at and r.started_at
    ]
    assert len(emissions) == len(parchemins), "une émission a échoué"
    print(
        f"session de {len(parchemins)} parchemins, de bout en bout (en file, un passage de db_worker) : "
        f"{total:.1f} s "
        f"(numérotation {numerotation:.2f} s ; émission d'un parchemin : {ms(emissions)})"
    )

    premier = Parchemin.objects.order_by("pk").first()
    assert premier is not None
    attestation = premier.attestation_en_vigueur
    assert attestation is not None
    credential = json.loads(attestation.credential)
    non_signe = {k: v for k, v in credential.items() if k != "proof"}
    cle = __import__("parchemin.parchemins.cles", fromlist=["cle_active"]).cle_active()
    methode = credential["proof"]["verificationMethod"]
    signatures, verifications = [], []
    for _ in range(args.tours):
        t = time.perf_counter()
        preuve.signer(non_signe, cle.privee, methode, cree_le=timezone.now())
        signatures.append(time.perf_counter() - t)
    resolveur = _resolveur()
    for _ in range(args.tours):
        t = time.perf_counter()
        preuve.verifier(credential, resolveur)
        verifications.append(time.perf_counter() - t)
    print(f"credential de {len(attestation.credential)} octets, {args.tours} tours")
    print(f"  signer (construction non comprise) : {ms(signatures)}")
    print(f"  vérifier (Parchemin)               : {ms(verifications)}")
    theirs = digital_bazaar(credential, args.tours)
    if theirs is None:
        print("  vérifier (@digitalbazaar/vc)       : Node.js ou ses bibliothèques absents, pas de comparaison")
    else:
        ours = statistics.mean(verifications) * 1000
        print(
            f"  vérifier (@digitalbazaar/vc)       : moyenne {theirs:7.1f} ms (la nôtre {ours:.1f} ms, "
            f"ratio nous/eux {ours / theirs:.2f})"
        )
    pdfs = []
    contenu = services.contenu_pdf(premier, timezone.now())
    certification = premier.candidature.certification
    from parchemin.parchemins import document

    for _ in range(max(3, args.tours // 10)):
        t = time.perf_counter()
        document.rendre(
            contenu,
            certification=certification,
            certificateur=certification.certificateur,
            credential_json=attestation.credential,
        )
        pdfs.append(time.perf_counter() - t)
    print(f"  PDF/A d'un parchemin               : {ms(pdfs)} ({len(bytes(attestation.pdf)) // 1024} Kio)")


if __name__ == "__main__":
    main()
