"""Granting and revoking roles: one service each, scoped to a partner when the role says so, journaled."""

from __future__ import annotations

import pytest

from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur
from parchemin.comptes.roles import a_un_role, administre_partenaire, partenaires_de
from parchemin.comptes.services import attribuer_role, retirer_role
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import verifier_chaine
from parchemin.partenaires.models import Partenaire
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partenaire() -> Partenaire:
    return Partenaire.objects.create(nom="Organisme de formation B", siret="73282932000074")


def test_granting_a_staff_role_is_journaled_and_opens_the_staff_flag() -> None:
    admin = UserFactory()
    user = UserFactory()
    attribuer_role(acteur=admin, user=user, role=Role.GESTIONNAIRE)
    user.refresh_from_db()
    assert user.is_staff and a_un_role(user, Role.GESTIONNAIRE)
    entree = EntreeJournal.objects.get(action="comptes.attribuer_role")
    assert entree.acteur == admin and entree.objet_id == str(user.pk)
    assert entree.apres == {"role": "GESTIONNAIRE", "partenaire": None}
    assert verifier_chaine()[1] is None


def test_revoking_the_last_staff_role_closes_the_staff_flag() -> None:
    user = UserFactory()
    attribuer_role(acteur=None, user=user, role=Role.ADMINISTRATEUR)
    retirer_role(acteur=None, user=user, role=Role.ADMINISTRATEUR)
    user.refresh_from_db()
    assert not user.is_staff and not RoleUtilisateur.objects.filter(user=user).exists()
    entree = EntreeJournal.objects.get(action="comptes.retirer_role")
    assert entree.avant == {"role": "ADMINISTRATEUR", "partenaire": None} and entree.apres is None


def test_partner_role_names_its_organisation(partenaire: Partenaire) -> None:
    user = UserFactory()
    with pytest.raises(ErreurMetier, match="doit préciser l'organisme partenaire"):
        attribuer_role(acteur=None, user=user, role=Role.EVALUATEUR_PARTENAIRE)
    attribuer_role(acteur=None, user=user, role=Role.EVALUATEUR_PARTENAIRE, partenaire=partenaire)
    assert partenaires_de(user) == [partenaire.pk]
    assert not user.is_staff


def test_staff_role_cannot_name_a_partner(partenaire: Partenaire) -> None:
    with pytest.raises(ErreurMetier, match="ne se rattache à aucun organisme"):
        attribuer_role(acteur=None, user=UserFactory(), role=Role.GESTIONNAIRE, partenaire=partenaire)
    assert not EntreeJournal.objects.exists()


def test_same_role_twice_is_refused_without_a_second_entry() -> None:
    user = UserFactory()
    attribuer_role(acteur=None, user=user, role=Role.MEMBRE_JURY)
    with pytest.raises(ErreurMetier, match="a déjà le rôle"):
        attribuer_role(acteur=None, user=user, role=Role.MEMBRE_JURY)
    assert EntreeJournal.objects.filter(action="comptes.attribuer_role").count() == 1


def test_revoking_a_role_not_held_is_refused() -> None:
    with pytest.raises(ErreurMetier, match="n'a pas le rôle"):
        retirer_role(acteur=None, user=UserFactory(), role=Role.MEMBRE_JURY)


def test_one_person_may_hold_roles_at_several_partners_and_on_a_jury(partenaire: Partenaire) -> None:
    autre = Partenaire.objects.create(nom="Organisme C", siret="40483304800022")
    user = UserFactory()
    attribuer_role(acteur=None, user=user, role=Role.EVALUATEUR_PARTENAIRE, partenaire=partenaire)
    attribuer_role(acteur=None, user=user, role=Role.EVALUATEUR_PARTENAIRE, partenaire=autre)
    attribuer_role(acteur=None, user=user, role=Role.MEMBRE_JURY)
    assert sorted(partenaires_de(user)) == sorted([partenaire.pk, autre.pk])
    retirer_role(acteur=None, user=user, role=Role.EVALUATEUR_PARTENAIRE, partenaire=autre)
    assert partenaires_de(user) == [partenaire.pk]


def test_administering_a_partner_takes_its_administrator_role_there(partenaire: Partenaire) -> None:
    autre = Partenaire.objects.create(nom="Organisme C", siret="40483304800022")
    administrateur, evaluateur, equipe = UserFactory(), UserFactory(), UserFactory()
    attribuer_role(acteur=None, user=administrateur, role=Role.ADMIN_PARTENAIRE, partenaire=partenaire)
    attribuer_role(acteur=None, user=administrateur, role=Role.EVALUATEUR_PARTENAIRE, partenaire=autre)
    attribuer_role(acteur=None, user=evaluateur, role=Role.EVALUATEUR_PARTENAIRE, partenaire=partenaire)
    attribuer_role(acteur=None, user=equipe, role=Role.ADMINISTRATEUR)
    assert administre_partenaire(administrateur, partenaire.pk)
    assert not administre_partenaire(administrateur, autre.pk)
    assert not administre_partenaire(administrateur, None)
    assert not administre_partenaire(evaluateur, partenaire.pk)
    assert not administre_partenaire(equipe, partenaire.pk)
