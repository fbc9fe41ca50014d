"""Template filters writing dates the way parchemin.dates does: ``{{ d|date_longue }}`` gives
``1er mars 2026`` (Django's ``date:"j F Y"`` writes ``1 mars 2026``). Loaded as a builtin."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from parchemin import dates

register = template.Library()


def _jour(valeur: Any) -> datetime.date | None:
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).date() if timezone.is_aware(valeur) else valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    return None


@register.filter
def date_longue(valeur: Any) -> str:
    jour = _jour(valeur)
    return dates.date_longue(jour) if jour else ""


@register.filter
def date_courte(valeur: Any) -> str:
    jour = _jour(valeur)
    return dates.date_courte(jour) if jour else ""
