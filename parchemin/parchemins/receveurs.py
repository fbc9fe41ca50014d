"""Listeners of the jury's signals (connected in ``ParcheminsConfig.ready``)."""

from __future__ import annotations

import logging
from typing import Any

from parchemin.comptes.models import User
from parchemin.jurys.models import Passage, SessionJury

from .services import mettre_en_file, preparer_parchemins, suivre_amendement

journal = logging.getLogger("parchemin.parchemins")


def delivrer_apres_pv(sender: Any, session: SessionJury, **kwargs: Any) -> None:
    """Number the validations of a final PV and enqueue one issuance task each (run by the worker).

    Runs after the PV's transaction committed: a failure here must not turn the last member's
    signature into an error page; the catch-up ``manage.py emettre_parchemins`` (cron) numbers and
    enqueues what was missed.
    """
    try:
        for parchemin in preparer_parchemins(session):
            mettre_en_file(parchemin)
    except Exception:
        journal.exception("Délivrance des parchemins de la session %s non mise en file", session.pk)


def suivre_decision_amendee(sender: Any, passage: Passage, acteur: User, **kwargs: Any) -> None:
    """A decision amended after signature: renumber, reissue or revoke (logged if it fails)."""
    try:
        suivre_amendement(passage, acteur=acteur)
    except Exception:
        journal.exception("Parchemin du passage %s non mis à jour après l'amendement", passage.pk)
