"""Back-office of the certificateur's staff."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.comptes.roles import est_administrateur
from parchemin.referentiel.models import Certification
from parchemin.web.commun.requetes import RequeteAuthentifiee


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def tableau_de_bord(request: RequeteAuthentifiee) -> HttpResponse:
    certifications = Certification.objects.select_related("certificateur").order_by("code")
    return render(
        request,
        "backoffice/tableau_de_bord.html",
        {"certifications": certifications, "est_administrateur": est_administrateur(request.user)},
    )
