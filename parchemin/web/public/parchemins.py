"""Public side of the parchemins: verification page and API, DID document, issuer profile, status lists.

Verification is open to anyone and rate-limited per client address (``PARCHEMINS_VERIFICATIONS_PAR_MINUTE``):
an 8-character code space is large, but only if guessing stays slow (docs/parchemins.md).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from parchemin.parchemins import cles, openbadges
from parchemin.parchemins.services import emetteur_pour, liste_statut
from parchemin.parchemins.verification import (
    TAILLE_MAX_FICHIER,
    Verdict,
    cles_publiques,
    verifier_code,
    verifier_fichier,
)
from parchemin.referentiel.queries import certificateur_principal

FENETRE_SECONDES = 60
MESSAGE_LIMITE = "Trop de vérifications en peu de temps depuis cette adresse : patientez une minute."


def _limite_atteinte(request: HttpRequest) -> bool:
    cle = f"parchemins:verifier:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(cle, 0, FENETRE_SECONDES)
    try:
        return cache.incr(cle) > settings.PARCHEMINS_VERIFICATIONS_PAR_MINUTE
    except ValueError:  # expired between add and incr
        cache.set(cle, 1, FENETRE_SECONDES)
        return False


def _page(request: HttpRequest, verdict: Verdict | None, statut: int = 200, code: str = "") -> HttpResponse:
    return render(
        request,
        "public/parchemin_verifier.html",
        {"verdict": verdict, "code": code, "certificateur": certificateur_principal()},
        status=statut,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verifier(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        code = request.GET.get("code", "")
        if not code:
            return _page(request, None)
        if _limite_atteinte(request):
            return render(request, "429.html", {"message": MESSAGE_LIMITE}, status=429)
        return _page(request, verifier_code(code[:64]), code=code[:64])
    if _limite_atteinte(request):
        return render(request, "429.html", {"message": MESSAGE_LIMITE}, status=429)
    fichier = request.FILES.get("fichier")
    if fichier is None:
        return _page(request, verifier_code(request.POST.get("code", "")[:64]), code=request.POST.get("code", "")[:64])
    if fichier.size is None or fichier.size > TAILLE_MAX_FICHIER:
        return _page(request, verifier_fichier(b"x" * (TAILLE_MAX_FICHIER + 1)), statut=413)
    return _page(request, verifier_fichier(fichier.read(TAILLE_MAX_FICHIER + 1)))


@require_safe
def verifier_par_code(request: HttpRequest, code: str) -> HttpResponse:
    """The share link and the QR code of a parchemin land here."""
    if _limite_atteinte(request):
        return render(request, "429.html", {"message": MESSAGE_LIMITE}, status=429)
    return _page(request, verifier_code(code[:64]), code=code[:64])


@csrf_exempt  # a machine endpoint without cookies or session: nothing a forged request could abuse
@require_http_methods(["GET", "HEAD", "POST"])
def verifier_api(request: HttpRequest) -> JsonResponse:
    """``GET ?code=…`` or ``POST`` a credential (JSON body) or a PDF: the verdict as JSON."""
    if _limite_atteinte(request):
        return JsonResponse({"verdict": "limite", "valide": False, "raison": MESSAGE_LIMITE}, status=429)
    if request.method == "POST":
        corps = request.body[: TAILLE_MAX_FICHIER + 1]
        verdict = verifier_fichier(corps)
    else:
        verdict = verifier_code(request.GET.get("code", "")[:64])
    return JsonResponse(verdict.en_json(), json_dumps_params={"ensure_ascii": False})


def _json_ld(donnees: dict[str, Any], type_contenu: str = "application/json") -> HttpResponse:
    reponse = HttpResponse(json.dumps(donnees, ensure_ascii=False, indent=2), content_type=type_contenu)
    reponse["Access-Control-Allow-Origin"] = "*"
    return reponse


@require_safe
def did_document(request: HttpRequest) -> HttpResponse:
    """``did:web`` document: every key of this issuer as a Multikey, old ones kept after a rotation."""
    did = cles.did_web()
    methodes = [
        {"id": methode, "type": "Multikey", "controller": did, "publicKeyMultibase": multikey}
        for methode, multikey in cles_publiques().items()
    ]
    return _json_ld(
        {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": methodes,
            "assertionMethod": [m["id"] for m in methodes],
            "service": [
                {
                    "id": f"{did}#profil",
                    "type": "LinkedDomains",
                    "serviceEndpoint": settings.SITE_URL + "/",
                }
            ],
        },
        "application/did+json",
    )


@require_safe
def profil_emetteur(request: HttpRequest) -> HttpResponse:
    """The issuer Profile that every credential embeds (name, website, SIRET), at a stable URL."""
    certificateur = certificateur_principal()
    certification = certificateur.certifications.first() if certificateur else None
    if certification is None:
        raise Http404("Aucun certificateur n'est configuré.")
    profil = openbadges.profil(emetteur_pour(certification))
    return _json_ld({"@context": list(openbadges.CONTEXTES), **profil}, "application/ld+json")


@require_safe
def statut(request: HttpRequest, numero: int) -> HttpResponse:
    liste = liste_statut(numero)
    if liste is None:
        raise Http404("Liste de statut inconnue.")
    reponse = HttpResponse(liste.credential, content_type="application/vc+ld+json")
    reponse["Access-Control-Allow-Origin"] = "*"
    reponse["Cache-Control"] = "max-age=300"
    return reponse
