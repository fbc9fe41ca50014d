"""Listeners of the jury's signals (connected in ``ParcheminsConfig.ready``)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from parchemin.comptes.models import User
from parchemin.jurys.models import Passage, SessionJury

from .services import emettre_ou_noter_echec, preparer_parchemins, suivre_amendement

journal = logging.getLogger("parchemin.parchemins")


def delivrer_apres_pv(sender: Any, session: SessionJury, **kwargs: Any) -> None:
    """Number the validations of a final PV; issue them now or leave them to the worker.

    Runs after the PV's transaction committed: a failure here must not turn the last member's
    signature into an error page, and the worker (``emettre_parchemins``) numbers what was missed.
    """
    try:
        parchemins = preparer_parchemins(session)
    except Exception:
        journal.exception("Numérotation des parchemins de la session %s impossible", session.pk)
        return
    if settings.PARCHEMINS_EMISSION == "synchrone":
        for parchemin in parchemins:
            emettre_ou_noter_echec(parchemin)


def suivre_decision_amendee(sender: Any, passage: Passage, acteur: User, **kwargs: Any) -> None:
    """A decision amended after signature: renumber, reissue or revoke (logged if it fails)."""
    try:
        suivre_amendement(passage, acteur=acteur)
    except Exception:
        journal.exception("Parchemin du passage %s non mis à jour après l'amendement", passage.pk)
