"""Taking over a jury held before the platform ("reprise d'historique").

A certificateur that adopts Parchemin has years of juries behind it: their minutes are signed on
paper and their holders received their certificate then. The statistics a renewal file needs cover
those years too, so their decisions are recorded here as they were taken, under rules as strict as a
live session's, minus what cannot be replayed: nobody signs an electronic PV after the fact, and no
parchemin is issued again.

- the session is marked ``origine = REPRISE`` and is locked from the start (database constraint);
- it has no ``ProcesVerbal``: ``verifier_pv`` accepts a locked session without an electronic PV
  only when it is a reprise, and refuses a reprise that has one (``jurys.integrite``);
- the composition rule of the certification applies, as for a live jury;
- each candidate must be ready for a jury, deposited before the session, on the session's
  certification; decisions carry the units they validate, as ``deliberer`` requires;
- definitive decisions move the application to "decided" through the candidatures service, and one
  journal entry records the whole take-over (who, when, every decision);
- the applications' stored outcome (``en_vigueur``) is written in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from parchemin.candidatures import services as services_candidatures
from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.referentiel.models import RegleJury, Unite

from . import composition
from .en_vigueur import recalculer_decisions_en_vigueur
from .enums import DECISIONS_D_ABSENCE, Decision, OrigineSession, Presence, StatutSession
from .models import MembreJury, Passage, SessionJury, Siege

DECISIONS_DEFINITIVES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE, Decision.REFUS)


@dataclass(frozen=True)
class DecisionReprise:
    """One candidate's decision as the paper PV records it; ``unites``: the codes of the units it
    validates (all of them for a total validation, some for a partial one, none otherwise)."""

    candidature: Candidature
    decision: str
    unites: tuple[str, ...] = ()
    observations: str = ""


def _unites_de(candidature: Candidature) -> set[str]:
    return set(Unite.objects.filter(version_id=candidature.version_referentiel_id).values_list("code", flat=True))


def _verifier_decision(ligne: DecisionReprise, debut: datetime.datetime, regle: RegleJury) -> None:
    candidature = ligne.candidature
    nom = candidature.nom_complet or f"candidature n°{candidature.pk}"
    if ligne.decision not in Decision.values:
        raise ErreurMetier(f"{nom} : décision inconnue « {ligne.decision} ».")
    if candidature.certification_id != regle.certification_id:
        raise ErreurMetier(f"{nom} : la candidature porte sur une autre certification que ce jury.")
    if candidature.etat != EtatCandidature.PRETE_POUR_JURY:
        raise ErreurMetier(f"{nom} n'est pas prête pour le jury ({candidature.get_etat_display()}).")
    if candidature.deposee_le is None or candidature.deposee_le > debut:
        raise ErreurMetier(f"{nom} : la candidature doit avoir été déposée avant la date du jury.")
    unites, toutes = set(ligne.unites), _unites_de(candidature)
    if not unites <= toutes:
        raise ErreurMetier(f"{nom} : unité(s) inconnue(s) du référentiel : {', '.join(sorted(unites - toutes))}.")
    attendu = {
        Decision.VALIDATION_TOTALE: unites == toutes,
        Decision.VALIDATION_PARTIELLE: bool(unites) and unites != toutes,
    }.get(Decision(ligne.decision), not unites)
    if not attendu:
        raise ErreurMetier(
            f"{nom} : une validation totale porte sur toutes les unités, une validation partielle sur une partie "
            "d'entre elles, un refus ou une absence sur aucune."
        )


@transaction.atomic
def reprendre_session(
    *,
    acteur: User,
    regle: RegleJury,
    intitule: str,
    debut: datetime.datetime,
    lieu: str,
    membres: Sequence[MembreJury],
    decisions: Sequence[DecisionReprise],
) -> SessionJury:
    """Record a past jury and its decisions as taken; refuses in French whatever a live session
    would refuse (composition, candidates not ready, impossible units) and a date to come."""
    exiger_equipe(acteur)
    if debut >= timezone.now():
        raise ErreurMetier("Seul un jury déjà tenu peut être repris de l'historique : sa date est passée.")
    if not intitule.strip() or not lieu.strip():
        raise ErreurMetier("Indiquez l'intitulé et le lieu du jury repris.")
    if not decisions:
        raise ErreurMetier("Un jury repris de l'historique porte au moins une décision.")
    if len({ligne.candidature.pk for ligne in decisions}) != len(decisions):
        raise ErreurMetier("Un même candidat figure deux fois dans ce jury.")
    # The partner is a nullable relation (an outer join): PostgreSQL locks only the applications' rows.
    candidatures = list(
        Candidature.objects.select_for_update(of=("self",))
        .filter(pk__in=[ligne.candidature.pk for ligne in decisions])
        .select_related("partenaire")
    )
    par_pk = {c.pk: c for c in candidatures}
    lignes = [
        DecisionReprise(par_pk[ligne.candidature.pk], ligne.decision, ligne.unites, ligne.observations)
        for ligne in decisions
    ]
    for ligne in lignes:
        _verifier_decision(ligne, debut, regle)
    violations = composition.verifier(
        regle,
        MembreJury.objects.filter(pk__in=[m.pk for m in membres]).prefetch_related(
            "partenaires_formateur", "sessions_formateur"
        ),
        candidatures,
    )
    if violations:
        raise ErreurMetier("Composition du jury contraire à la règle : " + " ".join(v.message for v in violations))
    session = SessionJury.objects.create(
        certification_id=regle.certification_id,
        regle=regle,
        intitule=intitule,
        debut=debut,
        lieu=lieu,
        max_candidats=max(len(lignes), 1),
        statut=StatutSession.VERROUILLEE,
        origine=OrigineSession.REPRISE,
    )
    Siege.objects.bulk_create(Siege(session=session, membre=membre, present=True) for membre in membres)
    Passage.objects.bulk_create(
        Passage(
            session=session,
            candidature=ligne.candidature,
            presence=ligne.decision if ligne.decision in DECISIONS_D_ABSENCE else Presence.PRESENT,
            decision_proposee=ligne.decision,
            decision=ligne.decision,
            unites_proposees=sorted(ligne.unites),
            unites_validees=sorted(ligne.unites),
            observations=ligne.observations,
            deliberee_le=debut,
            verrouille=True,
        )
        for ligne in lignes
    )
    recalculer_decisions_en_vigueur(c.pk for c in candidatures)
    for ligne in lignes:
        if ligne.decision in DECISIONS_DEFINITIVES:
            services_candidatures.enregistrer_decision_jury(
                ligne.candidature,
                acteur=acteur,
                resume=f"Décision du jury reprise de l'historique ({session}).",
                prevenir=False,
            )
    enregistrer(
        action="jurys.reprendre_session",
        acteur=acteur,
        objet=session,
        resume=f"Jury antérieur à la plateforme repris de l'historique : {len(lignes)} décision(s).",
        apres={
            "debut": debut,
            "membres": sorted(str(m) for m in membres),
            "decisions": {str(ligne.candidature.pk): ligne.decision for ligne in lignes},
        },
    )
    return session
