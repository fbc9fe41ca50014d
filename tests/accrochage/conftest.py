"""Delivered full certifications, the certificateur's CDC identifiers, and helpers to read files."""

from __future__ import annotations

import datetime
import itertools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from lxml import etree

from parchemin.accrochage.flux import NS, chemin_schema, schema_parchemin
from parchemin.accrochage.models import ConfigurationCDC, Lot
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.jurys.enums import Decision
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from tests.comptes.outils import creer_utilisateur
from tests.jurys.factories import SessionJuryFactory
from tests.parchemins.conftest import passage_decide

_numeros = itertools.count(1)
_CODES = itertools.count(0)
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _code() -> str:
    n = next(_CODES)
    chiffres = []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        chiffres.append(ALPHABET[r])
    return "".join(reversed(chiffres))


def delivrer(
    *, decision: str = Decision.VALIDATION_TOTALE, livre_le: datetime.datetime | None = None, **identite: Any
) -> Parchemin:
    """A parchemin issued for a locked decision (what parchemins.services does, without signing)."""
    session = SessionJuryFactory()
    unites = ["1", "2", "3"] if decision == Decision.VALIDATION_TOTALE else ["2"]
    passage = passage_decide(session, decision, unites, **identite)
    return Parchemin.objects.create(
        passage=passage,
        candidature=passage.candidature,
        numero=f"RS5142-2026-{next(_numeros):05d}",
        code_verification=_code(),
        decision=decision,
        unites=unites,
        date_decision=livre_le or timezone.now(),
        statut=StatutParchemin.EMIS,
    )


@pytest.fixture
def config_cdc(db: None) -> ConfigurationCDC:
    return ConfigurationCDC.objects.create(
        pk=1, id_client_emetteur="EMET0001", id_client_certificateur="CERT0001", id_contrat="MCFCER000123"
    )


@pytest.fixture
def gestionnaire(db: None) -> User:
    return creer_utilisateur("gestion-cdc@example.org", Role.GESTIONNAIRE)


@pytest.fixture
def administrateur(db: None) -> User:
    return creer_utilisateur("admin-cdc@example.org", Role.ADMINISTRATEUR)


def lire_lot(lot: Lot) -> etree._ElementTree:
    with lot.fichier.open("rb") as f:
        return etree.parse(f)


def ids_du_lot(lot: Lot) -> list[str]:
    return [e.text for e in lire_lot(lot).iter(f"{{{NS}}}idTechnique")]


def valide_par_xmllint(chemin: Path, version: str) -> bool:
    """The independent check: libxml2's command-line validator against our XSD."""
    xmllint = shutil.which("xmllint")
    assert xmllint is not None, "xmllint manque : apt-get install -y libxml2-utils"
    resultat = subprocess.run(  # noqa: S603 (fixed program, our own schema and file)
        [xmllint, "--noout", "--schema", str(chemin_schema(version)), str(chemin)],
        capture_output=True,
        text=True,
        check=False,
    )
    return resultat.returncode == 0


def valide_par_lxml(arbre: etree._ElementTree, version: str = "1.1.2") -> bool:
    return bool(schema_parchemin(version).validate(arbre))
