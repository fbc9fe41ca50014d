"""Calendar arithmetic shared by every app (foundation layer: no project import)."""

from __future__ import annotations

import calendar
import datetime


def ajouter_mois(date: datetime.date, mois: int) -> datetime.date:
    """The same day ``mois`` calendar months later (earlier when negative), clamped to the last day of
    the target month when it is shorter: 31 January + 1 month is 28 (or 29) February, 30 November
    + 2 months is 30 January.

    This is how French law counts a period "en mois" (a two-month deadline from the 31st ends on the
    last day of a shorter month), so every legal deadline and retention period uses it."""
    annees, index = divmod(date.month - 1 + mois, 12)
    annee, mois_cible = date.year + annees, index + 1
    return datetime.date(annee, mois_cible, min(date.day, calendar.monthrange(annee, mois_cible)[1]))
