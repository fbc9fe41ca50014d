"""CASE 1.1 export of the référentiel: complete, a tree, stable, and the same from the command and the URL."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.case import document_case, serialiser
from parchemin.referentiel.echange import importer
from parchemin.referentiel.models import Certification, Competence, ReferentielVersion, Unite, stable_uuid

pytestmark = pytest.mark.django_db

RS5142_JSON = Path(__file__).resolve().parents[2] / "parchemin" / "referentiel" / "data" / "rs5142.json"
BASE_URL = "https://certification.example.org"

# Keys the CASE 1.1 package types allow (1EdTech CASE v1p1 information model: CFPckgDocument,
# CFPckgItem, CFPckgAssociation, LinkGenURI) and the ones they require.
CLES_DOCUMENT = {
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
    "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language", "version",
    "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes", "extensions",
}  # fmt: skip
REQUISES_DOCUMENT = {"identifier", "uri", "creator", "title", "lastChangeDateTime"}
CLES_ITEM = {
    "identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme",
    "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes", "subject",
    "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI", "statusStartDate",
    "statusEndDate", "lastChangeDateTime", "extensions",
}  # fmt: skip
REQUISES_ITEM = {"identifier", "fullStatement", "uri", "lastChangeDateTime"}
CLES_ASSOCIATION = {
    "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI", "destinationNodeURI",
    "CFAssociationGroupingURI", "lastChangeDateTime", "notes", "extensions",
}  # fmt: skip
REQUISES_ASSOCIATION = CLES_ASSOCIATION - {"sequenceNumber", "CFAssociationGroupingURI", "notes", "extensions"}


def _version(certification: Certification, numero: int = 1) -> ReferentielVersion:
    return ReferentielVersion.objects.select_related("certification__certificateur").get(
        certification=certification, numero=numero
    )


def _package(certification: Certification, numero: int = 1) -> dict[str, Any]:
    return document_case(_version(certification, numero), base_url=BASE_URL)


def _commande(*args: str) -> str:
    sortie = io.StringIO()
    call_command("exporter_case", *args, stdout=sortie)
    return sortie.getvalue()


def _document_rs5142() -> dict[str, Any]:
    return json.loads(RS5142_JSON.read_text(encoding="utf-8"))


def test_every_unit_and_competence_appears_once_with_its_database_identifier(rs5142: Certification) -> None:
    package = _package(rs5142)
    items = {item["identifier"]: item for item in package["CFItems"]}
    assert len(items) == len(package["CFItems"]) == 3 + 18
    for unite in Unite.objects.filter(version__certification=rs5142):
        item = items[str(unite.uuid)]
        assert (item["CFItemType"], item["humanCodingScheme"], item["fullStatement"]) == (
            "Unité",
            unite.code,
            unite.intitule,
        )
    for competence in Competence.objects.filter(version__certification=rs5142):
        item = items[str(competence.uuid)]
        assert item["CFItemType"] == "Compétence"
        assert item["humanCodingScheme"] == competence.code
        assert item["fullStatement"] == competence.intitule
        # RS5142's published sources give no assessment method per competence: no empty notes either.
        assert competence.modalites_evaluation == "" and "notes" not in item
    assert items[str(stable_uuid("RS5142", "v1", "competence", "2.3"))]["humanCodingScheme"] == "2.3"


def test_a_competence_assessment_method_is_exported_as_its_notes(rs5142: Certification) -> None:
    competence = Competence.objects.get(version__certification=rs5142, code="1.7")
    competence.modalites_evaluation = "Dossier écrit puis présentation orale devant le jury."
    competence.save(update_fields=["modalites_evaluation"])
    items = {item["identifier"]: item for item in _package(rs5142)["CFItems"]}
    assert items[str(competence.uuid)]["notes"] == "Dossier écrit puis présentation orale devant le jury."
    assert sum("notes" in item for item in items.values()) == 1


def test_document_describes_the_certification_and_its_version(rs5142: Certification) -> None:
    version = _version(rs5142)
    document = _package(rs5142)["CFDocument"]
    assert document["identifier"] == str(version.uuid) == str(stable_uuid("RS5142", "v1"))
    assert document["uri"] == f"{BASE_URL}/certifications/rs5142/case.json?version=1"
    assert document["creator"] == "La Coopérative des Tiers-Lieux"
    assert document["title"] == "RS5142 — Piloter un tiers-lieu"
    assert (document["language"], document["caseVersion"], document["version"]) == ("fr", "1.1", "1")
    assert document["adoptionStatus"] == "Adopted"
    assert document["officialSourceURL"] == "https://www.francecompetences.fr/recherche/rs/5142/"


def test_package_uses_only_case_package_fields(rs5142: Certification) -> None:
    package = _package(rs5142)
    assert set(package) == {"CFDocument", "CFItems", "CFAssociations"}
    assert REQUISES_DOCUMENT <= set(package["CFDocument"]) <= CLES_DOCUMENT
    for item in package["CFItems"]:
        assert REQUISES_ITEM <= set(item) <= CLES_ITEM
        assert item["uri"].startswith(package["CFDocument"]["uri"] + "#")
    for association in package["CFAssociations"]:
        assert REQUISES_ASSOCIATION <= set(association) <= CLES_ASSOCIATION
        for bout in ("originNodeURI", "destinationNodeURI"):
            assert set(association[bout]) == {"title", "identifier", "uri"}
    horodatages = [package["CFDocument"]["lastChangeDateTime"]]
    horodatages += [objet["lastChangeDateTime"] for objet in package["CFItems"] + package["CFAssociations"]]
    for horodatage in horodatages:
        assert dt.datetime.strptime(horodatage, "%Y-%m-%dT%H:%M:%SZ")


def test_associations_form_the_unit_tree(rs5142: Certification) -> None:
    package = _package(rs5142)
    document = package["CFDocument"]
    items = {item["identifier"]: item for item in package["CFItems"]}
    associations = package["CFAssociations"]
    assert {a["associationType"] for a in associations} == {"isChildOf"}
    parents = Counter(a["originNodeURI"]["identifier"] for a in associations)
    assert set(parents) == set(items) and set(parents.values()) == {1}, "chaque item a exactement un parent"

    parent_de = {a["originNodeURI"]["identifier"]: a["destinationNodeURI"] for a in associations}
    for unite in Unite.objects.filter(version__certification=rs5142):
        assert parent_de[str(unite.uuid)] == {
            "title": document["title"],
            "identifier": document["identifier"],
            "uri": document["uri"],
        }
    for competence in Competence.objects.select_related("unite").filter(version__certification=rs5142):
        destination = parent_de[str(competence.uuid)]
        assert destination["identifier"] == str(competence.unite.uuid)
        assert destination["uri"] == items[str(competence.unite.uuid)]["uri"]
    for association in associations:
        origine = items[association["originNodeURI"]["identifier"]]
        assert association["originNodeURI"]["uri"] == origine["uri"]
        attendu = stable_uuid(origine["identifier"], "isChildOf", association["destinationNodeURI"]["identifier"])
        assert association["identifier"] == str(attendu)
    assert len({a["identifier"] for a in associations}) == len(associations)


def test_two_exports_are_byte_identical_even_later_and_after_a_reload(rs5142: Certification) -> None:
    premier = serialiser(_package(rs5142))
    plus_tard = dt.datetime(2031, 5, 17, 9, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=plus_tard):
        call_command("charger_rs5142", stdout=io.StringIO())
        assert serialiser(_package(rs5142)) == premier


def test_last_change_is_the_import_of_the_version(rs5142: Certification) -> None:
    version = _version(rs5142)
    entree = EntreeJournal.objects.get(action="referentiel.import", objet_id=str(version.pk))
    attendu = entree.horodatage.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    package = _package(rs5142)
    assert package["CFDocument"]["lastChangeDateTime"] == attendu
    assert {item["lastChangeDateTime"] for item in package["CFItems"]} == {attendu}


def test_a_certification_change_moves_the_document_date_but_not_the_items(rs5142: Certification) -> None:
    avant = _package(rs5142)
    document = _document_rs5142()
    document["certification"]["intitule"] = "Piloter un tiers-lieu (intitulé révisé)"
    plus_tard = dt.datetime(2031, 5, 17, 9, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=plus_tard):
        importer(document)
    apres = _package(rs5142)
    assert apres["CFDocument"]["lastChangeDateTime"] == "2031-05-17T09:30:00Z"
    assert apres["CFDocument"]["title"] == "RS5142 — Piloter un tiers-lieu (intitulé révisé)"
    assert apres["CFItems"] == avant["CFItems"]


def test_command_prints_the_package(rs5142: Certification) -> None:
    sortie = _commande("rs5142")
    assert json.loads(sortie) == document_case(_version(rs5142), base_url=settings.SITE_URL)


def test_command_refuses_an_unknown_certification_or_version(rs5142: Certification) -> None:
    with pytest.raises(CommandError, match="RS0000"):
        _commande("RS0000")
    with pytest.raises(CommandError, match="Aucun référentiel"):
        _commande("RS5142", "--numero", "7")


def test_url_serves_exactly_the_command_output(client: Client, rs5142: Certification) -> None:
    reponse = client.get("/certifications/rs5142/case.json")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    assert reponse.content.decode("utf-8") + "\n" == _commande("RS5142")
    assert client.get("/certifications/RS5142/case.json?version=1").content == reponse.content


def test_url_query_count_does_not_grow_with_the_referentiel(client: Client, rs5142: Certification) -> None:
    grand = _document_rs5142()
    grand["certification"].update({"registre": "RNCP", "code": "RNCP40002"})
    grand["unites"] = [
        {
            "code": f"B{n}",
            "intitule": f"Bloc {n}",
            "competences": [{"code": f"C{n}.{m}", "intitule": f"Compétence {n}.{m}"} for m in range(1, 9)],
        }
        for n in range(1, 9)
    ]
    importer(grand)
    comptes = []
    for code in ("rs5142", "rncp40002"):
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(f"/certifications/{code}/case.json").status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1] <= 5, comptes


@pytest.mark.parametrize(
    "chemin",
    [
        "/certifications/rs0000/case.json",
        "/certifications/rs5142/case.json?version=2",
        "/certifications/rs5142/case.json?version=deux",
        "/certifications/rs5142/case.json?version=99999999999999999999",
    ],
)
def test_url_is_404_for_unknown_certification_or_version(client: Client, rs5142: Certification, chemin: str) -> None:
    assert client.get(chemin).status_code == 404


def test_url_is_404_for_an_unpublished_certification(client: Client, rs5142: Certification) -> None:
    Certification.objects.filter(pk=rs5142.pk).update(publiee=False)
    assert client.get("/certifications/rs5142/case.json").status_code == 404


def test_url_refuses_writes(client: Client, rs5142: Certification) -> None:
    assert client.post("/certifications/rs5142/case.json").status_code in {403, 405}


def test_a_new_version_keeps_the_old_one_resolvable_and_deprecated(client: Client, rs5142: Certification) -> None:
    document = _document_rs5142()
    document["version"] = {"numero": 2, "date_effet": "2027-01-01"}
    document["unites"][1]["competences"][2]["intitule"] = "Analyser ses résultats et ses équilibres financiers"
    importer(document)

    v1 = json.loads(client.get("/certifications/rs5142/case.json?version=1").content)
    v2 = json.loads(client.get("/certifications/rs5142/case.json").content)
    assert (v1["CFDocument"]["adoptionStatus"], v2["CFDocument"]["adoptionStatus"]) == ("Deprecated", "Adopted")
    assert v2["CFDocument"]["version"] == "2"
    assert v2["CFDocument"]["statusStartDate"] == "2027-01-01"
    assert v1["CFDocument"]["uri"].endswith("?version=1") and v2["CFDocument"]["uri"].endswith("?version=2")
    assert not {i["identifier"] for i in v1["CFItems"]} & {i["identifier"] for i in v2["CFItems"]}
    competence = next(i for i in v2["CFItems"] if i["humanCodingScheme"] == "2.3")
    assert competence["identifier"] == str(stable_uuid("RS5142", "v2", "competence", "2.3"))
    assert competence["fullStatement"] == "Analyser ses résultats et ses équilibres financiers"


def test_rncp_units_are_exported_as_blocs_de_competences(db: None) -> None:
    document = copy.deepcopy(_document_rs5142())
    document["certification"].update({"registre": "RNCP", "code": "RNCP40001", "intitule": "Coordonner un lieu"})
    resultat = importer(document)
    package = document_case(resultat.version, base_url=BASE_URL)
    types = Counter(item["CFItemType"] for item in package["CFItems"])
    assert types == {"Bloc de compétences": 3, "Compétence": 18}
    assert package["CFDocument"]["officialSourceURL"] == "https://www.francecompetences.fr/recherche/rncp/40001/"
