"""The jury pool is kept in the back-office by the staff: profiles, declared links and availabilities,
written by one service that checks them and leaves an audit entry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.comptes.enums import Role
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.models import Disponibilite, MembreJury
from parchemin.jurys.vivier import FicheMembre, enregistrer_membre, fiche_de
from parchemin.referentiel.enums import ProfilJury
from tests.comptes.outils import connecter, creer_utilisateur
from tests.jurys.factories import MembreJuryFactory
from tests.partenaires.factories import PartenaireFactory

pytestmark = pytest.mark.django_db

NOUVEAU = reverse("backoffice:jurys_vivier_nouveau")


@pytest.fixture
def gestionnaire() -> Any:
    return creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)


def _poster(client: Client, url: str, donnees: dict[str, Any]) -> Any:
    client.get(url)
    return client.post(url, {**donnees, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def _fiche(**champs: Any) -> FicheMembre:
    return FicheMembre(
        **{
            "prenom": "Awa",
            "nom": "Diallo",
            "email": "awa.diallo@example.org",
            "organisation": "La Ruche",
            "profils": [ProfilJury.ESS],
            **champs,
        }
    )


def test_staff_add_a_member_with_links_and_availabilities_through_the_page(client: Client, gestionnaire: Any) -> None:
    partenaire = PartenaireFactory()
    connecter(client, gestionnaire)
    reponse = _poster(
        client,
        NOUVEAU,
        {
            "prenom": "Awa",
            "nom": "Diallo",
            "email": "Awa.Diallo@example.org",
            "organisation": "La Ruche",
            "organisation_siret": "123 456 789 00015",
            "profils": [ProfilJury.ESS, ProfilJury.FABLAB],
            "representation": "EMPLOYEUR",
            "organisations_liees": "Coopérative du Bocage\nAtelier Partagé",
            "partenaires_formateur": [partenaire.pk],
            "disponibilites": "12/03/2027\n2027-03-05\n12/03/2027",
            "actif": "on",
        },
    )
    assert reponse.status_code == 302 and reponse.headers["Location"] == reverse("backoffice:jurys_vivier")
    membre = MembreJury.objects.get()
    assert membre.email == "awa.diallo@example.org"
    assert membre.organisation_siret == "12345678900015"
    assert membre.profils == [ProfilJury.ESS, ProfilJury.FABLAB]
    assert membre.organisations_liees == ["Coopérative du Bocage", "Atelier Partagé"]
    assert list(membre.partenaires_formateur.all()) == [partenaire]
    assert [d.date for d in membre.disponibilites.all()] == [datetime.date(2027, 3, 5), datetime.date(2027, 3, 12)]
    entree = EntreeJournal.objects.get(action="jurys.ajouter_membre")
    assert entree.acteur == gestionnaire and entree.objet_id == str(membre.pk)
    assert entree.apres["disponibilites"] == ["2027-03-05", "2027-03-12"]


def test_saving_a_member_unchanged_changes_nothing_and_writes_no_entry(client: Client, gestionnaire: Any) -> None:
    membre = MembreJuryFactory(organisations_liees=["Atelier Partagé"], telephone="0600000000")
    membre.partenaires_formateur.add(PartenaireFactory())
    Disponibilite.objects.create(membre=membre, date=datetime.date(2027, 1, 4))
    avant = fiche_de(membre)
    connecter(client, gestionnaire)
    url = reverse("backoffice:jurys_vivier_membre", kwargs={"pk": membre.pk})
    form = client.get(url).context["form"]
    # What a browser sends back for the form as shown.
    donnees: dict[str, Any] = {}
    for champ in form:
        valeur = champ.value()
        if isinstance(valeur, bool):
            if valeur:
                donnees[champ.name] = "on"
        elif isinstance(valeur, list):
            donnees[champ.name] = [str(getattr(v, "pk", v)) for v in valeur]
        elif valeur is not None:
            donnees[champ.name] = str(valeur)
    assert _poster(client, url, donnees).status_code == 302
    membre.refresh_from_db()
    assert fiche_de(membre) == avant
    assert not EntreeJournal.objects.filter(action="jurys.modifier_membre").exists()


def test_an_edit_records_before_and_after_of_what_changed(gestionnaire: Any) -> None:
    membre = enregistrer_membre(acteur=gestionnaire, fiche=_fiche())
    enregistrer_membre(acteur=gestionnaire, fiche=_fiche(profils=[ProfilJury.COWORKING], actif=False), membre=membre)
    entree = EntreeJournal.objects.get(action="jurys.modifier_membre")
    assert entree.avant == {"profils": [ProfilJury.ESS], "actif": True}
    assert entree.apres == {"profils": [ProfilJury.COWORKING], "actif": False}


def test_bad_input_gets_a_french_message_and_writes_nothing(client: Client, gestionnaire: Any) -> None:
    MembreJuryFactory(email="deja@example.org")
    connecter(client, gestionnaire)
    base = {"prenom": "Awa", "nom": "Diallo", "organisation": "La Ruche", "representation": "SALARIE"}
    cas = [
        ({**base, "email": "awa@example.org", "profils": ["ESS"], "disponibilites": "1er mars"}, "pas une date"),
        ({**base, "email": "awa@example.org"}, "Ce champ est obligatoire"),
        ({**base, "email": "deja@example.org", "profils": ["ESS"]}, "déjà cette adresse"),
        ({**base, "email": "awa@example.org", "profils": ["ESS"], "organisation_siret": "123"}, "SIRET"),
        ({**base, "email": "awa@example.org", "profils": ["ESS"], "compte": "inconnu@example.org"}, "Aucun compte"),
    ]
    for donnees, message in cas:
        reponse = _poster(client, NOUVEAU, donnees)
        assert reponse.status_code == 200, message
        assert message in reponse.content.decode(), message
    assert MembreJury.objects.count() == 1
    assert not EntreeJournal.objects.filter(action__startswith="jurys.").exists()


def test_only_staff_may_write_the_pool() -> None:
    candidat = creer_utilisateur("candidat@example.org")
    with pytest.raises(AccesRefuse):
        enregistrer_membre(acteur=candidat, fiche=_fiche())
    with pytest.raises(ErreurMetier, match="au moins un profil"):
        enregistrer_membre(acteur=creer_utilisateur("g@example.org", Role.GESTIONNAIRE), fiche=_fiche(profils=[]))
    assert not MembreJury.objects.exists()
