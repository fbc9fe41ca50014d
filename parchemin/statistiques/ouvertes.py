"""Open data: a certification's yearly figures, published for everyone, with no person identifiable.

Statistical secrecy (docs/statistiques.md). Cells of a row are disjoint categories whose sum is the
row's total. A row whose total is under 5 is hidden whole (its total reads "< 5"). Otherwise every
count from 1 to 4 is hidden ("secret"), and so is the smallest other non-zero cell of the row: the
hidden cells are then at least two, each at least 1, and their sum (total minus the shown cells) is
larger than their number, so it splits between them in more than one way and none can be recomputed.
If only small cells are hidden and they are all ones, the total is hidden too. All hidden cells
read the same, so the reader cannot tell the small ones from their complement. No
column totals are published: columns cannot be used to undo a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification

from .resultats import INDICATEURS_PAR_CODE, candidatures_annotees

SEUIL = 5
LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Jury outcomes, disjoint: their sum is the number of decisions of the year.
DECISIONS = ("validations_totales", "validations_partielles", "refus", "absents")


@dataclass(frozen=True)
class Cellule:
    valeur: int
    masquee: bool = False
    # What a hidden cell reads: "secret" for a category, "< 5" for a row's total.
    libelle_masque: str = "secret"

    def __str__(self) -> str:
        return self.libelle_masque if self.masquee else str(self.valeur)

    @property
    def publiee(self) -> int | None:
        return None if self.masquee else self.valeur


def masquer(valeurs: list[int]) -> tuple[list[Cellule], Cellule]:
    """The cells of one row and its total, with small counts and their complement hidden."""
    total = sum(valeurs)
    if 0 < total < SEUIL:
        return [Cellule(v, True) for v in valeurs], Cellule(total, True, f"< {SEUIL}")
    masquees = {i for i, v in enumerate(valeurs) if 0 < v < SEUIL}
    autres = [i for i, v in enumerate(valeurs) if i not in masquees and v > 0]
    if masquees and autres:
        masquees.add(min(autres, key=lambda i: (valeurs[i], i)))
    cellules = [Cellule(v, i in masquees) for i, v in enumerate(valeurs)]
    if masquees and sum(valeurs[i] for i in masquees) <= len(masquees):
        # Only small cells, all ones: their sum would give each of them. Hide the total as well.
        return cellules, Cellule(total, True)
    return cellules, Cellule(total)


@dataclass(frozen=True)
class LignePublique:
    annee: int
    total: Cellule
    cellules: list[Cellule]

    @property
    def complete(self) -> bool:
        return not self.total.masquee and not any(c.masquee for c in self.cellules)

    @property
    def taux_reussite(self) -> float | None:
        """Published only for a row with nothing hidden: a rate would otherwise reveal a hidden cell."""
        if not self.complete or len(self.cellules) != len(DECISIONS):
            return None
        valides = self.cellules[0].valeur + self.cellules[1].valeur
        evalues = valides + self.cellules[2].valeur
        return None if evalues == 0 else round(100 * valides / evalues, 1)


def decisions_par_annee(certification: Certification) -> list[LignePublique]:
    """Jury decisions in force by year of decision: one aggregate query."""
    qs = candidatures_annotees().filter(annee_decision__isnull=False, certification=certification)
    agregats = {code: Count("pk", filter=INDICATEURS_PAR_CODE[code].condition) for code in DECISIONS}
    lignes = []
    for valeurs in qs.values("annee_decision").annotate(**agregats).order_by("annee_decision"):
        cellules, total = masquer([valeurs[code] for code in DECISIONS])
        lignes.append(LignePublique(valeurs["annee_decision"], total, cellules))
    return lignes


def voies_ouvertes(certification: Certification) -> list[str]:
    ordre = list(VoieAcces.values)
    voies = certification.voies_acces.filter(autorisee=True).values_list("voie", flat=True)
    return sorted(voies, key=ordre.index)


def candidatures_par_voie(certification: Certification, voies: list[str]) -> list[LignePublique]:
    """Deposited applications by year of application and open route: one aggregate query."""
    qs = candidatures_annotees().filter(certification=certification)
    comptes: dict[int, dict[str, int]] = {}
    for valeurs in qs.values("annee", "voie").annotate(n=Count("pk")).order_by():
        comptes.setdefault(valeurs["annee"], {})[valeurs["voie"]] = valeurs["n"]
    lignes = []
    for annee in sorted(comptes):
        # A route closed since keeps its files in the total through an "other routes" column.
        autres = sum(n for voie, n in comptes[annee].items() if voie not in voies)
        cellules, total = masquer([comptes[annee].get(voie, 0) for voie in voies] + [autres])
        lignes.append(LignePublique(annee, total, cellules))
    return lignes
