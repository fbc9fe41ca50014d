"""Importing a référentiel: refused whole with every problem listed, or written whole; never half."""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.identifiants import luhn_valide
from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.echange import Probleme, ReferentielInvalide, exporter, importer
from parchemin.referentiel.models import Certification, Competence, ReferentielVersion, Unite, stable_uuid

pytestmark = pytest.mark.django_db

RS5142_JSON = Path(__file__).resolve().parents[2] / "parchemin" / "referentiel" / "data" / "rs5142.json"
PROPRIETES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _document_rs5142() -> dict[str, Any]:
    return json.loads(RS5142_JSON.read_text(encoding="utf-8"))


def _siret(prefixe: str) -> str:
    """A SIRET with a correct Luhn key (prefixe: 13 digits)."""
    return next(prefixe + cle for cle in "0123456789" if luhn_valide(prefixe + cle))


def _document_rncp() -> dict[str, Any]:
    """Another certificateur's RNCP certification, built from scratch (not from RS5142)."""
    return {
        "format": "parchemin-referentiel",
        "format_version": 1,
        "certificateur": {
            "raison_sociale": "Association Médiations Numériques du Littoral",
            "nom_usage": "Médiations Littoral",
            "siret": _siret("8123456780001"),
            "adresse": "4 quai des Chartrons",
            "code_postal": "33000",
            "ville": "Bordeaux",
            "site_web": "https://mediations-littoral.example.org",
            "email_contact": "certification@mediations-littoral.example.org",
            "presentation": "",
        },
        "certification": {
            "registre": "RNCP",
            "code": "RNCP40123",
            "intitule": "Coordinateur de projets de médiation numérique",
            "objectifs": "",
            "public_vise": "",
            "date_decision": "2025-03-27",
            "date_fin_enregistrement": "2030-03-27",
        },
        "version": {"numero": 1, "date_effet": "2025-09-01"},
        "regles_jury": [
            {
                "code": "jury-professionnel",
                "intitule": "Jury de professionnels de la médiation",
                "texte_publie": "Jury de quatre membres dont au moins 75 % extérieurs à l'organisme certificateur.",
                "membres_min": 3,
                "membres_max": 4,
                "pourcentage_externes_min": 75,
                "repartition_salaries_employeurs": "50 % / 50 %",
                "quotas": [{"libelle": "Représentant de l'économie numérique", "profils": ["NUMERIQUE"], "nombre": 1}],
            }
        ],
        "voies_acces": [
            {
                "voie": "APPRENTISSAGE",
                "autorisee": True,
                "modalite_acces_cdc": "FORMATION_INITIALE_APPRENTISSAGE",
                "regle_jury": "jury-professionnel",
            },
            {
                "voie": "FORMATION_CONTINUE",
                "autorisee": True,
                "modalite_acces_cdc": "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
                "regle_jury": "jury-professionnel",
            },
            {
                "voie": "EXPERIENCE",
                "autorisee": True,
                "modalite_acces_cdc": "VAE",
                "regle_jury": "jury-professionnel",
            },
        ],
        "unites": [
            {
                "code": "BC01",
                "intitule": "Diagnostiquer les besoins numériques d'un territoire",
                "competences": [
                    {
                        "code": "C1",
                        "intitule": "Recenser les publics éloignés du numérique",
                        "modalites_evaluation": "Étude de cas écrite.",
                    },
                    {"code": "C2", "intitule": "Cartographier l'offre existante", "modalites_evaluation": ""},
                ],
            },
            {
                "code": "BC02",
                "intitule": "Concevoir et animer des ateliers",
                "competences": [
                    {
                        "code": "C3",
                        "intitule": "Concevoir un atelier « premiers pas »",
                        "modalites_evaluation": "Mise en situation filmée.",
                    }
                ],
            },
        ],
    }


def _etat() -> dict[str, list[dict[str, Any]]]:
    """Every row of every référentiel table and of the journal: what an import must leave alone."""
    modeles = [*apps.get_app_config("referentiel").get_models(), EntreeJournal]
    return {modele._meta.label: list(modele.objects.order_by("pk").values()) for modele in modeles}


def _refus(document: Any) -> list[Probleme]:
    with pytest.raises(ReferentielInvalide) as refus:
        importer(document)
    return refus.value.problemes


