"""Jury composition rules as code: a pure function over plain data, cheap enough for every page render.

``verifier_composition`` returns every violated rule, each with a French message naming the members
concerned. The certification's rule (size, share of external members, profile quotas) comes from the
référentiel as data (``RegleJury`` + ``QuotaProfilJury``); the generic rules (a collegial jury, at
least half external, no member linked to a candidate) always apply on top of it.

Quotas are checked as a bipartite matching between members and quota seats: a member holding two
profiles fills one seat only, and the best possible assignment is searched before reporting a gap.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parchemin.referentiel.models import RegleJury

# Generic rules (France compétences practice) that no certification's rule can relax.
MEMBRES_MIN_GENERIQUE = 2
POURCENTAGE_EXTERNES_MIN_GENERIQUE = 50


class CodeRegle:
    COLLEGIALITE = "COLLEGIALITE"
    EFFECTIF_MIN = "EFFECTIF_MIN"
    EFFECTIF_MAX = "EFFECTIF_MAX"
    EXTERNES = "EXTERNES"
    QUOTA_PROFIL = "QUOTA_PROFIL"
    LIEN_FORMATEUR = "LIEN_FORMATEUR"
    LIEN_ORGANISME_FORMATION = "LIEN_ORGANISME_FORMATION"
    LIEN_EMPLOYEUR = "LIEN_EMPLOYEUR"
    LIEN_COLLEGUE = "LIEN_COLLEGUE"


CODES_LIENS = frozenset(
    {CodeRegle.LIEN_FORMATEUR, CodeRegle.LIEN_ORGANISME_FORMATION, CodeRegle.LIEN_EMPLOYEUR, CodeRegle.LIEN_COLLEGUE}
)


def cle_organisation(texte: str) -> str:
    """A comparable key for an organisation: its SIRET digits, or its name folded (no accents, case,
    punctuation) so "Coop' des Tiers-Lieux" and "COOP DES TIERS LIEUX" match."""
    brut = texte.strip()
    compact = brut.replace(" ", "")
    if len(compact) == 14 and compact.isdigit():
        return compact
    decompose = unicodedata.normalize("NFKD", brut)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in sans_accents).split())


def cles_organisations(*textes: str) -> frozenset[str]:
    return frozenset(k for k in (cle_organisation(t) for t in textes if t) if k)


@dataclass(frozen=True)
class Quota:
    libelle: str
    profils: frozenset[str]
    nombre: int


@dataclass(frozen=True)
class RegleComposition:
    intitule: str
    membres_min: int
    membres_max: int
    pourcentage_externes_min: int
    quotas: tuple[Quota, ...] = ()

    @classmethod
    def depuis(cls, regle: RegleJury) -> RegleComposition:
        return cls(
            intitule=regle.intitule,
            membres_min=regle.membres_min,
            membres_max=regle.membres_max,
            pourcentage_externes_min=regle.pourcentage_externes_min,
            quotas=tuple(
                Quota(libelle=q.libelle, profils=frozenset(q.profils), nombre=q.nombre)
                for q in sorted(regle.quotas.all(), key=lambda q: q.ordre)
            ),
        )


@dataclass(frozen=True)
class ProfilMembre:
    """What the rules need to know about a member."""

    cle: int
    nom: str
    profils: frozenset[str] = frozenset()
    interne: bool = False
    represente_employeur: bool = False
    organisations: frozenset[str] = frozenset()  # keys (cle_organisation) of the organisations they work for
    partenaires_formateur: frozenset[int] = frozenset()  # partner ids they train with
    sessions_formateur: frozenset[int] = frozenset()  # training session ids they teach on


@dataclass(frozen=True)
class ProfilCandidat:
    """What the conflict-of-interest rule needs to know about a candidate."""

    cle: int
    nom: str
    partenaire_id: int | None = None
    partenaire_nom: str = ""
    partenaire_organisations: frozenset[str] = frozenset()  # keys of the training partner (SIRET, name)
    session_formation_id: int | None = None
    employeur: frozenset[str] = frozenset()  # keys of the employer (SIRET, name)


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    membres: tuple[str, ...] = field(default=())


def _noms(membres: Iterable[ProfilMembre]) -> str:
    return ", ".join(m.nom for m in membres)


def affecter_quotas(quotas: Sequence[Quota], membres: Sequence[ProfilMembre]) -> list[int | None]:
    """Maximum bipartite matching of quota seats to members (Kuhn's augmenting paths).

    Returns, for each seat (quotas expanded by ``nombre``, in order), the index of the member
    holding it or None. Juries are small (a handful of seats), so this runs in microseconds.
    """
    sieges = [q for q in quotas for _ in range(q.nombre)]
    eligibles = [[i for i, m in enumerate(membres) if m.profils & q.profils] for q in sieges]
    titulaire_du_membre: dict[int, int] = {}

    def augmenter(siege: int, vus: set[int]) -> bool:
        for i in eligibles[siege]:
            if i in vus:
                continue
            vus.add(i)
            if i not in titulaire_du_membre or augmenter(titulaire_du_membre[i], vus):
                titulaire_du_membre[i] = siege
                return True
        return False

    for siege in range(len(sieges)):
        augmenter(siege, set())
    affectation: list[int | None] = [None] * len(sieges)
    for membre, siege in titulaire_du_membre.items():
        affectation[siege] = membre
    return affectation


def _verifier_quotas(regle: RegleComposition, membres: Sequence[ProfilMembre]) -> list[Violation]:
    affectation = affecter_quotas(regle.quotas, membres)
    violations = []
    position = 0
    comptes = [membres[i] for i in affectation if i is not None]
    for quota in regle.quotas:
        sieges = affectation[position : position + quota.nombre]
        position += quota.nombre
        manquants = sum(1 for s in sieges if s is None)
        if not manquants:
            continue
        retenus = [membres[s] for s in sieges if s is not None]
        autres = [m for m in membres if m not in comptes]
        message = (
            f"Profil « {quota.libelle} » : {quota.nombre} membre(s) requis, "
            f"{len(retenus)} seulement" + (f" ({_noms(retenus)})" if retenus else "") + "."
        )
        if autres:
            message += f" Ne correspondent à aucun siège restant : {_noms(autres)}."
        violations.append(Violation(CodeRegle.QUOTA_PROFIL, message, tuple(m.nom for m in [*retenus, *autres])))
    return violations


def liens_entre(membre: ProfilMembre, candidat: ProfilCandidat) -> list[Violation]:
    liens = []
    if candidat.session_formation_id is not None and candidat.session_formation_id in membre.sessions_formateur:
        liens.append(
            Violation(
                CodeRegle.LIEN_FORMATEUR,
                f"{membre.nom} est formateur ou formatrice de {candidat.nom} (même session de formation).",
                (membre.nom,),
            )
        )
    elif candidat.partenaire_id is not None and (
        candidat.partenaire_id in membre.partenaires_formateur
        or membre.organisations & candidat.partenaire_organisations
    ):
        liens.append(
            Violation(
                CodeRegle.LIEN_ORGANISME_FORMATION,
                f"{membre.nom} intervient pour l'organisme de formation de {candidat.nom}"
                + (f" ({candidat.partenaire_nom})." if candidat.partenaire_nom else "."),
                (membre.nom,),
            )
        )
    if membre.organisations & candidat.employeur:
        if membre.represente_employeur:
            liens.append(
                Violation(
                    CodeRegle.LIEN_EMPLOYEUR, f"{membre.nom} représente l'employeur de {candidat.nom}.", (membre.nom,)
                )
            )
        else:
            liens.append(
                Violation(
                    CodeRegle.LIEN_COLLEGUE,
                    f"{membre.nom} est collègue de {candidat.nom} (même employeur).",
                    (membre.nom,),
                )
            )
    return liens


def verifier_composition(
    regle: RegleComposition, membres: Sequence[ProfilMembre], candidats: Sequence[ProfilCandidat] = ()
) -> list[Violation]:
    """Every rule the composition breaks; an empty list means the jury may sit."""
    violations: list[Violation] = []
    effectif = len(membres)
    minimum = max(regle.membres_min, MEMBRES_MIN_GENERIQUE)
    if effectif < MEMBRES_MIN_GENERIQUE:
        violations.append(
            Violation(
                CodeRegle.COLLEGIALITE,
                f"Un jury est collégial : au moins {MEMBRES_MIN_GENERIQUE} membres "
                f"(composition actuelle : {effectif}" + (f", {_noms(membres)}" if membres else "") + ").",
                tuple(m.nom for m in membres),
            )
        )
    if effectif < minimum:
        violations.append(
            Violation(
                CodeRegle.EFFECTIF_MIN,
                f"« {regle.intitule} » exige au moins {minimum} membres ; le jury en compte {effectif}.",
                tuple(m.nom for m in membres),
            )
        )
    if effectif > regle.membres_max:
        violations.append(
            Violation(
                CodeRegle.EFFECTIF_MAX,
                f"« {regle.intitule} » admet au plus {regle.membres_max} membres ; le jury en compte {effectif} "
                f"({_noms(membres)}).",
                tuple(m.nom for m in membres),
            )
        )
    pourcentage = max(regle.pourcentage_externes_min, POURCENTAGE_EXTERNES_MIN_GENERIQUE)
    internes = [m for m in membres if m.interne]
    if effectif and (effectif - len(internes)) * 100 < pourcentage * effectif:
        violations.append(
            Violation(
                CodeRegle.EXTERNES,
                f"Au moins {pourcentage} % des membres doivent être extérieurs au certificateur ; "
                f"membre(s) interne(s) : {_noms(internes)}.",
                tuple(m.nom for m in internes),
            )
        )
    violations.extend(_verifier_quotas(regle, membres))
    for membre in membres:
        for candidat in candidats:
            violations.extend(liens_entre(membre, candidat))
    return violations
