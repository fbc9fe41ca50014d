"""Withdrawal (flux 1.1.5, action SUPPRESSION) of passages the CDC accepted whose certificate was
revoked since: a file of its own, valid against our XSD, the same idTechnique, its round trip, and
never a passage pending in both a creation and a withdrawal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.accrochage import accuses, services
from parchemin.accrochage.enums import ActionFlux, EtatCDC, VersionFlux
from parchemin.accrochage.flux import NS
from parchemin.accrochage.models import ConfigurationCDC, Lot, PassageCDC
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.enums import Decision
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from parchemin.web.backoffice.journal_libelles import libelle_action
from tests.comptes.outils import connecter

from .conftest import delivrer, ids_du_lot, lire_lot, valide_par_lxml, valide_par_xmllint
from .test_accuses import traitement

pytestmark = pytest.mark.django_db


def _q(nom: str) -> str:
    return f"{{{NS}}}{nom}"


def _accepter(*parchemins: Parchemin, gestionnaire: Any) -> None:
    """Send the parchemins and apply a processing report accepting them all."""
    lot = services.exporter(acteur=gestionnaire).lots[0]
    accuses.appliquer(
        acteur=gestionnaire, contenu=traitement(lot, [(i, "OK", "") for i in ids_du_lot(lot)]), nom_fichier="ok.xml"
    )
    assert {p.etat for p in PassageCDC.objects.filter(parchemin__in=parchemins)} == {EtatCDC.ACCEPTE}


def _revoquer(parchemin: Parchemin) -> None:
    # What parchemins.services.revoquer leaves on the parchemin (these test parchemins have no credential).
    Parchemin.objects.filter(pk=parchemin.pk).update(statut=StatutParchemin.REVOQUE)


@pytest.fixture
def config_1_1_5(config_cdc: ConfigurationCDC) -> ConfigurationCDC:
    ConfigurationCDC.objects.filter(pk=1).update(version_flux=VersionFlux.V1_1_5)
    config_cdc.refresh_from_db()
    return config_cdc


def test_withdraws_an_accepted_passage_whose_parchemin_was_revoked_in_a_file_of_its_own(
    rs5142: Any, config_1_1_5: Any, gestionnaire: Any
) -> None:
    revoque, valable = delivrer(nom_naissance="Revoque"), delivrer(nom_naissance="Valable")
    _accepter(revoque, valable, gestionnaire=gestionnaire)
    _revoquer(revoque)
    nouveau = delivrer(nom_naissance="Nouveau")

    retrait = services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION)
    creation = services.exporter(acteur=gestionnaire)

    lot = retrait.lots[0]
    assert (lot.action, lot.nombre_passages) == (ActionFlux.SUPPRESSION, 1)
    arbre = lire_lot(lot)
    assert arbre.findtext(_q("action")) == "SUPPRESSION"
    assert ids_du_lot(lot) == [services.id_technique_pour(revoque)]
    assert arbre.findtext(f".//{_q('nomNaissance')}") == "Revoque"
    assert valide_par_lxml(arbre, "1.1.5")
    assert valide_par_xmllint(Path(lot.fichier.path), "1.1.5")
    assert PassageCDC.objects.get(parchemin=revoque).etat == EtatCDC.RETRAIT_ENVOYE
    assert PassageCDC.objects.get(parchemin=valable).etat == EtatCDC.ACCEPTE
    # The creation that follows carries only the new holder: one action per file.
    assert ids_du_lot(creation.lots[0]) == [services.id_technique_pour(nouveau)]
    assert lire_lot(creation.lots[0]).findtext(_q("action")) == "CREATION"
    entree = EntreeJournal.objects.get(action="accrochage.retirer")
    assert entree.apres["action"] == "SUPPRESSION" and entree.apres["sha256"] == lot.empreinte_sha256
    assert libelle_action("accrochage.retirer") == "Fichier de retrait CDC (SUPPRESSION) généré"


def test_a_decision_amended_to_partial_is_withdrawn_too(rs5142: Any, config_1_1_5: Any, gestionnaire: Any) -> None:
    amende = delivrer()
    _accepter(amende, gestionnaire=gestionnaire)
    Parchemin.objects.filter(pk=amende.pk).update(decision=Decision.VALIDATION_PARTIELLE)
    assert list(services.selection_a_retirer()) == [PassageCDC.objects.get(parchemin=amende)]
    assert not services.selection_par_defaut().exists()


def test_only_accepted_passages_are_withdrawn(rs5142: Any, config_1_1_5: Any, gestionnaire: Any) -> None:
    """A revoked parchemin the CDC never accepted has nothing to withdraw, and is not sent either."""
    jamais_envoye, en_attente = delivrer(), delivrer()
    services.exporter(acteur=gestionnaire, passages=PassageCDC.objects.filter(parchemin=en_attente))
    _revoquer(jamais_envoye)
    _revoquer(en_attente)

    assert services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION).lots == []
    assert services.exporter(acteur=gestionnaire).lots == []
    assert PassageCDC.objects.get(parchemin=en_attente).etat == EtatCDC.ENVOYE


def test_a_passage_is_never_pending_in_both_a_creation_and_a_withdrawal(
    rs5142: Any, config_1_1_5: Any, gestionnaire: Any
) -> None:
    parchemin = delivrer()
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION)
    tous = PassageCDC.objects.all()
    # While the withdrawal waits for its answer, an explicit selection cannot put it in a second one...
    assert services.exporter(acteur=gestionnaire, passages=tous, action=ActionFlux.SUPPRESSION).lots == []
    # ...nor, reissued meanwhile, in a creation.
    Parchemin.objects.filter(pk=parchemin.pk).update(statut=StatutParchemin.EMIS)
    assert services.exporter(acteur=gestionnaire, passages=tous).lots == []
    assert PassageCDC.objects.get().etat == EtatCDC.RETRAIT_ENVOYE


def test_the_processing_report_marks_withdrawn_or_refused_with_the_message(
    rs5142: Any, config_1_1_5: Any, gestionnaire: Any
) -> None:
    retire, refuse = delivrer(), delivrer()
    _accepter(retire, refuse, gestionnaire=gestionnaire)
    _revoquer(retire)
    _revoquer(refuse)
    lot = services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION).lots[0]
    id_retire, id_refuse = services.id_technique_pour(retire), services.id_technique_pour(refuse)

    accuse = accuses.appliquer(
        acteur=gestionnaire,
        contenu=traitement(lot, [(id_retire, "OK", ""), (id_refuse, "KO", "Titulaire introuvable")]),
        nom_fichier="retrait.xml",
    )

    assert (accuse.acceptes, accuse.rejetes) == (1, 1)
    assert PassageCDC.objects.get(id_technique=id_retire).etat == EtatCDC.RETIRE
    refuse_cdc = PassageCDC.objects.get(id_technique=id_refuse)
    assert (refuse_cdc.etat, refuse_cdc.message_cdc) == (EtatCDC.RETRAIT_REJETE, "Titulaire introuvable")
    entree = EntreeJournal.objects.filter(action="accrochage.accuse_traitement").latest("pk")
    assert "1 retiré(s), 1 retrait(s) refusé(s)" in entree.resume
    # The refused withdrawal is offered again, with the same idTechnique; the withdrawn one never.
    suivant = services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION).lots[0]
    assert ids_du_lot(suivant) == [id_refuse]


def test_a_withdrawal_file_refused_on_reception_leaves_its_passages_accepted(
    rs5142: Any, config_1_1_5: Any, gestionnaire: Any
) -> None:
    parchemin = delivrer()
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    lot = services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION).lots[0]
    reception = (
        f"<accuseReception><idFlux>{lot.id_flux}</idFlux><idClient>{lot.id_client_certificateur}</idClient>"
        "<statut>KO</statut><message>Fichier illisible</message></accuseReception>"
    ).encode()

    accuses.appliquer(acteur=gestionnaire, contenu=reception, nom_fichier="ar.xml")

    passage = PassageCDC.objects.get()
    assert (passage.etat, passage.message_cdc) == (EtatCDC.ACCEPTE, "Fichier illisible")
    assert list(services.selection_a_retirer()) == [passage]


def test_withdrawal_needs_version_1_1_5(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    parchemin = delivrer()
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    with pytest.raises(ErreurMetier, match=r"n'existe qu'en version 1\.1\.5"):
        services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION)
    assert not Lot.objects.filter(action=ActionFlux.SUPPRESSION).exists()
    assert PassageCDC.objects.get().etat == EtatCDC.ACCEPTE


def test_an_official_xsd_checks_the_withdrawal_too(rs5142: Any, config_1_1_5: Any, gestionnaire: Any) -> None:
    parchemin = delivrer()
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    officiel = services.flux.chemin_schema("1.1.5").read_bytes()
    ConfigurationCDC.objects.filter(pk=1).update(xsd_officiel=officiel, xsd_officiel_nom="kit-1.1.5.xsd")
    lot = services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION).lots[0]
    assert lot.valide_xsd_officiel
    # An official schema without SUPPRESSION stops the file: nothing is marked sent.
    sans = officiel.replace(b'<xs:enumeration value="SUPPRESSION"/>', b"")
    ConfigurationCDC.objects.filter(pk=1).update(xsd_officiel=sans)
    PassageCDC.objects.update(etat=EtatCDC.ACCEPTE)
    with pytest.raises(ErreurMetier, match="XSD officiel"):
        services.exporter(acteur=gestionnaire, action=ActionFlux.SUPPRESSION)
    assert PassageCDC.objects.get().etat == EtatCDC.ACCEPTE


def _poster(client: Any, gestionnaire: Any) -> Any:
    client = connecter(client, gestionnaire)
    client.get(reverse("backoffice:accrochage"))
    return client.post(
        reverse("backoffice:accrochage_retirer"), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def test_staff_generate_the_withdrawal_file_from_the_page(
    client: Client, rs5142: Any, config_1_1_5: Any, gestionnaire: Any
) -> None:
    parchemin = delivrer(prenom1="Alix", nom_naissance="Petit")
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    page = connecter(client, gestionnaire).get(reverse("backoffice:accrochage")).content.decode()
    assert "Retraits de titulaires (1)" in page and "Générer le fichier de retrait" in page

    reponse = _poster(client, gestionnaire)

    lot = Lot.objects.get(action=ActionFlux.SUPPRESSION)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("backoffice:accrochage_lot", args=[lot.pk])
    detail = client.get(reponse["Location"]).content.decode()
    assert "action SUPPRESSION" in detail and "Retrait envoyé (accusé attendu)" in detail


def test_on_1_1_2_the_page_explains_that_withdrawal_needs_1_1_5(
    client: Client, rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    parchemin = delivrer()
    _accepter(parchemin, gestionnaire=gestionnaire)
    _revoquer(parchemin)
    page = connecter(client, gestionnaire).get(reverse("backoffice:accrochage")).content.decode()
    assert "Le retrait (action SUPPRESSION) n'existe qu'en version <strong>1.1.5</strong>" in page
    assert "Générer le fichier de retrait" not in page

    reponse = _poster(client, gestionnaire)

    assert reponse.status_code == 302
    suite = client.get(reponse["Location"]).content.decode()
    assert "n&#x27;existe qu&#x27;en version 1.1.5 du flux" in suite
    assert not Lot.objects.filter(action=ActionFlux.SUPPRESSION).exists()


def test_a_passage_that_changed_state_while_its_file_was_written_stops_the_file(
    rs5142: Any, config_1_1_5: Any, gestionnaire: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An acknowledgement applied while a creation file is written: nothing is stored, so the accepted
    passage is never also pending in that file."""
    parchemin = delivrer()
    lot = services.exporter(acteur=gestionnaire).lots[0]
    ecrire = services.flux.ecrire

    def ecrire_puis_accepter(*args: Any, **kwargs: Any) -> list[str]:
        ecrits = ecrire(*args, **kwargs)
        accuses.appliquer(acteur=gestionnaire, contenu=traitement(lot, [(ecrits[0], "OK", "")]), nom_fichier="ok.xml")
        return ecrits

    monkeypatch.setattr(services.flux, "ecrire", ecrire_puis_accepter)
    with pytest.raises(ErreurMetier, match="ont changé d'état pendant la génération"):
        services.exporter(acteur=gestionnaire)
    assert Lot.objects.get() == lot
    assert PassageCDC.objects.get(parchemin=parchemin).etat == EtatCDC.ACCEPTE
