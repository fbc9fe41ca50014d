"""Row-level access to partners' objects: the helpers views use, which 404 on unknown ids and 403
on objects of another organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Habilitation, Partenaire, SessionFormation


def get_partenaire_for(user: Any, pk: int) -> Partenaire:
    partenaire = Partenaire.objects.select_related("commune").filter(pk=pk).first()
    if partenaire is None:
        raise Http404("Partenaire inconnu")
    if not Partenaire.objects.visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied("Cet organisme n'est pas le vôtre.")
    return partenaire


def get_session_for(user: Any, pk: int) -> SessionFormation:
    # Another organisation's session answers exactly like one that does not exist: its id says nothing.
    session = SessionFormation.objects.visible_to(user).pour_liste().filter(pk=pk).first()
    if session is None:
        raise Http404("Session inconnue")
    return session


def get_habilitation_for(user: Any, pk: int) -> Habilitation:
    habilitation = Habilitation.objects.select_related("partenaire", "certification").filter(pk=pk).first()
    if habilitation is None:
        raise Http404("Habilitation inconnue")
    if not Habilitation.objects.visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied("Cette habilitation concerne un autre organisme.")
    return habilitation
