"""The Django admin: staff administrators who used TOTP in this session, nobody else; role changes
made there go through the audited services."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from parchemin.comptes.double_facteur import secret_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur
from parchemin.journal.models import EntreeJournal
from tests.comptes.factories import UserFactory
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db


def test_administrator_with_totp_session_enters(client: Client) -> None:
    connecter(client, creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR))
    assert client.get(reverse("admin:index")).status_code == 200


def test_administrator_without_totp_step_is_sent_to_it(client: Client) -> None:
    client.force_login(creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR))
    reponse = client.get(reverse("admin:comptes_user_changelist"))
    assert reponse.status_code == 302
    assert reponse.headers["Location"].startswith(reverse("mfa_reauthenticate"))


def test_superuser_flag_alone_does_not_open_the_admin(client: Client) -> None:
    # The admin follows roles, not Django's flags: a forgotten createsuperuser account gets nothing.
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 403


def test_manager_is_refused_the_admin(client: Client) -> None:
    connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    reponse = client.get(reverse("admin:index"))
    assert reponse.status_code == 403
    assert "Accès refusé" in reponse.content.decode()


def test_anonymous_admin_login_goes_through_allauth(client: Client) -> None:
    reponse = client.get(reverse("admin:login") + "?next=/admin/comptes/user/")
    assert reponse.status_code == 302
    assert reponse.headers["Location"] == reverse("account_login") + "?next=/admin/comptes/user/"


def test_role_granted_in_the_admin_is_journaled(client: Client) -> None:
    admin = creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR)
    connecter(client, admin)
    cible = UserFactory(email="future-gestionnaire@example.org")
    url = reverse("admin:comptes_user_change", args=[cible.pk])
    page = client.get(url).content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert jeton
    reponse = client.post(
        url,
        {
            "csrfmiddlewaretoken": jeton.group(1),
            "email": cible.email,
            "first_name": cible.first_name,
            "last_name": cible.last_name,
            "is_active": "on",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-role": Role.GESTIONNAIRE,
            "roles-0-partenaire": "",
            "roles-0-user": str(cible.pk),
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    assert RoleUtilisateur.objects.filter(user=cible, role=Role.GESTIONNAIRE).exists()
    entree = EntreeJournal.objects.get(action="comptes.attribuer_role")
    assert entree.acteur == admin and entree.objet_id == str(cible.pk)


def test_journal_is_read_only_in_the_admin(client: Client) -> None:
    connecter(client, creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR))
    entree = EntreeJournal.objects.first()
    assert entree is not None  # the sign-in above
    assert client.get(reverse("admin:journal_entreejournal_change", args=[entree.pk])).status_code == 200
    assert client.get(reverse("admin:journal_entreejournal_delete", args=[entree.pk])).status_code == 403
    assert client.get(reverse("admin:journal_entreejournal_add")).status_code == 403


def test_lost_phone_authenticator_can_be_removed_but_its_secret_is_never_shown(client: Client) -> None:
    connecter(client, creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR))
    jury = creer_utilisateur("jury@example.org", Role.MEMBRE_JURY)
    authentificateur = Authenticator.objects.get(user=jury)
    chiffre, secret = authentificateur.data["secret"], secret_totp(jury)
    assert secret is not None
    page = client.get(reverse("admin:mfa_authenticator_change", args=[authentificateur.pk]))
    assert page.status_code == 200 and secret not in page.content.decode() and chiffre not in page.content.decode()

    url = reverse("admin:mfa_authenticator_delete", args=[authentificateur.pk])
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())
    assert jeton
    assert client.post(url, {"csrfmiddlewaretoken": jeton.group(1), "post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=jury).exists()
    entree = EntreeJournal.objects.get(action="comptes.desactiver_double_facteur")
    assert entree.objet_id == str(jury.pk) and entree.acteur_libelle == "admin@example.org"
