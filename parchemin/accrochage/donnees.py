"""From a holder's civil status to one record of the CDC flux, or the reasons it is held back.

Pure functions on plain values (no database): the export, the back-office list of held-back
passages and the property tests all go through ``preparer``. A record it returns is valid against
Parchemin's XSD by construction; anything the format cannot carry becomes a French reason instead,
so an invalid file is never produced (docs/accrochage.md, "Passages retenus").
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from parchemin.candidatures.etat_civil import REGEX_COMMUNE
from parchemin.referentiel.enums import ModaliteAccesCDC, VoieAcces

LONGUEUR_NOM_MAX = 60
LONGUEUR_LIBELLE_MAX = 60
ANNEES_ACCEPTEES = range(1900, 2100)

# The character set Parchemin sends in people's names (the same class as "nomPersonne" in
# schemas/flux-*.xsd): Latin letters with the accents of French and neighbouring languages, Œ œ Ÿ,
# joined by one space, hyphen or apostrophe. The documented format only bounds the length; the
# CDC's identity matching compares with the civil registry, which writes names in these letters.
LETTRE = "A-Za-zÀ-ÖØ-öø-ÿŒœŸ"
REGEX_NOM = re.compile(rf"[{LETTRE}](?:[ '\-]?[{LETTRE}])*")
REGEX_CODE_PAYS = re.compile(r"[1-9][0-9]{2}")
REGEX_NIR = re.compile(r"[12][0-9]{4}(?:2[AB]|[0-9]{2})[0-9]{6}")
# What XML 1.0 can carry at all (free-text labels outside this are left out, never sent broken).
REGEX_TEXTE_XML = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")

MODALITE_PAR_VOIE: dict[str, str] = {
    VoieAcces.FORMATION_INITIALE: ModaliteAccesCDC.FORMATION_INITIALE_HORS_APPRENTISSAGE,
    VoieAcces.APPRENTISSAGE: ModaliteAccesCDC.FORMATION_INITIALE_APPRENTISSAGE,
    VoieAcces.FORMATION_CONTINUE: ModaliteAccesCDC.FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION,
    VoieAcces.CONTRAT_PROFESSIONNALISATION: ModaliteAccesCDC.FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION,
    VoieAcces.CANDIDATURE_INDIVIDUELLE: ModaliteAccesCDC.CANDIDAT_LIBRE,
    VoieAcces.EXPERIENCE: ModaliteAccesCDC.VAE,
}


@dataclass(frozen=True)
class Identite:
    """The holder's civil status as the application records it."""

    nom_naissance: str = ""
    nom_usage: str = ""
    prenom1: str = ""
    prenom2: str = ""
    prenom3: str = ""
    sexe: str = ""
    date_naissance: datetime.date | None = None
    code_commune_naissance: str = ""
    commune_naissance: str = ""
    code_pays_naissance: str = ""
    pays_naissance: str = ""


@dataclass(frozen=True)
class Enregistrement:
    """One ``passageCertification``, every value already in the form the flux carries."""

    id_technique: str
    url_preuve: str
    date_debut_validite: datetime.date
    modalite_acces: str | None
    nom_naissance: str
    nom_usage: str | None
    prenoms: tuple[str, ...]
    date_naissance: datetime.date
    sexe: str
    code_insee: str
    libelle_commune: str | None
    code_pays: str | None
    libelle_pays: str | None
    nir: str | None = None


def normaliser_nom(valeur: str) -> str:
    """Composed accents (NFC), typographic apostrophes as ', single spaces, no space around - or '."""
    texte = unicodedata.normalize("NFC", valeur)
    texte = re.sub("[\u2019\u2018\u02bc\u00b4`]", "'", texte)
    texte = re.sub(r"\s+", " ", texte).strip()
    return re.sub(r" ?([\-']) ?", r"\1", texte)


def _libelle(valeur: str) -> str | None:
    """An optional free-text label: sent when it fits, left out otherwise (the code is what counts)."""
    texte = re.sub(r"\s+", " ", unicodedata.normalize("NFC", valeur)).strip()
    if not texte or len(texte) > LONGUEUR_LIBELLE_MAX or not REGEX_TEXTE_XML.fullmatch(texte):
        return None
    return texte


