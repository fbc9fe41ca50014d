"""Mandatory TOTP for staff and jury, end to end through allauth's real login and reauthentication
flows (no session shortcut): codes checked, replays refused, recovery codes accepted once."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from parchemin.comptes.double_facteur import code_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.comptes.services import attribuer_role
from parchemin.journal.models import EntreeJournal
from tests.comptes.factories import MOT_DE_PASSE, UserFactory
from tests.comptes.outils import code_totp_de, creer_utilisateur

pytestmark = pytest.mark.django_db


def _jeton(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code, page.headers.get("Location"))
    trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert trouve
    return trouve.group(1)


def _poster(client: Client, url: str, donnees: dict[str, str]) -> Any:
    return client.post(url, {**donnees, "csrfmiddlewaretoken": _jeton(client, url)})


def _equipe(role: Role = Role.GESTIONNAIRE, *, totp: bool = True) -> tuple[User, str]:
    user = UserFactory()
    attribuer_role(acteur=None, user=user, role=role)
    secret = generate_totp_secret()
    if totp:
        TOTP.activate(user, secret)
    return user, secret


def _mot_de_passe(client: Client, user: User, suivant: str = "") -> Any:
    url = reverse("account_login") + (f"?next={suivant}" if suivant else "")
    return _poster(client, url, {"login": user.email, "password": MOT_DE_PASSE})


def test_staff_signs_in_with_password_then_totp_and_reaches_the_back_office(client: Client) -> None:
    user, secret = _equipe()
    reponse = _mot_de_passe(client, user, suivant="/gestion/")
    assert reponse.headers["Location"] == reverse("mfa_authenticate")
    assert client.get("/gestion/").status_code == 302, "le mot de passe seul ne suffit pas"

    reponse = _poster(client, reverse("mfa_authenticate"), {"code": code_totp(secret)})
    assert reponse.status_code == 302 and reponse.headers["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    assert EntreeJournal.objects.filter(action="comptes.connexion", acteur=user).count() == 1


def test_wrong_totp_code_is_refused_in_french_and_journaled(client: Client) -> None:
    user, secret = _equipe(Role.MEMBRE_JURY)
    _mot_de_passe(client, user)
    faux = f"{(int(code_totp(secret)) + 1) % 1_000_000:06d}"
    reponse = _poster(client, reverse("mfa_authenticate"), {"code": faux})
    assert reponse.status_code == 200
    assert "Code incorrect" in reponse.content.decode()
    assert "_auth_user_id" not in client.session
    assert EntreeJournal.objects.filter(action="comptes.echec_double_facteur", objet_id=str(user.pk)).exists()


def test_replayed_totp_code_is_refused(client: Client) -> None:
    user, secret = _equipe()
    code = code_totp(secret)
    _mot_de_passe(client, user)
    assert _poster(client, reverse("mfa_authenticate"), {"code": code}).status_code == 302

    # Someone who watched the code being typed tries it at once from another browser.
    autre = Client(enforce_csrf_checks=True)
    _mot_de_passe(autre, user)
    reponse = _poster(autre, reverse("mfa_authenticate"), {"code": code})
    assert reponse.status_code == 200
    assert "Code incorrect" in reponse.content.decode()
    assert "_auth_user_id" not in autre.session


def test_recovery_code_signs_in_once_and_is_journaled(client: Client) -> None:
    user, _ = _equipe()
    codes = RecoveryCodes.activate(user).get_unused_codes()
    _mot_de_passe(client, user)
    assert _poster(client, reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get("/gestion/").status_code == 200
    assert EntreeJournal.objects.filter(action="comptes.utiliser_code_secours", acteur=user).exists()

    autre = Client(enforce_csrf_checks=True)
    _mot_de_passe(autre, user)
    assert _poster(autre, reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200


def test_staff_without_totp_is_sent_to_activate_it_then_to_use_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user, _ = _equipe(totp=False)
    _mot_de_passe(client, user)
    reponse = client.get("/gestion/")
    assert reponse.status_code == 302
    assert reponse.headers["Location"].startswith(reverse("mfa_activate_totp"))

    # allauth asks for the password again before any change to the second factor.
    reponse = client.get(reverse("mfa_activate_totp"))
    assert reponse.headers["Location"].startswith(reverse("account_reauthenticate"))
    suite = reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp")
    assert _poster(client, suite, {"password": MOT_DE_PASSE}).status_code == 302
    activation = client.get(reverse("mfa_activate_totp"))
    assert activation.status_code == 200
    assert "data:image/svg+xml" in activation.content.decode(), "le code QR est affiché"
    secret = client.session["mfa.totp.secret"]  # what the QR code holds
    code_saisi = code_totp(secret)
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', activation.content.decode())
    assert jeton
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the activation on commit
        reponse = client.post(reverse("mfa_activate_totp"), {"code": code_saisi, "csrfmiddlewaretoken": jeton.group(1)})
    assert reponse.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert EntreeJournal.objects.filter(action="comptes.activer_double_facteur", acteur=user).exists()

    # Activating is not using: the back-office now asks for a code from the app, and not the one
    # just typed (allauth would accept it once more; comptes.double_facteur burns it).
    reponse = client.get("/gestion/")
    assert reponse.headers["Location"].startswith(reverse("mfa_reauthenticate"))
    etape = reverse("mfa_reauthenticate") + "?next=/gestion/"
    assert _poster(client, etape, {"code": code_saisi}).status_code == 200
    plus_tard = time.time() + 30
    with mock.patch("allauth.mfa.totp.internal.auth.time.time", return_value=plus_tard):
        reponse = _poster(client, etape, {"code": code_totp(secret, plus_tard)})
    assert reponse.status_code == 302, re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', reponse.content.decode(), re.S)
    assert client.get("/gestion/").status_code == 200


def test_session_without_totp_step_is_asked_for_a_code(client: Client) -> None:
    user, secret = _equipe(Role.ADMINISTRATEUR)
    client.force_login(user)  # e.g. a session opened before the role was granted
    reponse = client.get("/gestion/journal/")
    assert reponse.headers["Location"].startswith(reverse("mfa_reauthenticate"))
    reponse = _poster(client, reverse("mfa_reauthenticate") + "?next=/gestion/journal/", {"code": code_totp(secret)})
    assert reponse.headers["Location"] == "/gestion/journal/"
    assert client.get("/gestion/journal/").status_code == 200


def test_candidate_signs_in_without_second_factor_and_gets_a_french_403_in_the_back_office(client: Client) -> None:
    user = UserFactory()
    assert _mot_de_passe(client, user).status_code == 302
    reponse = client.get("/gestion/")
    assert reponse.status_code == 403
    assert "Accès refusé" in reponse.content.decode()


def test_staff_land_in_the_back_office_after_signing_in(client: Client) -> None:
    user, secret = _equipe()
    _mot_de_passe(client, user)
    reponse = _poster(client, reverse("mfa_authenticate"), {"code": code_totp(secret)})
    assert reponse.headers["Location"] == reverse("backoffice:tableau_de_bord")


def test_five_wrong_totp_codes_lock_the_second_factor_from_any_address(client: Client) -> None:
    # Guessing six digits online must stay hopeless: the counter is per account, not per address.
    user, secret = _equipe()
    attaquant = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    _mot_de_passe(attaquant, user)
    bon = code_totp(secret)
    for essai in range(5):
        faux = f"{(int(bon) + 1 + essai) % 1_000_000:06d}"
        assert _poster(attaquant, reverse("mfa_authenticate"), {"code": faux}).status_code == 200

    ailleurs = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    _mot_de_passe(ailleurs, user)
    reponse = _poster(ailleurs, reverse("mfa_authenticate"), {"code": bon})
    assert reponse.status_code == 200
    assert "Trop de tentatives de connexion échouées" in reponse.content.decode()
    assert "_auth_user_id" not in ailleurs.session


def test_signed_in_session_expires_with_the_browser_and_within_a_working_day(client: Client) -> None:
    user, secret = _equipe()
    _mot_de_passe(client, user)
    _poster(client, reverse("mfa_authenticate"), {"code": code_totp(secret)})
    session = client.session
    assert session.get("_auth_user_id") == str(user.pk)
    assert session.get_expire_at_browser_close()
    assert 0 < session.get_expiry_age() <= 8 * 3600
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"], "cookie de session, effacé à la fermeture"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize("nom", ["account_login", "account_reset_password", "mfa_authenticate"])
def test_sign_in_pages_carry_the_security_headers(client: Client, nom: str) -> None:
    if nom == "mfa_authenticate":
        _mot_de_passe(client, _equipe()[0])
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 200
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"
    csp = reponse.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("nom", ["account_login", "mfa_authenticate"])
def test_password_and_code_pages_are_never_cached(client: Client, nom: str) -> None:
    if nom == "mfa_authenticate":
        _mot_de_passe(client, _equipe()[0])
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 200
    assert "no-store" in reponse.headers["Cache-Control"]


def test_a_code_from_the_previous_step_is_accepted_once_but_not_older_ones(db: None) -> None:
    """Clock drift of one 30-second step is tolerated (a code typed as it expires still works); two steps
    back is refused, and the tolerated code cannot be replayed."""
    utilisateur = creer_utilisateur("derive@example.org", Role.GESTIONNAIRE)
    totp = Authenticator.objects.get(user=utilisateur, type=Authenticator.Type.TOTP).wrap()
    with mock.patch("time.time", return_value=time.time() // 30 * 30 + 15):  # mid-step: no boundary race
        assert not totp.validate_code(code_totp_de(utilisateur, decalage=-2))
        precedent = code_totp_de(utilisateur, decalage=-1)
        assert totp.validate_code(precedent)
        assert not totp.validate_code(precedent)


@pytest.mark.parametrize("pas_de_retard", [0, 1])
def test_the_activation_code_is_burnt_even_when_typed_in_the_previous_step(pas_de_retard: int) -> None:
    # A code typed at the end of its 30 seconds reaches the server in the next step, where the tolerance
    # window still accepts it: burning only the current step's code would let it open a session later.
    from parchemin.comptes.double_facteur import bruler_code_activation

    user, secret = _equipe()
    authentificateur = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    maintenant = time.time()
    code_saisi = code_totp(secret, maintenant - 30 * pas_de_retard)

    with mock.patch("time.time", return_value=maintenant):
        bruler_code_activation(sender=None, authenticator=authentificateur)
        assert TOTP(authentificateur).validate_code(code_saisi) is False
