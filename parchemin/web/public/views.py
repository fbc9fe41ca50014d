"""Public pages of the certificateur: open to everyone, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parchemin.referentiel.case import document_case, serialiser, url_fiche_officielle, version_publique
from parchemin.referentiel.queries import certificateur_principal, fiche_publique, resumes_publies

from .cache import en_cache_pour_les_visiteurs


@require_safe
@en_cache_pour_les_visiteurs
def accueil(request: HttpRequest) -> HttpResponse:
    certificateur = certificateur_principal()
    resumes = resumes_publies(certificateur) if certificateur else []
    return render(request, "public/accueil.html", {"certificateur": certificateur, "resumes": resumes})


@require_safe
@en_cache_pour_les_visiteurs
def certification(request: HttpRequest, code: str) -> HttpResponse:
    fiche = fiche_publique(code)
    return render(
        request,
        "public/certification.html",
        {
            "fiche": fiche,
            "certification": fiche.certification,
            # The page belongs to the organisation that delivers this certification (header, footer).
            "certificateur": fiche.certification.certificateur,
            "url_fiche_officielle": url_fiche_officielle(fiche.certification),
        },
    )


@require_safe
def certification_case(request: HttpRequest, code: str) -> HttpResponse:
    """The référentiel as a CASE 1.1 package; ``?version=N`` serves an earlier version (its items'
    URIs carry that number, so they keep resolving after a new version is published)."""
    numero = request.GET.get("version")
    if numero is not None and not (numero.isascii() and numero.isdigit() and len(numero) <= 4):
        raise Http404("Version inconnue")
    version = version_publique(code, int(numero) if numero is not None else None)
    if version is None:
        raise Http404("Certification inconnue")
    package = document_case(version, base_url=settings.SITE_URL)
    return HttpResponse(serialiser(package), content_type="application/json")


@require_safe
def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibilite.html", {"certificateur": certificateur_principal()})


@require_safe
def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "public/mentions_legales.html", {"certificateur": certificateur_principal()})
