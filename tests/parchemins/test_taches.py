"""Issuance through Django's Tasks API with the real database backend and worker (`manage.py db_worker`).

Each test runs the worker once with ``--batch`` (it runs what is queued, then exits): nothing waits.
"""

from __future__ import annotations

import io
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from parchemin.comptes.models import User
from parchemin.journal.models import EntreeJournal
from parchemin.parchemins import services
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Attestation, Parchemin
from tests.comptes.outils import connecter
from tests.taches import travailler

from .conftest import Decisions


def test_the_worker_issues_a_queued_parchemin_and_a_second_task_changes_nothing(
    decisions: Decisions, taches_en_base: None
) -> None:
    parchemin = services.mettre_en_file(services.preparer_parchemins(decisions.session)[0])
    etat = services.etat_emission(parchemin)
    assert etat is not None and etat.libelle == "en file d'attente"

    travailler()

    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.EMIS
    etat = services.etat_emission(parchemin)
    assert etat is not None and etat.libelle == "terminée" and etat.tentatives == 1
    numero, attestation = parchemin.numero, parchemin.attestation_en_vigueur

    services.mettre_en_file(parchemin)
    travailler()

    parchemin.refresh_from_db()
    assert (parchemin.numero, parchemin.attestation_en_vigueur) == (numero, attestation)
    assert Attestation.objects.filter(parchemin=parchemin).count() == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL] * 2
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))


def test_a_task_row_is_written_with_the_callers_transaction(decisions: Decisions, taches_en_base: None) -> None:
    class Annulation(Exception):
        pass

    parchemin = services.preparer_parchemins(decisions.session)[0]
    with pytest.raises(Annulation), transaction.atomic():
        services.mettre_en_file(parchemin)
        assert DBTaskResult.objects.count() == 1
        raise Annulation
    assert not DBTaskResult.objects.exists()


def test_a_failed_task_is_shown_to_staff_and_retried_from_the_back_office(
    decisions: Decisions, taches_en_base: None, client: Client, gestionnaire_parchemins: User, settings: Any
) -> None:
    parchemin = services.mettre_en_file(services.preparer_parchemins(decisions.session)[0])
    settings.PARCHEMINS_CLE = "illisible"
    travailler()

    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.ECHEC and "PARCHEMINS_CLE" in parchemin.erreur
    etat = services.etat_emission(parchemin)
    assert etat is not None and etat.echouee and "PARCHEMINS_CLE" in etat.erreur
    connecter(client, gestionnaire_parchemins)
    page = unescape(client.get(reverse("backoffice:parchemin", kwargs={"pk": parchemin.pk})).content.decode())
    assert "Tâche d'émission" in page and "Échouée" in page and "Erreur de la tâche" in page
    liste = unescape(client.get(reverse("backoffice:parchemins")).content.decode())
    assert "Échouée" in liste

    relancer = reverse("backoffice:parchemin_relancer", kwargs={"pk": parchemin.pk})
    jeton = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    reponse = unescape(client.post(relancer, jeton, follow=True).content.decode())
    assert "relancée : le processus de tâches s'en charge" in reponse and "En file d'attente" in reponse
    deuxieme = unescape(client.post(relancer, jeton, follow=True).content.decode())
    assert "L'émission est déjà en file d'attente" in deuxieme
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    settings.PARCHEMINS_CLE = ""
    travailler()
    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.EMIS and parchemin.erreur == ""
    relance = EntreeJournal.objects.get(action="parchemins.relancer", objet_id=str(parchemin.pk))
    assert relance.acteur == gestionnaire_parchemins


def test_the_catch_up_enqueues_only_parchemins_without_a_live_task(decisions: Decisions, taches_en_base: None) -> None:
    parchemins = services.preparer_parchemins(decisions.session)
    services.mettre_en_file(parchemins[0])  # queued: left alone
    sortie = io.StringIO()

    call_command("emettre_parchemins", stdout=sortie)
    call_command("emettre_parchemins", stdout=sortie)

    assert "1 émission(s) de parchemin remise(s) en file." in sortie.getvalue()
    assert "0 émission(s) de parchemin remise(s) en file." in sortie.getvalue()
    assert DBTaskResult.objects.count() == 2
    travailler()
    assert set(Parchemin.objects.values_list("statut", flat=True)) == {StatutParchemin.EMIS}
