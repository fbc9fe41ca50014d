"""End to end in a real Chromium: a staff member signs in with e-mail, password and a TOTP code and
reaches the back-office; a candidate cannot; the sign-in pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from parchemin.comptes.double_facteur import code_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.services import attribuer_role
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page: Any, email: str) -> None:
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_staff_member_signs_in_with_totp_and_reaches_the_back_office(page: Any) -> None:
    user = UserFactory(email="gestion@example.org")
    attribuer_role(acteur=None, user=user, role=Role.GESTIONNAIRE)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    page.goto("/gestion/")
    page.wait_for_url("**/comptes/login/?next=/gestion/")
    expect(page.locator("h1")).to_have_text("Connexion")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)

    _se_connecter(page, "gestion@example.org")
    page.wait_for_url("**/comptes/2fa/authenticate/")
    expect(page.locator("h1")).to_have_text("Authentification à deux facteurs")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)

    page.get_by_label("Code").fill(code_totp(secret))
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/gestion/")
    expect(page.locator("h1")).to_have_text("Tableau de bord")
    expect(page.get_by_role("link", name="Journal d'audit")).to_be_visible()


def test_candidate_cannot_reach_the_back_office(page: Any) -> None:
    UserFactory(email="candidate@example.org")
    page.goto("/comptes/login/")
    _se_connecter(page, "candidate@example.org")
    page.wait_for_url("**/")
    reponse = page.goto("/gestion/")
    assert reponse.status == 403
    expect(page.locator("h1")).to_have_text("Accès refusé")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)
