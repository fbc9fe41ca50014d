"""The header shows each person the spaces their roles open, and only those."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parchemin.comptes.enums import ROLES_PARTENAIRE, Role
from parchemin.comptes.services import attribuer_role
from parchemin.partenaires.models import Partenaire
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db


def _liens_entete(client: Client) -> list[str]:
    contenu = client.get("/").content.decode()
    entete = contenu[contenu.index('<nav class="entete__nav"') : contenu.index("</nav>")]
    return re.findall(r"<a [^>]*>([^<]+)</a>", entete)


@pytest.mark.parametrize(
    ("roles", "visibles", "absents"),
    [
        ((), {"Mon espace", "Mon compte"}, {"Gestion", "Jury", "Espace partenaire", "Se connecter"}),
        ((Role.GESTIONNAIRE,), {"Gestion", "Mon espace"}, {"Jury", "Espace partenaire"}),
        ((Role.MEMBRE_JURY,), {"Jury"}, {"Gestion", "Espace partenaire"}),
        ((Role.EVALUATEUR_PARTENAIRE, Role.MEMBRE_JURY), {"Jury", "Espace partenaire"}, {"Gestion"}),
    ],
)
def test_header_links_follow_the_roles(
    client: Client, roles: tuple[Role, ...], visibles: set[str], absents: set[str]
) -> None:
    partenaire = Partenaire.objects.create(nom="Organisme D", siret="73282932000074")
    user = creer_utilisateur("personne@example.org", *(r for r in roles if r not in ROLES_PARTENAIRE))
    for role in set(roles) & ROLES_PARTENAIRE:
        attribuer_role(acteur=None, user=user, role=role, partenaire=partenaire)
    connecter(client, user)
    liens = set(_liens_entete(client))
    assert visibles <= liens and not (absents & liens), liens


def test_anonymous_visitor_sees_the_login_link_only(client: Client) -> None:
    liens = set(_liens_entete(client))
    assert "Se connecter" in liens and not {"Gestion", "Mon compte", "Mon espace"} & liens
