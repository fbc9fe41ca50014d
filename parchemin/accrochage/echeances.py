"""The two legal clocks of the accrochage: a delivered holder is sent within 3 months of delivery,
and a correction the CDC asks for is answered within 3 months of the rejection."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from parchemin.dates import ajouter_mois

from .enums import EtatCDC
from .models import PassageCDC

DELAI_MOIS = 3
# A passage due within this many days is shown as close to its deadline.
JOURS_ALERTE = 30


@dataclass(frozen=True)
class Echeance:
    passage: PassageCDC
    depuis: datetime.date
    due_le: datetime.date
    jours_restants: int

    @property
    def en_retard(self) -> bool:
        return self.jours_restants < 0

    @property
    def proche(self) -> bool:
        return 0 <= self.jours_restants <= JOURS_ALERTE


def non_acceptes() -> QuerySet[PassageCDC]:
    """Delivered and not yet taken by the CDC (sent without answer counts: the duty is not done).
    Rejected ones have their own clock (corrections); withdrawn ones are past the duty."""
    return PassageCDC.objects.filter(etat__in=(EtatCDC.A_ENVOYER, EtatCDC.ENVOYE)).pour_liste()


def a_corriger() -> QuerySet[PassageCDC]:
    return PassageCDC.objects.filter(etat=EtatCDC.REJETE).pour_liste().order_by("rejete_le", "pk")


def _echeance(passage: PassageCDC, depuis: datetime.date, aujourd_hui: datetime.date) -> Echeance:
    due = ajouter_mois(depuis, DELAI_MOIS)
    return Echeance(passage, depuis, due, (due - aujourd_hui).days)


def envois(aujourd_hui: datetime.date, limite: int | None = None) -> list[Echeance]:
    qs = non_acceptes().order_by("livre_le", "pk")
    if limite is not None:
        qs = qs[:limite]
    return [_echeance(p, p.livre_le, aujourd_hui) for p in qs]


def corrections(aujourd_hui: datetime.date, limite: int | None = None) -> list[Echeance]:
    qs = a_corriger()
    if limite is not None:
        qs = qs[:limite]
    return [_echeance(p, p.rejete_le or p.livre_le, aujourd_hui) for p in qs]


def limite_livraison(aujourd_hui: datetime.date) -> datetime.date:
    """Delivered before this day and not accepted: the 3 months have run out."""
    return ajouter_mois(aujourd_hui, -DELAI_MOIS)


def nombre_en_retard(aujourd_hui: datetime.date) -> tuple[int, int]:
    """(holders overdue for sending, corrections overdue), counted in the database."""
    limite = limite_livraison(aujourd_hui)
    envois_retard = non_acceptes().filter(livre_le__lt=limite).count()
    corrections_retard = a_corriger().filter(rejete_le__lt=limite).count()
    return envois_retard, corrections_retard
