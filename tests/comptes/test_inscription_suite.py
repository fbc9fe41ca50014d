"""A visitor who was going somewhere (applying for RS5142) and has to create an account first ends
up on that page once the address is confirmed, whether the link is opened in the same browser or on
another device."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "un-mot-de-passe-solide-9"


def _jeton(html: str) -> str:
    trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert trouve
    return trouve.group(1)


def _s_inscrire_en_venant_de(client: Client, destination: str, email: str) -> str:
    """Follow the links a visitor follows; return the confirmation link of the e-mail received."""
    connexion = client.get(destination)
    assert connexion.status_code == 302
    page_connexion = client.get(connexion["Location"]).content.decode()
    lien_inscription = re.search(r'href="(/comptes/signup/[^"]*)"', page_connexion)
    assert lien_inscription is not None, "la page de connexion propose de créer un compte"
    assert quote(destination, safe="") in lien_inscription.group(1), "le lien doit garder la page demandée"
    inscription = client.get(lien_inscription.group(1).replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{destination}"' in inscription
    client.post(
        lien_inscription.group(1).replace("&amp;", "&"),
        {
            "email": email,
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
            "next": destination,
            "csrfmiddlewaretoken": _jeton(inscription),
        },
    )
    lien = re.search(r"http://testserver(/comptes/confirm-email/\S+)", mail.outbox[-1].body)
    assert lien is not None
    return lien.group(1)


def _confirmer(client: Client, lien: str) -> Any:
    page = client.get(lien).content.decode()
    suite = re.search(r'name="next" value="([^"]*)"', page)
    donnees = {"csrfmiddlewaretoken": _jeton(page)} | ({"next": suite.group(1)} if suite else {})
    return client.post(lien.split("?")[0], donnees)


def _arriver(client: Client, reponse: Any, email: str, destination: str) -> None:
    """After the confirmation: to the page asked for, through the login page when this browser is
    not signed in; the login keeps the destination."""
    assert reponse.status_code == 302
    assert reponse["Location"] == destination
    suite = client.get(destination)
    if suite.status_code == 302:
        assert suite["Location"] == f"{reverse('account_login')}?next={destination}"
        page = client.get(suite["Location"]).content.decode()
        connexion = client.post(
            suite["Location"],
            {"login": email, "password": MOT_DE_PASSE, "next": destination, "csrfmiddlewaretoken": _jeton(page)},
        )
        assert connexion["Location"] == destination
        suite = client.get(destination)
    assert suite.status_code == 200
    assert "Voie d&#x27;accès" in suite.content.decode()


def test_confirming_on_another_device_leads_to_the_page_asked_for(rs5142: Any) -> None:
    destination = reverse("candidat:nouvelle", kwargs={"code": "rs5142"})
    lien = _s_inscrire_en_venant_de(Client(), destination, "nouvelle-candidate@example.org")
    assert f"next={quote(destination, safe='')}" in lien
    telephone = Client()
    _arriver(telephone, _confirmer(telephone, lien), "nouvelle-candidate@example.org", destination)


def test_confirming_in_the_same_browser_leads_to_the_page_asked_for(rs5142: Any) -> None:
    destination = reverse("candidat:nouvelle", kwargs={"code": "rs5142"})
    navigateur = Client()
    lien = _s_inscrire_en_venant_de(navigateur, destination, "meme-navigateur@example.org")
    _arriver(navigateur, _confirmer(navigateur, lien), "meme-navigateur@example.org", destination)


def test_a_foreign_next_never_reaches_the_confirmation_link(rs5142: Any) -> None:
    client = Client()
    page = client.get(reverse("account_signup")).content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "ailleurs@example.org",
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
            "next": "https://ailleurs.example/piege",
            "csrfmiddlewaretoken": _jeton(page),
        },
    )
    assert "ailleurs.example" not in mail.outbox[-1].body
    assert re.search(r"http://testserver/comptes/confirm-email/\S+", mail.outbox[-1].body)
