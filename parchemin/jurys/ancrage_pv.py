"""A PV made final is the moment a decision becomes proof: the journal head is anchored right after."""

from __future__ import annotations

import logging

from parchemin.erreurs import ErreurMetier
from parchemin.journal.ancrage import creer_point_de_controle

from .models import ProcesVerbal

journal_technique = logging.getLogger(__name__)


def ancrer_apres_verrouillage(pv: ProcesVerbal) -> None:
    """Run after the commit that locked ``pv``. The PV is already final: a storage or key failure here
    is logged for the operators (the daily ``ancrer_journal`` will anchor it), never shown as an error
    to the member who signed last."""
    try:
        creer_point_de_controle(f"PV verrouillé : {pv} (sha256 {pv.sha256})")
    except (ErreurMetier, OSError):
        journal_technique.exception("Point de contrôle du journal non écrit après le verrouillage de %s", pv)
