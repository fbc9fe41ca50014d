"""Account e-mails (sent by allauth) are comptes' templates: a text body and an HTML alternative that
say the same thing, with the same links, and nothing rendered from the web layer."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.template import Template
from django.test import Client
from django.test.signals import template_rendered

import parchemin.comptes
import parchemin.web
from tests.comptes.factories import UserFactory

from .test_connexion import MOT_DE_PASSE_NEUF, _post

pytestmark = pytest.mark.django_db

LIEN = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture
def gabarits_de_courriel() -> Iterator[list[Path]]:
    """Files of the e-mail templates (account/email/…) rendered during the test."""
    chemins: list[Path] = []

    def noter(sender: Any, template: Template, **kwargs: Any) -> None:
        if template.origin.template_name and template.origin.template_name.startswith("account/email/"):
            chemins.append(Path(template.origin.name).resolve())

    template_rendered.connect(noter)
    try:
        yield chemins
    finally:
        template_rendered.disconnect(noter)


def _texte_visible(page: str) -> str:
    corps = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
    assert corps is not None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", corps.group(1))).split())


def _verifier(message: Any) -> None:
    assert isinstance(message, EmailMultiAlternatives)
    [(page, type_mime)] = message.alternatives
    assert type_mime == "text/html"
    assert '<html lang="fr">' in page
    assert _texte_visible(page) == " ".join(message.body.split())
    # urlize also links the recipient's own address (mailto:), which the text cannot show as a link.
    liens = [lien for lien in re.findall(r'href="([^"]+)"', page) if not lien.startswith("mailto:")]
    assert liens == LIEN.findall(message.body)


def test_sign_up_mails_are_comptes_templates_with_the_same_words_in_text_and_html(
    client: Client, gabarits_de_courriel: list[Path]
) -> None:
    UserFactory(email="deja@example.org")
    for adresse in ("nouveau@example.org", "deja@example.org"):
        _post(
            Client(enforce_csrf_checks=True),
            "account_signup",
            {"email": adresse, "password1": MOT_DE_PASSE_NEUF, "password2": MOT_DE_PASSE_NEUF},
        )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.body.startswith("Bonjour,")
        _verifier(message)
    comptes = Path(parchemin.comptes.__file__).resolve().parent / "templates"
    web = Path(parchemin.web.__file__).resolve().parent
    assert {chemin.name for chemin in gabarits_de_courriel if chemin.is_relative_to(comptes)} >= {
        "base_message.txt",
        "base_message.html",
        "email_confirmation_message.html",
        "account_already_exists_message.html",
    }
    assert not any(chemin.is_relative_to(web) for chemin in gabarits_de_courriel)


def test_password_reset_mails_have_the_same_words_and_link_in_text_and_html(client: Client) -> None:
    UserFactory(email="oubli@example.org")
    for adresse in ("oubli@example.org", "personne@example.org"):
        _post(Client(enforce_csrf_checks=True), "account_reset_password", {"email": adresse})

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.body.startswith("Bonjour,")
        _verifier(message)
    assert "/comptes/password/reset/key/" in mail.outbox[0].alternatives[0][0]
