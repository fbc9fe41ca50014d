"""What a jury may do when: everything that commits the jury happens from the session's date on.

Before that day (Paris time), members read the files and keep their grids as drafts; submitting a
grid, recording attendance, deliberating, establishing and signing the PV wait for the day itself.
One place for the rule, so that services refuse and pages explain with the same words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from parchemin.erreurs import ErreurMetier

from .models import SessionJury

# The actions bound to the session's date, as the refusal and the pages name them.
SOUMETTRE_GRILLE = "Soumettre une grille"
CONSTATER_PRESENCE = "Enregistrer les présences"
DELIBERER = "Délibérer"
ETABLIR_PV = "Établir le PV"
SIGNER_PV = "Signer le PV"
ACTIONS_DU_JOUR = (SOUMETTRE_GRILLE, CONSTATER_PRESENCE, DELIBERER, ETABLIR_PV, SIGNER_PV)
TEXTE_ACTIONS_DU_JOUR = "soumettre les grilles, enregistrer les présences, délibérer, établir et signer le PV"


def jour_de(session: SessionJury) -> datetime.date:
    """The session's calendar day in Paris (``TIME_ZONE``), whatever the server's clock zone."""
    return timezone.localtime(session.debut).date()


def jour_venu(session: SessionJury, aujourdhui: datetime.date | None = None) -> bool:
    return (aujourdhui or timezone.localdate()) >= jour_de(session)


def exiger_jour_venu(session: SessionJury, action: str, aujourdhui: datetime.date | None = None) -> None:
    if not jour_venu(session, aujourdhui):
        raise ErreurMetier(
            f"{action} n'est possible qu'à partir du jour de la session, le {jour_de(session):%d/%m/%Y} "
            "(heure de Paris). D'ici là, vous pouvez consulter les dossiers et enregistrer vos grilles "
            "en brouillon."
        )


@dataclass(frozen=True)
class Calendrier:
    """What the pages say about the session's day: possible now, or from when and why not yet."""

    jour: datetime.date
    ouvert: bool
    actions: str = TEXTE_ACTIONS_DU_JOUR


def calendrier(session: SessionJury, aujourdhui: datetime.date | None = None) -> Calendrier:
    return Calendrier(jour=jour_de(session), ouvert=jour_venu(session, aujourdhui))
