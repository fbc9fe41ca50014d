"""Jury space: a member sees the sessions they sit on, their candidates' files, their own grids,
the deliberation and the PV to sign. Every object is reached through the member's seat (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import Role
from parchemin.jurys import dates, services
from parchemin.jurys.composition import verifier_session
from parchemin.jurys.models import Grille, Passage, ProcesVerbal, SessionJury
from parchemin.jurys.queries import get_passage_siege, get_session_siegee, membre_de
from parchemin.web.commun.fichiers import reponse_pv, servir_piece
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms import DeliberationForm, GrilleForm, PresenceForm, SignatureForm

JURY = (Role.MEMBRE_JURY,)


@acces_reserve(*JURY)
@require_safe
def accueil(request: RequeteAuthentifiee) -> HttpResponse:
    sessions = (
        SessionJury.objects.siegees_par(request.user)
        .select_related("certification")
        .prefetch_related("passages")
        .order_by("-debut")
    )
    return render(request, "jury/accueil.html", {"sessions": sessions, "membre": membre_de(request.user)})


def _lignes(session: SessionJury, membre_pk: int) -> list[dict[str, Any]]:
    passages = list(
        Passage.objects.filter(session=session)
        .select_related("candidature", "candidature__version_referentiel")
        .prefetch_related("grilles")
        .order_by("candidature__nom_naissance", "pk")
    )
    sieges = list(session.sieges.select_related("membre"))
    nb_membres = sum(1 for s in sieges if s.siege)
    qui_siegent = {s.membre_id for s in sieges if s.siege}
    lignes = []
    for passage in passages:
        grilles = list(passage.grilles.all())
        mienne = next((g for g in grilles if g.membre_id == membre_pk), None)
        soumises = sum(1 for g in grilles if g.soumise and g.membre_id in qui_siegent)
        en_attente = services.grilles_manquantes(passage, sieges)
        proposition = services.proposition(passage) if services.pret_a_deliberer(passage, sieges) else None
        unites = [(u.code, f"Unité {u.code}") for u in services.unites_de(passage)]
        initial = {
            "decision": passage.decision or (proposition.decision if proposition else ""),
            "unites": passage.unites_validees or (list(proposition.unites) if proposition else []),
            "motif": passage.motif_amendement,
            "observations": passage.observations,
        }
        lignes.append(
            {
                "passage": passage,
                "ma_grille": mienne,
                "soumises": soumises,
                "en_attente": en_attente,
                "nb_membres": nb_membres,
                "proposition": proposition,
                "form_presence": PresenceForm(initial={"presence": passage.presence}, prefix=f"p{passage.pk}"),
                "form_deliberation": DeliberationForm(initial=initial, unites=unites, prefix=f"d{passage.pk}")
                if proposition
                else None,
            }
        )
    return lignes


@acces_reserve(*JURY)
@require_safe
def session(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_siegee(request.user, pk)
    membre = membre_de(request.user)
    assert membre is not None  # get_session_siegee found a seat
    lignes = _lignes(session, membre.pk)
    return render(
        request,
        "jury/session.html",
        {
            "session": session,
            "calendrier": dates.calendrier(session),
            "sieges": session.sieges.select_related("membre", "remplace__membre", "remplacant__membre"),
            "violations": verifier_session(session),
            "lignes": lignes,
            "tout_delibere": bool(lignes) and all(ligne["passage"].decision for ligne in lignes),
            "pv": ProcesVerbal.objects.filter(session=session).only("pk", "numero_version", "verrouille_le").first(),
        },
    )


@acces_reserve(*JURY)
@require_http_methods(["GET", "POST"])
def grille(request: RequeteAuthentifiee, pk: int, passage_pk: int) -> HttpResponse:
    passage = get_passage_siege(request.user, pk, passage_pk)
    session = passage.session
    membre = membre_de(request.user)
    assert membre is not None
    existante = Grille.objects.filter(passage=passage, membre=membre).prefetch_related("evaluations").first()
    competences = services.competences_a_evaluer(passage)
    evaluations = list(existante.evaluations.all()) if existante else []
    version = existante.version if existante else 0
    form = GrilleForm(
        request.POST or None, competences=competences, evaluations=evaluations, initial={"version": version}
    )
    if request.method == "POST" and form.is_valid():
        soumettre = "soumettre" in request.POST
        with signaler_refus(request):
            services.enregistrer_grille(
                session,
                passage.candidature,
                acteur=request.user,
                saisies=form.saisies(),
                version_lue=form.cleaned_data["version"],
                soumettre=soumettre,
            )
            messages.success(request, "Grille soumise." if soumettre else "Grille enregistrée.")
            return redirect("jury:session", pk=session.pk) if soumettre else redirect(request.path)
    return render(
        request,
        "jury/grille.html",
        {
            "session": session,
            "passage": passage,
            "candidature": passage.candidature,
            "form": form,
            "soumise": existante is not None and existante.soumise,
            "calendrier": dates.calendrier(session),
            "pieces": passage.candidature.pieces.select_related("competence").order_by("type_piece", "-version"),
        },
    )


@acces_reserve(*JURY)
@require_safe
def piece(request: RequeteAuthentifiee, pk: int, passage_pk: int, piece_pk: int) -> HttpResponse:
    passage = get_passage_siege(request.user, pk, passage_pk)
    piece = passage.candidature.pieces.filter(pk=piece_pk).first()
    if piece is None:
        raise Http404("Pièce introuvable")
    return servir_piece(piece)


@acces_reserve(*JURY)
@require_POST
def presence(request: RequeteAuthentifiee, pk: int, passage_pk: int) -> HttpResponse:
    passage = get_passage_siege(request.user, pk, passage_pk)
    form = PresenceForm(request.POST, prefix=f"p{passage.pk}")
    if form.is_valid():
        with signaler_refus(request):
            services.enregistrer_presence(
                passage.session,
                passage.candidature,
                form.cleaned_data["presence"],
                acteur=request.user,
            )
            messages.success(request, f"Présence de {passage.candidature.nom_complet} enregistrée.")
    else:
        messages.error(request, "Choisissez une présence.")
    return redirect("jury:session", pk=pk)


@acces_reserve(*JURY)
@require_POST
def deliberer(request: RequeteAuthentifiee, pk: int, passage_pk: int) -> HttpResponse:
    passage = get_passage_siege(request.user, pk, passage_pk)
    unites = [(u.code, u.code) for u in services.unites_de(passage)]
    form = DeliberationForm(request.POST, unites=unites, prefix=f"d{passage.pk}")
    if not form.is_valid():
        messages.error(request, "Décision incomplète : vérifiez les champs.")
        return redirect("jury:session", pk=pk)
    with signaler_refus(request):
        services.deliberer(
            passage.session,
            passage.candidature,
            acteur=request.user,
            decision=form.cleaned_data["decision"],
            unites=form.cleaned_data["unites"],
            motif=form.cleaned_data["motif"],
            observations=form.cleaned_data["observations"],
        )
        messages.success(request, f"Décision enregistrée pour {passage.candidature.nom_complet}.")
    return redirect("jury:session", pk=pk)


@acces_reserve(*JURY)
@require_POST
def etablir_pv(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_siegee(request.user, pk)
    with signaler_refus(request):
        services.etablir_pv(session, acteur=request.user)
        messages.success(request, "Le PV est établi : chaque membre peut le relire et le signer.")
        return redirect("jury:pv", pk=pk)
    return redirect("jury:session", pk=pk)


@acces_reserve(*JURY)
@require_http_methods(["GET", "POST"])
def pv(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_siegee(request.user, pk)
    pv = ProcesVerbal.objects.filter(session=session).select_related("remplace").defer("pdf", "pdf_final").first()
    if pv is None:
        raise Http404("PV non établi")
    membre = membre_de(request.user)
    form = SignatureForm(request.POST or None, initial={"sha256": pv.sha256})
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request):
            services.signer_pv(
                session,
                acteur=request.user,
                code_totp=form.cleaned_data["code"],
                sha256_lu=form.cleaned_data["sha256"],
            )
            messages.success(request, "Vous avez signé le PV.")
            return redirect("jury:pv", pk=pk)
    signatures = services.signatures_valides(pv).select_related("membre")
    return render(
        request,
        "jury/pv.html",
        {
            "session": session,
            "pv": pv,
            "form": form,
            "signatures": signatures,
            "sieges": session.sieges.exclude(present=False).select_related("membre"),
            "calendrier": dates.calendrier(session),
            "versions": ProcesVerbal.objects.filter(session=session).exclude(pk=pv.pk).defer("pdf", "pdf_final"),
            "deja_signe": any(s.membre_id == getattr(membre, "pk", None) for s in signatures),
        },
    )


@acces_reserve(*JURY)
@require_safe
def pv_pdf(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_siegee(request.user, pk)
    return reponse_pv(session)
