"""Tables written as CSV or XLSX for spreadsheets, safe from formula injection.

A text cell starting with = + - @ (or a tab, a carriage return) would be run as a formula by a
spreadsheet: it is prefixed with an apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

# A titled table: (title, column headers, rows).
Tableau = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def neutraliser(valeur: Any) -> Any:
    if isinstance(valeur, str) and valeur[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valeur
    return valeur


def _cellule_csv(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, float):
        # French spreadsheets read a decimal comma.
        return f"{valeur:g}".replace(".", ",")
    return str(neutraliser(valeur))


def en_csv(tableaux: Iterable[Tableau]) -> bytes:
    """Every table in one file, each under its title and separated by a blank line; ';' and a BOM
    so that French Excel opens it as is."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";")
    for rang, (titre, colonnes, lignes) in enumerate(tableaux):
        if rang:
            ecrivain.writerow([])
        ecrivain.writerow([neutraliser(titre)])
        ecrivain.writerow([neutraliser(c) for c in colonnes])
        ecrivain.writerows([_cellule_csv(v) for v in ligne] for ligne in lignes)
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def en_xlsx(tableaux: Iterable[Tableau]) -> bytes:
    """One sheet per table, named after its title (31 characters at most), bold headers."""
    classeur = Workbook()
    premiere = classeur.active
    for rang, (titre, colonnes, lignes) in enumerate(tableaux):
        feuille = premiere if rang == 0 and premiere is not None else classeur.create_sheet()
        feuille.title = titre[:31]
        feuille.append([neutraliser(c) for c in colonnes])
        for cellule in feuille[1]:
            cellule.font = Font(bold=True)
        for ligne in lignes:
            feuille.append([neutraliser(v) for v in ligne])
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
