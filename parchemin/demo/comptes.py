"""Demo logins, one per role, with verified addresses and TOTP for staff and jury.

Idempotent: accounts, roles and TOTP secrets are created once and found again on the next run. Only
addresses under settings.DEMO_EMAIL_DOMAINE are used, which code_totp_demo requires.
"""

from __future__ import annotations

import base64
import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from faker import Faker

from parchemin.comptes.chiffrement import SecretIllisible
from parchemin.comptes.double_facteur import secret_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.comptes.roles import double_facteur_exige
from parchemin.comptes.services import attribuer_role
from parchemin.demo.services import MOT_DE_PASSE_DEMO, CompteDemo
from parchemin.partenaires.models import Partenaire

PARTENAIRE_DEMO_SIRET = "85123456700010"
PARTENAIRE_DEMO_NOM = "Tiers-Lieux Formation Aquitaine (démonstration)"

# (local part of the address, label printed by `make run`, role or None for a candidate)
COMPTES: tuple[tuple[str, str, Role | None], ...] = (
    ("administrateur", "Administrateur (équipe)", Role.ADMINISTRATEUR),
    ("gestionnaire", "Gestionnaire (équipe)", Role.GESTIONNAIRE),
    ("jury", "Membre de jury", Role.MEMBRE_JURY),
    ("admin-partenaire", "Administrateur d'un partenaire", Role.ADMIN_PARTENAIRE),
    ("evaluateur", "Évaluateur d'un partenaire", Role.EVALUATEUR_PARTENAIRE),
    ("candidat", "Candidat", None),
)


def _secret_reproductible(alea: random.Random) -> str:
    return base64.b32encode(alea.randbytes(20)).decode("ascii")


def _secret_lisible(user: User) -> str | None:
    """The demo account's TOTP secret; when the local key changed (SECRET_KEY or CLES_CHIFFREMENT),
    its unreadable second factors are dropped so that they are created again from the seed."""
    try:
        return secret_totp(user)
    except SecretIllisible:
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ).delete()
        return None


def charger_comptes_demo(*, graine: int) -> list[CompteDemo]:
    faux = Faker("fr_FR")
    faux.seed_instance(graine)
    alea = random.Random(graine)  # noqa: S311 — demo secrets, printed on screen by design
    partenaire, _ = Partenaire.objects.get_or_create(siret=PARTENAIRE_DEMO_SIRET, defaults={"nom": PARTENAIRE_DEMO_NOM})
    comptes = []
    for local, libelle, role in COMPTES:
        prenom, nom, secret = faux.first_name(), faux.last_name(), _secret_reproductible(alea)
        email = f"{local}@{settings.DEMO_EMAIL_DOMAINE}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=MOT_DE_PASSE_DEMO, first_name=prenom, last_name=nom)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role is not None:
            lieu = partenaire if role in (Role.ADMIN_PARTENAIRE, Role.EVALUATEUR_PARTENAIRE) else None
            if not RoleUtilisateur.objects.filter(user=user, role=role, partenaire=lieu).exists():
                attribuer_role(acteur=None, user=user, role=role, partenaire=lieu)
        if double_facteur_exige(user) and _secret_lisible(user) is None:
            TOTP.activate(user, secret)
            RecoveryCodes.activate(user)
        totp = secret_totp(user) or ""
        comptes.append(CompteDemo(role=libelle, email=email, mot_de_passe=MOT_DE_PASSE_DEMO, totp=totp))
    return comptes
