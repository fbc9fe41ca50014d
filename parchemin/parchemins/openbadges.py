"""The Open Badges 3.0 ``OpenBadgeCredential`` Parchemin issues, built from plain values.

Mapping (docs/parchemins.md gives it field by field): the achievement is the certification (one
version of its référentiel, ``humanCode`` = the RS/RNCP code), with one ``ResultDescription`` per unit
and per competency, each aligned to its CASE item; ``credentialSubject.result[]`` says which of them the
jury validated; the issuer is the certificateur's Profile (name, website, SIRET); ``validFrom`` is the
date of the jury's decision. The builder refuses its own output if a field would not be signed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .jsonld import CONTEXTE_OB_V3, CONTEXTE_VC_V2, verifier_termes
from .preuve import horodatage

CONTEXTES = [CONTEXTE_VC_V2, CONTEXTE_OB_V3]
TYPES_CREDENTIAL = ["VerifiableCredential", "OpenBadgeCredential"]
TYPE_IDENTIFIANT_SIRET = "ext:SIRET"
STATUT_OBTENU = "Completed"
TYPE_RESULTAT = "Status"
TYPE_ALIGNEMENT_CASE = "CFItem"


@dataclass(frozen=True)
class Emetteur:
    """The certificateur as an OB Profile; ``id`` is its DID (the controller of the signing keys)."""

    id: str
    nom: str
    url: str
    siret: str = ""
    email: str = ""


@dataclass(frozen=True)
class ElementReferentiel:
    """A unit or a competency of the référentiel: stable UUID, code, exact label, CASE item URI."""

    uuid: str
    code: str
    intitule: str
    uri_case: str


@dataclass(frozen=True)
class Unite:
    element: ElementReferentiel
    competences: tuple[ElementReferentiel, ...]


@dataclass(frozen=True)
class Certification:
    identifiant: str  # the achievement id (urn:uuid of the référentiel version)
    code: str
    intitule: str
    description: str
    criteres: str
    cadre: str  # name of the competency framework (the CASE document title)
    unites: tuple[Unite, ...]


@dataclass(frozen=True)
class Statut:
    """A ``BitstringStatusListEntry``: the credential's bit in the revocation list."""

    url_liste: str
    index: int


def profil(emetteur: Emetteur) -> dict[str, Any]:
    donnees: dict[str, Any] = {"id": emetteur.id, "type": ["Profile"], "name": emetteur.nom}
    if emetteur.url:
        donnees["url"] = emetteur.url
    if emetteur.email:
        donnees["email"] = emetteur.email
    if emetteur.siret:
        donnees["otherIdentifier"] = [
            {"type": ["IdentifierEntry"], "identifier": emetteur.siret, "identifierType": TYPE_IDENTIFIANT_SIRET}
        ]
    return donnees


def _description_resultat(element: ElementReferentiel, nature: str, cadre: str) -> dict[str, Any]:
    return {
        "id": f"urn:uuid:{element.uuid}",
        "type": ["ResultDescription"],
        "name": f"{nature} {element.code} — {element.intitule}",
        "resultType": TYPE_RESULTAT,
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": element.intitule,
                "targetCode": element.code,
                "targetUrl": element.uri_case,
                "targetType": TYPE_ALIGNEMENT_CASE,
                "targetFramework": cadre,
            }
        ],
    }


def achievement(certification: Certification) -> dict[str, Any]:
    descriptions: list[dict[str, Any]] = []
    for unite in certification.unites:
        descriptions.append(_description_resultat(unite.element, "Unité", certification.cadre))
        descriptions.extend(
            _description_resultat(competence, "Compétence", certification.cadre) for competence in unite.competences
        )
    return {
        "id": certification.identifiant,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": certification.intitule,
        "description": certification.description,
        "criteria": {"narrative": certification.criteres},
        "humanCode": certification.code,
        "resultDescription": descriptions,
    }


def resultats(certification: Certification, unites_validees: frozenset[str]) -> list[dict[str, Any]]:
    """One ``Result`` per validated unit and per competency of a validated unit (all acquired)."""
    liste: list[dict[str, Any]] = []
    for unite in certification.unites:
        if unite.element.code not in unites_validees:
            continue
        for element in (unite.element, *unite.competences):
            liste.append({"type": ["Result"], "resultDescription": f"urn:uuid:{element.uuid}", "status": STATUT_OBTENU})
    return liste


def credential(
    *,
    identifiant: str,
    emetteur: Emetteur,
    certification: Certification,
    titulaire: str,
    unites_validees: frozenset[str],
    totale: bool,
    valide_depuis: dt.datetime,
    statut: Statut | None,
) -> dict[str, Any]:
    """The unsigned credential; raises ``TermeNonDefini`` if any field would escape the signature."""
    codes_connus = {unite.element.code for unite in certification.unites}
    inconnues = sorted(unites_validees - codes_connus)
    if inconnues:
        raise ValueError(f"Unités inconnues du référentiel : {', '.join(inconnues)}")
    portee = "Certification" if totale else "Validation partielle de la certification"
    document: dict[str, Any] = {
        "@context": list(CONTEXTES),
        "id": identifiant,
        "type": list(TYPES_CREDENTIAL),
        "name": f"{portee} {certification.code} — {certification.intitule}",
        "issuer": profil(emetteur),
        "validFrom": horodatage(valide_depuis),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": titulaire, "identityType": "name", "hashed": False}
            ],
            "achievement": achievement(certification),
            "result": resultats(certification, unites_validees),
        },
    }
    if statut is not None:
        document["credentialStatus"] = {
            "id": f"{statut.url_liste}#{statut.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(statut.index),
            "statusListCredential": statut.url_liste,
        }
    verifier_termes(document)
    return document
