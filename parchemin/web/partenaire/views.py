"""The partner space: a partner's administrator manages their organisation's sessions, imports its
trainees and uploads their training certificates; the organisation's assessors see the sessions and
the trainees' applications. Nothing of another organisation is reachable from here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.candidatures import services as candidatures_services
from parchemin.candidatures.enums import ETATS_PIECES_OUVERTES
from parchemin.candidatures.importation import COLONNES
from parchemin.candidatures.queries import attestations_de, candidatures_du_partenaire, get_candidature_du_partenaire
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_PARTENAIRE, Role
from parchemin.comptes.roles import administre_partenaire, partenaires_de
from parchemin.partenaires import services
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.partenaires.queries import get_session_for
from parchemin.web.commun import import_stagiaires
from parchemin.web.commun.fichiers import servir_piece
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms import AttestationForm, FiltresCandidaturesForm, ImportStagiairesForm, SessionForm


def _organismes(request: RequeteAuthentifiee) -> list[Partenaire]:
    return list(Partenaire.objects.filter(pk__in=partenaires_de(request.user)))


def _organisme(request: RequeteAuthentifiee) -> Partenaire:
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
def accueil(request: RequeteAuthentifiee) -> HttpResponse:
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
            "gestionnaire": services.peut_gerer_sessions(request.user, organisme.pk),
        },
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_http_methods(["GET", "POST"])
def session_nouvelle(request: RequeteAuthentifiee) -> HttpResponse:
    organisme = _organisme(request)
    form = SessionForm(request.POST or None, initial={"statut": "OUVERTE", "inscrits": 0})
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            session = services.enregistrer_session(request.user, organisme, form.cleaned_data)
            messages.success(request, "Session enregistrée. Publiez-la pour qu'elle apparaisse au catalogue.")
            return redirect("partenaire:session", pk=session.pk)
    return render(request, "partenaire/session_form.html", {"form": form, "organisme": organisme, "session": None})


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_http_methods(["GET", "POST"])
def session(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if not services.peut_gerer_sessions(request.user, session.partenaire_id):
        raise PermissionDenied("Cette session appartient à un autre organisme.")
    form = SessionForm(request.POST or None, initial=_valeurs(session))
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            services.enregistrer_session(request.user, session.partenaire, form.cleaned_data, session)
            messages.success(request, "Session mise à jour.")
            return redirect("partenaire:session", pk=session.pk)
    return render(
        request, "partenaire/session_form.html", {"form": form, "organisme": session.partenaire, "session": session}
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_POST
def session_publication(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    publier = request.POST.get("publier") == "1"
    with signaler_refus(request):
        services.publier_session(request.user, session, publier)
        messages.success(request, "Session publiée au catalogue." if publier else "Session retirée du catalogue.")
    return redirect("partenaire:session", pk=session.pk)


PAR_PAGE = 50


def _administre(request: RequeteAuthentifiee, partenaire_id: int | None) -> bool:
    """Does the user administer this organisation? Partner roles only: being staff opens nothing more here."""
    return administre_partenaire(request.user, partenaire_id)


CLE_SESSION_IMPORT = "import_stagiaires_partenaire"


@acces_reserve(*ROLES_PARTENAIRE)
@require_safe
def candidatures(request: RequeteAuthentifiee) -> HttpResponse:
    """The applications of the organisation's trainees, filtered by session and state."""
    organisme = _organisme(request)
    sessions = list(SessionFormation.objects.filter(partenaire=organisme).order_by("-date_debut", "-pk"))
    filtres = FiltresCandidaturesForm(request.GET, sessions=sessions)
    liste = candidatures_du_partenaire(request.user, organisme.pk).pour_liste()
    if filtres.is_valid():
        if filtres.cleaned_data["session"]:
            liste = liste.filter(session_formation_id=filtres.cleaned_data["session"])
        if filtres.cleaned_data["etat"]:
            liste = liste.filter(etat=filtres.cleaned_data["etat"])
    page = Paginator(liste.order_by("-creee_le", "-pk"), PAR_PAGE).get_page(request.GET.get("page"))
    autres = request.GET.copy()
    autres.pop("page", None)
    return render(
        request,
        "partenaire/candidatures.html",
        {
            "organisme": organisme,
            "filtres": filtres,
            "page": page,
            "parametres": autres.urlencode(),
            "gestionnaire": _administre(request, organisme.pk),
        },
    )


