"""Back-office: the certificateur's staff only, with two-factor authentication."""

from __future__ import annotations

from . import Attendu, equipe_seulement

ATTENDUS = [
    Attendu("backoffice:tableau_de_bord", equipe_seulement()),
]
