"""Back-office: the jury pool's members, created and edited by the staff through ``jurys.vivier``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.jurys.models import MembreJury
from parchemin.jurys.vivier import enregistrer_membre, fiche_de
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .jurys_vivier_forms import MembreJuryForm


def _formulaire(request: RequeteAuthentifiee, membre: MembreJury | None) -> HttpResponse:
    initial = MembreJuryForm.initial_de(fiche_de(membre)) if membre is not None else None
    form = MembreJuryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            enregistre = enregistrer_membre(acteur=request.user, fiche=form.fiche(), membre=membre)
            messages.success(
                request, f"Fiche de {enregistre} {'enregistrée' if membre is not None else 'ajoutée au vivier'}."
            )
            return redirect("backoffice:jurys_vivier")
    return render(request, "backoffice/jurys/membre_form.html", {"form": form, "membre": membre})


@acces_reserve(*ROLES_EQUIPE)
@require_http_methods(["GET", "POST"])
def membre_nouveau(request: RequeteAuthentifiee) -> HttpResponse:
    return _formulaire(request, None)


@acces_reserve(*ROLES_EQUIPE)
@require_http_methods(["GET", "POST"])
def membre(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    return _formulaire(request, get_object_or_404(MembreJury, pk=pk))
