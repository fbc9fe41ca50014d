"""The export: default selection, one file validated by our XSD (lxml and xmllint), hold-backs,
states, resending with the same idTechnique, splitting."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from parchemin.accrochage import services
from parchemin.accrochage.enums import EtatCDC, VersionFlux
from parchemin.accrochage.flux import NS, XSI
from parchemin.accrochage.models import ConfigurationCDC, PassageCDC
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.enums import Decision
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import creer_utilisateur

from .conftest import delivrer, ids_du_lot, lire_lot, valide_par_lxml, valide_par_xmllint


def _rejeter(parchemin: Any, message: str) -> None:
    """What a processing report rejecting ``parchemin``'s passage leaves behind."""
    PassageCDC.objects.filter(parchemin=parchemin).update(
        etat=EtatCDC.REJETE, rejete_le=datetime.date.today(), message_cdc=message
    )


pytestmark = pytest.mark.django_db


def _q(nom: str) -> str:
    return f"{{{NS}}}{nom}"


def test_exports_every_delivered_full_certification_in_one_valid_file(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    camille = delivrer(prenom1="Camille", nom_naissance="Martin")
    corse = delivrer(prenom1="Ange", nom_naissance="Santoni", code_commune_naissance="2A004", commune_naissance="")
    etranger = delivrer(
        prenom1="Lena",
        nom_naissance="Schmidt",
        code_commune_naissance="",
        commune_naissance="",
        code_pays_naissance="109",
        pays_naissance="Allemagne",
    )
    delivrer(decision=Decision.VALIDATION_PARTIELLE, prenom1="Dominique", nom_naissance="Bernard")

    resultat = services.exporter(acteur=gestionnaire)

    assert len(resultat.lots) == 1 and resultat.retenues == []
    lot = resultat.lots[0]
    arbre = lire_lot(lot)
    assert valide_par_lxml(arbre)
    assert valide_par_xmllint(Path(lot.fichier.path), "1.1.2")
    assert sorted(ids_du_lot(lot)) == sorted(services.id_technique_pour(p) for p in (camille, corse, etranger))
    codes = {t.findtext(_q("nomNaissance")): t.findtext(f".//{_q('codeInsee')}") for t in arbre.iter(_q("titulaire"))}
    assert codes == {"Martin": "33063", "Santoni": "2A004", "Schmidt": "99109"}
    schmidt = next(t for t in arbre.iter(_q("titulaire")) if t.findtext(_q("nomNaissance")) == "Schmidt")
    assert schmidt.findtext(_q("codePaysNaissance")) == "109"
    assert arbre.find(f".//{_q('dateFinValidite')}").get(f"{{{XSI}}}nil") == "true"
    assert lot.nombre_passages == 3 and len(lot.empreinte_sha256) == 64
    assert set(PassageCDC.objects.values_list("etat", flat=True)) == {EtatCDC.ENVOYE}


def test_namespaces_are_declared_once_on_the_root(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    """Each record used to repeat the root's xmlns declarations (about 100 bytes a record)."""
    delivrer(prenom1="Camille", nom_naissance="Martin")
    delivrer(prenom1="Alix", nom_naissance="Petit", nom_usage="Grand")
    lot = services.exporter(acteur=gestionnaire).lots[0]
    with lot.fichier.open("rb") as f:
        contenu = f.read()
    assert contenu.count(b"xmlns:cpf=") == 1 and contenu.count(b"xmlns:xsi=") == 1
    assert contenu.count(b"xmlns") == 2
    racine = lire_lot(lot).getroot()
    assert racine.nsmap == {"cpf": NS, "xsi": XSI}
    assert all(e.nsmap == racine.nsmap for e in racine.iter(_q("passageCertification")))
    assert contenu.count(b'xsi:nil="true"') == 2 * 3 + 1  # dateFinValidite, scoring, mentionValidee; one nomUsage
    assert valide_par_xmllint(Path(lot.fichier.path), "1.1.2")


def test_url_preuve_is_the_public_verification_page(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    parchemin = delivrer()
    lot = services.exporter(acteur=gestionnaire).lots[0]
    assert parchemin.code_verification in lire_lot(lot).findtext(f".//{_q('urlPreuve')}")


@pytest.mark.parametrize(
    ("voie", "modalite"),
    [
        (VoieAcces.FORMATION_INITIALE, "FORMATION_INITIALE_HORS_APPRENTISSAGE"),
        (VoieAcces.APPRENTISSAGE, "FORMATION_INITIALE_APPRENTISSAGE"),
        (VoieAcces.FORMATION_CONTINUE, "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"),
        (VoieAcces.CONTRAT_PROFESSIONNALISATION, "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"),
        (VoieAcces.CANDIDATURE_INDIVIDUELLE, "CANDIDAT_LIBRE"),
        (VoieAcces.EXPERIENCE, "VAE"),
    ],
)
def test_every_route_maps_to_its_modalite_acces(voie: str, modalite: str) -> None:
    from parchemin.accrochage.donnees import MODALITE_PAR_VOIE

    assert MODALITE_PAR_VOIE[voie] == modalite


def test_every_route_has_a_modalite(rs5142: Any) -> None:
    from parchemin.accrochage.donnees import MODALITE_PAR_VOIE

    assert set(MODALITE_PAR_VOIE) == set(VoieAcces.values)


def test_holds_back_what_the_format_cannot_carry_and_sends_the_rest(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    bon = delivrer(prenom1="Jean-Pierre", nom_naissance="D’Artagnan")
    sans_sexe = delivrer(sexe="", nom_naissance="Sanssexe")
    chiffres = delivrer(nom_naissance="Martin2")

    resultat = services.exporter(acteur=gestionnaire)

    assert ids_du_lot(resultat.lots[0]) == [services.id_technique_pour(bon)]
    raisons = {r.passage.parchemin_id: r.raisons for r in resultat.retenues}
    assert raisons[sans_sexe.pk] == ["Sexe manquant (M ou F, comme à l'état civil)."]
    assert "caractères que le format CDC n'accepte pas (« 2 »)" in raisons[chiffres.pk][0]
    assert PassageCDC.objects.get(parchemin=chiffres).etat == EtatCDC.A_ENVOYER
    assert lire_lot(resultat.lots[0]).findtext(f".//{_q('nomNaissance')}") == "D'Artagnan"


def test_accepted_passages_are_never_resent_and_rejected_keep_their_id(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    accepte, rejete = delivrer(), delivrer()
    services.exporter(acteur=gestionnaire)
    PassageCDC.objects.filter(parchemin=accepte).update(etat=EtatCDC.ACCEPTE)
    _rejeter(rejete, "Aucun titulaire")

    assert not services.selection_par_defaut().exists()  # the rejected one waits for its correction
    lot = services.exporter(acteur=gestionnaire, passages=PassageCDC.objects.all()).lots[0]

    assert ids_du_lot(lot) == [services.id_technique_pour(rejete)]


def test_a_rejected_passage_leaves_again_once_corrected_and_the_journal_says_who(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    rejete = delivrer()
    services.exporter(acteur=gestionnaire)
    _rejeter(rejete, "Sexe incohérent")
    passage = PassageCDC.objects.get(parchemin=rejete)
    assert not services.selection_par_defaut().exists()

    services.renvoyer_apres_correction(passage, acteur=gestionnaire)

    passage.refresh_from_db()
    assert (passage.etat, passage.message_cdc) == (EtatCDC.A_ENVOYER, "Sexe incohérent")
    assert list(services.selection_par_defaut()) == [passage]
    entree = EntreeJournal.objects.filter(action="accrochage.renvoyer").get()
    assert entree.acteur == gestionnaire
    # Only a rejected passage goes back: an accepted one is never sent again.
    PassageCDC.objects.filter(pk=passage.pk).update(etat=EtatCDC.ACCEPTE)
    services.renvoyer_apres_correction(passage, acteur=gestionnaire)
    assert PassageCDC.objects.get(pk=passage.pk).etat == EtatCDC.ACCEPTE


def test_splits_beyond_the_per_file_limit(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    for _ in range(5):
        delivrer()
    resultat = services.exporter(acteur=gestionnaire, max_passages=2)
    assert [lot.nombre_passages for lot in resultat.lots] == [2, 2, 1]
    assert all(valide_par_lxml(lire_lot(lot)) for lot in resultat.lots)
    assert len({lot.id_flux for lot in resultat.lots}) == 3


def test_version_1_1_5_carries_the_action(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    ConfigurationCDC.objects.filter(pk=1).update(version_flux=VersionFlux.V1_1_5)
    delivrer()
    lot = services.exporter(acteur=gestionnaire).lots[0]
    arbre = lire_lot(lot)
    assert arbre.findtext(_q("action")) == "CREATION"
    assert valide_par_lxml(arbre, "1.1.5") and not valide_par_lxml(arbre, "1.1.2")
    assert valide_par_xmllint(Path(lot.fichier.path), "1.1.5")


def test_refuses_without_identifiers(rs5142: Any, gestionnaire: Any) -> None:
    delivrer()
    with pytest.raises(ErreurMetier, match="identifiants CDC"):
        services.exporter(acteur=gestionnaire)


def test_refuses_a_non_staff_actor(rs5142: Any, config_cdc: Any) -> None:
    with pytest.raises(AccesRefuse):
        services.exporter(acteur=creer_utilisateur("candidat-cdc@example.org"))


def test_an_official_xsd_is_checked_too(rs5142: Any, config_cdc: Any, gestionnaire: Any) -> None:
    """An official XSD stricter than ours (idContrat of 4 characters at most) stops the export."""
    strict = (
        (services.flux.chemin_schema("1.1.2"))
        .read_bytes()
        .replace(
            b'<xs:element name="idContrat" type="cpf:chaine20"/>',
            b'<xs:element name="idContrat"><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="4"/>'
            b"</xs:restriction></xs:simpleType></xs:element>",
        )
    )
    ConfigurationCDC.objects.filter(pk=1).update(xsd_officiel=strict, xsd_officiel_nom="officiel.xsd")
    delivrer()
    with pytest.raises(ErreurMetier, match="XSD officiel"):
        services.exporter(acteur=gestionnaire)
    assert PassageCDC.objects.get().etat == EtatCDC.A_ENVOYER


def test_refuses_an_official_xsd_that_is_not_a_schema() -> None:
    with pytest.raises(ErreurMetier, match="pas un schéma XSD"):
        services.verifier_xsd_officiel(b"<racine/>", "faux.xsd")
    with pytest.raises(ErreurMetier, match="pas un fichier XML"):
        services.verifier_xsd_officiel(b"%PDF-1.7", "faux.xsd")
    with pytest.raises(ErreurMetier, match="2 Mo"):
        services.verifier_xsd_officiel(b" " * (3 * 1024 * 1024), "gros.xsd")


def test_validation_catches_an_invalid_file(tmp_path: Path) -> None:
    from parchemin.accrochage import flux

    chemin = tmp_path / "faux.xml"
    chemin.write_bytes(etree.tostring(etree.Element(_q("flux"))))
    assert flux.valider(chemin, flux.schema_parchemin("1.1.2")) is not None


def test_correcting_the_holder_saves_the_file_and_sends_the_passage_again_together(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    rejete = delivrer()
    services.exporter(acteur=gestionnaire)
    _rejeter(rejete, "Nom de naissance inconnu")
    passage = PassageCDC.objects.select_related("parchemin__candidature").get(parchemin=rejete)

    services.corriger_titulaire(passage, {"nom_naissance": "Durand-Petit"}, acteur=gestionnaire)

    passage.refresh_from_db()
    assert passage.etat == EtatCDC.A_ENVOYER
    assert rejete.candidature.__class__.objects.get(pk=rejete.candidature_id).nom_naissance == "Durand-Petit"
    actions = set(EntreeJournal.objects.values_list("action", flat=True))
    assert {"accrochage.renvoyer", "candidatures.modifier"} <= actions
