"""What a candidate reads once the PV is final: the decision, each unit, the jury's observations,
the date, the appeal route and its deadline, and what a partial validation is worth.

One function builds it for the candidate's page and for the staff page of the candidature, so both
say the same. The result is the one of the last sealed PV: an amendment after signature counts
once the new version of the PV is signed and sealed in turn.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from parchemin.candidatures.models import Candidature
from parchemin.dates import ajouter_mois
from parchemin.referentiel.models import Certificateur, Unite

from .enums import Decision
from .models import Passage, ProcesVerbal, SessionJury

# Decisions that end in a result to read (absent or excused candidates go before a later session).
DECISIONS_RENDUES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE, Decision.REFUS)


@dataclass(frozen=True)
class UniteResultat:
    code: str
    intitule: str
    obtenue: bool
    anterieure: bool

    @property
    def statut(self) -> str:
        if self.anterieure:
            return "acquise lors d'un jury précédent"
        return "obtenue" if self.obtenue else "non obtenue"


@dataclass(frozen=True)
class Resultat:
    candidature: Candidature
    session: SessionJury
    pv: ProcesVerbal
    decision: str
    libelle: str
    unites: list[UniteResultat]
    observations: str
    rendu_le: datetime.date
    recours_jusqu_au: datetime.date
    delai_recours_mois: int
    certificateur: Certificateur
    amende: bool

    @property
    def totale(self) -> bool:
        return self.decision == Decision.VALIDATION_TOTALE

    @property
    def partielle(self) -> bool:
        return self.decision == Decision.VALIDATION_PARTIELLE

    @property
    def obtenues(self) -> list[UniteResultat]:
        return [u for u in self.unites if u.obtenue]

    @property
    def manquantes(self) -> list[UniteResultat]:
        return [u for u in self.unites if not u.obtenue]


def resultat_de(candidature: Candidature) -> Resultat | None:
    """The candidate's result, or None while no PV with a decision for them is final."""
    passage = (
        Passage.objects.filter(candidature=candidature, verrouille=True, decision__in=DECISIONS_RENDUES)
        .select_related("session__certification__certificateur")
        .prefetch_related("amendements")
        .order_by("-session__debut", "-pk")
        .first()
    )
    if passage is None:
        return None
    pv = (
        ProcesVerbal.objects.filter(session_id=passage.session_id, verrouille_le__isnull=False)
        .defer("pdf", "pdf_final")
        .first()
    )
    if pv is None or pv.verrouille_le is None:
        return None
    scelle_le = pv.verrouille_le
    amendements = [a for a in passage.amendements.all() if a.cree_le <= scelle_le]
    decision, codes = (
        (amendements[-1].decision_apres, set(amendements[-1].unites_apres))
        if amendements
        else (passage.decision, set(passage.unites_validees))
    )
    anterieures = set(passage.unites_anterieures)
    unites = [
        UniteResultat(
            code=u.code,
            intitule=u.intitule,
            obtenue=u.code in codes or u.code in anterieures,
            anterieure=u.code in anterieures,
        )
        for u in Unite.objects.filter(version_id=candidature.version_referentiel_id).order_by("ordre")
    ]
    rendu_le = timezone.localtime(scelle_le).date()
    delai = settings.CONSERVATION_RECOURS_MOIS
    return Resultat(
        candidature=candidature,
        session=passage.session,
        pv=pv,
        decision=decision,
        libelle=Decision(decision).label,
        unites=unites,
        observations=passage.observations,
        rendu_le=rendu_le,
        recours_jusqu_au=ajouter_mois(rendu_le, delai),
        delai_recours_mois=delai,
        certificateur=passage.session.certification.certificateur,
        amende=bool(amendements),
    )
