"""The catalogue in LHÉO 2.2, checked against the rules of the language itself.

The rules below were read from the LHÉO 2.2 documentation (repository lheo/lheo-schema,
doc/source/lheo/<element>.rst): for each element we write, the ordered sequence of children it
may hold with their cardinalities, and for each leaf its text type (lengths, closed dictionaries,
AAAAMMJJ dates). They are written here independently of the exporter, so the test fails when the
exporter drifts from the language, not merely from itself.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from lxml import etree

from parchemin.partenaires.enums import Modalite, StatutSession
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db

NAMESPACE = "http://www.lheo.org/2.2"
NS = {"l": NAMESPACE}
URL = "/certifications/rs5142/ou-suivre/lheo.xml"
N = 10**9  # "N" in the documentation: no upper bound

# element: ordered sequence of (child, min, max). ``extras`` may close almost every sequence.
SEQUENCES: dict[str, list[tuple[str, int, int]]] = {
    "lheo": [("offres", 1, 1), ("extras", 0, N)],
    "offres": [("formation", 1, N), ("extras", 0, N)],
    "formation": [
        ("domaine-formation", 1, 1),
        ("intitule-formation", 1, 1),
        ("objectif-formation", 1, 1),
        ("resultats-attendus", 1, 1),
        ("contenu-formation", 1, 1),
        ("certifiante", 1, 1),
        ("contact-formation", 1, 1),
        ("parcours-de-formation", 1, 1),
        ("code-niveau-entree", 1, 1),
        ("objectif-general-formation", 0, 1),
        ("certification", 0, 5),
        ("code-niveau-sortie", 0, 1),
        ("url-formation", 0, 1),
        ("action", 1, N),
        ("organisme-formation-responsable", 1, 1),
        ("identifiant-module", 0, 1),
        ("positionnement", 0, 1),
        ("sous-modules", 0, 1),
        ("modules-prerequis", 0, 1),
        ("extras", 0, N),
    ],
    "domaine-formation": [("code-FORMACODE", 0, 5), ("code-NSF", 0, 3), ("code-ROME", 0, 5), ("extras", 0, N)],
    "action": [
        ("rythme-formation", 1, 1),
        ("code-public-vise", 1, 10),
        ("info-public-vise", 0, 1),
        ("niveau-entree-obligatoire", 1, 1),
        ("modalites-alternance", 1, 1),
        ("modalites-enseignement", 1, 1),
        ("conditions-specifiques", 1, 1),
        ("prise-en-charge-frais-possible", 1, 1),
        ("lieu-de-formation", 1, 1),
        ("modalites-entrees-sorties", 1, 1),
        ("url-action", 0, 1),
        ("session", 1, N),
        ("adresse-information", 0, 1),
        ("date-information", 0, 3),
        ("restauration", 0, 1),
        ("hebergement", 0, 1),
        ("transport", 0, 1),
        ("acces-handicapes", 0, 1),
        ("langue-formation", 0, 1),
        ("modalites-recrutement", 0, 1),
        ("modalites-pedagogiques", 0, 1),
        ("code-modalite-pedagogique", 0, 5),
        ("frais-restants", 0, 1),
        ("code-perimetre-recrutement", 0, 1),
        ("infos-perimetre-recrutement", 0, 1),
        ("prix-horaire-TTC", 0, 1),
        ("prix-total-TTC", 0, 1),
        ("duree-indicative", 0, 1),
        ("nombre-heures-centre", 0, 1),
        ("nombre-heures-entreprise", 0, 1),
        ("nombre-heures-total", 0, 1),
        ("detail-conditions-prise-en-charge", 0, 1),
        ("conventionnement", 0, 1),
        ("duree-conventionnee", 0, 1),
        ("organisme-formateur", 0, 1),
        ("organisme-financeur", 0, 8),
        ("extras", 0, N),
    ],
    "session": [
        ("periode", 1, 1),
        ("adresse-inscription", 1, 1),
        ("modalites-inscription", 0, 1),
        ("periode-inscription", 0, 1),
        ("etat-recrutement", 0, 1),
        ("extras", 0, N),
    ],
    "periode": [("debut", 1, 1), ("fin", 1, 1), ("extras", 0, N)],
    "adresse-inscription": [("adresse", 1, 1), ("extras", 0, N)],
    "lieu-de-formation": [("coordonnees", 1, 1), ("extras", 0, N)],
    "contact-formation": [("coordonnees", 1, 1), ("extras", 0, N)],
    "coordonnees-organisme": [("coordonnees", 1, 1), ("extras", 0, N)],
    "contact-organisme": [("coordonnees", 1, 1), ("extras", 0, N)],
    "url-action": [("urlweb", 1, 3), ("extras", 0, N)],
    "organisme-formation-responsable": [
        ("numero-activite", 1, 1),
        ("SIRET-organisme-formation", 1, 1),
        ("nom-organisme", 1, 1),
        ("raison-sociale", 1, 1),
        ("coordonnees-organisme", 1, 1),
        ("contact-organisme", 1, 1),
        ("renseignements-specifiques", 0, 1),
        ("potentiel", 0, 1),
        ("extras", 0, N),
    ],
    "SIRET-organisme-formation": [("SIRET", 1, 1), ("extras", 0, N)],
    "coordonnees": [
        ("civilite", 0, 1),
        ("nom", 0, 1),
        ("prenom", 0, 1),
        ("ligne", 0, 3),
        ("adresse", 0, 1),
        ("telfixe", 0, 1),
        ("portable", 0, 1),
        ("fax", 0, 1),
        ("courriel", 0, 1),
        ("web", 0, 1),
        ("extras", 0, N),
    ],
    "adresse": [
        ("ligne", 1, 4),
        ("codepostal", 1, 1),
        ("ville", 1, 1),
        ("departement", 0, 1),
        ("code-INSEE-commune", 0, 1),
        ("code-INSEE-canton", 0, 1),
        ("region", 0, 1),
        ("pays", 0, 1),
        ("geolocalisation", 0, 1),
        ("extras", 0, N),
    ],
    "geolocalisation": [("latitude", 1, 1), ("longitude", 1, 1), ("extras", 0, N)],
    "telfixe": [("numtel", 1, 3), ("extras", 0, N)],
    "web": [("urlweb", 1, 3), ("extras", 0, N)],
}
# ``extras`` holds ``extra`` and ``extras`` in any order.
EXTRAS = {"extra", "extras"}

# Leaves: (shortest, longest) text, a closed dictionary, or a pattern.
BOOLEEN = {"0", "1"}
DATE = re.compile(r"^[0-9]{8}$")
FEUILLES: dict[str, tuple[int, int] | set[str] | re.Pattern[str]] = {
    "intitule-formation": (1, 255),
    "objectif-formation": (1, 3000),
    "resultats-attendus": (1, 3000),
    "contenu-formation": (1, 3000),
    "certifiante": BOOLEEN,
    "parcours-de-formation": {"1", "2", "3", "4"},  # dict-type-parcours
    "code-niveau-entree": {str(n) for n in range(9)},  # dict-niveaux
    "rythme-formation": (1, 3000),
    "code-public-vise": (5, 5),
    "niveau-entree-obligatoire": BOOLEEN,
    "modalites-alternance": (1, 3000),
    "modalites-enseignement": {"0", "1", "2"},  # dict-modalites-enseignement
    "conditions-specifiques": (1, 3000),
    "prise-en-charge-frais-possible": BOOLEEN,
    "modalites-entrees-sorties": {"0", "1"},  # dict-modalites-es
    "modalites-inscription": (1, 255),
    "etat-recrutement": {"1", "2", "3"},  # dict-etat-recrutement
    "debut": DATE,
    "fin": DATE,
    "prix-total-TTC": (1, 10),
    "nombre-heures-total": re.compile(r"^[0-9]+$"),
    "numero-activite": (11, 11),
    "SIRET": (14, 14),
    "nom-organisme": (1, 250),
    "raison-sociale": (1, 250),
    "nom": (1, 50),
    "ligne": (1, 50),
    "codepostal": (5, 5),
    "ville": (1, 50),
    "departement": (2, 3),
    "code-INSEE-commune": (5, 5),
    "region": (2, 2),
    "latitude": re.compile(r"^-?[0-9]+(\.[0-9]+)?$"),
    "longitude": re.compile(r"^-?[0-9]+(\.[0-9]+)?$"),
    "numtel": (1, 25),
    "courriel": (3, 160),
    "urlweb": (3, 400),
    "extra": (0, 10**6),
}


def _local(element: Any) -> str:
    return etree.QName(element).localname


def _verifier_sequence(nom: str, enfants: list[str], regles: list[tuple[str, int, int]]) -> list[str]:
    """Match ``enfants`` against the ordered sequence, greedily (names never repeat in a sequence)."""
    ecarts, position = [], 0
    for attendu, minimum, maximum in regles:
        compte = 0
        while position < len(enfants) and enfants[position] == attendu:
            compte, position = compte + 1, position + 1
        if not minimum <= compte <= maximum:
            ecarts.append(f"<{nom}> : {compte} <{attendu}> au lieu de [{minimum}, {maximum}]")
    if position < len(enfants):
        ecarts.append(f"<{nom}> : <{enfants[position]}> inattendu ou mal placé dans {enfants}")
    return ecarts


def ecarts_lheo(racine: Any) -> list[str]:
    """Everything in the document that breaks a rule above; empty when it follows them all."""
    ecarts = []
    if racine.tag != f"{{{NAMESPACE}}}lheo":
        ecarts.append(f"racine {racine.tag} au lieu de lheo dans {NAMESPACE}")
    for element in racine.iter(etree.Element):
        nom = _local(element)
        if etree.QName(element).namespace != NAMESPACE:
            ecarts.append(f"<{nom}> hors de l'espace de noms LHÉO")
        enfants = [_local(e) for e in element]
        texte = (element.text or "").strip()
        if nom == "extras":
            ecarts += [f"<extras> : <{e}> interdit" for e in enfants if e not in EXTRAS]
        elif nom in SEQUENCES:
            ecarts += _verifier_sequence(nom, enfants, SEQUENCES[nom])
            if texte:
                ecarts.append(f"<{nom}> contient du texte")
        elif nom in FEUILLES:
            regle = FEUILLES[nom]
            if enfants:
                ecarts.append(f"<{nom}> est une feuille mais contient {enfants}")
            if isinstance(regle, tuple) and not regle[0] <= len(texte) <= regle[1]:
                ecarts.append(f"<{nom}> : {len(texte)} caractères au lieu de {regle[0]} à {regle[1]}")
            elif isinstance(regle, set) and texte not in regle:
                ecarts.append(f"<{nom}> : {texte!r} hors du dictionnaire {sorted(regle)}")
            elif isinstance(regle, re.Pattern) and not regle.match(texte):
                ecarts.append(f"<{nom}> : {texte!r} mal formé")
        else:
            ecarts.append(f"<{nom}> inconnu des règles relevées")
    for element in racine.iter(f"{{{NAMESPACE}}}code-public-vise"):
        if not element.get("ref"):
            ecarts.append("<code-public-vise> sans l'attribut ref (version du FORMACODE) obligatoire")
    for periode in racine.iter(f"{{{NAMESPACE}}}periode"):
        debut, fin = periode.findtext("l:debut", namespaces=NS), periode.findtext("l:fin", namespaces=NS)
        if debut and fin and debut > fin:
            ecarts.append(f"<periode> : début {debut} après la fin {fin}")
    return ecarts


def _exporter(client: Any) -> Any:
    reponse = client.get(URL)
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/xml")
    contenu = b"".join(reponse.streaming_content)
    assert contenu.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return etree.fromstring(contenu)


def test_export_follows_the_lheo_language(client: Any, rs5142: Any) -> None:
    organisme = PartenaireFactory(
        nom="Coopérative des Tiers-Lieux", numero_declaration_activite="75331234533", telephone="05 56 00 00 00",
        email="contact@example.org", site_web="https://example.org", adresse="12 rue des Faures",
        commune=commune("bordeaux"),
    )  # fmt: skip
    SessionFormationFactory(partenaire=organisme, numero=12, contact_inscription="Camille, 05 56 00 00 01")
    SessionFormationFactory(
        partenaire=organisme, numero=13, date_debut=datetime.date.today() + datetime.timedelta(days=200)
    )
    SessionFormationFactory(partenaire=organisme, numero=14, intitule="Animer une communauté de tiers-lieux")
    SessionFormationFactory(modalite=Modalite.DISTANCE, commune=None, region="53", numero=4, financements=[])
    SessionFormationFactory(modalite=Modalite.HYBRIDE, commune=commune("rennes"), numero=6, inscrits=12)
    SessionFormationFactory(publiee=False, numero=5)
    racine = _exporter(client)
    assert ecarts_lheo(racine) == []
    formations = racine.findall("l:offres/l:formation", NS)
    assert len(formations) == 4  # one per partner and title
    assert len({f.get("numero") for f in formations}) == 4
    assert len(racine.findall(".//l:action", NS)) == 5  # unpublished session left out
    premiere = next(
        f
        for f in formations
        if f.findtext(".//l:SIRET", namespaces=NS) == organisme.siret and len(f.findall("l:action", NS)) == 2
    )
    assert premiere.findtext("l:organisme-formation-responsable/l:numero-activite", namespaces=NS) == "75331234533"
    assert [d.text for d in premiere.iterfind("l:action/l:session/l:periode/l:debut", NS)] == sorted(
        d.text for d in premiere.iterfind("l:action/l:session/l:periode/l:debut", NS)
    )
    assert (
        premiere.findtext("l:action/l:lieu-de-formation/l:coordonnees/l:adresse/l:code-INSEE-commune", namespaces=NS)
        == "33063"
    )
    assert sorted(e.text for e in racine.iterfind(".//l:modalites-enseignement", NS)) == ["0", "0", "0", "1", "2"]
    assert sorted(e.text for e in racine.iterfind(".//l:etat-recrutement", NS)) == ["1", "1", "1", "1", "2"]


def test_long_texts_are_kept_within_the_lengths_lheo_accepts(client: Any, rs5142: Any) -> None:
    organisme = PartenaireFactory(
        nom="Association régionale " + "des tiers-lieux et fabriques de territoire " * 4,
        adresse="Bâtiment B, " + "allée des Acacias prolongée, " * 8,
        commune=commune("libourne"),
        email="x" * 150 + "@example.org",
    )
    SessionFormationFactory(
        partenaire=organisme,
        intitule="Piloter un tiers-lieu " * 11,
        description="Contenu détaillé. " * 300,
        lieu="Tiers-lieu La Fabrique, " + "hangar numéro 4 au fond de la cour, " * 6,
        contact_inscription="Écrire à l'équipe pédagogique en précisant votre financement " * 4,
    )
    racine = _exporter(client)
    assert ecarts_lheo(racine) == []
    lignes = racine.findall(".//l:lieu-de-formation/l:coordonnees/l:adresse/l:ligne", NS)
    assert 2 <= len(lignes) <= 4 and lignes[0].text.startswith("Tiers-lieu La Fabrique")
    assert racine.findtext(".//l:nom-organisme", namespaces=NS).startswith("Association régionale")
    assert racine.find(".//l:courriel", NS) is None  # longer than LHÉO's 160 characters: left out


def test_cancelled_sessions_and_partners_without_declaration_number_are_left_out(client: Any, rs5142: Any) -> None:
    gardee = SessionFormationFactory(numero=1)
    SessionFormationFactory(numero=2, statut=StatutSession.ANNULEE)
    SessionFormationFactory(numero=3, partenaire=PartenaireFactory(numero_declaration_activite=""))
    racine = _exporter(client)
    assert ecarts_lheo(racine) == []
    assert [a.get("numero") for a in racine.iterfind(".//l:action", NS)] == [str(gardee.pk)]


def test_nothing_to_export_is_a_404_since_lheo_has_no_empty_offer(client: Any, rs5142: Any) -> None:
    SessionFormationFactory(statut=StatutSession.ANNULEE)
    assert client.get(URL).status_code == 404
    assert "LHÉO" not in client.get("/certifications/rs5142/ou-suivre/").content.decode()


@pytest.mark.parametrize(
    ("document", "attendu"),
    [
        ("<offres/>", "0 <formation>"),
        ("<offres><formation><intitule-formation>x</intitule-formation></formation></offres>", "domaine-formation"),
        ("<offres><extras/><formation/></offres>", "inattendu ou mal placé"),
        ("<offres><inconnu/></offres>", "inattendu"),
    ],
)
def test_the_rules_catch_a_broken_document(document: str, attendu: str) -> None:
    racine = etree.fromstring(f'<lheo xmlns="{NAMESPACE}">{document}</lheo>')
    assert any(attendu in e for e in ecarts_lheo(racine))


def test_the_rules_catch_a_text_too_long_and_a_wrong_namespace() -> None:
    adresse = "<adresse><ligne>{}</ligne><codepostal>33000</codepostal><ville>Bordeaux</ville></adresse>"
    racine = etree.fromstring(f'<adresse xmlns="{NAMESPACE}">' + adresse.format("x" * 51)[9:])
    assert any("<ligne> : 51 caractères" in e for e in ecarts_lheo(racine))
    assert any("racine" in e for e in ecarts_lheo(etree.fromstring("<lheo><offres/></lheo>")))


def test_text_with_markup_characters_is_escaped(client: Any, rs5142: Any) -> None:
    SessionFormationFactory(intitule="Tiers-lieux <&> « ateliers »")
    racine = _exporter(client)
    assert racine.findtext(".//l:intitule-formation", namespaces=NS) == "Tiers-lieux <&> « ateliers »"
