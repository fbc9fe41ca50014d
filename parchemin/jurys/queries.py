"""Row-level access of the jury domain: one ``visible_to(user)`` per protected model, and the
``get_<thing>_for`` helpers views use (404 when the object is not visible: its existence is not disclosed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

from parchemin.comptes.roles import est_equipe

from .enums import OrigineSession

if TYPE_CHECKING:
    from .models import DemandePlanification, Grille, MembreJury, Passage, SessionJury


def _actif(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


class MembreJuryQuerySet(models.QuerySet["MembreJury"]):
    def visible_to(self, user: Any) -> MembreJuryQuerySet:
        if not _actif(user):
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(user=user)

    def actifs(self) -> MembreJuryQuerySet:
        return self.filter(actif=True)


class SessionJuryQuerySet(models.QuerySet["SessionJury"]):
    def visible_to(self, user: Any) -> SessionJuryQuerySet:
        """Staff see every session; a jury member only the sessions they sit on, held on the platform."""
        if not _actif(user):
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.siegees_par(user)

    def siegees_par(self, user: Any) -> SessionJuryQuerySet:
        """In the jury space, whatever other roles the person holds: only the sessions they sit on.
        A jury taken over from history was held before the platform: no grid, no PV, nothing to do
        there, so it stays out of the jury space (staff see it in the back-office)."""
        if not _actif(user):
            return self.none()
        return self.filter(sieges__membre__user=user).exclude(origine=OrigineSession.REPRISE).distinct()


class PassageQuerySet(models.QuerySet["Passage"]):
    def visible_to(self, user: Any) -> PassageQuerySet:
        if not _actif(user):
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(session__sieges__membre__user=user).distinct()


class GrilleQuerySet(models.QuerySet["Grille"]):
    def visible_to(self, user: Any) -> GrilleQuerySet:
        """Staff see every grid; a member sees their own grids only."""
        if not _actif(user):
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(membre__user=user)


class DemandePlanificationQuerySet(models.QuerySet["DemandePlanification"]):
    def visible_to(self, user: Any) -> DemandePlanificationQuerySet:
        """Planning is staff work: every member of staff sees every request."""
        if not _actif(user) or not est_equipe(user):
            return self.none()
        return self.all()


def get_demande_planification_for(user: Any, pk: int) -> DemandePlanification:
    from .models import DemandePlanification

    demande = DemandePlanification.objects.visible_to(user).select_related("regle__certification").filter(pk=pk).first()
    if demande is None:
        raise Http404("Demande de planification introuvable")
    return demande


def get_session_for(user: Any, pk: int) -> SessionJury:
    from .models import SessionJury

    session = SessionJury.objects.visible_to(user).select_related("certification", "regle").filter(pk=pk).first()
    if session is None:
        raise Http404("Session de jury introuvable")
    return session


def get_session_siegee(user: Any, pk: int) -> SessionJury:
    """Jury space: a session the user sits on (staff included only if they sit on it)."""
    from .models import SessionJury

    session = SessionJury.objects.siegees_par(user).select_related("certification", "regle").filter(pk=pk).first()
    if session is None:
        raise Http404("Session de jury introuvable")
    return session


def get_passage_siege(user: Any, session_pk: int, passage_pk: int) -> Passage:
    from .models import Passage

    passage = (
        Passage.objects.filter(session__sieges__membre__user=user, session_id=session_pk, pk=passage_pk)
        .exclude(session__origine=OrigineSession.REPRISE)
        .select_related("session", "candidature", "candidature__version_referentiel")
        .first()
    )
    if passage is None:
        raise Http404("Candidat introuvable dans cette session")
    return passage


def membre_de(user: Any) -> MembreJury | None:
    from .models import MembreJury

    if not _actif(user):
        return None
    return MembreJury.objects.filter(user=user).first()


def get_grille_for(user: Any, pk: int) -> Grille:
    from .models import Grille

    grille = Grille.objects.visible_to(user).filter(pk=pk).first()
    if grille is None:
        raise Http404("Grille introuvable")
    return grille
