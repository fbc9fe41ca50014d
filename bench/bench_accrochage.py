"""Benchmark of the CDC accrochage export: N delivered holders (200,000 by default) to flux files.

Creates a throw-away test database (never the real one), fills it with N delivered full
certifications, then measures, in one run:
- the census (one PassageCDC per delivered parchemin);
- the export through the service (chunked queries, mapping, streamed writing, validation of each
  file against Parchemin's XSD, storage, states): wall time, Python heap peak (tracemalloc, in a
  second run, with --tas, so the timing is not slowed by it) and the process's resident-memory
  high-water mark;
- the validation alone of the files written (streamed, lxml + our XSD);
- lxml alone writing the same N records with the same element builder (records prepared beforehand
  and not timed), to give the ratio ours / raw.

    .venv/bin/python bench/bench_accrochage.py                         # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parchemin_bench_cdc \\
        .venv/bin/python bench/bench_accrochage.py                     # PostgreSQL (test_parchemin_bench_cdc)
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-parchemin-")) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

NOMS = ("Martin", "Bernard", "Le Gall", "N'Diaye", "Lefèvre", "Dupont-Moreau", "Santoni", "Œuvray")
PRENOMS = ("Hélène", "Élodie", "Camille", "Jean-Pierre", "Chloé", "Inès", "Lucas", "Noé")
COMMUNES = ("33063", "2A004", "75111", "97411", "69123")
PAR_SESSION = 1000
PAQUET = 5000


def hwm_ko() -> int:
    """Resident-memory high-water mark of this process (VmHWM), in kB; 0 where /proc lacks it."""
    try:
        for ligne in Path("/proc/self/status").read_text().splitlines():
            if ligne.startswith("VmHWM:"):
                return int(ligne.split()[1])
    except OSError:
        pass
    return 0


def remettre_hwm() -> bool:
    """Reset VmHWM (Linux: write 5 to clear_refs) so the next reading is the export's own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def remplir(n: int) -> None:
    from parchemin.candidatures.enums import EtatCandidature, Sexe
    from parchemin.candidatures.models import Candidature
    from parchemin.comptes.models import User
    from parchemin.jurys.enums import Decision, StatutSession
    from parchemin.jurys.models import Passage, SessionJury
    from parchemin.parchemins.enums import StatutParchemin
    from parchemin.parchemins.models import ALPHABET_CODE, Parchemin
    from parchemin.referentiel.enums import VoieAcces
    from parchemin.referentiel.models import Certification, RegleJury

    call_command("charger_rs5142", stdout=io.StringIO())
    rs5142 = Certification.objects.get(code="RS5142")
    version = rs5142.version_en_vigueur()
    regle = RegleJury.objects.get(certification=rs5142)
    maintenant = timezone.now()
    voies = list(VoieAcces.values)
    sessions = SessionJury.objects.bulk_create(
        SessionJury(
            certification=rs5142,
            regle=regle,
            intitule=f"Jury bench {k}",
            debut=maintenant - datetime.timedelta(days=k % 90),
            lieu="Bordeaux",
            statut=StatutSession.VERROUILLEE,
        )
        for k in range((n + PAR_SESSION - 1) // PAR_SESSION)
    )
    for debut in range(0, n, PAQUET):
        fin = min(n, debut + PAQUET)
        # "!" is Django's unusable password: nobody signs in as a bench holder.
        inutilisable = "!"
        users = User.objects.bulk_create(
            [User(email=f"bench{i}@example.org", password=inutilisable) for i in range(debut, fin)]
        )
        candidatures = Candidature.objects.bulk_create(
            [
                Candidature(
                    candidat=u,
                    certification=rs5142,
                    version_referentiel=version,
                    voie=voies[i % len(voies)],
                    annee=2026,
                    etat=EtatCandidature.DECIDEE,
                    nom_naissance=NOMS[i % len(NOMS)],
                    prenom1=PRENOMS[i % len(PRENOMS)],
                    prenom2=PRENOMS[(i + 3) % len(PRENOMS)] if i % 3 == 0 else "",
                    sexe=Sexe.F if i % 2 else Sexe.M,
                    date_naissance=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                    code_commune_naissance=COMMUNES[i % len(COMMUNES)] if i % 10 else "",
                    code_pays_naissance="" if i % 10 else "109",
                    email=u.email,
                )
                for i, u in zip(range(debut, fin), users, strict=True)
            ]
        )
        passages = Passage.objects.bulk_create(
            [
                Passage(
                    session=sessions[i // PAR_SESSION],
                    candidature=c,
                    presence="PRESENT",
                    decision_proposee=Decision.VALIDATION_TOTALE,
                    decision=Decision.VALIDATION_TOTALE,
                    unites_validees=["1", "2", "3"],
                    deliberee_le=maintenant,
                    verrouille=True,
                )
                for i, c in zip(range(debut, fin), candidatures, strict=True)
            ]
        )
        Parchemin.objects.bulk_create(
            [
                Parchemin(
                    passage=p,
                    candidature=p.candidature,
                    numero=f"RS5142-2026-{i:06d}",
                    code_verification=_code(i, ALPHABET_CODE),
                    decision=Decision.VALIDATION_TOTALE,
                    unites=["1", "2", "3"],
                    date_decision=maintenant,
                    statut=StatutParchemin.EMIS,
                )
                for i, p in zip(range(debut, fin), passages, strict=True)
            ]
        )


def _code(i: int, alphabet: str) -> str:
    chiffres = []
    for _ in range(8):
        i, r = divmod(i, len(alphabet))
        chiffres.append(alphabet[r])
    return "".join(reversed(chiffres))


def brut(n: int, version: str) -> tuple[float, int]:
    """lxml alone: the same N records, prepared in memory beforehand, written with xmlfile."""
    from parchemin.accrochage import flux, services
    from parchemin.accrochage.models import PassageCDC

    enregistrements = []
    for passage in PassageCDC.objects.select_related("parchemin__candidature").iterator(chunk_size=2000):
        enregistrement, _ = services.preparer_passage(passage, version)
        if enregistrement is not None:
            enregistrements.append((flux.Certification("RS", "RS5142"), enregistrement))
    en_tete = flux.EnTete("BRUT", timezone.localtime(), "EMET0001", "CERT0001", "MCFCER000123", version)
    with tempfile.TemporaryFile() as sortie:
        debut = time.perf_counter()
        flux.ecrire(sortie, en_tete, flux.Suite(iter(enregistrements)), max_octets=10**12, max_passages=n)
        duree = time.perf_counter() - debut
        taille = sortie.tell()
    return duree, taille


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="nombre de titulaires délivrés")
    parser.add_argument(
        "--tas",
        action="store_true",
        help="refaire l'export sous tracemalloc (pic du tas Python ; 2 à 3 fois plus lent)",
    )
    args = parser.parse_args()

    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    moteur = connection.vendor
    ancien_nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from parchemin.accrochage import flux, services
        from parchemin.accrochage.enums import EtatCDC
        from parchemin.accrochage.models import ConfigurationCDC, PassageCDC
        from parchemin.comptes.enums import Role
        from tests.comptes.outils import creer_utilisateur

        debut = time.perf_counter()
        remplir(args.n)
        print(f"Base {moteur} : {args.n} titulaires délivrés créés en {time.perf_counter() - debut:.1f} s")
        ConfigurationCDC.objects.create(
            pk=1, id_client_emetteur="EMET0001", id_client_certificateur="CERT0001", id_contrat="MCFCER000123"
        )
        gestion = creer_utilisateur("bench-cdc@example.org", Role.GESTIONNAIRE)

        debut = time.perf_counter()
        crees = services.recenser()
        print(f"recensement : {crees} passages en {time.perf_counter() - debut:.1f} s")

        from parchemin.parchemins.services import url_verification

        url_verification(services.CODE_MODELE)  # loads the URLconf once, outside the timing
        remis = remettre_hwm()
        hwm_avant = hwm_ko()
        debut = time.perf_counter()
        resultat = services.exporter(acteur=gestion)
        duree_export = time.perf_counter() - debut
        hwm_export = hwm_ko()
        lots = resultat.lots
        total = sum(lot.nombre_passages for lot in lots)
        octets = sum(lot.taille for lot in lots)
        print(
            f"export (requêtes par paquets, écriture en flux, validation XSD, stockage) : {duree_export:.1f} s, "
            f"{total} passages, {len(lots)} fichier(s), {octets / 1e6:.1f} Mo, {len(resultat.retenues)} retenu(s)"
        )
        if remis:
            print(
                f"mémoire résidente, pic pendant l'export : {hwm_export / 1024:.0f} Mio "
                f"(avant : {hwm_avant / 1024:.0f})"
            )
        else:
            print(f"mémoire résidente, pic du processus : {hwm_export / 1024:.0f} Mio (remise à zéro impossible)")

        debut = time.perf_counter()
        for lot in lots:
            assert flux.valider(Path(lot.fichier.path), flux.schema_parchemin(lot.version_flux)) is None
        duree_validation = time.perf_counter() - debut
        print(f"validation seule (flux, lxml + XSD de Parchemin) : {duree_validation:.1f} s")

        duree_brut, taille_brut = brut(args.n, "1.1.2")
        print(
            f"lxml seul, mêmes {args.n} enregistrements (un fichier, sans base) : {duree_brut:.1f} s, "
            f"{taille_brut / 1e6:.1f} Mo"
        )
        print(f"rapport export / lxml seul : {duree_export / duree_brut:.1f}")

        if not args.tas:
            return
        # Second export of the same selection with tracemalloc on, for the Python heap peak.
        PassageCDC.objects.update(etat=EtatCDC.A_ENVOYER)
        tracemalloc.start()
        services.exporter(acteur=gestion)
        _, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tas Python, pic pendant l'export (tracemalloc, second export) : {pic / 2**20:.0f} Mio")
    finally:
        connection.creation.destroy_test_db(ancien_nom, verbosity=0)


if __name__ == "__main__":
    main()
