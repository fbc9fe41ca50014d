"""Convocations: a text body, an HTML alternative with every value escaped, the .ics unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils.html import escape

from parchemin.jurys import services

from .conftest import Jury

pytestmark = pytest.mark.django_db


def test_a_convocation_is_text_with_an_escaped_html_alternative_and_the_ics_invitation(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    jury.session.lieu = "Salle <b>Ada</b> & Co, Bordeaux"
    jury.session.save(update_fields=["lieu"])
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)

    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)

    assert len(mail.outbox) == len(jury.membres) + len(jury.candidatures)
    for message in mail.outbox:
        [(html, type_mime)] = message.alternatives
        assert type_mime == "text/html"
        assert f"Lieu : {jury.session.lieu}\n" in message.body
        assert escape(jury.session.lieu) in html and "<b>Ada</b>" not in html
        assert escape(jury.session.intitule) in html
        assert [(nom, type_piece) for nom, _, type_piece in message.attachments] == [
            ("convocation.ics", "text/calendar")
        ]
