"""Fixtures of the outbox tests."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.comptes.enums import Role
from tests.comptes.outils import creer_utilisateur

from .serveurs import EN_PANNE


@pytest.fixture
def serveur_en_panne(settings: Any) -> None:
    settings.EMAIL_BACKEND = EN_PANNE


@pytest.fixture
def gestionnaire(db: None) -> Any:
    return creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)
