"""Demo logins: one per role, usable at once (verified address, TOTP for staff and jury), loaded twice
without duplicates; the current TOTP code is printed for demo accounts only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from parchemin.comptes.double_facteur import code_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.comptes.roles import roles_de
from parchemin.demo.comptes import charger_comptes_demo
from parchemin.journal.models import EntreeJournal
from tests.comptes.outils import creer_utilisateur

pytestmark = pytest.mark.django_db


def test_every_role_has_a_demo_login_with_totp_where_required() -> None:
    comptes = charger_comptes_demo(graine=5142)
    roles = set()
    for compte in comptes:
        user = User.objects.get(email=compte.email)
        assert compte.email.endswith("@demo.parchemin.localhost")
        assert user.check_password(compte.mot_de_passe)
        assert EmailAddress.objects.filter(user=user, email=compte.email, verified=True).exists()
        roles |= roles_de(user)
        exige = bool(roles_de(user) & {Role.ADMINISTRATEUR, Role.GESTIONNAIRE, Role.MEMBRE_JURY})
        assert bool(compte.totp) == exige, compte
    assert roles == set(Role)
    assert any(not c.totp and "Candidat" in c.role for c in comptes)


def test_loading_twice_creates_nothing_new() -> None:
    premiers = charger_comptes_demo(graine=5142)
    compte = (User.objects.count(), RoleUtilisateur.objects.count(), EntreeJournal.objects.count())
    seconds = charger_comptes_demo(graine=5142)
    assert (User.objects.count(), RoleUtilisateur.objects.count(), EntreeJournal.objects.count()) == compte
    assert premiers == seconds


def test_code_totp_demo_prints_the_current_code() -> None:
    comptes = {c.email: c for c in charger_comptes_demo(graine=5142)}
    jury = comptes["jury@demo.parchemin.localhost"]
    sortie = io.StringIO()
    avant = code_totp(jury.totp)
    call_command("code_totp_demo", "jury@demo.parchemin.localhost", stdout=sortie)
    apres = code_totp(jury.totp)  # the 30-second period may turn during the call
    assert sortie.getvalue().strip() in {avant, apres}


def test_code_totp_demo_refuses_real_accounts() -> None:
    creer_utilisateur("vraie-personne@example.org", Role.GESTIONNAIRE)
    with pytest.raises(CommandError, match="seuls les comptes de démonstration"):
        call_command("code_totp_demo", "vraie-personne@example.org", stdout=io.StringIO())


def test_demo_recreates_second_factors_its_key_no_longer_reads(settings: Any) -> None:
    settings.CLES_CHIFFREMENT = [Fernet.generate_key().decode()]
    premier = {c.email: c.totp for c in charger_comptes_demo(graine=5142)}
    settings.CLES_CHIFFREMENT = [Fernet.generate_key().decode()]  # e.g. SECRET_KEY changed locally

    with pytest.raises(CommandError, match="ne peut pas être déchiffré"):
        call_command("code_totp_demo", "jury@demo.parchemin.localhost", stdout=io.StringIO())
    second = {c.email: c.totp for c in charger_comptes_demo(graine=5142)}
    assert second == premier and second["jury@demo.parchemin.localhost"]
    sortie = io.StringIO()
    call_command("code_totp_demo", "jury@demo.parchemin.localhost", stdout=sortie)
    assert sortie.getvalue().strip().isdigit()
