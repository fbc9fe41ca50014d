"""Signing in, signing up and resetting a password: French answers, no account information leaked,
brute force slowed down, every sign-in journaled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from parchemin.journal.models import EntreeJournal
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE_NEUF = "un-mot-de-passe-solide-9"
MESSAGE_IDENTIFIANTS = "L’adresse e-mail ou le mot de passe sont incorrects."


def _post(client: Client, nom: str, donnees: dict[str, str]) -> object:
    """POST like a browser: fetch the page first so the CSRF cookie and token are real."""
    page = client.get(reverse(nom))
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton, "le formulaire doit porter un jeton CSRF"
    return client.post(reverse(nom), {**donnees, "csrfmiddlewaretoken": jeton.group(1)})


def _sans_jeton(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_login_page_is_french_and_labels_its_fields(client: Client) -> None:
    contenu = client.get(reverse("account_login")).content.decode()
    assert '<html lang="fr">' in contenu
    assert "Connexion" in contenu
    assert '<label for="id_login">' in contenu and '<label for="id_password">' in contenu
    assert "<script>" not in contenu and "style=" not in contenu


def test_candidate_signs_in_with_email_and_the_login_is_journaled(client: Client) -> None:
    user = UserFactory(email="camille@example.org")
    reponse = _post(client, "account_login", {"login": "Camille@Example.org", "password": MOT_DE_PASSE})
    assert reponse.status_code == 302
    assert client.get(reverse("account_email")).status_code == 200
    entree = EntreeJournal.objects.get(action="comptes.connexion")
    assert entree.acteur == user and entree.objet_id == str(user.pk)


def test_wrong_password_and_unknown_email_get_the_same_french_answer(client: Client) -> None:
    UserFactory(email="connu@example.org")
    mauvais_mot_de_passe = _post(client, "account_login", {"login": "connu@example.org", "password": "faux-faux-faux"})
    autre_navigateur = Client(enforce_csrf_checks=True)
    inconnu = _post(autre_navigateur, "account_login", {"login": "inconnu@example.org", "password": "faux-faux-faux"})
    assert mauvais_mot_de_passe.status_code == inconnu.status_code == 200
    assert MESSAGE_IDENTIFIANTS in mauvais_mot_de_passe.content.decode()
    assert _sans_jeton(mauvais_mot_de_passe.content.decode()).replace("connu@", "X@") == _sans_jeton(
        inconnu.content.decode()
    ).replace("inconnu@", "X@")
    echecs = EntreeJournal.objects.filter(action="comptes.echec_connexion")
    assert echecs.count() == 2 and all(e.acteur is None for e in echecs)


def test_five_failures_lock_the_address_even_for_the_right_password(client: Client) -> None:
    UserFactory(email="cible@example.org")
    for _ in range(5):
        _post(client, "account_login", {"login": "cible@example.org", "password": "tentative-au-hasard"})
    reponse = _post(client, "account_login", {"login": "cible@example.org", "password": MOT_DE_PASSE})
    assert reponse.status_code == 200
    assert "Trop de tentatives de connexion échouées" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_requires_email_verification_and_does_not_reveal_existing_accounts(client: Client) -> None:
    UserFactory(email="deja@example.org")
    nouveau = _post(
        client,
        "account_signup",
        {"email": "nouveau@example.org", "password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF},
    )
    existant = _post(
        Client(enforce_csrf_checks=True),
        "account_signup",
        {"email": "deja@example.org", "password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF},
    )
    assert nouveau.status_code == existant.status_code == 302
    assert nouveau.headers["Location"] == existant.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    destinataires = sorted(m.to[0] for m in mail.outbox)
    assert destinataires == ["deja@example.org", "nouveau@example.org"]
    assert all(m.subject.startswith("[Parchemin] ") for m in mail.outbox)
    confirmation = next(m for m in mail.outbox if m.to == ["nouveau@example.org"])
    assert confirmation.subject == "[Parchemin] Confirmez votre adresse e-mail"
    assert confirmation.body.startswith("Bonjour,") and "/comptes/confirm-email/" in confirmation.body


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client: Client) -> None:
    UserFactory(email="oubli@example.org")
    connu = _post(client, "account_reset_password", {"email": "oubli@example.org"})
    inconnu = _post(Client(enforce_csrf_checks=True), "account_reset_password", {"email": "personne@example.org"})
    assert connu.status_code == inconnu.status_code == 302
    assert connu.headers["Location"] == inconnu.headers["Location"]
    assert len(mail.outbox) == 2
    lien = re.search(r"https?://[^\s]+/comptes/password/reset/key/[^\s]+", mail.outbox[0].body)
    assert lien is not None


def test_expired_reset_link_gets_a_french_message(client: Client) -> None:
    reponse = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "perime"}))
    assert reponse.status_code == 200
    assert "invalide" in reponse.content.decode()


def test_logout_is_journaled(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_logout"))
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton
    client.post(reverse("account_logout"), {"csrfmiddlewaretoken": jeton.group(1)})
    assert EntreeJournal.objects.filter(action="comptes.deconnexion", acteur=user).exists()


def test_sign_up_then_confirm_address_then_sign_in_is_journaled(client: Client) -> None:
    _post(
        client,
        "account_signup",
        {"email": "neuve@example.org", "password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF},
    )
    lien = re.search(r"http://testserver(/comptes/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    assert lien is not None
    page = client.get(lien.group(1))
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton
    client.post(lien.group(1), {"csrfmiddlewaretoken": jeton.group(1)})
    assert (
        _post(client, "account_login", {"login": "neuve@example.org", "password": MOT_DE_PASSE_NEUF}).status_code == 302
    )
    actions = list(EntreeJournal.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["comptes.inscription", "comptes.confirmer_adresse", "comptes.connexion"]


def test_password_reset_link_sets_a_new_password_and_is_journaled(client: Client) -> None:
    user = UserFactory(email="oubli@example.org")
    _post(client, "account_reset_password", {"email": "oubli@example.org"})
    lien = re.search(r"http://testserver(/comptes/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert lien is not None
    formulaire = client.get(lien.group(1), follow=True)  # allauth moves the key out of the URL
    url = formulaire.redirect_chain[-1][0] if formulaire.redirect_chain else lien.group(1)
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', formulaire.content.decode())
    assert jeton
    reponse = client.post(
        url, {"password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF, "csrfmiddlewaretoken": jeton.group(1)}
    )
    assert reponse.status_code == 302
    user.refresh_from_db()
    assert user.check_password(MOT_DE_PASSE_NEUF)
    assert EntreeJournal.objects.filter(action="comptes.reinitialiser_mot_de_passe", objet_id=str(user.pk)).exists()


def test_password_change_is_journaled(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    donnees = {"oldpassword": MOT_DE_PASSE, "password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF}
    assert _post(client, "account_change_password", donnees).status_code == 302
    entree = EntreeJournal.objects.get(action="comptes.changer_mot_de_passe")
    assert entree.acteur == user


def test_pages_stay_french_whatever_the_browser_language(client: Client) -> None:
    contenu = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Connexion" in contenu and "Mot de passe oublié" in contenu and "Sign In" not in contenu


def test_too_many_requests_get_a_french_page(client: Client, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    _post(client, "account_login", {"login": "x@example.org", "password": "tentative"})
    reponse = _post(client, "account_login", {"login": "x@example.org", "password": "tentative"})
    assert reponse.status_code == 429  # type: ignore[attr-defined]
    contenu = reponse.content.decode()  # type: ignore[attr-defined]
    assert '<html lang="fr"' in contenu and "Trop de tentatives" in contenu
    assert "Too Many Requests" not in contenu
