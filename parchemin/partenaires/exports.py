"""The list of habilitations France compétences must hold, with the history of changes, as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from parchemin.tableurs import neutraliser as _neutraliser

from .models import ChangementHabilitation, Habilitation

COLONNES_HABILITATIONS = [
    "Organisme",
    "SIRET",
    "N° de déclaration d'activité",
    "Qualiopi",
    "Certification",
    "Objet",
    "Unités concernées",
    "Début de validité",
    "Fin de validité",
    "État",
    "Dernière modification",
]
COLONNES_HISTORIQUE = ["Date", "Organisme", "SIRET", "Certification", "Changement", "État avant", "État après", "Motif"]


def _habilitations() -> list[Habilitation]:
    return list(
        Habilitation.objects.select_related("partenaire", "certification")
        .prefetch_related("unites")
        .order_by("partenaire__nom", "certification__code", "date_debut")
    )


def lignes_habilitations() -> Iterator[list[str]]:
    for h in _habilitations():
        unites = ", ".join(sorted(u.code for u in h.unites.all())) or "toutes"
        yield [
            h.partenaire.nom,
            h.partenaire.siret,
            h.partenaire.numero_declaration_activite,
            "oui" if h.partenaire.qualiopi else "non",
            h.certification.code,
            h.objet,
            unites,
            h.date_debut.isoformat(),
            h.date_fin.isoformat() if h.date_fin else "",
            h.get_etat_display(),
            timezone.localtime(h.modifiee_le).strftime("%Y-%m-%d %H:%M"),
        ]


def lignes_historique() -> Iterator[list[str]]:
    changements = ChangementHabilitation.objects.select_related(
        "habilitation__partenaire", "habilitation__certification"
    ).order_by("horodatage", "pk")
    for c in changements:
        yield [
            timezone.localtime(c.horodatage).strftime("%Y-%m-%d %H:%M"),
            c.habilitation.partenaire.nom,
            c.habilitation.partenaire.siret,
            c.habilitation.certification.code,
            c.nature,
            c.get_etat_avant_display() if c.etat_avant else "",
            c.get_etat_apres_display(),
            c.motif,
        ]


def export_csv() -> bytes:
    """Both tables in one file, separated by a blank line; ';' and a BOM so French Excel opens it as is."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";")
    ecrivain.writerow(["Habilitations"])
    ecrivain.writerow(COLONNES_HABILITATIONS)
    ecrivain.writerows([_neutraliser(v) for v in ligne] for ligne in lignes_habilitations())
    ecrivain.writerow([])
    ecrivain.writerow(["Historique des changements"])
    ecrivain.writerow(COLONNES_HISTORIQUE)
    ecrivain.writerows([_neutraliser(v) for v in ligne] for ligne in lignes_historique())
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def export_xlsx() -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.title = "Habilitations"
    for titre, colonnes, lignes in (
        ("Habilitations", COLONNES_HABILITATIONS, lignes_habilitations()),
        ("Historique", COLONNES_HISTORIQUE, lignes_historique()),
    ):
        if titre != "Habilitations":
            feuille = classeur.create_sheet(titre)
        feuille.append(colonnes)
        for cellule in feuille[1]:
            cellule.font = Font(bold=True)
        for ligne in lignes:
            feuille.append([_neutraliser(v) for v in ligne])
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
