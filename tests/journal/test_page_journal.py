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


def test_actions_and_before_after_read_in_french_with_field_labels(
    client: Client, gestionnaire: User, rs5142: object
) -> None:
    from tests.candidatures.factories import CandidatureFactory

    candidature = CandidatureFactory()
    enregistrer(
        action="candidatures.decider_recevabilite",
        acteur=gestionnaire,
        objet=candidature,
        resume="Dossier complet",
        avant={"etat": "DEPOSEE"},
        apres={"etat": "RECEVABLE", "date_naissance": "1990-03-14"},
    )
    lignes = _lignes(client.get(URL))
    assert "Décision de recevabilité" in lignes and "candidatures.decider_recevabilite" not in lignes
    assert "Candidature" in lignes  # the object type's verbose name, not "candidatures.candidature"
    assert "candidatures.candidature" not in lignes
    assert '<th scope="row">État</th><td>Déposée</td><td>Recevable</td>' in lignes
    assert "Date de naissance" in lignes and "14/03/1990" in lignes
    assert "DEPOSEE" not in lignes

    filtres = client.get(URL).content.decode()
    assert '<option value="candidatures.decider_recevabilite">Décision de recevabilité</option>' in filtres


def test_an_entry_page_keeps_the_stored_codes(client: Client, gestionnaire: User) -> None:
    entree = enregistrer(
        action="candidatures.retirer", acteur=gestionnaire, objet=gestionnaire, avant={"etat": "DEPOSEE"}
    )
    contenu = client.get(reverse("backoffice:journal_entree", kwargs={"sequence": entree.sequence})).content.decode()
    assert "Candidature retirée" in contenu
    assert "<code>candidatures.retirer</code>" in contenu and "<code>comptes.user</code>" in contenu
    assert "&quot;etat&quot;: &quot;DEPOSEE&quot;" in contenu and entree.hash in contenu
    inconnue = reverse("backoffice:journal_entree", kwargs={"sequence": entree.sequence + 99})
    assert client.get(inconnue).status_code == 404


def test_every_action_written_by_the_code_has_a_french_label() -> None:
    """A new action code without a label would show as a code: scan the sources for the codes written."""
    import re
    from pathlib import Path

    from django.apps import apps

    from parchemin.partenaires.services import TRANSITIONS
    from parchemin.web.backoffice.journal_libelles import ACTIONS

    racine = Path(__file__).resolve().parents[2] / "parchemin"
    # Every app of the project, today's and tomorrow's: an action code starts with its app's label.
    prefixes = "|".join(sorted({c.label for c in apps.get_app_configs() if c.name.startswith("parchemin.")}))
    motif = re.compile(rf'"((?:{prefixes}|conservation)\.[a-z_]+)"')
    ecrites = set()
    for fichier in racine.rglob("*.py"):
        if "migrations" in fichier.parts or fichier.name == "journal_libelles.py":
            continue
        texte = fichier.read_text(encoding="utf-8")
        if "enregistrer(" not in texte and "ACTION" not in texte:
            continue
        ecrites |= {code for code in motif.findall(texte) if not code.endswith(("_idx", "_set"))}
    ecrites |= {f"partenaires.habilitation_{action}" for action in TRANSITIONS}
    # Model labels ("partenaires.partenaire") share the pattern: they are not actions.
    modeles = {m._meta.label_lower for m in apps.get_models()}
    sans_libelle = sorted(ecrites - modeles - set(ACTIONS))
    assert len(ecrites) > 40
    assert sans_libelle == [], f"actions sans libellé français : {sans_libelle}"
