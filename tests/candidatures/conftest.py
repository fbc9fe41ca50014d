"""Fixtures of the candidate-journey tests: uploads go to a temporary storage, never var/media."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.comptes.enums import Role
from tests.comptes.outils import creer_utilisateur


@pytest.fixture(autouse=True)
def _stockage_temporaire(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def gestionnaire(db: None) -> Any:
    return creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)