@acces_reserve(*ROLES_PARTENAIRE)
@require_safe
def candidature(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """What a training organisation needs of a trainee's file: identity, session, state, certificates."""
    candidature = get_candidature_du_partenaire(request.user, pk)
    gestionnaire = _administre(request, candidature.partenaire_id)
    return render(
        request,
        "partenaire/candidature.html",
        {
            "candidature": candidature,
            "organisme": candidature.partenaire,
            "attestations": attestations_de(candidature),
            "form": AttestationForm() if gestionnaire else None,
            "ouvertes": candidature.etat in ETATS_PIECES_OUVERTES,
        },
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_POST
def attestation_deposer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_partenaire(request.user, pk)
    form = AttestationForm(request.POST, request.FILES)
    if form.is_valid():
        with signaler_refus(request):
            piece = candidatures_services.deposer_attestation_formation(
                candidature,
                acteur=request.user,
                fichier=form.cleaned_data["fichier"],
            )
            messages.success(request, f"Attestation reçue (version {piece.version}).")
    else:
        messages.error(request, "Choisissez le fichier de l'attestation à envoyer.")
    return redirect("partenaire:candidature", pk=candidature.pk)


@acces_reserve(*ROLES_PARTENAIRE)
@require_safe
def attestation_fichier(request: RequeteAuthentifiee, pk: int, piece_pk: int) -> HttpResponse:
    candidature = get_candidature_du_partenaire(request.user, pk)
    piece = next((p for p in attestations_de(candidature) if p.pk == piece_pk), None)
    if piece is None:
        raise Http404("Pièce introuvable")
    return servir_piece(piece)


def _session_geree(request: RequeteAuthentifiee, pk: int) -> SessionFormation:
    session = get_session_for(request.user, pk)
    # Staff see every session, but the partner space opens only the person's own organisations:
    # anyone else's session is unknown here, the same 404 as an id that does not exist.
    if session.partenaire_id not in partenaires_de(request.user):
        raise Http404("Session inconnue")
    if not _administre(request, session.partenaire_id):
        raise PermissionDenied("Cette session appartient à un autre organisme.")
    return session


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_http_methods(["GET", "POST"])
def stagiaires_import(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """Step 1: upload and preview on one of the organisation's sessions; nothing is written yet."""
    session = _session_geree(request, pk)
    form = ImportStagiairesForm(request.POST or None, request.FILES or None)
    rapport, jeton = None, ""
    if request.method == "POST" and form.is_valid():
        rapport, jeton = import_stagiaires.analyser(
            request, CLE_SESSION_IMPORT, form, form.cleaned_data["fichier"], session
        )
    return render(
        request,
        "partenaire/import.html",
        {
            "form": form,
            "rapport": rapport,
            "jeton": jeton,
            "colonnes": COLONNES,
            "session": session,
            "organisme": session.partenaire,
        },
    )


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_safe
def stagiaires_import_modele(request: RequeteAuthentifiee, format_fichier: str) -> HttpResponse:
    """The blank trainee list (columns and one example row) in CSV or XLSX."""
    return import_stagiaires.reponse_modele(format_fichier)


@acces_reserve(Role.ADMIN_PARTENAIRE)
@require_POST
def stagiaires_import_confirmer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """Step 2: the preview was confirmed; import every row, or only the valid ones if so chosen."""
    session = _session_geree(request, pk)
    attente = import_stagiaires.en_attente(request, CLE_SESSION_IMPORT)
    if attente is None or attente["session"] != session.pk:
        messages.error(request, import_stagiaires.MESSAGE_PLUS_EN_ATTENTE)
        return redirect("partenaire:stagiaires_import", pk=session.pk)
    if import_stagiaires.confirmer(request, CLE_SESSION_IMPORT, attente, session) is None:
        return redirect("partenaire:stagiaires_import", pk=session.pk)
    return redirect(f"{reverse('partenaire:candidatures')}?organisme={session.partenaire_id}&session={session.pk}")
