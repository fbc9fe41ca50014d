"""A credential built from plain values (no database), for the crypto-level tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from parchemin.parchemins import openbadges as ob

CASE = "https://parchemin.example/certifications/rs5142/case.json?version=1"


def element(code: str, intitule: str) -> ob.ElementReferentiel:
    identifiant = uuid.uuid5(uuid.NAMESPACE_URL, f"{CASE}/{code}")
    return ob.ElementReferentiel(uuid=str(identifiant), code=code, intitule=intitule, uri_case=f"{CASE}#{identifiant}")


CERTIFICATION = ob.Certification(
    identifiant="urn:uuid:53528362-48f4-55df-90f4-6378bdad14d1",
    code="RS5142",
    intitule="Piloter un tiers-lieu",
    description="Certification enregistrée au répertoire spécifique.",
    criteres="Décision d'un jury de trois professionnels du secteur.",
    cadre="RS5142 — Piloter un tiers-lieu",
    unites=(
        ob.Unite(
            element("1", "Élaborer et développer un projet stratégique de tiers lieu"),
            (element("1.1", "Identifier les grands principes"), element("1.2", "Élaborer un cadre de référence")),
        ),
        ob.Unite(element("2", "Piloter l'activité de la structure"), (element("2.1", "Construire son prévisionnel"),)),
    ),
)
EMETTEUR = ob.Emetteur(
    id="did:web:parchemin.example",
    nom="La Coopérative des Tiers-Lieux",
    url="https://parchemin.example",
    siret="73282932000074",
)


def credential(**changements: Any) -> dict[str, Any]:
    valeurs: dict[str, Any] = {
        "identifiant": "urn:uuid:0f7c1f7e-3d0e-4d3c-9a51-8d4a8e6b1a11",
        "emetteur": EMETTEUR,
        "certification": CERTIFICATION,
        "titulaire": "Camille Martin",
        "unites_validees": frozenset({"1"}),
        "totale": False,
        "valide_depuis": dt.datetime(2025, 6, 12, 14, 0, tzinfo=dt.UTC),
        "statut": ob.Statut("https://parchemin.example/parchemins/statut/1", 4096),
    }
    valeurs.update(changements)
    return ob.credential(**valeurs)
