"""Any holder identity gives either a record valid against our XSD or a hold-back reason, never an
invalid file (the property the export relies on), and the documented awkward cases."""

from __future__ import annotations

import datetime
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.accrochage import flux
from parchemin.accrochage.donnees import Identite, normaliser_nom, preparer
from parchemin.referentiel.enums import VoieAcces

EN_TETE = flux.EnTete(
    id_flux="PARCHEMIN-TEST",
    horodatage=datetime.datetime(2026, 12, 1, 10, 0, 0, tzinfo=datetime.UTC),
    id_client_emetteur="EMET0001",
    id_client_certificateur="CERT0001",
    id_contrat="MCFCER000123",
    version="1.1.2",
)
URL = "https://parchemin.example.org/verifier/ABCD2345/"

noms = st.one_of(
    st.text(max_size=70),
    st.text(alphabet="abcdeéèçœÀ -'’ÆØ", max_size=70),
    st.sampled_from(["Martin", "N'Diaye", "Le  Gall", "Jean - Pierre", "-Marie", "Ō", "Zoë", "", " "]),
)
codes_commune = st.one_of(
    st.sampled_from(["33063", "2A004", "2B033", "97411", "99109", "20000", "", "75056", "2C001"]), st.text(max_size=6)
)
codes_pays = st.one_of(st.sampled_from(["109", "100", "", "351", "09"]), st.text(max_size=4))
identites = st.builds(
    Identite,
    nom_naissance=noms,
    nom_usage=noms,
    prenom1=noms,
    prenom2=noms,
    prenom3=noms,
    sexe=st.sampled_from(["M", "F", "", "X"]),
    date_naissance=st.one_of(st.none(), st.dates(min_value=datetime.date(1800, 1, 1))),
    code_commune_naissance=codes_commune,
    commune_naissance=st.text(max_size=80),
    code_pays_naissance=codes_pays,
    pays_naissance=st.text(max_size=80),
)


def _fichier(identite: Identite) -> tuple[bytes | None, list[str]]:
    enregistrement, raisons = preparer(
        identite,
        id_technique="PARCHEMIN-RS5142-2026-00001",
        url_preuve=URL,
        date_debut_validite=datetime.date(2026, 11, 30),
        voie=VoieAcces.EXPERIENCE,
    )
    if enregistrement is None:
        return None, raisons
    sortie = io.BytesIO()
    flux.ecrire(sortie, EN_TETE, flux.Suite(iter([(flux.Certification("RS", "RS5142"), enregistrement)])))
    return sortie.getvalue(), raisons


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(identites)
def test_any_identity_gives_a_valid_record_or_a_reason(identite: Identite) -> None:
    from lxml import etree

    contenu, raisons = _fichier(identite)
    if contenu is None:
        assert raisons and all(r.endswith(".") for r in raisons)
        return
    schema = flux.schema_parchemin("1.1.2")
    assert schema.validate(etree.fromstring(contenu).getroottree()), schema.error_log


@pytest.mark.parametrize(
    ("identite", "attendu"),
    [
        (Identite(code_commune_naissance="2A004"), "2A004"),
        (Identite(code_commune_naissance="2b033"), "2B033"),
        (Identite(code_pays_naissance="109", pays_naissance="Allemagne"), "99109"),
    ],
)
def test_birth_place_codes(identite: Identite, attendu: str) -> None:
    complete = Identite(
        nom_naissance="Martin",
        prenom1="Camille",
        sexe="F",
        date_naissance=datetime.date(1980, 1, 2),
        code_commune_naissance=identite.code_commune_naissance,
        code_pays_naissance=identite.code_pays_naissance,
        pays_naissance=identite.pays_naissance,
    )
    contenu, _ = _fichier(complete)
    assert contenu is not None and f"<cpf:codeInsee>{attendu}</cpf:codeInsee>".encode() in contenu


def _complete(**champs: object) -> Identite:
    base = {
        "nom_naissance": "Martin",
        "prenom1": "Camille",
        "sexe": "F",
        "date_naissance": datetime.date(1980, 1, 2),
        "code_commune_naissance": "33063",
    }
    base.update(champs)
    return Identite(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("champs", "raison"),
    [
        ({"nom_naissance": "A" * 61}, "Nom de naissance trop long : 61 caractères"),
        ({"prenom1": ""}, "Premier prénom manquant."),
        ({"nom_naissance": "Müller☃"}, "caractères que le format CDC n'accepte pas (« ☃ »)"),
        ({"date_naissance": None}, "Date de naissance manquante."),
        ({"date_naissance": datetime.date(1899, 12, 31)}, "1900 à 2099"),
        ({"code_commune_naissance": "", "code_pays_naissance": ""}, "Lieu de naissance manquant"),
        ({"code_commune_naissance": "99109"}, "Code INSEE de la commune de naissance « 99109 » invalide"),
        ({"code_commune_naissance": "", "code_pays_naissance": "100"}, "100, la France"),
        ({"sexe": ""}, "Sexe manquant"),
    ],
)
def test_hold_back_reasons(champs: dict[str, object], raison: str) -> None:
    enregistrement, raisons = preparer(
        _complete(**champs),
        id_technique="X",
        url_preuve=URL,
        date_debut_validite=datetime.date(2026, 1, 1),
        voie=VoieAcces.EXPERIENCE,
    )
    assert enregistrement is None
    assert any(raison in r for r in raisons), raisons


def test_one_first_name_and_hyphenated_names_are_sent() -> None:
    contenu, raisons = _fichier(_complete(nom_naissance="Le Gall-Durand", prenom1="Marie - Hélène"))
    assert raisons == [] and contenu is not None
    assert "<cpf:prenom1>Marie-Hélène</cpf:prenom1>".encode() in contenu
    assert b"prenom2" not in contenu


def test_names_are_normalised_before_checking() -> None:
    assert normaliser_nom("  D’Artagnan   de  la  Tour ") == "D'Artagnan de la Tour"
    assert normaliser_nom("Jose\u0301") == "José"
