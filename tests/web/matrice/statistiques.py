"""Statistics: the outcome tables and the files behind a figure are for the certificateur's staff."""

from __future__ import annotations

from . import Attendu, equipe_seulement

ATTENDUS = [
    Attendu("backoffice:statistiques", equipe_seulement()),
    Attendu("backoffice:statistiques_dossiers", equipe_seulement()),
]
