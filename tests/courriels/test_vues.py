"""The staff's outbox page: what has not left yet, why, and a fresh round of attempts on demand."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.courriels.services import TENTATIVES_MAX, envoyer, mettre_en_file
from parchemin.journal.models import EntreeJournal
from tests.comptes.outils import connecter

from .serveurs import EN_PANNE

pytestmark = pytest.mark.django_db
LISTE = "backoffice:courriels"


def _en_echec(settings: Any, sujet: str = "Convocation au jury") -> Courriel:
    settings.EMAIL_BACKEND = EN_PANNE
    courriel = mettre_en_file(["ada@example.org"], sujet, "Texte", essayer=False)
    envoyer(pk=courriel.pk)
    Courriel.objects.filter(pk=courriel.pk).update(tentatives=TENTATIVES_MAX)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    courriel.refresh_from_db()
    return courriel


def _renvoyer(client: Client, courriel: Courriel) -> Any:
    client.get(reverse(LISTE))
    return client.post(
        reverse("backoffice:courriel_renvoyer", kwargs={"pk": courriel.pk}),
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        follow=True,
    )


def test_staff_see_unsent_emails_with_their_error_and_not_sent_ones(
    client: Client, settings: Any, gestionnaire: Any
) -> None:
    echec = _en_echec(settings)
    envoye = mettre_en_file(["bao@example.org"], "Dossier reçu", "Texte", essayer=False)
    envoyer(pk=envoye.pk)
    connecter(client, gestionnaire)
    page = client.get(reverse(LISTE)).content.decode()
    assert echec.sujet in page
    assert "Service indisponible" in page
    assert "ada@example.org" in page
    assert "Dossier reçu" not in page


# Real commits: the attempt runs inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_resending_a_given_up_email_sends_it_and_is_audited(client: Client, settings: Any, gestionnaire: Any) -> None:
    courriel = _en_echec(settings)
    connecter(client, gestionnaire)
    reponse = _renvoyer(client, courriel)
    assert "Courriel « Convocation au jury » envoyé." in reponse.content.decode()
    [message] = mail.outbox
    assert message.subject == courriel.sujet
    courriel.refresh_from_db()
    assert (courriel.statut, courriel.tentatives) == (StatutCourriel.ENVOYE, 1)
    entree = EntreeJournal.objects.get(action="courriels.renvoyer")
    assert entree.acteur == gestionnaire
    assert entree.avant == {"statut": StatutCourriel.EN_ECHEC, "tentatives": TENTATIVES_MAX}


# Real commits: the attempt runs inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_resending_while_the_server_is_still_down_says_so_and_keeps_the_email(
    client: Client, settings: Any, gestionnaire: Any
) -> None:
    courriel = _en_echec(settings)
    connecter(client, gestionnaire)
    settings.EMAIL_BACKEND = EN_PANNE
    reponse = _renvoyer(client, courriel)
    assert "Le nouvel essai a échoué" in reponse.content.decode()
    courriel.refresh_from_db()
    assert (courriel.statut, courriel.tentatives) == (StatutCourriel.EN_ECHEC, 1)


def test_an_email_already_sent_is_not_sent_again(
    client: Client, settings: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    courriel = mettre_en_file(["ada@example.org"], "Déjà parti", "Texte", essayer=False)
    envoyer(pk=courriel.pk)
    mail.outbox.clear()
    connecter(client, gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _renvoyer(client, courriel)
    assert "Ce courriel a déjà été envoyé." in reponse.content.decode()
    assert mail.outbox == []
    assert not EntreeJournal.objects.filter(action="courriels.renvoyer").exists()


def test_sent_emails_are_listed_too_and_the_outbox_searches_by_recipient(
    client: Client, settings: Any, gestionnaire: Any
) -> None:
    echec = _en_echec(settings)
    envoye = mettre_en_file(["bao.nguyen@example.org"], "Dossier reçu", "Texte", essayer=False)
    envoyer(pk=envoye.pk)
    autre = mettre_en_file(["chloe@example.org"], "Dossier complet", "Texte", essayer=False)
    envoyer(pk=autre.pk)
    connecter(client, gestionnaire)

    envoyes = client.get(reverse(LISTE), {"statut": StatutCourriel.ENVOYE}).content.decode()
    assert "Dossier reçu" in envoyes and "Dossier complet" in envoyes and echec.sujet not in envoyes
    assert "Renvoyer<span" not in envoyes  # a sent e-mail is not offered again

    par_destinataire = client.get(reverse(LISTE), {"statut": "TOUS", "destinataire": "NGUYEN"}).content.decode()
    assert "Dossier reçu" in par_destinataire
    assert "Dossier complet" not in par_destinataire and echec.sujet not in par_destinataire

    en_echec = client.get(reverse(LISTE), {"statut": StatutCourriel.EN_ECHEC, "destinataire": "ada@"})
    assert echec.sujet in en_echec.content.decode() and "Dossier reçu" not in en_echec.content.decode()
    assert "Aucun courriel ne correspond" in client.get(reverse(LISTE), {"destinataire": "personne"}).content.decode()
