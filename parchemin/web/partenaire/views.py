"""The partner space: a partner's administrator manages their organisation's sessions; the
organisation's assessors see them and the trainees' applications. Nothing of another organisation
is reachable from here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.candidatures.models import Candidature
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_PARTENAIRE, Role
from parchemin.comptes.roles import partenaires_de
from parchemin.erreurs import ErreurMetier
from parchemin.partenaires import services
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.partenaires.queries import get_session_for

from .forms import SessionForm


def _organismes(request: HttpRequest) -> list[Partenaire]:
    return list(Partenaire.objects.filter(pk__in=partenaires_de(request.user)))


def _organisme(request: HttpRequest) -> Partenaire:
    """The organisation worked on: the one chosen with ?organisme=, else the user's first."""
    organismes = _organismes(request)
    choix = request.GET.get("organisme", "")
    for organisme in organismes:
        if str(organisme.pk) == choix:
            return organisme
    if choix or not organismes:
        raise PermissionDenied("Cet organisme n'est pas le vôtre.")
    return organismes[0]


def _valeurs(session: SessionFormation) -> dict[str, Any]:
    champs = [c for c in services.CHAMPS_SESSION if c in SessionForm.base_fields]
    return {champ: getattr(session, champ) for champ in champs}


@acces_reserve(*ROLES_PARTENAIRE)
@require_safe
def accueil(request: HttpRequest) -> HttpResponse:
    organisme = _organisme(request)
    sessions = SessionFormation.objects.visible_to(request.user).filter(partenaire=organisme).pour_liste()
    return render(
        request,
        "partenaire/accueil.html",
        {
            "organisme": organisme,
            "organismes": _organismes(request),
            "sessions": sessions.order_by("-date_debut"),
            "habilitations": organisme.habilitations.select_related("certification").order_by("-date_debut"),
            "gestionnaire": services.peut_gerer_sessions(request.user, organisme.pk),  # type: ignore[arg-type]
        },
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_http_methods(["GET", "POST"])
def session_nouvelle(request: HttpRequest) -> HttpResponse:
    organisme = _organisme(request)
    form = SessionForm(request.POST or None, initial={"statut": "OUVERTE", "inscrits": 0})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.enregistrer_session(request.user, organisme, form.cleaned_data)  # type: ignore[arg-type]
        except ErreurMetier as erreur:
            form.add_error(None, erreur.message)
        else:
            messages.success(request, "Session enregistrée. Publiez-la pour qu'elle apparaisse au catalogue.")
            return redirect("partenaire:session", pk=session.pk)
    return render(request, "partenaire/session_form.html", {"form": form, "organisme": organisme, "session": None})


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if not services.peut_gerer_sessions(request.user, session.partenaire_id):  # type: ignore[arg-type]
        raise PermissionDenied("Cette session appartient à un autre organisme.")
    form = SessionForm(request.POST or None, initial=_valeurs(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_session(request.user, session.partenaire, form.cleaned_data, session)  # type: ignore[arg-type]
        except ErreurMetier as erreur:
            form.add_error(None, erreur.message)
        else:
            messages.success(request, "Session mise à jour.")
            return redirect("partenaire:session", pk=session.pk)
    return render(
        request, "partenaire/session_form.html", {"form": form, "organisme": session.partenaire, "session": session}
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_POST
def session_publication(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    publier = request.POST.get("publier") == "1"
    try:
        services.publier_session(request.user, session, publier)  # type: ignore[arg-type]
    except ErreurMetier as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(request, "Session publiée au catalogue." if publier else "Session retirée du catalogue.")
    return redirect("partenaire:session", pk=session.pk)


@acces_reserve(*ROLES_PARTENAIRE)
@require_safe
def candidatures(request: HttpRequest) -> HttpResponse:
    """Read-only: the applications of the organisation's trainees (Candidature.visible_to decides)."""
    organisme = _organisme(request)
    liste = (
        Candidature.objects.visible_to(request.user)
        .filter(partenaire=organisme)
        .select_related("certification", "session_formation")
        .order_by("-pk")
    )
    return render(request, "partenaire/candidatures.html", {"organisme": organisme, "candidatures": liste})
