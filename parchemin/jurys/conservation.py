"""What the retention policy may erase in the jury's records, and what it must leave.

The signed PV (its PDF, hash and signatures) and each passage's decision prove the certificate: they
stay, and triggers refuse any change to them anyway. The members' free-text comments in the grids
are working notes about a person: once the appeal window and the archive period are over they are
blanked. The levels per competence stay (they carry no free text and explain the proposed decision).
"""

from __future__ import annotations

import datetime

from django.db.models import Max

from .models import AmendementDecision, Evaluation, Passage


def date_derniere_decision(candidature_id: int) -> datetime.datetime | None:
    """When the decision that holds today was taken: the last deliberation or post-signature amendment."""
    deliberee = (
        Passage.objects.filter(candidature_id=candidature_id).exclude(decision="").aggregate(d=Max("deliberee_le"))["d"]
    )
    amendee = AmendementDecision.objects.filter(passage__candidature_id=candidature_id).aggregate(d=Max("cree_le"))["d"]
    dates = [d for d in (deliberee, amendee) if d is not None]
    return max(dates) if dates else None


def a_une_decision(candidature_id: int) -> bool:
    return Passage.objects.filter(candidature_id=candidature_id).exclude(decision="").exists()


def commentaires_a_effacer(candidature_id: int) -> list[int]:
    """Evaluations of this candidate that still hold a comment."""
    return list(
        Evaluation.objects.filter(grille__passage__candidature_id=candidature_id)
        .exclude(commentaire="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def effacer_commentaires(candidature_id: int) -> list[int]:
    """Blank the grid comments about this candidate; returns the evaluations changed. Grids are not
    covered by the PV lock (the PDF never shows comments), so this leaves the signed PV intact."""
    pks = commentaires_a_effacer(candidature_id)
    Evaluation.objects.filter(pk__in=pks).update(commentaire="")
    return pks
