"""A jury ready to work: RS5142 loaded, three external members with accounts, two candidates."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.jurys.models import MembreJury, SessionJury
from parchemin.referentiel.enums import ProfilJury
from tests.comptes.outils import creer_utilisateur

from .factories import MembreJuryFactory, SessionJuryFactory, candidature_prete, sieger


def code_totp(user: User, decalage: int = 0) -> str:
    """The code the member's authenticator app shows now (``decalage`` periods away)."""
    authentificateur = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authentificateur.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + decalage))


@dataclass
class Jury:
    session: SessionJury
    membres: list[MembreJury]
    comptes: list[User]
    candidatures: list[Candidature]
    gestionnaire: User


@pytest.fixture
def gestionnaire(db: None) -> User:
    return creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)


@pytest.fixture
def jury(rs5142: Any, gestionnaire: User) -> Jury:
    comptes = [creer_utilisateur(f"jury{i}@example.org", Role.MEMBRE_JURY) for i in range(3)]
    membres = [
        MembreJuryFactory(profils=[profil], user=compte, email=compte.email)
        for profil, compte in zip((ProfilJury.ESS, ProfilJury.COWORKING, ProfilJury.FABLAB), comptes, strict=True)
    ]
    session = SessionJuryFactory()
    sieger(session, membres)
    candidatures = [candidature_prete(), candidature_prete()]
    return Jury(session, membres, comptes, candidatures, gestionnaire)
