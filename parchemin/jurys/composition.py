"""From database rows to the plain data the rules engine reads, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from parchemin.candidatures.models import Candidature
from parchemin.referentiel.models import RegleJury

from .enums import Representation
from .models import MembreJury, SessionJury, Siege
from .regles import (
    ProfilCandidat,
    ProfilMembre,
    RegleComposition,
    Violation,
    cles_organisations,
    verifier_composition,
)


def profil_membre(membre: MembreJury) -> ProfilMembre:
    """Expects ``partenaires_formateur`` and ``sessions_formateur`` prefetched (or costs two queries)."""
    return ProfilMembre(
        cle=membre.pk,
        nom=str(membre),
        profils=frozenset(membre.profils),
        interne=membre.interne,
        represente_employeur=membre.representation == Representation.EMPLOYEUR,
        organisations=cles_organisations(membre.organisation, membre.organisation_siret, *membre.organisations_liees),
        partenaires_formateur=frozenset(p.pk for p in membre.partenaires_formateur.all()),
        sessions_formateur=frozenset(s.pk for s in membre.sessions_formateur.all()),
    )


def profil_candidat(candidature: Candidature) -> ProfilCandidat:
    """Expects ``partenaire`` selected."""
    partenaire = candidature.partenaire
    return ProfilCandidat(
        cle=candidature.pk,
        nom=candidature.nom_complet or f"candidature n°{candidature.pk}",
        partenaire_id=candidature.partenaire_id,
        partenaire_nom=partenaire.nom if partenaire else "",
        partenaire_organisations=cles_organisations(partenaire.nom, partenaire.siret) if partenaire else frozenset(),
        session_formation_id=candidature.session_formation_id,
        employeur=cles_organisations(candidature.employeur_nom, candidature.employeur_siret),
    )


def regle_composition(regle: RegleJury) -> RegleComposition:
    return RegleComposition.depuis(regle)


def verifier(regle: RegleJury, membres: Iterable[MembreJury], candidatures: Iterable[Candidature]) -> list[Violation]:
    return verifier_composition(
        regle_composition(regle), [profil_membre(m) for m in membres], [profil_candidat(c) for c in candidatures]
    )


def verifier_session(session: SessionJury) -> list[Violation]:
    """The composition check of a session as it stands in the database, with the members who sit
    (a member recorded absent no longer counts) (five queries)."""
    regle = RegleJury.objects.prefetch_related("quotas").get(pk=session.regle_id)
    qui_siegent = Siege.objects.filter(session=session).exclude(present=False).values("membre_id")
    membres = MembreJury.objects.filter(pk__in=qui_siegent).prefetch_related(
        "partenaires_formateur", "sessions_formateur"
    )
    candidatures = Candidature.objects.filter(passages__session=session).select_related("partenaire")
    return verifier(regle, membres, candidatures)
