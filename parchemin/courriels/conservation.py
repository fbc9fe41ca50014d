"""Retention of outgoing e-mails: once sent (or given up on), their copy here only holds personal data
(names, addresses, decisions). Run by ``manage.py purger_donnees_personnelles``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from parchemin.dates import ajouter_mois
from parchemin.journal.services import enregistrer

from .enums import StatutCourriel
from .models import Courriel
from .services import TENTATIVES_MAX


def limite(aujourd_hui: datetime.date) -> datetime.date:
    """E-mails whose last event is strictly before this day are past their retention."""
    return ajouter_mois(aujourd_hui, -settings.CONSERVATION_COURRIELS_MOIS)


def a_purger(aujourd_hui: datetime.date) -> QuerySet[Courriel]:
    """Sent, or failed for good, before the limit. Pending and still-retried e-mails are kept."""
    avant = limite(aujourd_hui)
    return Courriel.objects.filter(
        Q(statut=StatutCourriel.ENVOYE, envoye_le__date__lt=avant)
        | Q(statut=StatutCourriel.EN_ECHEC, tentatives__gte=TENTATIVES_MAX, dernier_essai_le__date__lt=avant)
    )


def purger(aujourd_hui: datetime.date) -> int:
    """Delete them (attachments go with them) and journal the count, never the content."""
    with transaction.atomic():
        cles = list(a_purger(aujourd_hui).select_for_update().values_list("pk", flat=True))
        if not cles:
            return 0
        Courriel.objects.filter(pk__in=cles).delete()
        enregistrer(
            action="courriels.purge_conservation",
            resume=(
                f"{len(cles)} courriel(s) envoyé(s) ou abandonné(s) avant le "
                f"{limite(aujourd_hui):%d/%m/%Y} supprimé(s)."
            ),
            apres={"date": aujourd_hui.isoformat(), "nombre": len(cles)},
        )
    return len(cles)
