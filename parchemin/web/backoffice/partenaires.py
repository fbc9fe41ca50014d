"""Back-office pages on partners and habilitations: the certificateur's staff only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.partenaires import services
from parchemin.partenaires.enums import EtatHabilitation
from parchemin.partenaires.exports import export_csv, export_xlsx
from parchemin.partenaires.models import ContactPartenaire, Partenaire
from parchemin.partenaires.queries import get_habilitation_for, get_partenaire_for
from parchemin.web.commun.fichiers import TYPE_CSV, TYPE_XLSX, reponse_fichier
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.partenaires import ContactForm, ConventionForm, EnvoiForm, EtatForm, HabilitationForm, PartenaireForm

equipe = acces_reserve(*ROLES_EQUIPE)


def _valeurs_partenaire(partenaire: Partenaire) -> dict[str, Any]:
    return {champ: getattr(partenaire, champ) for champ in services.CHAMPS_PARTENAIRE}


@equipe
@require_safe
def liste(request: RequeteAuthentifiee) -> HttpResponse:
    partenaires = (
        Partenaire.objects.select_related("commune")
        .annotate(
            habilitations_actives=Count("habilitations", filter=Q(habilitations__etat=EtatHabilitation.ACTIVE)),
            sessions_publiees=Count("sessions", filter=Q(sessions__publiee=True), distinct=True),
        )
        .order_by("nom")
    )
    return render(
        request,
        "backoffice/partenaires/liste.html",
        {
            "partenaires": partenaires,
            "etat_liste": services.etat_liste_france_competences(),
            "aujourd_hui": timezone.localdate(),
            "envoi_form": EnvoiForm(initial={"envoye_le": timezone.localdate()}),
        },
    )


@equipe
@require_http_methods(["GET", "POST"])
def nouveau(request: RequeteAuthentifiee) -> HttpResponse:
    form = PartenaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            partenaire = services.enregistrer_partenaire(request.user, form.cleaned_data)
            messages.success(request, f"Partenaire {partenaire.nom} enregistré.")
            return redirect("backoffice:partenaire", pk=partenaire.pk)
    return render(request, "backoffice/partenaires/partenaire_form.html", {"form": form, "partenaire": None})


@equipe
@require_http_methods(["GET", "POST"])
def partenaire(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    partenaire = get_partenaire_for(request.user, pk)
    form = PartenaireForm(request.POST or None, initial=_valeurs_partenaire(partenaire))
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            services.enregistrer_partenaire(request.user, form.cleaned_data, partenaire)
            messages.success(request, "Partenaire mis à jour.")
            return redirect("backoffice:partenaire", pk=partenaire.pk)
    return render(
        request,
        "backoffice/partenaires/partenaire_form.html",
        {
            "form": form,
            "partenaire": partenaire,
            "habilitations": partenaire.habilitations.select_related("certification").order_by("-date_debut"),
            "sessions": partenaire.sessions.select_related("certification").order_by("-date_debut")[:20],
            "contacts": partenaire.contacts.order_by("nom"),
            "contact_form": ContactForm(),
        },
    )


@equipe
@require_http_methods(["GET", "POST"])
def habilitation_nouvelle(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    partenaire = get_partenaire_for(request.user, pk)
    form = HabilitationForm(request.POST or None, initial={"date_debut": timezone.localdate(), "preparer": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with signaler_refus(request, form):
            habilitation = services.enregistrer_habilitation(
                request.user,
                partenaire=partenaire,
                certification=d["certification"],
                donnees=d,
                unites=d["unites"],
                motif=d["motif"],
            )
            messages.success(request, "Habilitation accordée. Pensez à envoyer la liste à jour à France compétences.")
            return redirect("backoffice:habilitation", pk=habilitation.pk)
    return render(request, "backoffice/partenaires/habilitation_form.html", {"form": form, "partenaire": partenaire})


@equipe
@require_safe
def habilitation(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    habilitation = get_habilitation_for(request.user, pk)
    return render(
        request,
        "backoffice/partenaires/habilitation.html",
        {
            "habilitation": habilitation,
            "unites": habilitation.unites.order_by("ordre"),
            "changements": habilitation.changements.select_related("acteur"),
            "etat_form": EtatForm(),
            "convention_form": ConventionForm(),
        },
    )


@equipe
@require_POST
def habilitation_etat(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    habilitation = get_habilitation_for(request.user, pk)
    form = EtatForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un changement et indiquez son motif.")
    else:
        with signaler_refus(request):
            services.changer_etat_habilitation(
                request.user, habilitation, form.cleaned_data["action"], form.cleaned_data["motif"]
            )
            messages.success(request, "État de l'habilitation modifié.")
    return redirect("backoffice:habilitation", pk=habilitation.pk)


@equipe
@require_http_methods(["GET", "POST"])
def habilitation_convention(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """GET downloads the signed convention; POST replaces it (a checked PDF)."""
    habilitation = get_habilitation_for(request.user, pk)
    if request.method == "GET":
        if not habilitation.convention or not default_storage.exists(habilitation.convention.name):
            raise Http404("Aucune convention déposée")
        with habilitation.convention.open("rb") as fichier:
            contenu = fichier.read()
        nom = f"convention-{habilitation.partenaire.siret}-{habilitation.certification.code}.pdf"
        return reponse_fichier(contenu, nom, "application/pdf")
    form = ConventionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez le fichier PDF de la convention signée.")
    else:
        with signaler_refus(request):
            services.deposer_convention(request.user, habilitation, form.cleaned_data["fichier"])
            messages.success(request, "Convention déposée.")
    return redirect("backoffice:habilitation", pk=habilitation.pk)


@equipe
@require_safe
def habilitations_export(request: RequeteAuthentifiee, format: str) -> HttpResponse:
    nom = f"habilitations-{timezone.localdate().isoformat()}.{format}"
    if format == "xlsx":
        return reponse_fichier(export_xlsx(), nom, TYPE_XLSX)
    if format == "csv":
        return reponse_fichier(export_csv(), nom, TYPE_CSV)
    raise Http404("Format inconnu")


@equipe
@require_POST
def habilitations_envoi(request: RequeteAuthentifiee) -> HttpResponse:
    form = EnvoiForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez une date d'envoi valide.")
    else:
        with signaler_refus(request):
            services.enregistrer_envoi_liste(request.user, form.cleaned_data["envoye_le"])
            messages.success(request, "Envoi de la liste à France compétences enregistré.")
    return redirect("backoffice:partenaires")


@equipe
@require_POST
def partenaire_contact(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    partenaire = get_partenaire_for(request.user, pk)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Contact non ajouté : " + " ".join(str(m) for liste in form.errors.values() for m in liste)
        )
    else:
        with signaler_refus(request):
            services.ajouter_contact(request.user, partenaire, form.cleaned_data)
            messages.success(request, "Contact ajouté.")
    return redirect("backoffice:partenaire", pk=partenaire.pk)


@equipe
@require_POST
def contact_retirer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    contact = ContactPartenaire.objects.filter(pk=pk).select_related("partenaire").first()
    if contact is None:
        raise Http404("Contact inconnu")
    get_partenaire_for(request.user, contact.partenaire_id)
    services.retirer_contact(request.user, contact)
    messages.success(request, "Contact retiré.")
    return redirect("backoffice:partenaire", pk=contact.partenaire_id)


@equipe
@require_http_methods(["GET", "POST"])
def habilitation_modifier(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """Change the terms of a habilitation (validity, fee, means…): a change France compétences must hear of."""
    habilitation = get_habilitation_for(request.user, pk)
    initial = {champ: getattr(habilitation, champ) for champ in services.CHAMPS_HABILITATION} | {
        "certification": habilitation.certification,
        "unites": list(habilitation.unites.all()),
    }
    form = HabilitationForm(request.POST or None, initial=initial)
    form.fields["certification"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with signaler_refus(request, form):
            services.enregistrer_habilitation(
                request.user,
                partenaire=habilitation.partenaire,
                certification=habilitation.certification,
                donnees=d,
                unites=d["unites"],
                motif=d["motif"],
                habilitation=habilitation,
            )
            messages.success(request, "Conditions de l'habilitation modifiées.")
            return redirect("backoffice:habilitation", pk=habilitation.pk)
    return render(
        request,
        "backoffice/partenaires/habilitation_form.html",
        {"form": form, "partenaire": habilitation.partenaire, "habilitation": habilitation},
    )
