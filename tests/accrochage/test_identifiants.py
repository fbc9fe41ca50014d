"""The certificateur's CDC identifiers: an administrator's form, validated, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parchemin.accrochage import services
from parchemin.accrochage.models import ConfigurationCDC
from parchemin.erreurs import AccesRefuse
from parchemin.journal.models import EntreeJournal
from parchemin.web.backoffice.journal_libelles import libelle_action
from tests.comptes.outils import connecter

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:accrochage_identifiants")


def _poster(client: Any, admin: Any, **champs: Any) -> Any:
    client = connecter(client, admin)
    client.get(URL)
    donnees = {
        "id_client_emetteur": "emet0001",
        "id_client_certificateur": "CERT0001",
        "id_contrat": "MCFCER000123",
        "version_flux": "1.1.2",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    donnees.update(champs)
    return client.post(URL, donnees)


def test_an_administrator_saves_the_identifiers_and_the_journal_says_so(client: Any, administrateur: Any) -> None:
    reponse = _poster(client, administrateur)
    assert reponse.status_code == 302
    config = ConfigurationCDC.objects.get()
    assert (config.id_client_emetteur, config.id_contrat) == ("EMET0001", "MCFCER000123")
    entree = EntreeJournal.objects.get(action="accrochage.configurer")
    assert entree.apres["id_client_certificateur"] == "CERT0001"
    assert libelle_action("accrochage.configurer") == "Identifiants CDC du certificateur enregistrés"


def test_refuses_an_id_client_that_is_not_8_characters(client: Any, administrateur: Any) -> None:
    reponse = _poster(client, administrateur, id_client_certificateur="CERT01")
    assert reponse.status_code == 200
    assert "compte exactement 8 lettres ou chiffres" in reponse.content.decode()
    assert not ConfigurationCDC.objects.exists()


def test_refuses_an_id_contrat_longer_than_20(client: Any, administrateur: Any) -> None:
    reponse = _poster(client, administrateur, id_contrat="M" * 21)
    assert "de 1 à 20 lettres ou chiffres" in reponse.content.decode()


def test_refuses_a_renamed_file_as_official_xsd(client: Any, administrateur: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    faux = SimpleUploadedFile("officiel.xsd", b"%PDF-1.7 pas un schema", content_type="application/xml")
    reponse = _poster(client, administrateur, xsd_officiel=faux)
    assert "pas un fichier XML lisible" in reponse.content.decode()
    assert not ConfigurationCDC.objects.exists()


def test_accepts_an_official_xsd_checked_by_content(administrateur: Any) -> None:
    contenu = services.flux.chemin_schema("1.1.2").read_bytes()
    config = services.enregistrer_configuration(
        acteur=administrateur,
        id_client_emetteur="EMET0001",
        id_client_certificateur="CERT0001",
        id_contrat="MCFCER000123",
        version_flux="1.1.2",
        xsd=("kit-cdc.xsd", contenu),
    )
    assert config.xsd_officiel_nom == "kit-cdc.xsd" and len(config.xsd_officiel_sha256) == 64


def test_only_an_administrator_may_change_them(gestionnaire: Any) -> None:
    with pytest.raises(AccesRefuse):
        services.enregistrer_configuration(
            acteur=gestionnaire,
            id_client_emetteur="EMET0001",
            id_client_certificateur="CERT0001",
            id_contrat="X",
            version_flux="1.1.2",
        )
