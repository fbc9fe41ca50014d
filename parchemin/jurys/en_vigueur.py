"""The jury outcome of each application, stored on it for the statistics.

Definition (the glossary's "décision en vigueur"): the latest passage of the application on a signed
PV (``verrouille``, with a decision), ordered by the session's start then the passage; its decision,
replaced by the ``decision_apres`` of its last amendment if any. The application stores that
decision (``decision_finale``), the session's start (``decide_le``) and its civil year in the
project's time zone (``annee_decision``); all empty while no signed PV carries a decision.

The inputs change only in this app: a PV locked (``services._verrouiller``), an amendment after
signature (``services.amender_apres_signature``), a jury taken over from history
(``reprise.reprendre_session``). Each calls ``recalculer_decisions_en_vigueur`` in its own
transaction. Nothing else can change them: a locked passage can be neither updated nor deleted
(triggers of migration 0002), a locked session cannot be moved, amendments are never edited, and no
path unlocks a PV.
``ecarts`` finds any application whose stored outcome differs from the definition (command
``verifier_statistiques``), should a row have been written some other way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from parchemin.candidatures.models import CHAMPS_RESULTAT_JURY, Candidature
from parchemin.comptes.models import User
from parchemin.journal.services import enregistrer

from .enums import Decision
from .models import AmendementDecision, Passage

# Ids go in batches: each statement's parameter list stays far below what either engine binds.
TAILLE_LOT = 500


def definition() -> dict[str, Any]:
    """The three stored fields as SQL expressions of an application (``OuterRef("pk")``): the
    reference the stored values must equal."""
    amendement = AmendementDecision.objects.filter(passage=OuterRef("pk")).order_by("-cree_le", "-pk")
    passages = (
        Passage.objects.filter(candidature=OuterRef("pk"), verrouille=True)
        .exclude(decision="")
        .annotate(
            en_vigueur=Coalesce(Subquery(amendement.values("decision_apres")[:1]), F("decision")),
            an=ExtractYear("session__debut"),
        )
        .order_by("-session__debut", "-pk")
    )
    return {
        "decision_finale": Coalesce(Subquery(passages.values("en_vigueur")[:1]), Value("")),
        "decide_le": Subquery(passages.values("session__debut")[:1]),
        "annee_decision": Subquery(passages.values("an")[:1]),
    }


def recalculer_decisions_en_vigueur(candidatures: Iterable[int] | None) -> int:
    """Write the outcome of these applications (ids; ``None``: every application) from their
    passages and amendments: one UPDATE per batch, whatever the number of passages. Call it in the
    transaction that changed them. Returns the number of applications written.

    The rows are locked first, with the UPDATE's own lock strength (``FOR NO KEY UPDATE``: a
    concurrent insert of a row pointing at the application is not blocked): on PostgreSQL an UPDATE
    that waited for another transaction's lock would otherwise compute its subqueries from a
    snapshot taken before that transaction committed. Called outside a transaction (a script, a
    test's setup), it opens its own: a lock outside one is refused on PostgreSQL."""
    with transaction.atomic():
        if candidatures is None:
            list(Candidature.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
            return Candidature.objects.update(**definition())
        ids = sorted(set(candidatures))
        ecrites = 0
        for debut in range(0, len(ids), TAILLE_LOT):
            lot = ids[debut : debut + TAILLE_LOT]
            verrou = Candidature.objects.select_for_update(no_key=True).filter(pk__in=lot).order_by("pk")
            list(verrou.values_list("pk", flat=True))
            ecrites += Candidature.objects.filter(pk__in=lot).update(**definition())
        return ecrites


def ecarts() -> QuerySet[Candidature]:
    """Applications whose stored outcome differs from the definition, annotated with the expected
    values (``attendu_decision``, ``attendu_le``, ``attendu_annee``)."""
    attendu = definition()
    # NULL never equals NULL in SQL: both sides get the same stand-in before they are compared.
    jamais = Value(datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())
    qs: QuerySet[Candidature] = Candidature.objects.annotate(
        attendu_decision=attendu["decision_finale"],
        attendu_le=attendu["decide_le"],
        attendu_annee=attendu["annee_decision"],
    ).alias(
        _stocke_le=Coalesce(F("decide_le"), jamais),
        _attendu_le=Coalesce(F("attendu_le"), jamais),
        _stockee_annee=Coalesce(F("annee_decision"), Value(0)),
        _attendue_annee=Coalesce(F("attendu_annee"), Value(0)),
    )
    differe: Any = (
        ~Q(decision_finale=F("attendu_decision"))
        | ~Q(_stocke_le=F("_attendu_le"))
        | ~Q(_stockee_annee=F("_attendue_annee"))
    )
    return qs.filter(differe).order_by("pk")


@dataclass(frozen=True)
class Ecart:
    """One application whose stored outcome is not the one its passages give."""

    candidature_id: int
    stocke: dict[str, Any]
    attendu: dict[str, Any]

    def __str__(self) -> str:
        return (
            f"candidature n°{self.candidature_id} : enregistrée {_lisible(self.stocke)}, "
            f"attendue {_lisible(self.attendu)}"
        )


def _lisible(valeurs: dict[str, Any]) -> str:
    decision = valeurs["decision_finale"]
    if not decision:
        return "sans décision"
    libelle = Decision(decision).label if decision in Decision.values else f"« {decision} »"
    le = valeurs["decide_le"]
    jour = f"{timezone.localtime(le):%d/%m/%Y}" if le is not None else "date absente"
    return f"{libelle} (jury du {jour}, année {valeurs['annee_decision']})"


ATTENDUS = {"decision_finale": "attendu_decision", "decide_le": "attendu_le", "annee_decision": "attendu_annee"}


def liste_ecarts() -> list[Ecart]:
    """Every application whose stored outcome differs from the definition: one query."""
    return [
        Ecart(
            ligne["pk"],
            {champ: ligne[champ] for champ in CHAMPS_RESULTAT_JURY},
            {champ: ligne[ATTENDUS[champ]] for champ in CHAMPS_RESULTAT_JURY},
        )
        for ligne in ecarts().values("pk", *CHAMPS_RESULTAT_JURY, *ATTENDUS.values())
    ]


def corriger_ecarts(*, acteur: User | None = None) -> list[Ecart]:
    """Rewrite the outcome of every application that differs from the definition, with one journal
    entry each (stored value before, computed value after); returns what was corrected."""
    with transaction.atomic():
        corriges = liste_ecarts()
        recalculer_decisions_en_vigueur(e.candidature_id for e in corriges)
        candidatures = Candidature.objects.in_bulk([e.candidature_id for e in corriges])
        for ecart in corriges:
            enregistrer(
                action="jurys.corriger_decision_en_vigueur",
                acteur=acteur,
                objet=candidatures[ecart.candidature_id],
                resume="Décision du jury comptée par les statistiques corrigée : elle différait de celle des PV "
                f"signés et des amendements ({ecart}).",
                avant=ecart.stocke,
                apres=ecart.attendu,
            )
    return corriges
