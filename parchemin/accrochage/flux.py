"""Writing the flux XML as a stream, and validating a written file as a stream.

``ecrire`` takes records one at a time and writes each ``passageCertification`` through
``lxml.etree.xmlfile`` as it goes: memory holds one record, never the document, and the namespace
declarations appear once, on the root. It
stops at the limits of one file (200,000 passages, a size under the CDC's 200 MB) and the caller
opens the next one with the records left. ``valider`` parses the file back with the schema attached
to the parser, clearing each record once checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from lxml import etree

from .donnees import Enregistrement
from .enums import ActionFlux, VersionFlux

NS = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"cpf": NS, "xsi": XSI}
NIL = {f"{{{XSI}}}nil": "true"}

MAX_PASSAGES_PAR_FICHIER = 200_000
# The CDC's limit is 200 MB; the check runs every few hundred records, so keep a margin.
MAX_OCTETS_PAR_FICHIER = 195 * 1000 * 1000
CONTROLE_TAILLE_TOUS_LES = 500

DOSSIER_SCHEMAS = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class Certification:
    type: str
    code: str


@dataclass(frozen=True)
class EnTete:
    id_flux: str
    horodatage: datetime.datetime
    id_client_emetteur: str
    id_client_certificateur: str
    id_contrat: str
    version: str
    # 1.1.5 only (1.1.2 has no action: every file creates).
    action: str = ActionFlux.CREATION


def q(nom: str) -> str:
    return f"{{{NS}}}{nom}"


def horodatage(moment: datetime.datetime) -> str:
    """2026-07-01T11:43:27+02:00: explicit offset, whole seconds."""
    return moment.replace(microsecond=0).isoformat()


class Suite:
    """An iterator one can look one item ahead in (the writer closes a certification on a change)."""

    def __init__(self, source: Iterator[tuple[Certification, Enregistrement]]) -> None:
        self._source = source
        self._tete: tuple[Certification, Enregistrement] | None = None
        self._avancer()

    def _avancer(self) -> None:
        self._tete = next(self._source, None)

    @property
    def tete(self) -> tuple[Certification, Enregistrement] | None:
        return self._tete

    def prendre(self) -> tuple[Certification, Enregistrement]:
        assert self._tete is not None
        element, self._tete = self._tete, None
        self._avancer()
        return element


def _texte(xf: Any, nom: str, valeur: str | None, *, nil: bool = False) -> None:
    if valeur is None:
        if nil:
            with xf.element(q(nom), NIL):
                pass
        return
    with xf.element(q(nom)):
        xf.write(valeur)


def ecrire_passage(xf: Any, e: Enregistrement, version: str) -> None:
    """One ``passageCertification`` (RS5142 mapping: docs/accrochage.md, "Correspondance").

    Written element by element inside the root's context, so the namespaces are the root's: a
    record built as a tree and handed to ``xf.write`` is serialised standalone and repeats its
    ``xmlns`` declarations (about 100 bytes a record)."""
    with xf.element(q("passageCertification")):
        _texte(xf, "idTechnique", e.id_technique)
        _texte(xf, "urlPreuve", e.url_preuve)
        _texte(xf, "obtentionCertification", "PAR_ADMISSION")
        _texte(xf, "donneeCertifiee", "true")
        _texte(xf, "dateDebutValidite", e.date_debut_validite.isoformat())
        _texte(xf, "dateFinValidite", None, nil=True)
        _texte(xf, "presenceNiveauLangueEuro", "false")
        _texte(xf, "presenceNiveauNumeriqueEuro", "false")
        _texte(xf, "scoring", None, nil=True)
        _texte(xf, "mentionValidee", None, nil=True)
        with xf.element(q("modalitesInscription")):
            _texte(xf, "modaliteAcces", e.modalite_acces, nil=True)
        with xf.element(q("identificationTitulaire")):
            if e.nir is not None and version == VersionFlux.V1_1_5:
                with xf.element(q("identifiantNational")):
                    _texte(xf, "nir", e.nir)
                    _texte(xf, "nomNaissance", e.nom_naissance)
                return
            with xf.element(q("titulaire")):
                _texte(xf, "nomNaissance", e.nom_naissance)
                _texte(xf, "nomUsage", e.nom_usage, nil=True)
                for rang, prenom in enumerate(e.prenoms, start=1):
                    _texte(xf, f"prenom{rang}", prenom)
                _texte(xf, "anneeNaissance", str(e.date_naissance.year))
                _texte(xf, "moisNaissance", str(e.date_naissance.month))
                _texte(xf, "jourNaissance", str(e.date_naissance.day))
                _texte(xf, "sexe", e.sexe)
                with xf.element(q("codeCommuneNaissance")), xf.element(q("codeInseeNaissance")):
                    _texte(xf, "codeInsee", e.code_insee)
                _texte(xf, "libelleCommuneNaissance", e.libelle_commune)
                _texte(xf, "codePaysNaissance", e.code_pays)
                _texte(xf, "libellePaysNaissance", e.libelle_pays)


def ecrire(
    sortie: IO[bytes],
    en_tete: EnTete,
    suite: Suite,
    *,
    max_passages: int = MAX_PASSAGES_PAR_FICHIER,
    max_octets: int = MAX_OCTETS_PAR_FICHIER,
) -> list[str]:
    """Write one file from ``suite`` until it is empty or a limit is reached; the idTechniques written."""
    ecrits: list[str] = []

    def plein() -> bool:
        return len(ecrits) >= max_passages or (
            len(ecrits) % CONTROLE_TAILLE_TOUS_LES == 0 and bool(ecrits) and _taille(sortie, xf) >= max_octets
        )

    with etree.xmlfile(sortie, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(q("flux"), nsmap=NSMAP):
            _texte(xf, "idFlux", en_tete.id_flux)
            if en_tete.version == VersionFlux.V1_1_5:
                _texte(xf, "action", en_tete.action)
            _texte(xf, "horodatage", horodatage(en_tete.horodatage))
            with xf.element(q("emetteur")):
                _texte(xf, "idClient", en_tete.id_client_emetteur)
                with xf.element(q("certificateurs")), xf.element(q("certificateur")):
                    _texte(xf, "idClient", en_tete.id_client_certificateur)
                    _texte(xf, "idContrat", en_tete.id_contrat)
                    with xf.element(q("certifications")):
                        while suite.tete is not None and not plein():
                            certification = suite.tete[0]
                            with xf.element(q("certification")):
                                _texte(xf, "type", certification.type)
                                _texte(xf, "code", certification.code)
                                _texte(xf, "natureDeposant", "CERTIFICATEUR")
                                with xf.element(q("passageCertifications")):
                                    while suite.tete is not None and suite.tete[0] == certification and not plein():
                                        _, enregistrement = suite.prendre()
                                        ecrire_passage(xf, enregistrement, en_tete.version)
                                        ecrits.append(enregistrement.id_technique)
    return ecrits


def _taille(sortie: IO[bytes], xf: Any) -> int:
    xf.flush()
    return sortie.tell()


@lru_cache(maxsize=4)
def schema_parchemin(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DOSSIER_SCHEMAS / f"flux-{version}.xsd")))


def chemin_schema(version: str) -> Path:
    return DOSSIER_SCHEMAS / f"flux-{version}.xsd"


def valider(chemin: Path, schema: etree.XMLSchema) -> str | None:
    """None when the file is valid, else the first error (line and message) as lxml reports it."""
    try:
        for _, element in etree.iterparse(
            str(chemin), events=("end",), tag=q("passageCertification"), schema=schema, resolve_entities=False
        ):
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as erreur:
        return str(erreur)
    return None
