"""Convocations go through the outbox: a mail server that is down leaves the session convened and
the invitations waiting, .ics attachment included, until ``envoyer_courriels`` sends them."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.jurys import services
from parchemin.jurys.enums import StatutSession
from parchemin.jurys.models import SessionJury
from tests.courriels.serveurs import EN_PANNE

from .conftest import Jury


def _lignes_ics(contenu: bytes | str) -> dict[str, str]:
    """Unfold an RFC 5545 text and read its ``NAME:value`` lines (first occurrence of each name)."""
    texte = contenu.decode() if isinstance(contenu, bytes) else contenu
    proprietes: dict[str, str] = {}
    for ligne in texte.replace("\r\n ", "").split("\r\n"):
        if ":" in ligne:
            nom, valeur = ligne.split(":", 1)
            proprietes.setdefault(nom, valeur)
    return proprietes


def test_convening_while_the_mail_server_is_down_keeps_every_invitation_for_later(
    settings: Any, jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)
    settings.EMAIL_BACKEND = EN_PANNE
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)

    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.CONVOQUEE
    courriels = Courriel.objects.filter(objet_type="jurys.sessionjury", objet_id=str(jury.session.pk))
    assert courriels.count() == len(jury.membres) + len(jury.candidatures)
    assert not courriels.filter(statut=StatutCourriel.ENVOYE).exists()
    assert courriels.filter(statut=StatutCourriel.EN_ECHEC).count() == 1
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    courriels.update(prochain_essai_le=timezone.now() - datetime.timedelta(seconds=1))
    call_command("envoyer_courriels", stdout=io.StringIO())

    destinataires = sorted(a for m in mail.outbox for a in m.to)
    assert destinataires == sorted([m.email for m in jury.membres] + [c.email for c in jury.candidatures])
    for message in mail.outbox:
        [(nom, contenu, type_mime)] = message.attachments
        assert (nom, type_mime) == ("convocation.ics", "text/calendar")
        ics = _lignes_ics(contenu)
        assert ics["BEGIN"] == "VCALENDAR"
        assert ics["UID"].startswith(f"session-jury-{jury.session.pk}@")
        assert ics["DTSTART"] == jury.session.debut.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        assert ics["DTEND"] == jury.session.fin.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert not courriels.exclude(statut=StatutCourriel.ENVOYE).exists()


def test_a_convocation_recorded_without_mailing_queues_nothing(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)
    services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False)
    assert not Courriel.objects.exists()
