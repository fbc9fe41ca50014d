"""The two steps of a trainee import, shared by the staff and the partner pages.

Step 1 checks the whole file and keeps it in storage under a one-time token (recorded in the user's
session under ``cle``); step 2 re-reads it and calls the service, which validates again and writes
everything or nothing. The pages differ only in who may pick which training session."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse

from parchemin.candidatures import services
from parchemin.candidatures.importation import TAILLE_MAX_IMPORT, RapportImport
from parchemin.candidatures.modele_import import NOM_FICHIER, modele_csv, modele_xlsx
from parchemin.candidatures.services import BilanImport
from parchemin.partenaires.models import SessionFormation
from parchemin.web.commun.fichiers import TYPE_CSV, TYPE_XLSX, reponse_fichier
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

MODELES = {
    "csv": (modele_csv, TYPE_CSV),
    "xlsx": (modele_xlsx, TYPE_XLSX),
}


def reponse_modele(format_fichier: str) -> HttpResponse:
    """The blank list to fill in (columns and one example row), as a download; 404 for another format."""
    if format_fichier not in MODELES:
        raise Http404("Modèle disponible en CSV ou XLSX.")
    ecrire, type_mime = MODELES[format_fichier]
    return reponse_fichier(ecrire(), f"{NOM_FICHIER}.{format_fichier}", type_mime)


def oublier(request: HttpRequest, cle: str) -> None:
    """Drop the pending import (and its stored file), if any."""
    precedent = request.session.pop(cle, None)
    if precedent:
        default_storage.delete(precedent["chemin"])


def analyser(
    request: HttpRequest, cle: str, form: Form, fichier: UploadedFile, session: SessionFormation
) -> tuple[RapportImport | None, str]:
    """Step 1: the report, and the token of the stored file when it can be imported ("" otherwise)."""
    if fichier.size is not None and fichier.size > TAILLE_MAX_IMPORT:
        form.add_error("fichier", "Le fichier dépasse 2 Mo : découpez-le en plusieurs imports.")
        return None, ""
    contenu = fichier.read()
    nom = PurePath(fichier.name or "").name[:200]
    rapport = services.analyser_import(nom, contenu, session)
    if rapport.erreurs_fichier:
        return rapport, ""
    oublier(request, cle)
    jeton = uuid.uuid4().hex
    chemin = default_storage.save(f"imports/{jeton}{PurePath(nom).suffix.lower()[:10]}", ContentFile(contenu))
    request.session[cle] = {"jeton": jeton, "chemin": chemin, "nom": nom, "session": session.pk}
    return rapport, jeton


def en_attente(request: HttpRequest, cle: str) -> dict[str, Any] | None:
    """The pending import the posted token designates, if its stored file is still there."""
    attente = request.session.get(cle)
    if not attente or request.POST.get("jeton") != attente["jeton"] or not default_storage.exists(attente["chemin"]):
        return None
    return dict(attente)


def confirmer(
    request: RequeteAuthentifiee, cle: str, attente: dict[str, Any], session: SessionFormation
) -> BilanImport | None:
    """Step 2: import the stored file onto ``session``; None (with the refusal shown) if the service refuses."""
    with default_storage.open(attente["chemin"], "rb") as fichier:
        contenu = fichier.read()
    with signaler_refus(request):
        bilan = services.importer_stagiaires(
            nom_fichier=attente["nom"],
            contenu=contenu,
            session=session,
            acteur=request.user,
            seulement_valides=request.POST.get("seulement_valides") == "oui",
        )
        oublier(request, cle)
        messages.success(request, message_bilan(bilan))
        for numero, motif in bilan.retenues:
            messages.warning(request, f"Ligne {numero} non importée : {motif}.")
        return bilan
    return None


def message_bilan(bilan: BilanImport) -> str:
    """What the import did, without a name: messages are kept until the next page is shown."""
    texte = (
        f"{len(bilan.creees)} candidature(s) créée(s) : chaque stagiaire a reçu un e-mail pour compléter son dossier."
    )
    if bilan.invitees:
        texte += (
            f" {len(bilan.invitees)} personne(s) avaient déjà un compte (ligne(s) "
            + ", ".join(str(n) for n in bilan.invitees[:50])
            + ("…" if len(bilan.invitees) > 50 else "")
            + ") : rien n'a été créé dans leur compte, elles sont invitées par e-mail à candidater elles-mêmes."
        )
    return texte


MESSAGE_PLUS_EN_ATTENTE = "Cet import n'est plus en attente : envoyez le fichier à nouveau."
