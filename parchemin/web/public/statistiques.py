"""Open data: a certification's yearly figures for everyone, under the Licence Ouverte 2.0, with
small groups hidden (``parchemin.statistiques.ouvertes``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification
from parchemin.statistiques.ouvertes import (
    DECISIONS,
    LICENCE,
    LICENCE_URL,
    SEUIL,
    LignePublique,
    candidatures_par_voie,
    decisions_par_annee,
    voies_ouvertes,
)
from parchemin.statistiques.resultats import INDICATEURS_PAR_CODE
from parchemin.tableurs import Tableau, en_csv
from parchemin.web.commun.fichiers import reponse_fichier


def _certification(code: str) -> Certification:
    certification = Certification.objects.publiees().filter(code__iexact=code).first()
    if certification is None:
        raise Http404("Certification inconnue")
    return certification


def _donnees(certification: Certification) -> dict[str, Any]:
    voies = voies_ouvertes(certification)
    return {
        "certification": certification,
        "colonnes_decisions": [INDICATEURS_PAR_CODE[code].libelle for code in DECISIONS],
        "decisions": decisions_par_annee(certification),
        "colonnes_voies": [VoieAcces(v).label for v in voies] + ["Autres voies (fermées depuis)"],
        "candidatures": candidatures_par_voie(certification, voies),
        "seuil": SEUIL,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }


@require_safe
def statistiques(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "public/statistiques.html", _donnees(_certification(code)))


def _lignes(lignes: list[LignePublique], avec_taux: bool) -> list[list[Any]]:
    return [
        [
            ligne.annee,
            *(str(c) for c in ligne.cellules),
            str(ligne.total),
            *([ligne.taux_reussite] if avec_taux else []),
        ]
        for ligne in lignes
    ]


@require_safe
def statistiques_csv(request: HttpRequest, code: str) -> HttpResponse:
    donnees = _donnees(_certification(code))
    certification: Certification = donnees["certification"]
    tableaux: list[Tableau] = [
        (
            "Métadonnées",
            ["Clé", "Valeur"],
            [
                ["Certification", f"{certification.code} — {certification.intitule}"],
                ["Licence", f"{LICENCE} — {LICENCE_URL}"],
                ["Secret statistique", f"effectifs de 1 à {SEUIL - 1} et une case complémentaire : « secret »"],
            ],
        ),
        (
            "Décisions du jury par année de décision",
            ["Année", *donnees["colonnes_decisions"], "Total", "Taux de réussite (%)"],
            _lignes(donnees["decisions"], avec_taux=True),
        ),
        (
            "Candidatures déposées par année de candidature et voie d'accès",
            ["Année", *donnees["colonnes_voies"], "Total"],
            _lignes(donnees["candidatures"], avec_taux=False),
        ),
    ]
    nom = f"statistiques-{certification.code.lower()}.csv"
    return reponse_fichier(en_csv(tableaux), nom, "text/csv; charset=utf-8", prive=False)