def _trouve(problemes: list[Probleme], chemin: str, *fragments: str) -> Probleme:
    for probleme in problemes:
        if probleme.chemin == chemin and all(f in probleme.message for f in fragments):
            return probleme
    raise AssertionError(f"aucun problème {chemin} {fragments!r} dans : {problemes}")


@contextmanager
def _annule() -> Iterator[None]:
    """Run one hypothesis example in a savepoint that is always rolled back (the db fixture is per test)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_refuses_a_document_with_the_four_faults_listing_each_and_writing_nothing(rs5142: Certification) -> None:
    document = _document_rncp()
    document["unites"][1]["code"] = "BC01"  # duplicate unit code
    document["unites"][1]["competences"][0]["code"] = "C1"  # duplicate competence code
    document["unites"][0]["competences"][1]["intitule"] = "   "  # empty label
    document["unites"][1]["intitule"] = ""  # empty label
    document["voies_acces"][1]["voie"] = "ALTERNANCE"  # unknown route code
    document["unites"].append({"code": "BC03", "intitule": "Évaluer les actions", "competences": []})
    avant = _etat()

    problemes = _refus(document)

    _trouve(problemes, "unites[1].code", "code d'unité", "BC01", "en double")
    _trouve(problemes, "unites[1].competences[0].code", "code de compétence", "C1", "déjà utilisé")
    _trouve(problemes, "unites[0].competences[1].intitule", "intitulé", "vide")
    _trouve(problemes, "unites[1].intitule", "intitulé", "vide")
    _trouve(problemes, "voies_acces[1].voie", "inconnu", "ALTERNANCE", "FORMATION_CONTINUE")
    _trouve(problemes, "unites[2].competences", "BC03", "aucune compétence")
    assert len(problemes) == 6, problemes
    assert _etat() == avant


def test_refusal_message_lists_every_problem_in_french(db: None) -> None:
    document = _document_rncp()
    document["unites"][0]["competences"] = []
    document["voies_acces"][0]["voie"] = "STAGE"
    with pytest.raises(ReferentielInvalide) as refus:
        importer(document)
    message = refus.value.message
    assert message.startswith("Le référentiel est refusé (2 problème(s)) ; rien n'a été enregistré.")
    assert "- unites[0].competences : l'unité « BC01 » n'a aucune compétence." in message
    assert "- voies_acces[0].voie : Code de voie d'accès inconnu : 'STAGE'" in message


@pytest.mark.parametrize(
    ("modifier", "chemin", "fragment"),
    [
        (lambda d: d.update(unites="BC01, BC02"), "unites", "doit être une liste"),
        (lambda d: d["unites"][0].update(competences={"code": "C1"}), "unites[0].competences", "doit être une liste"),
        (lambda d: d["version"].update(numero="1"), "version.numero", "nombre entier"),
        (lambda d: d["regles_jury"][0].update(membres_min="3"), "regles_jury[0].membres_min", "nombre entier"),
        (lambda d: d["voies_acces"][0].update(autorisee="oui"), "voies_acces[0].autorisee", "true ou false"),
        (lambda d: d["unites"][0].update(intitule=42), "unites[0].intitule", "doit être du texte"),
        (lambda d: d["certification"].update(date_decision="27/03/2025"), "certification.date_decision", "AAAA-MM-JJ"),
        (lambda d: d.update(certificateur=["Médiations"]), "certificateur", "objet JSON"),
        (lambda d: d["unites"].__setitem__(1, "BC02"), "unites[1]", "objet JSON"),
        (lambda d: d["certificateur"].update(siret="81234567800010"), "certificateur.siret", "SIRET invalide"),
        (
            lambda d: d["voies_acces"][0].update(regle_jury=["jury-professionnel"]),
            "voies_acces[0].regle_jury",
            "inconnue",
        ),
        (lambda d: d["unites"][0].update(intitule="Diagnostiquer\x00"), "unites[0].intitule", "caractère interdit"),
        (lambda d: d["unites"][0].update(code="\ud800"), "unites[0].code", "caractère interdit"),
    ],
    ids=[
        "texte-au-lieu-de-liste",
        "objet-au-lieu-de-liste",
        "numero-en-texte",
        "membres-en-texte",
        "booleen-en-texte",
        "nombre-au-lieu-de-texte",
        "date-francaise",
        "liste-au-lieu-d-objet",
        "texte-au-lieu-d-objet",
        "siret-sans-cle",
        "regle-en-liste",
        "caractere-nul",
        "demi-paire-utf16",
    ],
)
def test_refuses_malformed_types(db: None, modifier: Any, chemin: str, fragment: str) -> None:
    document = _document_rncp()
    modifier(document)
    avant = _etat()
    _trouve(_refus(document), chemin, fragment)
    assert _etat() == avant


def test_a_missing_or_malformed_object_is_one_problem_not_one_per_field(db: None) -> None:
    document = _document_rncp()
    del document["certificateur"]
    document["unites"][0]["competences"][1] = "C2 Cartographier l'offre existante"
    problemes = _refus(document)
    assert [p.chemin for p in problemes] == ["certificateur", "unites[0].competences[1]"], problemes
    assert [p.chemin for p in _refus(["pas", "un", "objet"])] == [""]


def test_refuses_misspelt_fields_instead_of_dropping_them(db: None) -> None:
    document = _document_rncp()
    competence = document["unites"][0]["competences"][0]
    competence["modalites_evaluations"] = competence.pop("modalites_evaluation")  # one letter too many
    document["certification"]["date_de_decision"] = document["certification"].pop("date_decision")
    document["commentaire"] = "brouillon"
    problemes = _refus(document)
    _trouve(problemes, "unites[0].competences[0].modalites_evaluations", "champ inconnu", "modalites_evaluation")
    _trouve(problemes, "certification.date_de_decision", "champ inconnu", "date_decision")
    _trouve(problemes, "commentaire", "champ inconnu", "unites")
    assert len(problemes) == 3, problemes
    assert not Certification.objects.exists()


def test_refuses_an_unknown_jury_profile(db: None) -> None:
    document = _document_rncp()
    document["regles_jury"][0]["quotas"][0]["profils"] = ["NUMERIQUE", "ASTRONAUTE"]
    _trouve(_refus(document), "regles_jury[0].quotas[0].profils[1]", "profil de jury inconnu", "ASTRONAUTE")
    assert not Certification.objects.exists()


def test_refuses_an_allowed_route_without_jury_rule(db: None) -> None:
    document = _document_rncp()
    document["voies_acces"][2]["regle_jury"] = None
    _trouve(_refus(document), "voies_acces[2].regle_jury", "voie autorisée", "composition de son jury")
    document["voies_acces"][2]["regle_jury"] = "jury-inexistant"
    _trouve(_refus(document), "voies_acces[2].regle_jury", "règle de jury inconnue", "jury-inexistant")
    assert not Certification.objects.exists()


def test_refuses_to_change_an_existing_version_and_rolls_back_everything(rs5142: Certification) -> None:
    document = _document_rs5142()
    document["certification"]["intitule"] = "Intitulé qui ne doit pas être enregistré"
    document["certificateur"]["ville"] = "Bordeaux"
    document["unites"][1]["competences"][2]["intitule"] = "Analyser ses résultats autrement"
    avant = _etat()

    _trouve(_refus(document), "version.numero", "version 1 de RS5142 existe déjà", "nouveau numéro")

    assert _etat() == avant
    rs5142.refresh_from_db()
    assert rs5142.intitule == "Piloter un tiers-lieu"


def test_reimporting_the_same_document_changes_nothing_and_writes_no_journal_entry(rs5142: Certification) -> None:
    version = rs5142.version_en_vigueur()
    assert version is not None
    avant = _etat()
    for document in (_document_rs5142(), exporter(version)):
        resultat = importer(document)
        assert resultat.modifications == []
        assert resultat.version == version
    assert _etat() == avant


def test_a_second_certification_from_another_certificateur_imports_alongside_rs5142(rs5142: Certification) -> None:
    version_rs = rs5142.version_en_vigueur()
    assert version_rs is not None
    export_rs = exporter(version_rs)
    journal_avant = EntreeJournal.objects.count()

    resultat = importer(_document_rncp())

    rncp = resultat.certification
    assert (rncp.code, rncp.registre) == ("RNCP40123", "RNCP")
    assert rncp.certificateur != rs5142.certificateur
    assert rncp.certificateur.siret == _siret("8123456780001")
    assert list(Unite.objects.filter(version=resultat.version).values_list("code", "uuid")) == [
        ("BC01", stable_uuid("RNCP40123", "v1", "unite", "BC01")),
        ("BC02", stable_uuid("RNCP40123", "v1", "unite", "BC02")),
    ]
    assert Competence.objects.filter(version=resultat.version).count() == 3
    assert exporter(resultat.version) == _document_rncp()
    assert exporter(version_rs) == export_rs
    assert Certification.objects.count() == 2
    assert EntreeJournal.objects.count() == journal_avant + 1
    assert importer(_document_rncp()).modifications == []


def test_refuses_a_certification_code_owned_by_another_certificateur(rs5142: Certification) -> None:
    document = _document_rncp()
    document["certification"].update({"registre": "RS", "code": "RS5142"})
    avant = _etat()
    _trouve(_refus(document), "certification.code", "RS5142 appartient déjà", "Coopérative des Tiers-Lieux")
    assert _etat() == avant


def test_the_example_of_the_format_documentation_imports(db: None) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "referentiel-format.md").read_text(encoding="utf-8")
    exemple = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    resultat = importer(exemple)
    assert resultat.certification.code == "RNCP40123"
    assert [c.code for c in Competence.objects.filter(version=resultat.version).order_by("ordre")] == ["C1", "C2"]


# --- the management command ---------------------------------------------------------------------


def _commande(fichier: Path) -> str:
    sortie = io.StringIO()
    call_command("importer_referentiel", str(fichier), stdout=sortie)
    return sortie.getvalue()


def test_command_imports_a_valid_file_then_reports_no_change(db: None, tmp_path: Path) -> None:
    fichier = tmp_path / "rncp.json"
    fichier.write_text(json.dumps(_document_rncp(), ensure_ascii=False), encoding="utf-8")
    assert "création : certification RNCP40123" in _commande(fichier)
    assert _commande(fichier).strip() == "Aucun changement."


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (
            json.dumps({**_document_rncp(), "unites": []}).encode(),
            "unites : La liste des unités ne peut pas être vide.",
        ),
        ('{"format": "parchemin-référentiel"}'.encode("latin-1"), "Le fichier doit être encodé en UTF-8."),
        (b'{"format": "parchemin-referentiel", "unites": [', "JSON illisible, ligne 1"),
        (b"", "JSON illisible"),
    ],
    ids=["referentiel-invalide", "latin-1", "json-tronque", "fichier-vide"],
)
def test_command_reports_bad_files_as_command_errors(db: None, tmp_path: Path, contenu: bytes, message: str) -> None:
    fichier = tmp_path / "referentiel.json"
    fichier.write_bytes(contenu)
    avant = _etat()
    with pytest.raises(CommandError, match=re.escape(message)):
        _commande(fichier)
    assert _etat() == avant


def test_command_reports_a_missing_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Fichier introuvable"):
        _commande(tmp_path / "absent.json")


def test_export_command_prints_the_file_it_was_loaded_from(rs5142: Certification) -> None:
    sortie = io.StringIO()
    call_command("exporter_referentiel", "rs5142", stdout=sortie)
    assert json.loads(sortie.getvalue()) == _document_rs5142()


@pytest.mark.parametrize("arguments", [["RS9999"], ["RS5142", "--numero", "2"], ["RS5142", "--numero", "0"]])
def test_export_command_refuses_an_unknown_certification_or_version(rs5142: Any, arguments: list[str]) -> None:
    with pytest.raises(CommandError, match="Aucun référentiel trouvé"):
        call_command("exporter_referentiel", *arguments, stdout=io.StringIO())


# --- properties ---------------------------------------------------------------------------------

# Accents, typographic and straight quotes, emoji (including a ZWJ sequence), and any printable
# character; leading/trailing spaces are stripped by the import, so generated labels have none.
CARACTERES = st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")),
    st.sampled_from("éèêàçôùÉÈÀÇŒœ«»\"'’‘“”😀🧑‍🌾🇫🇷"),
)


def _texte(max_size: int) -> st.SearchStrategy[str]:
    return st.text(CARACTERES, min_size=1, max_size=max_size).map(str.strip).filter(bool)


@st.composite
def referentiels(draw: st.DrawFn) -> list[dict[str, Any]]:
    codes_unites = draw(st.lists(_texte(20), min_size=1, max_size=4, unique=True))
    nombres = [draw(st.integers(min_value=1, max_value=4)) for _ in codes_unites]
    codes_competences = iter(draw(st.lists(_texte(20), min_size=sum(nombres), max_size=sum(nombres), unique=True)))
    return [
        {
            "code": code,
            "intitule": draw(_texte(120)),
            "competences": [
                {
                    "code": next(codes_competences),
                    "intitule": draw(_texte(120)),
                    "modalites_evaluation": draw(st.one_of(st.just(""), _texte(200))),
                }
                for _ in range(nombre)
            ],
        }
        for code, nombre in zip(codes_unites, nombres, strict=True)
    ]


@PROPRIETES
@given(unites=referentiels(), intitule=_texte(255), raison_sociale=_texte(200))
def test_export_then_import_is_identity(
    db: None, unites: list[dict[str, Any]], intitule: str, raison_sociale: str
) -> None:
    document = _document_rs5142()
    document["unites"] = unites
    document["certification"]["intitule"] = intitule
    document["certificateur"]["raison_sociale"] = raison_sociale
    with _annule():
        version = importer(json.loads(json.dumps(document, ensure_ascii=False))).version
        exporte = exporter(ReferentielVersion.objects.get(pk=version.pk))
        assert exporte == document
        texte = json.dumps(exporte, ensure_ascii=False)
        assert importer(json.loads(texte)).modifications == []
        assert exporter(version) == exporte


VALEURS_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["1", "3", "RS5142", "jury-tiers-lieux", "ESS", "VAE", "2025-01-01", "FORMATION_CONTINUE"])
    # Valid JSON text that no database can store: a NUL character, a lone UTF-16 surrogate.
    | st.sampled_from(["\x00", "intitulé\x00", "\ud800", "a\udfffb"]),
    lambda enfants: st.lists(enfants, max_size=3) | st.dictionaries(st.text(max_size=12), enfants, max_size=3),
    max_leaves=6,
)


def _chemins(valeur: Any, prefixe: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    chemins = [prefixe]
    if isinstance(valeur, dict):
        for cle, enfant in valeur.items():
            chemins += _chemins(enfant, (*prefixe, cle))
    elif isinstance(valeur, list):
        for index, enfant in enumerate(valeur):
            chemins += _chemins(enfant, (*prefixe, index))
    return chemins


def _muter(document: Any, data: st.DataObject) -> Any:
    chemin = data.draw(st.sampled_from(_chemins(document)))
    operation = data.draw(st.sampled_from(["supprimer", "remplacer", "en-texte", "dupliquer"]))
    if not chemin:
        return data.draw(VALEURS_JSON)
    parent = document
    for etape in chemin[:-1]:
        parent = parent[etape]
    cle = chemin[-1]
    if operation == "supprimer":
        del parent[cle]
    elif operation == "en-texte":
        parent[cle] = json.dumps(parent[cle]) if not isinstance(parent[cle], str) else parent[cle] + " "
    elif operation == "dupliquer" and isinstance(parent, list):
        parent.insert(cle, copy.deepcopy(parent[cle]))
    else:
        parent[cle] = data.draw(VALEURS_JSON)
    return document


@PROPRIETES
@given(data=st.data())
def test_a_mutated_document_is_imported_or_refused_whole(rs5142: Certification, data: st.DataObject) -> None:
    base = data.draw(st.sampled_from([_document_rs5142, _document_rncp]))()
    document: Any = base
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        document = _muter(document, data)
    with _annule():
        avant = _etat()
        try:
            importer(document)
        except ReferentielInvalide as refus:
            assert refus.problemes
            assert all(isinstance(p.message, str) and p.message for p in refus.problemes)
            for probleme in refus.problemes:
                _localiser(document, probleme.chemin)
            assert _etat() == avant


def _localiser(document: Any, chemin: str) -> None:
    """Every step of a problem's location but the last (which may be a missing key) exists in the document."""
    etapes = [e for e in re.split(r"\.|\[(\d+)\]", chemin) if e]
    noeud = document
    for etape in etapes[:-1]:
        if etape.isdigit() and isinstance(noeud, list):
            assert int(etape) < len(noeud), (chemin, document)
            noeud = noeud[int(etape)]
        else:
            assert isinstance(noeud, dict) and etape in noeud, (chemin, document)
            noeud = noeud[etape]
