"""Blank trainee lists to fill in: the columns the import reads and one example row, as CSV and XLSX.

Both are written from ``importation.COLONNES``, so a column added to the import appears in the
templates; a test reads each template back through the import and expects its example row valid."""

from __future__ import annotations

import csv
import io

from .importation import COLONNES

# One fictitious trainee, valid for the import: a reader sees each format in use.
EXEMPLE = {
    "nom_naissance": "Martin",
    "nom_usage": "",
    "prenoms": "Camille, Louise",
    "sexe": "F",
    "date_naissance": "14/03/1990",
    "code_commune_naissance": "33063",
    "code_pays_naissance": "",
    "email": "camille.martin@example.org",
    "telephone": "06 12 34 56 78",
    "niveau_diplome": "bac+2",
    "annees_experience": "4",
    "employeur": "Association Les Communs du Quartier",
    "siret_employeur": "12345678900015",
}

# What each column holds, for the help sheet of the workbook and the import pages.
FORMATS = {
    "nom_naissance": "tel qu'à l'état civil",
    "nom_usage": "si différent du nom de naissance",
    "prenoms": "trois au plus, séparés par des virgules",
    "sexe": "M ou F",
    "date_naissance": "JJ/MM/AAAA",
    "code_commune_naissance": "code INSEE de la commune (pas le code postal), par exemple 33063 pour Bordeaux",
    "code_pays_naissance": "né(e) à l'étranger : code INSEE du pays à 3 chiffres (109 pour l'Allemagne), "
    "et pas de code commune",
    "email": "adresse où le stagiaire recevra le lien vers son dossier",
    "telephone": "facultatif",
    "niveau_diplome": "niveau 3 à 8, ou bac, bac+2, bac+3, bac+5",
    "annees_experience": "nombre entier d'années",
    "employeur": "nom de l'employeur",
    "siret_employeur": "14 chiffres",
}
NOM_FICHIER = "modele-import-stagiaires"


def modele_csv() -> bytes:
    """UTF-8 with a BOM and semicolons: what a French spreadsheet opens and saves without mangling accents."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([c.cle for c in COLONNES])
    ecrivain.writerow([EXEMPLE[c.cle] for c in COLONNES])
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def modele_xlsx() -> bytes:
    """The list on the first sheet (the only one the import reads), the meaning of each column on a second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.title = "Stagiaires"
    feuille.append([c.cle for c in COLONNES])
    feuille.append([EXEMPLE[c.cle] for c in COLONNES])
    for index, colonne in enumerate(COLONNES, start=1):
        entete = feuille.cell(row=1, column=index)
        entete.font = Font(bold=True)
        # Text columns: a spreadsheet would otherwise turn codes into numbers (09 → 9) and dates into serials.
        dimension = feuille.column_dimensions[get_column_letter(index)]
        dimension.number_format = "@"
        dimension.width = max(14, len(colonne.cle) + 4)
        feuille.cell(row=2, column=index).number_format = "@"
    feuille.freeze_panes = "A2"
    aide = classeur.create_sheet("Colonnes")
    aide.append(["Colonne", "Intitulé", "Obligatoire", "Contenu attendu"])
    for colonne in COLONNES:
        aide.append([colonne.cle, colonne.libelle, "oui" if colonne.obligatoire else "non", FORMATS[colonne.cle]])
    for cellule in aide[1]:
        cellule.font = Font(bold=True)
    for lettre, largeur in zip("ABCD", (26, 28, 12, 80), strict=True):
        aide.column_dimensions[lettre].width = largeur
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()
