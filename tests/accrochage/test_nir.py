"""The optional NIR: encrypted, an administrator's, sent only in a 1.1.5 flux, purged on acceptance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from parchemin.accrochage import accuses, nir, services
from parchemin.accrochage.enums import EtatCDC, VersionFlux
from parchemin.accrochage.flux import NS
from parchemin.accrochage.models import ConfigurationCDC, PassageCDC
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.web.backoffice.journal_libelles import libelle_action
from tests.comptes.outils import connecter

from .conftest import delivrer, lire_lot, valide_par_lxml, valide_par_xmllint

pytestmark = pytest.mark.django_db

# The usual published example of a NIR with its key: 1 84 12 76 451 089 46.
NIR_AVEC_CLE = "184127645108946"


@pytest.fixture
def avec_nir(settings: Any) -> None:
    settings.ACCROCHAGE_NIR = True


def _passage() -> PassageCDC:
    delivrer(nom_naissance="Martin")
    services.recenser()
    return PassageCDC.objects.get()


def test_key_is_checked_then_dropped() -> None:
    assert nir.normaliser("1 84 12 76 451 089 46") == "1841276451089"
    with pytest.raises(ErreurMetier, match="clé"):
        nir.normaliser("1 84 12 76 451 089 47")
    with pytest.raises(ErreurMetier, match="13 caractères"):
        nir.normaliser("12345")


def test_stored_encrypted_and_journaled_without_the_value(
    rs5142: Any, avec_nir: None, administrateur: Any, gestionnaire: Any
) -> None:
    passage = nir.enregistrer_nir(_passage(), NIR_AVEC_CLE, acteur=administrateur)
    assert passage.nir_chiffre and "1841276451089" not in passage.nir_chiffre
    assert nir.pour_export(passage, "1.1.5") == "1841276451089"
    entree = EntreeJournal.objects.get(action="accrochage.nir")
    assert "1841276451089" not in f"{entree.resume}{entree.avant}{entree.apres}"
    assert libelle_action("accrochage.nir").startswith("NIR")
    with pytest.raises(AccesRefuse):
        nir.enregistrer_nir(passage, NIR_AVEC_CLE, acteur=gestionnaire)


def test_refused_when_not_enabled(rs5142: Any, administrateur: Any) -> None:
    with pytest.raises(ErreurMetier, match="ACCROCHAGE_NIR"):
        nir.enregistrer_nir(_passage(), NIR_AVEC_CLE, acteur=administrateur)


def test_sent_in_1_1_5_only_and_purged_when_accepted(
    rs5142: Any, avec_nir: None, config_cdc: Any, administrateur: Any, gestionnaire: Any
) -> None:
    passage = nir.enregistrer_nir(_passage(), "2850233063123", acteur=administrateur)
    lot_112 = services.exporter(acteur=gestionnaire).lots[0]
    assert lire_lot(lot_112).find(f".//{{{NS}}}nir") is None

    PassageCDC.objects.filter(pk=passage.pk).update(etat=EtatCDC.A_ENVOYER)
    ConfigurationCDC.objects.filter(pk=1).update(version_flux=VersionFlux.V1_1_5)
    lot = services.exporter(acteur=gestionnaire).lots[0]
    arbre = lire_lot(lot)
    assert arbre.findtext(f".//{{{NS}}}identifiantNational/{{{NS}}}nir") == "2850233063123"
    assert valide_par_lxml(arbre, "1.1.5") and valide_par_xmllint(Path(lot.fichier.path), "1.1.5")

    contenu = (
        f"<accuseTraitement><idFlux>{lot.id_flux}</idFlux><idClient>CERT0001</idClient><passage>"
        f"<idTechnique>{passage.id_technique}</idTechnique><statut>OK</statut></passage></accuseTraitement>"
    ).encode()
    accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="at.xml")
    assert PassageCDC.objects.get(pk=passage.pk).nir_chiffre == ""


def test_only_an_administrator_sees_the_nir_form(
    client: Any, rs5142: Any, avec_nir: None, administrateur: Any, gestionnaire: Any
) -> None:
    passage = _passage()
    url = reverse("backoffice:accrochage_titulaire", kwargs={"pk": passage.pk})
    assert "NIR (numéro de sécurité sociale)" not in connecter(client, gestionnaire).get(url).content.decode()
    assert "NIR (numéro de sécurité sociale)" in connecter(client, administrateur).get(url).content.decode()