def _nom(valeur: str, libelle: str, obligatoire: bool, raisons: list[str]) -> str | None:
    texte = normaliser_nom(valeur)
    if not texte:
        if obligatoire:
            raisons.append(f"{libelle.capitalize()} manquant.")
        return None
    if len(texte) > LONGUEUR_NOM_MAX:
        raisons.append(
            f"{libelle.capitalize()} trop long : {len(texte)} caractères, le format CDC en accepte "
            f"{LONGUEUR_NOM_MAX} au plus."
        )
        return None
    if not REGEX_NOM.fullmatch(texte):
        hors = sorted({c for c in texte if not re.fullmatch(rf"[{LETTRE} '\-]", c)})
        detail = f" (« {''.join(hors)} »)" if hors and all(c.isprintable() for c in hors) else ""
        raisons.append(
            f"{libelle.capitalize()} : caractères que le format CDC n'accepte pas{detail}. Seuls les lettres "
            "(accentuées ou non), l'espace, le trait d'union et l'apostrophe sont acceptés, entre deux lettres."
        )
        return None
    return texte


def _lieu_naissance(identite: Identite, raisons: list[str]) -> tuple[str, str | None, str | None, str | None]:
    """codeInsee, libelleCommune, codePays, libellePays. A birth abroad is sent as 99 + country code."""
    commune = identite.code_commune_naissance.strip().upper().replace(" ", "")
    pays = identite.code_pays_naissance.strip()
    if commune:
        if commune.startswith("99") or not REGEX_COMMUNE.fullmatch(commune):
            raisons.append(
                f"Code INSEE de la commune de naissance « {commune[:10]} » invalide : 5 caractères, le département "
                "(2A ou 2B pour la Corse) puis le numéro de commune."
            )
            return "", None, None, None
        return commune, _libelle(identite.commune_naissance), None, None
    if pays:
        if not REGEX_CODE_PAYS.fullmatch(pays) or pays == "100":
            raisons.append(
                f"Code INSEE du pays de naissance « {pays[:10]} » invalide : 3 chiffres, par exemple 109 pour "
                "l'Allemagne (100, la France, appelle un code de commune)."
            )
            return "", None, None, None
        return f"99{pays}", None, pays, _libelle(identite.pays_naissance)
    raisons.append("Lieu de naissance manquant : code INSEE de la commune, ou pays pour une naissance à l'étranger.")
    return "", None, None, None


def preparer(
    identite: Identite,
    *,
    id_technique: str,
    url_preuve: str,
    date_debut_validite: datetime.date,
    voie: str,
    nir: str | None = None,
) -> tuple[Enregistrement | None, list[str]]:
    """The record, or None with every reason it cannot be sent (all of them, so one fix is enough)."""
    raisons: list[str] = []
    nom_naissance = _nom(identite.nom_naissance, "nom de naissance", True, raisons)
    nom_usage = _nom(identite.nom_usage, "nom d'usage", False, raisons)
    if nom_usage is not None and nom_usage == nom_naissance:
        nom_usage = None
    prenoms = [
        _nom(identite.prenom1, "premier prénom", True, raisons),
        _nom(identite.prenom2, "deuxième prénom", False, raisons),
        _nom(identite.prenom3, "troisième prénom", False, raisons),
    ]
    if identite.sexe not in ("M", "F"):
        raisons.append("Sexe manquant (M ou F, comme à l'état civil).")
    naissance = identite.date_naissance
    if naissance is None:
        raisons.append("Date de naissance manquante.")
    elif naissance.year not in ANNEES_ACCEPTEES:
        raisons.append("Année de naissance hors de ce que le format accepte (1900 à 2099).")
    code_insee, libelle_commune, code_pays, libelle_pays = _lieu_naissance(identite, raisons)
    if date_debut_validite.year not in ANNEES_ACCEPTEES:
        raisons.append("Date de la décision du jury hors de ce que le format accepte (1900 à 2099).")
    if nir is not None and not REGEX_NIR.fullmatch(nir):
        raisons.append("NIR invalide : 13 caractères sans la clé (1 ou 2, puis année, mois, département, commune).")
    if not id_technique or len(id_technique) > 255 or len(url_preuve) > 255:
        raisons.append("Identifiant technique ou URL de vérification trop long pour le format.")
    if raisons or nom_naissance is None or naissance is None:
        return None, raisons
    return (
        Enregistrement(
            id_technique=id_technique,
            url_preuve=url_preuve,
            date_debut_validite=date_debut_validite,
            modalite_acces=MODALITE_PAR_VOIE.get(voie),
            nom_naissance=nom_naissance,
            nom_usage=nom_usage,
            prenoms=tuple(p for p in prenoms if p),
            date_naissance=naissance,
            sexe=identite.sexe,
            code_insee=code_insee,
            libelle_commune=libelle_commune,
            code_pays=code_pays,
            libelle_pays=libelle_pays,
            nir=nir,
        ),
        [],
    )
