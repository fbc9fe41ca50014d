"""Reading the audit journal: the filters of the back-office browse page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import EntreeJournal

UN_JOUR = datetime.timedelta(days=1)


@dataclass(frozen=True)
class FiltreJournal:
    action: str = ""
    acteur: str = ""
    objet_type: str = ""
    du: datetime.date | None = None
    au: datetime.date | None = None


def _debut_du_jour(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def entrees(filtre: FiltreJournal) -> QuerySet[EntreeJournal]:
    """Entries matching ``filtre``, newest first. Dates are whole days in the site's time zone."""
    qs = EntreeJournal.objects.order_by("-sequence")
    if filtre.action:
        qs = qs.filter(action=filtre.action)
    if filtre.objet_type:
        qs = qs.filter(objet_type=filtre.objet_type)
    if filtre.acteur:
        qs = qs.filter(acteur_libelle__icontains=filtre.acteur)
    # At the ends of the calendar (year 1, year 9999) the bound cannot be a datetime in every time
    # zone; such a bound excludes nothing anyway.
    if filtre.du is not None and filtre.du > datetime.date.min + UN_JOUR:
        qs = qs.filter(horodatage__gte=_debut_du_jour(filtre.du))
    if filtre.au is not None and filtre.au < datetime.date.max - UN_JOUR:
        qs = qs.filter(horodatage__lt=_debut_du_jour(filtre.au + UN_JOUR))
    return qs


def actions_connues() -> list[str]:
    return list(EntreeJournal.objects.order_by("action").values_list("action", flat=True).distinct())


def types_objet_connus() -> list[str]:
    return list(
        EntreeJournal.objects.exclude(objet_type="")
        .order_by("objet_type")
        .values_list("objet_type", flat=True)
        .distinct()
    )
