"""Helpers shared by the management commands."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError


def date_iso(valeur: str) -> datetime.date:
    """argparse ``type`` for ``--date AAAA-MM-JJ``, refusing anything else in French."""
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError as erreur:
        raise CommandError(f"« {valeur} » n'est pas une date AAAA-MM-JJ.") from erreur
