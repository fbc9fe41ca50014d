"""Back-office of the CDC accrochage: overview and export, the files sent and their
acknowledgements, passages to fix, deadlines, and the certificateur's CDC identifiers.

Views read and call the services of ``parchemin.accrochage``; each action is audited there.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.accrochage import accuses, echeances, nir, services
from parchemin.accrochage.conseils import conseil
from parchemin.accrochage.enums import ActionFlux, EtatCDC, VersionFlux
from parchemin.accrochage.models import Lot, PassageCDC
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE, Role
from parchemin.comptes.roles import est_administrateur
from parchemin.erreurs import ErreurMetier
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.accrochage import AccuseForm, IdentifiantsForm, IdentiteTitulaireForm, NirForm

LOTS_PAR_PAGE = 20
RETENUES_MAX = 200


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def accueil(request: RequeteAuthentifiee) -> HttpResponse:
    services.recenser()
    config = services.configuration()
    comptes = dict(PassageCDC.objects.values_list("etat").annotate(n=Count("pk")).values_list("etat", "n"))
    version = config.version_flux if config else "1.1.2"
    retenues = services.retenues(version=version)
    a_envoyer = services.selection_par_defaut().count() - len(retenues)
    a_retirer = services.selection_a_retirer().select_related("parchemin__candidature").order_by("pk")
    return render(
        request,
        "backoffice/accrochage/accueil.html",
        {
            "config": config,
            "comptes": [(etat, comptes.get(etat.value, 0)) for etat in EtatCDC],
            "a_envoyer": max(a_envoyer, 0),
            "a_corriger": comptes.get(EtatCDC.REJETE.value, 0),
            "retenues": retenues[:RETENUES_MAX],
            "nombre_retenues": len(retenues),
            "a_retirer": a_retirer[:RETENUES_MAX],
            "nombre_a_retirer": a_retirer.count(),
            "retrait_possible": version == VersionFlux.V1_1_5,
            "lots": Paginator(Lot.objects.select_related("cree_par"), LOTS_PAR_PAGE).get_page(request.GET.get("page")),
            "form_accuse": AccuseForm(),
            "est_administrateur": est_administrateur(request.user),
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def exporter(request: RequeteAuthentifiee) -> HttpResponse:
    return _generer(request, ActionFlux.CREATION)


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def retirer(request: RequeteAuthentifiee) -> HttpResponse:
    """Withdraw, in a SUPPRESSION file of its own, the accepted passages whose certificate was revoked."""
    return _generer(request, ActionFlux.SUPPRESSION)


def _generer(request: RequeteAuthentifiee, action: str) -> HttpResponse:
    """Generate the files of one action and say what happened; the export and withdrawal buttons differ
    only in their words and in the part of the page they come back to."""
    retrait = action == ActionFlux.SUPPRESSION
    retour = reverse("backoffice:accrochage") + ("#retraits" if retrait else "")
    with signaler_refus(request):
        resultat = services.exporter(acteur=request.user, action=action)
        retenus = len(resultat.retenues)
        if not resultat.lots:
            messages.warning(
                request,
                f"Aucun fichier : aucun passage à {'retirer' if retrait else 'envoyer'}"
                + (f" ({retenus} retenu(s), à corriger d'abord)." if retenus else "."),
            )
            return redirect(retour)
        total = sum(lot.nombre_passages for lot in resultat.lots)
        messages.success(
            request,
            f"{len(resultat.lots)} fichier(s) {'de retrait (SUPPRESSION) ' if retrait else ''}généré(s) et validé(s) : "
            f"{total} passage(s)"
            + (f", {retenus} retenu(s) à corriger." if retenus else ".")
            + (
                " Déposez-le sur le portail des certificateurs de la CDC, puis ses accusés ici."
                if retrait
                else " Téléchargez-le et déposez-le sur le portail des certificateurs de la CDC."
            ),
        )
        return redirect("backoffice:accrochage_lot", pk=resultat.lots[0].pk)
    return redirect(retour)


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def lot(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("cree_par"), pk=pk)
    return render(
        request,
        "backoffice/accrochage/lot.html",
        {
            "lot": lot,
            "passages": lot.passages.pour_liste().order_by("pk")[:500],
            "accuses": lot.accuses.select_related("depose_par"),
            "form_accuse": AccuseForm(),
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def lot_fichier(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk)
    # Streamed from storage (a file may reach 195 MB); acces_reserve only types plain responses.
    return cast(
        HttpResponse,
        FileResponse(
            lot.fichier.open("rb"), as_attachment=True, filename=f"{lot.id_flux}.xml", content_type="application/xml"
        ),
    )


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def accuse(request: RequeteAuthentifiee) -> HttpResponse:
    form = AccuseForm(request.POST, request.FILES)
    if not form.is_valid():
        for erreur in form.errors.get("fichier", ["Choisissez le fichier d'accusé reçu de la CDC."]):
            messages.error(request, f"Accusé refusé : {erreur}")
        return redirect("backoffice:accrochage")
    fichier = form.cleaned_data["fichier"]
    try:
        resultat = accuses.appliquer(acteur=request.user, contenu=fichier.read(), nom_fichier=fichier.name)
    except ErreurMetier as erreur:
        messages.error(request, f"Accusé refusé, rien n'a été modifié : {erreur.message}")
        return redirect("backoffice:accrochage")
    if resultat.type == "TRAITEMENT" and resultat.lot.est_retrait:
        messages.success(
            request,
            f"Accusé de traitement appliqué au retrait {resultat.lot.id_flux} : {resultat.acceptes} retiré(s), "
            f"{resultat.rejetes} retrait(s) refusé(s).",
        )
    elif resultat.type == "TRAITEMENT":
        messages.success(
            request,
            f"Accusé de traitement appliqué au lot {resultat.lot.id_flux} : {resultat.acceptes} accepté(s), "
            f"{resultat.rejetes} rejeté(s).",
        )
    else:
        messages.success(request, f"Accusé de réception enregistré pour le lot {resultat.lot.id_flux}.")
    return redirect("backoffice:accrochage_lot", pk=resultat.lot.pk)


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def a_corriger(request: RequeteAuthentifiee) -> HttpResponse:
    aujourd_hui = timezone.localdate()
    lignes = [(e, conseil(e.passage.message_cdc)) for e in echeances.corrections(aujourd_hui)]
    return render(request, "backoffice/accrochage/a_corriger.html", {"lignes": lignes, "aujourd_hui": aujourd_hui})


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def echeancier(request: RequeteAuthentifiee) -> HttpResponse:
    aujourd_hui = timezone.localdate()
    services.recenser()
    return render(
        request,
        "backoffice/accrochage/echeances.html",
        {
            "aujourd_hui": aujourd_hui,
            "envois": echeances.envois(aujourd_hui),
            "corrections": echeances.corrections(aujourd_hui),
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_http_methods(["GET", "HEAD", "POST"])
def titulaire(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """Fix the holder's civil status of one passage (the application's file, through its service)."""
    passage = get_object_or_404(PassageCDC.objects.pour_liste(), pk=pk)
    candidature = passage.parchemin.candidature
    form = IdentiteTitulaireForm(request.POST or None, instance=candidature)
    if request.method == "POST" and form.is_valid():
        champs = {nom: form.cleaned_data[nom] for nom in form.changed_data}
        with signaler_refus(request, form):
            services.corriger_titulaire(passage, champs, acteur=request.user)
            messages.success(
                request,
                "Identité du titulaire corrigée : le passage partira au prochain export."
                if champs
                else "Identité vérifiée, inchangée : le passage repartira tel quel au prochain export.",
            )
            return redirect(reverse("backoffice:accrochage") + "#retenues")
    candidature.refresh_from_db()
    _, raisons = services.preparer_passage(passage, "1.1.2")
    nir_visible = nir.peut_voir(request.user)
    return render(
        request,
        "backoffice/accrochage/titulaire.html",
        {
            "passage": passage,
            "form": form,
            "raisons": raisons,
            "conseil": conseil(passage.message_cdc) if passage.message_cdc else "",
            "form_nir": NirForm() if nir_visible else None,
            "nir_enregistre": bool(passage.nir_chiffre) if nir_visible else False,
        },
    )


@acces_reserve(Role.ADMINISTRATEUR)
@require_http_methods(["GET", "HEAD", "POST"])
def identifiants(request: RequeteAuthentifiee) -> HttpResponse:
    config = services.configuration()
    initial = (
        {
            "id_client_emetteur": config.id_client_emetteur,
            "id_client_certificateur": config.id_client_certificateur,
            "id_contrat": config.id_contrat,
            "version_flux": config.version_flux,
        }
        if config
        else {"version_flux": "1.1.2"}
    )
    form = IdentifiantsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        fichier = donnees.get("xsd_officiel")
        with signaler_refus(request, form, "xsd_officiel" if fichier else None):
            services.enregistrer_configuration(
                acteur=request.user,
                id_client_emetteur=donnees["id_client_emetteur"],
                id_client_certificateur=donnees["id_client_certificateur"],
                id_contrat=donnees["id_contrat"],
                version_flux=donnees["version_flux"],
                xsd=(fichier.name, fichier.read()) if fichier else None,
                retirer_xsd=donnees["retirer_xsd"],
            )
            messages.success(request, "Identifiants CDC enregistrés.")
            return redirect("backoffice:accrochage")
    return render(request, "backoffice/accrochage/identifiants.html", {"form": form, "config": config})


@acces_reserve(Role.ADMINISTRATEUR)
@require_POST
def titulaire_nir(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    passage = get_object_or_404(PassageCDC, pk=pk)
    form = NirForm(request.POST)
    if form.is_valid():
        with signaler_refus(request):
            nir.enregistrer_nir(passage, form.cleaned_data["nir"], acteur=request.user)
            messages.success(request, "NIR enregistré (chiffré)." if form.cleaned_data["nir"] else "NIR effacé.")
    else:
        messages.error(request, "Le NIR saisi est trop long.")
    return redirect("backoffice:accrochage_titulaire", pk=pk)
