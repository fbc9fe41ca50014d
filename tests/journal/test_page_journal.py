"""The back-office journal page: staff browse and filter the audit trail and check its chain."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import enregistrer
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:journal")


@pytest.fixture
def gestionnaire(client: Client) -> User:
    user = creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE, first_name="Inès", last_name="Gestion")
    connecter(client, user)
    return user


def _lignes(reponse: HttpResponse) -> str:
    contenu = reponse.content.decode()
    return contenu[contenu.index("<tbody>") : contenu.index("</tbody>")]


def test_filters_by_action_actor_object_type_and_dates(client: Client, gestionnaire: User) -> None:
    autre = creer_utilisateur("autre@example.org", first_name="Bastien", last_name="Autre")
    enregistrer(action="candidatures.deposer", acteur=autre, objet=autre, resume="dépôt A")
    enregistrer(action="candidatures.retirer", acteur=autre, objet=autre, resume="retrait B")
    enregistrer(action="candidatures.deposer", resume="dépôt système C")

    par_action = _lignes(client.get(URL, {"action": "candidatures.deposer"}))
    assert "dépôt A" in par_action and "dépôt système C" in par_action and "retrait B" not in par_action

    par_acteur = _lignes(client.get(URL, {"acteur": "bastien"}))
    assert "dépôt A" in par_acteur and "retrait B" in par_acteur and "dépôt système C" not in par_acteur

    par_type = _lignes(client.get(URL, {"objet_type": "comptes.user", "action": "candidatures.retirer"}))
    assert "retrait B" in par_type and "dépôt A" not in par_type

    aujourd_hui = timezone.localdate()
    demain = (aujourd_hui + datetime.timedelta(days=1)).isoformat()
    assert "dépôt A" in _lignes(client.get(URL, {"du": aujourd_hui.isoformat(), "au": aujourd_hui.isoformat()}))
    assert "Aucune entrée" in _lignes(client.get(URL, {"du": demain}))


def test_inverted_date_range_gets_a_french_error_tied_to_the_field(client: Client, gestionnaire: User) -> None:
    reponse = client.get(URL, {"du": "2026-03-10", "au": "2026-03-01"})
    contenu = reponse.content.decode()
    assert "La date de fin doit suivre la date de début." in contenu
    assert 'aria-describedby="id_au_error"' in contenu and 'id="id_au_error"' in contenu


def test_pages_of_fifty_with_filters_kept_in_links(client: Client, gestionnaire: User) -> None:
    for i in range(120):
        enregistrer(action="test.masse", resume=f"entrée {i}")
    reponse = client.get(URL, {"action": "test.masse", "page": "2"})
    contenu = reponse.content.decode()
    assert _lignes(reponse).count("<tr>") == 50
    assert "page 2 sur 3" in contenu
    assert "?action=test.masse&amp;page=3" in contenu


def test_query_count_does_not_grow_with_the_number_of_entries(client: Client, gestionnaire: User) -> None:
    enregistrer(action="test.un", resume="seule")
    with CaptureQueriesContext(connection) as peu:
        client.get(URL)
    for i in range(80):
        enregistrer(action=f"test.action{i % 7}", acteur=gestionnaire, objet=gestionnaire, resume=str(i))
    with CaptureQueriesContext(connection) as beaucoup:
        client.get(URL)
    assert len(beaucoup) == len(peu), [q["sql"] for q in beaucoup]


def test_chain_check_is_shown_on_demand(client: Client, gestionnaire: User) -> None:
    enregistrer(action="test.un", resume="une")
    reponse = client.get(URL, {"verifier": "1"})
    total = EntreeJournal.objects.count()
    assert f"{total} entrées vérifiées" in reponse.content.decode()
    assert "Chaîne intègre" in reponse.content.decode()


def test_forged_entry_is_named_on_the_page(client: Client, gestionnaire: User) -> None:
    cible = enregistrer(action="test.cible", resume="original")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sign-in entry's foreign key check is deferred; ALTER TABLE needs it settled first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE journal_entreejournal DISABLE TRIGGER USER")
            cursor.execute("UPDATE journal_entreejournal SET resume = 'falsifié' WHERE id = %s", [cible.pk])
            cursor.execute("ALTER TABLE journal_entreejournal ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER journal_entree_no_update")
            cursor.execute("UPDATE journal_entreejournal SET resume = 'falsifié' WHERE id = %s", [cible.pk])
    contenu = client.get(URL, {"verifier": "1"}).content.decode()
    assert f"Chaîne rompue à l'entrée n°{cible.sequence}" in contenu


def test_dates_at_the_ends_of_the_calendar_filter_nothing_out(client: Client, gestionnaire: User) -> None:
    enregistrer(action="candidatures.deposer", resume="dépôt de toujours")
    reponse = client.get(URL, {"du": "0001-01-01", "au": "9999-12-31"})
    assert reponse.status_code == 200
    assert "dépôt de toujours" in _lignes(reponse)
    assert "Aucune entrée" in _lignes(client.get(URL, {"du": "9999-12-31"}))
