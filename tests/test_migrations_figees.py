"""History is frozen: a data migration carries the code it runs, so editing live code never changes
what an already-applied migration did (or does on a fresh database)."""

from __future__ import annotations

import ast
import importlib
import math
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from parchemin.partenaires.enums import Modalite
from parchemin.partenaires.models import SessionFormation
from parchemin.territoires.enums import Region

RACINE = Path(__file__).resolve().parent.parent
# Running the SQL written for the current engine is a migration operation, like Django's RunSQL:
# the SQL itself stays in each migration.
OPERATIONS_PERMISES = {"parchemin.sql_par_moteur"}


def _imports_du_projet(chemin: Path) -> set[str]:
    modules = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.ImportFrom) and noeud.module:
            modules.add(noeud.module)
        elif isinstance(noeud, ast.Import):
            modules.update(alias.name for alias in noeud.names)
    return {module for module in modules if module == "parchemin" or module.startswith("parchemin.")}


def test_data_migrations_import_no_live_project_code() -> None:
    migrations_python = [
        chemin
        for chemin in sorted(RACINE.glob("parchemin/*/migrations/0*.py"))
        if "RunPython" in chemin.read_text(encoding="utf-8")
    ]
    assert migrations_python, "aucune migration de données trouvée : le test ne vérifierait rien"
    fautives = {
        str(chemin.relative_to(RACINE)): sorted(importes - OPERATIONS_PERMISES)
        for chemin in migrations_python
        if (importes := _imports_du_projet(chemin)) - OPERATIONS_PERMISES
    }
    assert fautives == {}


def _migration(nom: str) -> Any:
    return importlib.import_module(f"parchemin.partenaires.migrations.{nom}")


def test_frozen_region_names_are_the_regions_of_the_time() -> None:
    assert dict(Region.choices) == _migration("0006_texte_recherche_au_singulier").REGIONS


@pytest.mark.django_db
def test_search_text_migration_rewrites_a_stale_text_with_singular_folded_words(rs5142: Any) -> None:
    from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory

    session = SessionFormationFactory(
        intitule="Piloter des Tiers-Lieux",
        description="Ateliers « Œuvres » collectives",
        partenaire=PartenaireFactory(nom="Les Fabriques"),
        lieu="Salle des Halles",
        modalite=Modalite.DISTANCE,
        commune=None,
        region="53",
    )
    SessionFormation.objects.filter(pk=session.pk).update(texte_recherche="périmé")
    _migration("0006_texte_recherche_au_singulier").recalculer(apps, None)
    assert SessionFormation.objects.get(pk=session.pk).texte_recherche == (
        "piloter des tier lieu atelier oeuvre collective les fabrique salle des halle bretagne"
    )


@pytest.mark.django_db
def test_vector_migration_places_sessions_on_the_unit_sphere(rs5142: Any) -> None:
    from tests.partenaires.factories import SessionFormationFactory

    equateur, pole = SessionFormationFactory(), SessionFormationFactory()
    SessionFormation.objects.update(vecteur_x=None, vecteur_y=None, vecteur_z=None)
    SessionFormation.objects.filter(pk=equateur.pk).update(latitude=0.0, longitude=90.0)
    SessionFormation.objects.filter(pk=pole.pk).update(latitude=90.0, longitude=12.0)
    _migration("0007_vecteur_unitaire").remplir(apps, None)
    for session, attendu in ((equateur, (0.0, 1.0, 0.0)), (pole, (0.0, 0.0, 1.0))):
        session.refresh_from_db()
        vecteur = (session.vecteur_x, session.vecteur_y, session.vecteur_z)
        assert vecteur == pytest.approx(attendu, abs=1e-12)
        assert math.isclose(sum(c * c for c in vecteur), 1.0)
