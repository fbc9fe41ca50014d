"""Back-office pages on applications: the list staff work from, each file's page, decisions,
bulk actions, exports and the import of a partner's trainees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.candidatures import services
from parchemin.candidatures.importation import COLONNES
from parchemin.candidatures.models import Candidature
from parchemin.candidatures.pieces import pieces_demandees
from parchemin.candidatures.queries import (
    ECHEANCES_AFFICHEES,
    echeances_a_afficher,
    get_candidature_for,
    get_piece_for,
    historique,
    liste_backoffice,
    pieces_de,
)
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.erreurs import ErreurMetier
from parchemin.jurys.resultat import resultat_de
from parchemin.partenaires.models import SessionFormation
from parchemin.web.commun import import_stagiaires
from parchemin.web.commun.fichiers import TYPE_CSV, TYPE_XLSX, reponse_fichier, servir_piece
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.candidatures import DecisionRecevabiliteForm, DerogationForm, FiltresForm, ImportForm

EQUIPE = tuple(ROLES_EQUIPE)
CLE_SESSION_IMPORT = "candidatures_import"
COLONNES_EXPORT = (
    ("N°", lambda c: c.pk),
    ("Nom de naissance", lambda c: c.nom_naissance),
    ("Nom d'usage", lambda c: c.nom_usage),
    ("Prénoms", lambda c: " ".join(p for p in (c.prenom1, c.prenom2, c.prenom3) if p)),
    ("Sexe", lambda c: c.sexe),
    ("Date de naissance", lambda c: c.date_naissance.isoformat() if c.date_naissance else ""),
    ("E-mail", lambda c: c.email),
    ("Certification", lambda c: c.certification.code),
    ("Voie d'accès", lambda c: c.get_voie_display()),
    ("Année", lambda c: c.annee),
    ("État", lambda c: c.get_etat_display()),
    ("Organisme", lambda c: c.partenaire.nom if c.partenaire else ""),
    ("Session", lambda c: str(c.session_formation.numero) if c.session_formation else ""),
    ("Employeur", lambda c: c.employeur_nom),
    (
        "Prérequis remplis",
        lambda c: "oui" if c.prerequis_remplis else ("dérogation" if c.derogation_prerequis else "non"),
    ),
    ("Échéance de recevabilité", lambda c: c.echeance_recevabilite.isoformat() if c.echeance_recevabilite else ""),
    (
        "Recevable par acceptation tacite le",
        lambda c: c.acceptation_tacite_le.isoformat() if c.acceptation_tacite_le else "",
    ),
    ("Déposée le", lambda c: timezone.localtime(c.deposee_le).strftime("%Y-%m-%d %H:%M") if c.deposee_le else ""),
)


def _sans_formule(valeur: Any) -> Any:
    """A cell starting with = + - @ would run as a formula in a spreadsheet: neutralise it."""
    if isinstance(valeur, str) and valeur[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valeur
    return valeur


def _lignes_export(candidatures: Iterable[Candidature]) -> Iterator[list[Any]]:
    yield [titre for titre, _ in COLONNES_EXPORT]
    for candidature in candidatures:
        yield [_sans_formule(valeur(candidature)) for _, valeur in COLONNES_EXPORT]


def _liste_filtree(request: RequeteAuthentifiee) -> tuple[FiltresForm, Any]:
    form = FiltresForm(request.GET or None)
    return form, liste_backoffice(form.filtres(), timezone.localdate())


@acces_reserve(*EQUIPE)
@require_safe
def liste(request: RequeteAuthentifiee) -> HttpResponse:
    form, candidatures = _liste_filtree(request)
    # The ids of the page first (filters and sort carry one narrow row per application, without the
    # joins), then only those rows with their relations: sorting 20,000 joined rows cost more than the page.
    page = Paginator(candidatures.values_list("pk", flat=True), form.taille_page()).get_page(request.GET.get("page"))
    lignes = candidatures.in_bulk(list(page.object_list))
    page.object_list = [lignes[pk] for pk in page.object_list]
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "backoffice/candidatures/liste.html",
        {
            "form": form,
            "page": page,
            "parametres": parametres.urlencode(),
            "aujourd_hui": timezone.localdate(),
        },
    )


@acces_reserve(*EQUIPE)
@require_safe
def export_csv(request: RequeteAuthentifiee) -> HttpResponse:
    _, candidatures = _liste_filtree(request)
    # A BOM so that spreadsheets opening the file on Windows read the accents right.
    tampon = io.StringIO("\ufeff")
    tampon.seek(0, io.SEEK_END)
    csv.writer(tampon, delimiter=";").writerows(_lignes_export(candidatures.iterator(chunk_size=2000)))
    return reponse_fichier(tampon.getvalue(), f"candidatures-{timezone.localdate():%Y-%m-%d}.csv", TYPE_CSV)


@acces_reserve(*EQUIPE)
@require_safe
def export_xlsx(request: RequeteAuthentifiee) -> HttpResponse:
    from openpyxl import Workbook

    _, candidatures = _liste_filtree(request)
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Candidatures")
    for ligne in _lignes_export(candidatures.iterator(chunk_size=2000)):
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return reponse_fichier(tampon.getvalue(), f"candidatures-{timezone.localdate():%Y-%m-%d}.xlsx", TYPE_XLSX)


@acces_reserve(*EQUIPE)
@require_safe
def detail(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_for(request.user, pk)
    aujourd_hui = timezone.localdate()
    return render(
        request,
        "backoffice/candidatures/detail.html",
        {
            "candidature": candidature,
            "pieces": pieces_de(candidature),
            "demandes": pieces_demandees(candidature),
            "manquants": services.elements_manquants(candidature),
            "historique": historique(candidature).select_related("acteur")[:200],
            "form_decision": DecisionRecevabiliteForm(),
            "form_derogation": DerogationForm(),
            "tacite_a_constater": candidature.acceptation_tacite_a_constater(aujourd_hui),
            "jours_restants": candidature.jours_avant_echeance(aujourd_hui),
            "resultat": resultat_de(candidature),
        },
    )


@acces_reserve(*EQUIPE)
@require_POST
def recevabilite(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_for(request.user, pk)
    form = DecisionRecevabiliteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une décision.")
    else:
        with signaler_refus(request):
            services.decider_recevabilite(candidature, acteur=request.user, **form.cleaned_data)
            messages.success(request, "Décision enregistrée ; le candidat est prévenu par e-mail.")
    return redirect("backoffice:candidature", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def derogation(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    candidature = get_candidature_for(request.user, pk)
    form = DerogationForm(request.POST)
    with signaler_refus(request):
        if not form.is_valid():
            raise ErreurMetier("Une dérogation aux prérequis doit être motivée par écrit.")
        services.accorder_derogation(candidature, acteur=request.user, motif=form.cleaned_data["motif"])
        messages.success(request, "Dérogation aux prérequis enregistrée.")
    return redirect("backoffice:candidature", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def pretes_pour_jury(request: RequeteAuthentifiee) -> HttpResponse:
    # isdigit() alone accepts "²", which int() refuses.
    ids = [int(v) for v in request.POST.getlist("candidatures") if v.isascii() and v.isdigit()]
    with signaler_refus(request):
        marquees = services.marquer_pretes_pour_jury(ids, acteur=request.user)
        messages.success(request, f"{len(marquees)} candidature(s) marquée(s) prête(s) pour le jury.")
    retour = request.POST.get("retour", "")
    if retour.startswith(reverse("backoffice:candidatures")):
        return redirect(retour)
    return redirect("backoffice:candidatures")


@acces_reserve(*EQUIPE)
@require_safe
def piece(request: RequeteAuthentifiee, pk: int, piece_pk: int) -> HttpResponse:
    return servir_piece(get_piece_for(request.user, pk, piece_pk))


@acces_reserve(*EQUIPE)
@require_safe
def echeances(request: RequeteAuthentifiee) -> HttpResponse:
    aujourd_hui = timezone.localdate()
    return render(
        request,
        "backoffice/candidatures/echeances.html",
        {"aujourd_hui": aujourd_hui, "affichees": ECHEANCES_AFFICHEES, **echeances_a_afficher(aujourd_hui)},
    )


@acces_reserve(*EQUIPE)
@require_safe
def importer_modele(request: RequeteAuthentifiee, format_fichier: str) -> HttpResponse:
    """The blank trainee list (columns and one example row) in CSV or XLSX."""
    return import_stagiaires.reponse_modele(format_fichier)


@acces_reserve(*EQUIPE)
@require_http_methods(["GET", "POST"])
def importer(request: RequeteAuthentifiee) -> HttpResponse:
    """Step 1: upload and preview. Nothing is written; the file waits in storage for the confirmation."""
    form = ImportForm(request.POST or None, request.FILES or None)
    rapport, jeton = None, ""
    if request.method == "POST" and form.is_valid():
        rapport, jeton = import_stagiaires.analyser(
            request, CLE_SESSION_IMPORT, form, form.cleaned_data["fichier"], form.cleaned_data["session"]
        )
    return render(
        request,
        "backoffice/candidatures/import.html",
        {"form": form, "rapport": rapport, "jeton": jeton, "colonnes": COLONNES},
    )


@acces_reserve(*EQUIPE)
@require_POST
def importer_confirmer(request: RequeteAuthentifiee) -> HttpResponse:
    """Step 2: the user confirmed the preview; import everything, or only the valid rows if they chose so."""
    attente = import_stagiaires.en_attente(request, CLE_SESSION_IMPORT)
    # The preview may have outlived its session of training (deleted meanwhile) or its stored file.
    session = (
        SessionFormation.objects.select_related("certification", "partenaire").filter(pk=attente["session"]).first()
        if attente
        else None
    )
    if attente is None or session is None:
        messages.error(request, import_stagiaires.MESSAGE_PLUS_EN_ATTENTE)
        return redirect("backoffice:candidatures_import")
    if import_stagiaires.confirmer(request, CLE_SESSION_IMPORT, attente, session) is None:
        return redirect("backoffice:candidatures_import")
    return redirect(f"{reverse('backoffice:candidatures')}?session={session.pk}")
