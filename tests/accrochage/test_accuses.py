"""Acknowledgements of the CDC: applied in one transaction, refused with the reason otherwise."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from parchemin.accrochage import accuses, services
from parchemin.accrochage.accuses import AccuseRefuse
from parchemin.accrochage.conseils import CONSEIL_GENERAL, conseil
from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import Accuse, Lot, PassageCDC
from parchemin.journal.models import EntreeJournal
from parchemin.web.backoffice.journal_libelles import libelle_action

from .conftest import delivrer, ids_du_lot

pytestmark = pytest.mark.django_db


def traitement(lot: Lot, lignes: list[tuple[str, str, str]], id_client: str | None = None) -> bytes:
    passages = "".join(
        f"<passage><idTechnique>{i}</idTechnique><statut>{s}</statut><message>{m}</message></passage>"
        for i, s, m in lignes
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><accuseTraitement><idFlux>{lot.id_flux}</idFlux>'
        f"<idClient>{id_client or lot.id_client_certificateur}</idClient>{passages}</accuseTraitement>"
    ).encode()


@pytest.fixture
def lot_envoye(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> Lot:
    delivrer(prenom1="Camille", nom_naissance="Martin")
    delivrer(prenom1="Alix", nom_naissance="Petit")
    return services.exporter(acteur=gestionnaire).lots[0]


def test_processing_report_accepts_and_rejects_with_the_cdc_message(lot_envoye: Lot, gestionnaire: Any) -> None:
    ok, ko = ids_du_lot(lot_envoye)
    accuse = accuses.appliquer(
        acteur=gestionnaire,
        contenu=traitement(lot_envoye, [(ok, "OK", ""), (ko, "ko", "Aucun titulaire trouvé : prénom")]),
        nom_fichier="at.xml",
    )
    assert (accuse.acceptes, accuse.rejetes) == (1, 1)
    accepte, rejete = PassageCDC.objects.get(id_technique=ok), PassageCDC.objects.get(id_technique=ko)
    assert accepte.etat == EtatCDC.ACCEPTE
    assert (rejete.etat, rejete.message_cdc) == (EtatCDC.REJETE, "Aucun titulaire trouvé : prénom")
    assert rejete.rejete_le == datetime.date.today() or rejete.rejete_le is not None
    entree = EntreeJournal.objects.get(action="accrochage.accuse_traitement")
    assert entree.apres == {"sha256": accuse.empreinte_sha256, "acceptes": 1, "rejetes": 1}
    assert libelle_action("accrochage.accuse_traitement") == "Accusé de traitement de la CDC appliqué"


def test_tolerates_namespaces_spaces_and_case(lot_envoye: Lot, gestionnaire: Any) -> None:
    ok, autre = ids_du_lot(lot_envoye)
    contenu = (
        f'<a:accuseTraitement xmlns:a="urn:exemple"><a:idClient> {lot_envoye.id_client_certificateur} </a:idClient>'
        f"<a:idFlux>\n{lot_envoye.id_flux}\n</a:idFlux>"
        f"<a:passage><a:statut> ok </a:statut><a:idTechnique>{ok}</a:idTechnique></a:passage>"
        f"</a:accuseTraitement>"
    ).encode()
    assert accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="at.xml").acceptes == 1
    assert PassageCDC.objects.get(id_technique=autre).etat == EtatCDC.ENVOYE


@pytest.mark.parametrize(
    ("contenu", "raison"),
    [
        (b"", "vide"),
        (b"<accuseTraitement><idFlux>", "XML bien form"),
        (b"<rapport/>", "racine"),
        # An external entity is never resolved: the file's content does not reach idFlux.
        (
            b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]><accuseTraitement><idFlux>&x;</idFlux>'
            b"<idClient>CERT0001</idClient></accuseTraitement>",
            "idFlux manque",
        ),
        (b"<accuseTraitement><idClient>CERT0001</idClient></accuseTraitement>", "idFlux manque"),
    ],
)
def test_malformed_files_are_refused_and_change_nothing(
    lot_envoye: Lot, gestionnaire: Any, contenu: bytes, raison: str
) -> None:
    with pytest.raises(AccuseRefuse, match=raison):
        accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="x.xml")
    assert set(PassageCDC.objects.values_list("etat", flat=True)) == {EtatCDC.ENVOYE}
    assert not Accuse.objects.exists()


def test_refuses_another_flux(lot_envoye: Lot, gestionnaire: Any) -> None:
    contenu = traitement(lot_envoye, [(ids_du_lot(lot_envoye)[0], "OK", "")]).replace(
        lot_envoye.id_flux.encode(), b"AUTRE-FLUX"
    )
    with pytest.raises(AccuseRefuse, match="autre flux"):
        accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="x.xml")


def test_refuses_another_certificateur(lot_envoye: Lot, gestionnaire: Any) -> None:
    contenu = traitement(lot_envoye, [(ids_du_lot(lot_envoye)[0], "OK", "")], id_client="AUTRE001")
    with pytest.raises(AccuseRefuse, match="autre certificateur"):
        accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="x.xml")


def test_an_unknown_id_technique_refuses_the_whole_file(lot_envoye: Lot, gestionnaire: Any) -> None:
    ok = ids_du_lot(lot_envoye)[0]
    contenu = traitement(lot_envoye, [(ok, "OK", ""), ("INCONNU-1", "KO", "x")])
    with pytest.raises(AccuseRefuse, match="INCONNU-1"):
        accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="x.xml")
    assert PassageCDC.objects.get(id_technique=ok).etat == EtatCDC.ENVOYE


def test_refuses_an_unknown_status_and_a_duplicate(lot_envoye: Lot, gestionnaire: Any) -> None:
    ok = ids_du_lot(lot_envoye)[0]
    with pytest.raises(AccuseRefuse, match="statut"):
        accuses.appliquer(acteur=gestionnaire, contenu=traitement(lot_envoye, [(ok, "PEUT-ETRE", "")]), nom_fichier="x")
    with pytest.raises(AccuseRefuse, match="deux fois"):
        accuses.appliquer(
            acteur=gestionnaire, contenu=traitement(lot_envoye, [(ok, "OK", ""), (ok, "KO", "x")]), nom_fichier="x"
        )


def test_a_refused_file_puts_its_passages_back_to_send(lot_envoye: Lot, gestionnaire: Any) -> None:
    contenu = (
        f"<accuseReception><idFlux>{lot_envoye.id_flux}</idFlux><idClient>CERT0001</idClient>"
        "<statut>KO</statut><message>Fichier illisible</message></accuseReception>"
    ).encode()
    accuses.appliquer(acteur=gestionnaire, contenu=contenu, nom_fichier="ar.xml")
    lot_envoye.refresh_from_db()
    assert lot_envoye.refuse_par_cdc == "Fichier illisible"
    assert set(PassageCDC.objects.values_list("etat", flat=True)) == {EtatCDC.A_ENVOYER}


def test_rejected_passage_is_resent_alone_with_the_same_id(lot_envoye: Lot, gestionnaire: Any) -> None:
    ok, ko = ids_du_lot(lot_envoye)
    accuses.appliquer(
        acteur=gestionnaire, contenu=traitement(lot_envoye, [(ok, "OK", ""), (ko, "KO", "Sexe")]), nom_fichier="x"
    )
    # Held back until its identity is corrected: unchanged, the CDC would reject it again.
    assert not services.selection_par_defaut().filter(id_technique=ko).exists()
    services.renvoyer_apres_correction(PassageCDC.objects.get(id_technique=ko), acteur=gestionnaire)
    nouveau = services.exporter(acteur=gestionnaire).lots[0]
    assert ids_du_lot(nouveau) == [ko]
    # The old lot's answer no longer decides for a passage resent since.
    accuses.appliquer(acteur=gestionnaire, contenu=traitement(lot_envoye, [(ko, "OK", "")]), nom_fichier="y")
    assert PassageCDC.objects.get(id_technique=ko).etat == EtatCDC.ENVOYE


@pytest.mark.parametrize(
    ("message", "mot"),
    [
        ("Nom de naissance inconnu", "nom de naissance"),
        ("Prénom incohérent", "premier prénom"),
        ("Sexe incohérent", "M ou F"),
        ("Date de naissance incohérente", "jour et le mois"),
        ("Code INSEE de commune de naissance inconnu", "code INSEE"),
        ("Aucun titulaire ne correspond", "dans l'ordre"),
    ],
)
def test_advice_for_common_identity_errors(message: str, mot: str) -> None:
    assert mot in conseil(message)


def test_unknown_messages_get_the_general_advice() -> None:
    assert conseil("Erreur 42") == CONSEIL_GENERAL
