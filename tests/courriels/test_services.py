"""The outbox: an e-mail is written with the action, tried after the commit, retried until sent."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from parchemin.courriels import services
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.courriels.services import TENTATIVES_MAX, Piece, envoyer, mettre_en_file, reserver

from .serveurs import EN_PANNE

pytestmark = pytest.mark.django_db


class Abandon(Exception):
    pass


def _file(**champs: Any) -> Courriel:
    valeurs: dict[str, Any] = {"destinataires": ["ada@example.org"], "sujet": "Objet", "corps": "Texte"}
    valeurs.update(champs)
    return mettre_en_file(valeurs.pop("destinataires"), valeurs.pop("sujet"), valeurs.pop("corps"), **valeurs)


def _commande() -> str:
    sortie = io.StringIO()
    call_command("envoyer_courriels", stdout=sortie)
    return sortie.getvalue()


def test_a_committed_action_sends_its_email_after_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        courriel = _file(repondre_a=["jury@example.org"], pieces_jointes=[Piece("a.txt", "é", "text/plain")])
        assert mail.outbox == []
    [message] = mail.outbox
    assert (message.to, message.subject, message.body, message.reply_to) == (
        ["ada@example.org"],
        "Objet",
        "Texte",
        ["jury@example.org"],
    )
    assert message.attachments[0][0] == "a.txt"
    courriel.refresh_from_db()
    assert courriel.statut == StatutCourriel.ENVOYE
    assert courriel.tentatives == 1
    assert courriel.envoye_le is not None


def test_a_rolled_back_action_queues_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as rappels, pytest.raises(Abandon), transaction.atomic():
        _file()
        raise Abandon
    assert rappels == []
    assert not Courriel.objects.exists()
    assert mail.outbox == []


def test_a_server_down_records_the_failure_instead_of_raising(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = EN_PANNE
    avant = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        courriel = _file()
    courriel.refresh_from_db()
    assert courriel.statut == StatutCourriel.EN_ECHEC
    assert courriel.tentatives == 1
    assert "SMTPConnectError" in courriel.derniere_erreur
    assert "Service indisponible" in courriel.derniere_erreur
    assert courriel.prochain_essai_le >= avant + services.DELAI_INITIAL
    assert courriel.reserve_jusqu_a is None


def test_the_command_retries_a_failed_email_once_its_delay_is_over(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = EN_PANNE
    with django_capture_on_commit_callbacks(execute=True):
        courriel = _file()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert "0 courriel(s) envoyé(s)" in _commande()
    assert mail.outbox == []

    Courriel.objects.filter(pk=courriel.pk).update(prochain_essai_le=timezone.now() - datetime.timedelta(seconds=1))
    assert "1 courriel(s) envoyé(s), 0 en échec" in _commande()
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    courriel.refresh_from_db()
    assert (courriel.statut, courriel.tentatives) == (StatutCourriel.ENVOYE, 2)
    assert "0 courriel(s) envoyé(s)" in _commande()
    assert len(mail.outbox) == 1


def test_the_delay_doubles_up_to_a_ceiling() -> None:
    delais = [services.delai_apres(n) for n in range(1, TENTATIVES_MAX + 1)]
    assert delais[:3] == [services.DELAI_INITIAL, 2 * services.DELAI_INITIAL, 4 * services.DELAI_INITIAL]
    assert delais == sorted(delais)
    assert delais[-1] == services.DELAI_MAX


def test_an_email_is_given_up_after_the_maximum_number_of_attempts(settings: Any) -> None:
    settings.EMAIL_BACKEND = EN_PANNE
    courriel = _file(essayer=False)
    maintenant = timezone.now()
    for _ in range(TENTATIVES_MAX):
        assert envoyer(maintenant=maintenant).echecs == 1
        maintenant += services.DELAI_MAX
    courriel.refresh_from_db()
    assert (courriel.statut, courriel.tentatives) == (StatutCourriel.EN_ECHEC, TENTATIVES_MAX)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    bilan = envoyer(maintenant=maintenant + datetime.timedelta(days=365))
    assert (bilan.envoyes, bilan.echecs) == (0, 0)
    assert mail.outbox == []


def test_an_email_taken_by_one_worker_is_not_taken_by_another() -> None:
    courriel = _file(essayer=False)
    maintenant = timezone.now()
    pris = reserver(maintenant, courriel.pk)
    assert pris is not None and pris.tentatives == 1
    assert reserver(maintenant, courriel.pk) is None
    assert envoyer(maintenant=maintenant).envoyes == 0
    assert mail.outbox == []

    # A worker that died mid-send releases the row when its reservation expires.
    plus_tard = maintenant + services.RESERVATION + datetime.timedelta(seconds=1)
    assert envoyer(maintenant=plus_tard).envoyes == 1
    assert len(mail.outbox) == 1
    courriel.refresh_from_db()
    assert (courriel.statut, courriel.tentatives) == (StatutCourriel.ENVOYE, 2)


def test_a_group_stops_at_the_first_failure_and_the_rest_waits_untouched(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = EN_PANNE
    with django_capture_on_commit_callbacks(execute=True):
        courriels = [_file(destinataires=[f"m{i}@example.org"], essayer=False) for i in range(3)]
        services.programmer_envoi(courriels)
    etats = list(Courriel.objects.order_by("pk").values_list("statut", "tentatives"))
    assert etats == [(StatutCourriel.EN_ECHEC, 1), (StatutCourriel.A_ENVOYER, 0), (StatutCourriel.A_ENVOYER, 0)]


def test_a_link_to_the_object_it_concerns_is_kept(gestionnaire: Any) -> None:
    courriel = _file(objet=gestionnaire, essayer=False)
    assert (courriel.objet_type, courriel.objet_id) == ("comptes.user", str(gestionnaire.pk))
