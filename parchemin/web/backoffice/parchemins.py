"""Back-office: parchemins issued after final PVs, issuance progress and failures, retry, revocation
and reissue (each a POST to one service, audited there)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.parchemins import services
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.parchemins import MotifForm

PARCHEMINS_PAR_PAGE = 50


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def liste(request: RequeteAuthentifiee) -> HttpResponse:
    parchemins = Parchemin.objects.select_related("candidature").order_by("-cree_le", "-pk")
    statut = request.GET.get("statut", "")
    if statut in StatutParchemin.values:
        parchemins = parchemins.filter(statut=statut)
    comptes = dict(Parchemin.objects.values_list("statut").annotate(n=Count("pk")).values_list("statut", "n"))
    total = sum(comptes.values())
    emis = comptes.get(StatutParchemin.EMIS, 0) + comptes.get(StatutParchemin.REVOQUE, 0)
    page = Paginator(parchemins, PARCHEMINS_PAR_PAGE).get_page(request.GET.get("page"))
    etats = services.etats_emission(page)
    return render(
        request,
        "backoffice/parchemins.html",
        {
            "page": page,
            "lignes": [(parchemin, etats.get(parchemin.pk)) for parchemin in page],
            "comptes": [(s, comptes.get(s.value, 0)) for s in StatutParchemin],
            "total": total,
            "emis": emis,
            "statut": statut,
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def detail(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    parchemin = get_object_or_404(Parchemin.objects.select_related("candidature"), pk=pk)
    return render(
        request,
        "backoffice/parchemin.html",
        {
            "parchemin": parchemin,
            "tache": services.etat_emission(parchemin),
            "attestations": parchemin.attestations.order_by("-emise_le", "-pk"),
            "form": MotifForm(),
            "url_verification": services.url_verification(parchemin.code_verification),
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def relancer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    parchemin = get_object_or_404(Parchemin, pk=pk)
    with signaler_refus(request):
        parchemin = services.relancer(parchemin, acteur=request.user)
        if parchemin.statut == StatutParchemin.EMIS:
            messages.success(request, f"Parchemin {parchemin.numero} émis.")
        elif parchemin.statut == StatutParchemin.ECHEC:
            messages.error(request, f"L'émission a encore échoué : {parchemin.erreur}")
        else:
            messages.success(
                request,
                f"Émission du parchemin {parchemin.numero} relancée : le processus de tâches s'en charge, "
                "son état s'affiche ci-dessous.",
            )
    return redirect("backoffice:parchemin", pk=pk)


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def revoquer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    parchemin = get_object_or_404(Parchemin, pk=pk)
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de la révocation (500 caractères au plus).")
        return redirect("backoffice:parchemin", pk=pk)
    with signaler_refus(request):
        services.revoquer(parchemin, acteur=request.user, motif=form.cleaned_data["motif"])
        messages.success(request, f"Parchemin {parchemin.numero} révoqué.")
    return redirect("backoffice:parchemin", pk=pk)


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def reemettre(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    parchemin = get_object_or_404(Parchemin, pk=pk)
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de la réémission (500 caractères au plus).")
        return redirect("backoffice:parchemin", pk=pk)
    with signaler_refus(request):
        services.reemettre(parchemin, acteur=request.user, motif=form.cleaned_data["motif"])
        messages.success(
            request, f"Parchemin {parchemin.numero} réémis : nouvelle attestation, l'ancienne est révoquée."
        )
    return redirect("backoffice:parchemin", pk=pk)
