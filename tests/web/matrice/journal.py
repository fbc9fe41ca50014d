"""The audit journal's browse page: staff only, with two-factor authentication."""

from __future__ import annotations

from . import Attendu, equipe_seulement

ATTENDUS = [
    Attendu("backoffice:journal", equipe_seulement()),
]
