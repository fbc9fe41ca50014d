"""Read-side helpers of the référentiel: what the public pages show, in a bounded number of queries."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parchemin.referentiel.echange import importer
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification
from parchemin.referentiel.queries import resumes_publies

pytestmark = pytest.mark.django_db

RS5142_JSON = Path(__file__).resolve().parents[2] / "parchemin" / "referentiel" / "data" / "rs5142.json"


def _autre_certification(numero: int, unites: list[list[str]]) -> dict[str, Any]:
    """A second certification of the same certificateur, with the given competence codes per unit."""
    document = json.loads(RS5142_JSON.read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    document["certification"]["code"] = "RS9001"
    document["certification"]["intitule"] = "Animer une communauté de tiers-lieu"
    document["version"]["numero"] = numero
    document["unites"] = [
        {
            "code": str(i),
            "intitule": f"Unité {i}",
            "competences": [{"code": code, "intitule": f"Compétence {code}"} for code in codes],
        }
        for i, codes in enumerate(unites, 1)
    ]
    for voie in document["voies_acces"]:
        if voie["voie"] == VoieAcces.CANDIDATURE_INDIVIDUELLE:
            voie["autorisee"], voie["regle_jury"] = False, None
    return document


def test_summary_counts_the_current_version_and_lists_allowed_routes_in_fiche_order(rs5142: Certification) -> None:
    importer(_autre_certification(1, [["1.1"]]))
    importer(_autre_certification(2, [["1.1", "1.2"], ["2.1", "2.2", "2.3"]]))
    resumes = {r.certification.code: r for r in resumes_publies(rs5142.certificateur)}
    assert set(resumes) == {"RS5142", "RS9001"}
    assert (resumes["RS5142"].nb_unites, resumes["RS5142"].nb_competences) == (3, 18)
    # Only the latest version counts, not the sum of every version.
    assert (resumes["RS9001"].nb_unites, resumes["RS9001"].nb_competences) == (2, 5)
    assert [v.voie for v in resumes["RS5142"].voies_autorisees] == [
        VoieAcces.FORMATION_CONTINUE,
        VoieAcces.CANDIDATURE_INDIVIDUELLE,
        VoieAcces.EXPERIENCE,
    ]
    assert [v.voie for v in resumes["RS9001"].voies_autorisees] == [VoieAcces.FORMATION_CONTINUE, VoieAcces.EXPERIENCE]


def test_summary_leaves_out_unpublished_certifications_and_stays_at_three_queries(rs5142: Certification) -> None:
    importer(_autre_certification(1, [["1.1"]]))
    Certification.objects.filter(code="RS9001").update(publiee=False)
    certificateur = rs5142.certificateur
    with CaptureQueriesContext(connection) as requetes:
        resumes = resumes_publies(certificateur)
    assert [r.certification.code for r in resumes] == ["RS5142"]
    assert len(requetes) == 3, [q["sql"] for q in requetes]
