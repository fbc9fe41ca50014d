"""Back-office statistics: outcome tables by year, route, organisation and session, and the list
of files behind every figure. Staff only; every figure comes from ``parchemin.statistiques``."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.partenaires.models import Partenaire
from parchemin.referentiel.enums import VoieAcces
from parchemin.statistiques.enquetes import insertion_par_annee
from parchemin.statistiques.enums import Situation
from parchemin.statistiques.exports import tableaux
from parchemin.statistiques.graphiques import GRAPHIQUES
from parchemin.statistiques.rapport import rendre_rapport
from parchemin.statistiques.resultats import (
    AXE_CANDIDATURE,
    AXES,
    INDICATEURS,
    INDICATEURS_PAR_CODE,
    REGROUPEMENTS,
    Filtres,
    Ligne,
    activite_jurys,
    annees_disponibles,
    dossiers,
    tableau_resultats,
)
from parchemin.tableurs import en_csv, en_xlsx
from parchemin.web.commun.fichiers import reponse_fichier
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.statistiques import DossiersForm, FiltresForm

equipe = acces_reserve(*ROLES_EQUIPE)


def lien_dossiers(filtres: Filtres, indicateur: str) -> str:
    return (
        reverse("backoffice:statistiques_dossiers")
        + "?"
        + urlencode({**filtres.parametres(), "indicateur": indicateur})
    )


def decrire(filtres: Filtres) -> str:
    """The filters of a drill-down list in words, so the reader knows which figure it opens."""
    morceaux = [f"Par {AXES[filtres.axe].lower()}"]
    if filtres.annee is not None:
        morceaux.append(f"année {filtres.annee}")
    if filtres.voie is not None:
        morceaux.append(f"voie « {VoieAcces(filtres.voie).label} »")
    if filtres.partenaire == 0:
        morceaux.append("sans organisme de formation")
    elif filtres.partenaire is not None:
        nom = Partenaire.objects.filter(pk=filtres.partenaire).values_list("nom", flat=True).first()
        morceaux.append(f"organisme « {nom or 'inconnu'} »")
    if filtres.session == 0:
        morceaux.append("hors session de formation")
    elif filtres.session is not None:
        morceaux.append(f"session de formation n° {filtres.session}")
    return ", ".join(morceaux)


def _cellules(ligne: Ligne) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "libelle": i.libelle,
            "nombre": ligne.chiffres[i.code],
            "url": lien_dossiers(ligne.filtres, i.code),
        }
        for i in INDICATEURS
    ]


def _lire(request: RequeteAuthentifiee) -> tuple[FiltresForm, Filtres | None, str]:
    """The filters of the query string; ``None`` when they are invalid (the form says why)."""
    form = FiltresForm(request.GET or None)
    if not request.GET:
        return form, Filtres(), "aucun"
    if not form.is_valid():
        return form, None, "aucun"
    return form, form.filtres(), form.cleaned_data.get("regroupement") or "aucun"


@require_safe
@equipe
def resultats(request: RequeteAuthentifiee) -> Any:
    form, lus, regroupement = _lire(request)
    filtres = lus or Filtres()
    lignes: list[Ligne] = []
    activite = []
    if lus is not None:
        lignes = tableau_resultats(filtres, regroupement)
        activite = activite_jurys([filtres.annee] if filtres.annee else None)
    return render(
        request,
        "backoffice/statistiques/resultats.html",
        {
            "form": form,
            "lignes": [{"ligne": ligne, "cellules": _cellules(ligne)} for ligne in lignes],
            "indicateurs": INDICATEURS,
            "regroupe": regroupement != "aucun",
            "activite": activite,
            "annees": annees_disponibles(),
            "insertion": insertion_par_annee(),
            "situations": Situation.labels,
            "axe_libelle": AXES[filtres.axe],
            "regroupement_libelle": REGROUPEMENTS[regroupement][0],
            "parametres": request.GET.urlencode(),
        },
    )


@require_safe
@equipe
def dossiers_derriere(request: RequeteAuthentifiee) -> Any:
    form = DossiersForm(request.GET)
    page = None
    titre = "Dossiers"
    description = ""
    if form.is_valid():
        filtres = form.filtres()
        indicateur = INDICATEURS_PAR_CODE[form.cleaned_data["indicateur"]]
        titre = indicateur.libelle
        description = decrire(filtres)
        qs = dossiers(filtres, indicateur.code).select_related("partenaire", "session_formation", "candidat")
        page = Paginator(qs.order_by("nom_naissance", "pk"), 100).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "backoffice/statistiques/dossiers.html",
        {
            "form": form,
            "page": page,
            "titre": titre,
            "description": description,
            "parametres": parametres.urlencode(),
        },
    )


@require_safe
@equipe
def export(request: RequeteAuthentifiee, format_fichier: str) -> HttpResponse:
    """The outcome and jury-activity tables of the page, with the same filters, as CSV or XLSX."""
    if format_fichier not in ("csv", "xlsx"):
        raise Http404("Format d'export inconnu.")
    form, filtres, regroupement = _lire(request)
    if filtres is None:
        return render(request, "backoffice/statistiques/export_refuse.html", {"form": form}, status=400)
    lignes = tableau_resultats(filtres, regroupement)
    activite = activite_jurys([filtres.annee] if filtres.annee else None)
    contenu = tableaux(filtres.axe, lignes, regroupement != "aucun", activite)
    if format_fichier == "csv":
        return reponse_fichier(en_csv(contenu), "statistiques.csv", "text/csv; charset=utf-8")
    return reponse_fichier(
        en_xlsx(contenu),
        "statistiques.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_safe
@equipe
def graphiques(request: RequeteAuthentifiee) -> Any:
    """Each chart as an image, with the table of its figures beside it."""
    form, filtres, _ = _lire(request)
    lignes = tableau_resultats(filtres) if filtres is not None else []
    parametres = urlencode(filtres.parametres()) if filtres is not None else ""
    return render(
        request,
        "backoffice/statistiques/graphiques.html",
        {
            "form": form,
            "lignes": lignes,
            "graphiques": [
                {"nom": nom, "titre": titre, "url": reverse("backoffice:statistiques_graphique", args=[nom])}
                for nom, (titre, _) in GRAPHIQUES.items()
            ],
            "parametres": parametres,
            "axe_libelle": AXES[filtres.axe if filtres else AXE_CANDIDATURE],
        },
    )


# The SVG carries its own <style> (pygal's), never a script: inline styles are allowed for this
# response alone, scripts stay forbidden.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]  # django-csp types one-argument views
@require_safe
@equipe
def graphique(request: RequeteAuthentifiee, nom: str) -> HttpResponse:
    if nom not in GRAPHIQUES:
        raise Http404("Graphique inconnu.")
    titre, dessiner = GRAPHIQUES[nom]
    _, filtres, _ = _lire(request)
    lignes = tableau_resultats(filtres) if filtres is not None else []
    reponse = HttpResponse(dessiner(lignes, titre), content_type="image/svg+xml")
    reponse["Cache-Control"] = "private, no-store"
    return reponse


@require_safe
@equipe
def rapport(request: RequeteAuthentifiee, annee: int) -> HttpResponse:
    """The yearly report as a PDF/A, for the registration file."""
    if not 1990 <= annee <= 2100:
        raise Http404("Année hors de portée.")
    return reponse_fichier(rendre_rapport(annee), f"rapport-statistiques-{annee}.pdf", "application/pdf")
