"""The catalogue in LHÉO 2.2: well-formed, in the LHÉO namespace, required elements present and in order."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from lxml import etree

from parchemin.partenaires.enums import Modalite
from parchemin.partenaires.lheo import ENFANTS_OBLIGATOIRES, NAMESPACE
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db
NS = {"l": NAMESPACE}


def _local(element: Any) -> str:
    return etree.QName(element).localname


def _verifier_structure(racine: Any) -> list[str]:
    """Every element we know the required children of has them all, in the LHÉO order."""
    ecarts = []
    for element in racine.iter():
        attendus = ENFANTS_OBLIGATOIRES.get(_local(element))
        if attendus is None:
            continue
        enfants = [_local(e) for e in element]
        position = 0
        for nom in attendus:
            try:
                position = enfants.index(nom, position) + 1
            except ValueError:
                ecarts.append(f"{_local(element)} : <{nom}> manquant ou mal placé ({enfants})")
                break
    return ecarts


def test_export_is_well_formed_lheo_with_required_elements_in_order(client: Any, rs5142: Any) -> None:
    organisme = PartenaireFactory(nom="Coopérative des Tiers-Lieux", numero_declaration_activite="75331234533")
    SessionFormationFactory(partenaire=organisme, numero=12)
    SessionFormationFactory(
        partenaire=organisme, numero=13, date_debut=datetime.date.today() + datetime.timedelta(days=200)
    )
    SessionFormationFactory(modalite=Modalite.DISTANCE, commune=None, region="53", numero=4)
    SessionFormationFactory(publiee=False, numero=5)
    reponse = client.get("/certifications/rs5142/ou-suivre/lheo.xml")
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/xml")
    racine = etree.fromstring(reponse.content)
    assert racine.tag == f"{{{NAMESPACE}}}lheo"
    assert _verifier_structure(racine) == []
    formations = racine.findall("l:offres/l:formation", NS)
    assert len(formations) == 2  # one per partner and title
    assert len(racine.findall(".//l:action", NS)) == 3  # unpublished session left out
    premiere = (
        formations[0] if formations[0].findtext(".//l:SIRET", namespaces=NS) == organisme.siret else formations[1]
    )
    assert premiere.findtext("l:organisme-formation-responsable/l:numero-activite", namespaces=NS) == "75331234533"
    debut = premiere.findtext("l:action/l:session/l:periode/l:debut", namespaces=NS)
    assert debut is not None and len(debut) == 8 and debut.isdigit()
    assert (
        premiere.findtext("l:action/l:lieu-de-formation/l:coordonnees/l:adresse/l:code-INSEE-commune", namespaces=NS)
        == "33063"
    )
    modalites = sorted(e.text for e in racine.iterfind(".//l:modalites-enseignement", NS))
    assert modalites == ["0", "0", "2"]


def test_the_structure_check_catches_a_missing_element() -> None:
    formation = "<formation><intitule-formation>x</intitule-formation></formation>"
    racine = etree.fromstring(f'<lheo xmlns="{NAMESPACE}"><offres>{formation}</offres></lheo>')
    assert any("domaine-formation" in e for e in _verifier_structure(racine))


def test_text_with_markup_characters_is_escaped(client: Any, rs5142: Any) -> None:
    SessionFormationFactory(intitule="Tiers-lieux <&> « ateliers »")
    racine = etree.fromstring(client.get("/certifications/rs5142/ou-suivre/lheo.xml").content)
    assert racine.findtext(".//l:intitule-formation", namespaces=NS) == "Tiers-lieux <&> « ateliers »"
