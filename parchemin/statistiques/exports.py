"""The statistics tables as rows for CSV and XLSX: the same figures as the pages, nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from parchemin.tableurs import Tableau

from .resultats import AXES, INDICATEURS, ActiviteJury, Delais, Ligne, Taux

COLONNES_ACTIVITE = [
    "Année",
    "Sessions",
    "PV signés",
    "Membres différents",
    "Passages de candidats",
    "Candidats par session (moyenne)",
]


def colonnes_resultats(regroupe: bool) -> list[str]:
    return [
        "Année",
        *(["Détail"] if regroupe else []),
        *(i.libelle for i in INDICATEURS),
        "Taux de réussite (%)",
        "Taux de validation totale (%)",
        "Délai dépôt → recevabilité : dossiers",
        "Délai dépôt → recevabilité : médiane (jours)",
        "Délai dépôt → recevabilité : 90e centile (jours)",
        "Délai dépôt → jury : dossiers",
        "Délai dépôt → jury : médiane (jours)",
        "Délai dépôt → jury : 90e centile (jours)",
    ]


def _delais(d: Delais) -> list[Any]:
    return [d.nombre, d.mediane, d.p90]


def _taux(t: Taux) -> float | None:
    return t.pourcentage


def _lignes_resultats(lignes: list[Ligne], regroupe: bool) -> Iterator[list[Any]]:
    for ligne in lignes:
        yield [
            ligne.annee,
            *([ligne.libelle] if regroupe else []),
            *(ligne.chiffres[i.code] for i in INDICATEURS),
            _taux(ligne.taux_reussite),
            _taux(ligne.taux_validation_totale),
            *_delais(ligne.delai_recevabilite),
            *_delais(ligne.delai_jury),
        ]


def tableaux(axe: str, lignes: list[Ligne], regroupe: bool, activite: list[ActiviteJury]) -> list[Tableau]:
    return [
        (f"Résultats ({AXES[axe].lower()})", colonnes_resultats(regroupe), _lignes_resultats(lignes, regroupe)),
        (
            "Activité des jurys",
            COLONNES_ACTIVITE,
            ([a.annee, a.sessions, a.pv_signes, a.membres, a.passages, a.candidats_par_session] for a in activite),
        ),
    ]
