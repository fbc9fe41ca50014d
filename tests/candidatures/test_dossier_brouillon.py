"""The candidate's file as a draft: saved half-filled, marked where the deposit needs a value, the
birth place checked (a commune in France with its INSEE code, or a country)."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.candidatures.services import OBLIGATOIRES_DEPOT, elements_manquants
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter
from tests.territoires.factories import commune

from .factories import CandidatureFactory

pytestmark = pytest.mark.django_db


def _brouillon(client: Client, **champs: Any) -> Candidature:
    candidature = CandidatureFactory(
        voie=VoieAcces.CANDIDATURE_INDIVIDUELLE,
        nom_naissance="",
        prenom1="",
        sexe="",
        date_naissance=None,
        code_commune_naissance="",
        commune_naissance="",
        niveau_diplome="",
        annees_experience=None,
        **champs,
    )
    connecter(client, candidature.candidat)
    return candidature


def _envoyer(client: Client, candidature: Candidature, donnees: dict[str, str]) -> Any:
    url = reverse("candidat:modifier", kwargs={"pk": candidature.pk})
    client.get(url)
    return client.post(url, {**donnees, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def _libelles(page: str) -> dict[str, str]:
    document = lxml.html.fromstring(page)
    libelles = {}
    for label in document.iter("label"):
        libelles[(label.get("for") or "").removeprefix("id_")] = " ".join(label.text_content().split())
    # A radio group is named by its fieldset's legend.
    for legende in document.iter("legend"):
        champs = legende.getparent().xpath(".//input[@type='radio']/@name")
        if champs:
            libelles[champs[0]] = " ".join(legende.text_content().split())
    return libelles


def test_a_half_filled_file_is_saved_as_a_draft(client: Client, rs5142: Any) -> None:
    candidature = _brouillon(client)
    reponse = _envoyer(client, candidature, {"nom_naissance": "Durand", "date_naissance": "1er mars 1984"})
    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert (candidature.nom_naissance, str(candidature.date_naissance)) == ("Durand", "1984-03-01")
    assert candidature.etat == EtatCandidature.BROUILLON
    # Only the deposit needs everything: it lists what is still missing.
    assert "premier prénom" in elements_manquants(candidature)


def test_fields_the_deposit_needs_carry_the_asterisk_the_page_announces(client: Client, rs5142: Any) -> None:
    candidature = _brouillon(client)
    page = client.get(reverse("candidat:modifier", kwargs={"pk": candidature.pk})).content.decode()
    assert "marqués d'un astérisque sont obligatoires pour déposer" in page
    libelles = _libelles(page)
    for champ in [*OBLIGATOIRES_DEPOT, "annees_experience"]:
        assert libelles[champ].removesuffix(" :").endswith("*"), champ
    for facultatif in ("nom_usage", "prenom2", "telephone", "cv"):
        assert not libelles[facultatif].removesuffix(" :").endswith("*"), facultatif


def test_an_insee_code_of_another_commune_than_the_one_named_is_refused(client: Client, rs5142: Any) -> None:
    commune("bordeaux")
    candidature = _brouillon(client)
    reponse = _envoyer(client, candidature, {"code_commune_naissance": "33063", "commune_naissance": "Mérignac"})
    assert reponse.status_code == 200
    assert "Le code INSEE 33063 est celui de Bordeaux (33), pas de « Mérignac »" in reponse.content.decode().replace(
        "&#x27;", "'"
    ).replace("&laquo;", "«")
    candidature.refresh_from_db()
    assert candidature.code_commune_naissance == ""
    # Accents and case do not matter; the named commune of the code is accepted.
    assert _envoyer(client, candidature, {"code_commune_naissance": "33063", "commune_naissance": "BORDEAUX"})[
        "Location"
    ]
    candidature.refresh_from_db()
    assert (candidature.code_commune_naissance, candidature.commune_naissance) == ("33063", "BORDEAUX")


def test_a_code_the_database_does_not_know_is_accepted_as_a_former_commune(client: Client, rs5142: Any) -> None:
    commune("bordeaux")
    candidature = _brouillon(client)
    reponse = _envoyer(client, candidature, {"code_commune_naissance": "33001", "commune_naissance": "Abzac"})
    assert reponse.status_code == 302


def test_born_abroad_gives_a_country_instead_of_a_commune(client: Client, rs5142: Any) -> None:
    candidature = _brouillon(client)
    reponse = _envoyer(client, candidature, {"code_pays_naissance": "109", "pays_naissance": "Allemagne"})
    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert (candidature.code_pays_naissance, candidature.code_commune_naissance) == ("109", "")
    assert "commune (code INSEE) ou pays de naissance" not in elements_manquants(candidature)
    page = _envoyer(client, candidature, {"code_commune_naissance": "99109"}).content.decode()
    assert "indiquez plutôt le code du pays" in page
    page = _envoyer(client, candidature, {"code_commune_naissance": "33063", "code_pays_naissance": "109"})
    assert "Commune de naissance en France ou pays, pas les deux." in page.content.decode()
