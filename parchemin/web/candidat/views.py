"""The candidate space: apply, fill in the file, send evidence, follow the application.

A person sees only their own applications here, whatever other roles they hold; staff work on
files from the back-office.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from parchemin.candidatures import services
from parchemin.candidatures.enums import ETATS_MODIFIABLES_PAR_CANDIDAT, ETATS_PIECES_OUVERTES, ETATS_RETIRABLES
from parchemin.candidatures.pieces import TAILLE_MAX_PIECE, pieces_demandees
from parchemin.candidatures.queries import (
    candidatures_du_candidat,
    get_candidature_du_candidat,
    pieces_de,
)
from parchemin.comptes.acces import acces_reserve
from parchemin.jurys.resultat import resultat_de
from parchemin.parchemins.document import nom_piece_jointe
from parchemin.parchemins.queries import attestation_du_titulaire, parchemins_de
from parchemin.parchemins.services import url_verification
from parchemin.referentiel.models import Certification
from parchemin.web.commun.fichiers import reponse_fichier, servir_piece
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms import ConfirmationForm, DossierForm, NouvelleCandidatureForm, PieceForm


@acces_reserve()
@require_safe
def accueil(request: RequeteAuthentifiee) -> HttpResponse:
    certifications = Certification.objects.publiees().filter(versions__isnull=False).distinct().order_by("code")
    return render(
        request,
        "candidat/accueil.html",
        {"candidatures": candidatures_du_candidat(request.user), "certifications": certifications},
    )


@acces_reserve()
@require_http_methods(["GET", "POST"])
def nouvelle(request: RequeteAuthentifiee, code: str) -> HttpResponse:
    certification = Certification.objects.publiees().filter(code__iexact=code).first()
    if certification is None:
        raise Http404("Certification inconnue")
    # "Candidater" next to a route on the certification page preselects that route.
    form = NouvelleCandidatureForm(
        request.POST or None, certification=certification, initial={"voie": request.GET.get("voie", "")[:40]}
    )
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form, "voie"):
            candidature = services.creer_candidature(
                candidat=request.user,
                certification=certification,
                voie=form.cleaned_data["voie"],
            )
            messages.success(request, "Votre candidature est créée : complétez maintenant votre dossier.")
            return redirect("candidat:modifier", pk=candidature.pk)
    return render(request, "candidat/nouvelle.html", {"certification": certification, "form": form})


@acces_reserve()
@require_safe
def candidature(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    aujourd_hui = timezone.localdate()
    return render(
        request,
        "candidat/candidature.html",
        {
            "candidature": candidature,
            "pieces": pieces_de(candidature),
            "demandes": pieces_demandees(candidature),
            "manquants": services.elements_manquants(candidature),
            "modifiable": candidature.etat in ETATS_MODIFIABLES_PAR_CANDIDAT,
            "pieces_ouvertes": candidature.etat in ETATS_PIECES_OUVERTES,
            "retirable": candidature.etat in ETATS_RETIRABLES,
            "tacite_a_constater": candidature.acceptation_tacite_a_constater(aujourd_hui),
            "jours_restants": candidature.jours_avant_echeance(aujourd_hui),
            "parchemins": [(p, url_verification(p.code_verification)) for p in parchemins_de(candidature)],
            "resultat": resultat_de(candidature),
        },
    )


@acces_reserve()
@require_safe
def parchemin_pdf(request: RequeteAuthentifiee, pk: int, parchemin_pk: int) -> HttpResponse:
    attestation = attestation_du_titulaire(get_candidature_du_candidat(request.user, pk), parchemin_pk)
    return reponse_fichier(bytes(attestation.pdf), f"parchemin-{attestation.parchemin.numero}.pdf", "application/pdf")


@acces_reserve()
@require_safe
def parchemin_json(request: RequeteAuthentifiee, pk: int, parchemin_pk: int) -> HttpResponse:
    attestation = attestation_du_titulaire(get_candidature_du_candidat(request.user, pk), parchemin_pk)
    return reponse_fichier(
        attestation.credential.encode("utf-8"),
        nom_piece_jointe(attestation.parchemin.numero),
        "application/ld+json; charset=utf-8",
    )


@acces_reserve()
@require_http_methods(["GET", "POST"])
def modifier(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    if candidature.etat not in ETATS_MODIFIABLES_PAR_CANDIDAT:
        messages.info(request, "Votre dossier a été déposé : il n'est plus modifiable.")
        return redirect("candidat:candidature", pk=pk)
    form = DossierForm(request.POST or None, instance=candidature)
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            services.modifier_dossier(candidature, acteur=request.user, champs=form.cleaned_data)
            messages.success(request, "Votre dossier est enregistré.")
            return redirect("candidat:candidature", pk=pk)
    return render(request, "candidat/modifier.html", {"candidature": candidature, "form": form})


@acces_reserve()
@require_http_methods(["GET", "POST"])
def pieces(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    demandes = pieces_demandees(candidature)
    form = PieceForm(request.POST or None, request.FILES or None, demandes=demandes, taille_max=TAILLE_MAX_PIECE)
    ouvertes = candidature.etat in ETATS_PIECES_OUVERTES
    if request.method == "POST" and ouvertes and form.is_valid():
        with signaler_refus(request, form, "fichier"):
            piece = services.deposer_piece(
                candidature,
                acteur=request.user,
                type_piece=form.cleaned_data["type_piece"],
                fichier=form.cleaned_data["fichier"],
            )
            messages.success(request, f"Pièce reçue : {piece}.")
            return redirect("candidat:pieces", pk=pk)
    return render(
        request,
        "candidat/pieces.html",
        {"candidature": candidature, "form": form, "pieces": pieces_de(candidature), "ouvertes": ouvertes},
    )


@acces_reserve()
@require_safe
def piece_fichier(request: RequeteAuthentifiee, pk: int, piece_pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    piece = candidature.pieces.filter(pk=piece_pk).first()
    if piece is None:
        raise Http404("Pièce introuvable")
    return servir_piece(piece)


@acces_reserve()
@require_http_methods(["GET", "POST"])
def deposer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    if request.method == "POST":
        with signaler_refus(request):
            services.deposer(candidature, acteur=request.user)
            messages.success(request, "Votre dossier est déposé. Un e-mail de confirmation vous a été envoyé.")
            return redirect("candidat:candidature", pk=pk)
    return render(
        request,
        "candidat/deposer.html",
        {"candidature": candidature, "manquants": services.elements_manquants(candidature)},
    )


@acces_reserve()
@require_http_methods(["GET", "POST"])
def retirer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_du_candidat(request.user, pk)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request):
            services.retirer(candidature, acteur=request.user, motif=form.cleaned_data["motif"])
            messages.success(request, "Votre candidature est retirée.")
        return redirect("candidat:candidature", pk=pk)
    return render(request, "candidat/retirer.html", {"candidature": candidature, "form": form})


@acces_reserve()
@require_safe
def resultat(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """The jury's result in plain French, once the PV is final (the "result online" e-mail links here)."""
    candidature = get_candidature_du_candidat(request.user, pk)
    return render(request, "candidat/resultat.html", {"candidature": candidature, "resultat": resultat_de(candidature)})
