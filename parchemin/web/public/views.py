"""Public pages of the certificateur: open to everyone, no personal data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parchemin.referentiel.models import Certification
from parchemin.referentiel.queries import certificateur_principal, fiche_publique


@require_safe
def accueil(request: HttpRequest) -> HttpResponse:
    certificateur = certificateur_principal()
    certifications = (
        Certification.objects.publiees().filter(certificateur=certificateur)
        if certificateur
        else Certification.objects.none()
    )
    return render(
        request, "public/accueil.html", {"certificateur": certificateur, "certifications": list(certifications)}
    )


@require_safe
def certification(request: HttpRequest, code: str) -> HttpResponse:
    fiche = fiche_publique(code)
    return render(request, "public/certification.html", {"fiche": fiche, "certification": fiche.certification})


@require_safe
def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibilite.html", {"certificateur": certificateur_principal()})


@require_safe
def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "public/mentions_legales.html", {"certificateur": certificateur_principal()})
