"""CASE 1.1 (1EdTech Competencies and Academic Standards Exchange) export of one référentiel version.

The package follows the CASE 1.1 package schema (CFPackage → CFDocument, CFItems, CFAssociations):
the package-context types have no ``CFPackageURI`` / ``CFDocumentURI`` and forbid extra keys, so the
export emits neither. Identifiers are the UUIDs stored in the database (derived with ``stable_uuid``)
and association identifiers are derived from their two ends, so every export of the same version is
byte-identical and consumers (credential alignments) can point at an item for good.

URIs: the document is ``<SITE_URL>/certifications/<code>/case.json?version=<n>`` (served by
``public:certification_case``); every item and association is that URI followed by ``#<uuid>``.
The version number is part of the URI so that an item of version 1 keeps resolving once version 2
is published.

docs/referentiel-format.md describes the mapping field by field.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Max, Min, Q
from django.urls import reverse

from parchemin.journal.models import EntreeJournal

from .enums import Registre
from .models import Certification, Competence, ReferentielVersion, Unite, stable_uuid

CASE_VERSION = "1.1"
LANGUE = "fr"
TYPE_CADRE = "Référentiel de compétences"
TYPE_COMPETENCE = "Compétence"
ASSOCIATION_ENFANT = "isChildOf"
STATUT_EN_VIGUEUR = "Adopted"
STATUT_REMPLACE = "Deprecated"
ACTION_IMPORT = "referentiel.import"
# Used only for a version that was never imported (created by hand) and has no date at all: a fixed
# instant keeps exports reproducible, which matters more than a plausible-looking date.
INSTANT_INCONNU = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

LinkURI = dict[str, str]


def type_unite(certification: Certification) -> str:
    """RS fiches speak of units, RNCP fiches of blocs de compétences."""
    return "Bloc de compétences" if certification.registre == Registre.RNCP else "Unité"


def url_fiche_officielle(certification: Certification) -> str:
    """The certification's page on France compétences (``/recherche/rs/5142/``)."""
    registre = certification.registre.lower()
    numero = certification.code.removeprefix(certification.registre)
    return f"https://www.francecompetences.fr/recherche/{registre}/{numero}/"


def uri_document(version: ReferentielVersion, *, base_url: str) -> str:
    chemin = reverse("public:certification_case", kwargs={"code": version.certification.code.lower()})
    return f"{base_url.rstrip('/')}{chemin}?version={version.numero}"


def _horodatage(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _minuit(jour: dt.date) -> dt.datetime:
    return dt.datetime.combine(jour, dt.time(), tzinfo=dt.UTC)


def _instants(version: ReferentielVersion, versions_certification: list[int]) -> tuple[dt.datetime, dt.datetime]:
    """(creation of the version, last change of the certification) read from the audit journal.

    A published version never changes, so its items last changed when the version was imported; the
    document also carries certification-level fields (title, certificateur), which any import of any
    version may update. Both come from stored rows, never from the clock.
    """
    certification = version.certification
    entrees = EntreeJournal.objects.filter(
        action=ACTION_IMPORT, objet_type=ReferentielVersion._meta.label_lower
    ).aggregate(
        creation=Min("horodatage", filter=Q(objet_id=str(version.pk))),
        derniere=Max("horodatage", filter=Q(objet_id__in=[str(pk) for pk in versions_certification])),
    )
    repli = next(
        (_minuit(jour) for jour in (version.date_effet, certification.date_decision) if jour is not None),
        INSTANT_INCONNU,
    )
    creation = entrees["creation"] or repli
    return creation, max(entrees["derniere"] or creation, creation)


def _lien(titre: str, identifiant: object, uri: str) -> LinkURI:
    return {"title": titre, "identifier": str(identifiant), "uri": uri}


def document_case(version: ReferentielVersion, *, base_url: str) -> dict[str, Any]:
    """The CASE 1.1 CFPackage of one référentiel version: units and competences as CFItems, the
    hierarchy as ``isChildOf`` associations. Deterministic: the same data gives the same bytes."""
    certification = version.certification
    certificateur = certification.certificateur
    uri_doc = uri_document(version, base_url=base_url)
    numeros = dict(certification.versions.values_list("pk", "numero"))
    creation, derniere = _instants(version, list(numeros))
    en_vigueur = version.numero == max(numeros.values())

    titre_document = f"{certification.code} — {certification.intitule}"
    cf_document: dict[str, Any] = {
        "identifier": str(version.uuid),
        "uri": uri_doc,
        "frameworkType": TYPE_CADRE,
        "caseVersion": CASE_VERSION,
        "creator": certificateur.raison_sociale,
        "title": titre_document,
        "lastChangeDateTime": _horodatage(derniere),
        "officialSourceURL": url_fiche_officielle(certification),
        "publisher": str(certificateur),
        "description": f"Référentiel de compétences de la certification {certification.code} "
        f"« {certification.intitule} », version {version.numero}.",
        "language": LANGUE,
        "version": str(version.numero),
        "adoptionStatus": STATUT_EN_VIGUEUR if en_vigueur else STATUT_REMPLACE,
    }
    if version.date_effet is not None:
        cf_document["statusStartDate"] = version.date_effet.isoformat()

    horodatage_items = _horodatage(creation)
    lien_document = _lien(titre_document, version.uuid, uri_doc)
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    libelle_unite = type_unite(certification)
    unites = Unite.objects.filter(version=version).order_by("ordre")
    competences_par_unite: dict[int, list[Competence]] = {}
    for competence in Competence.objects.filter(version=version).order_by("ordre"):
        competences_par_unite.setdefault(competence.unite_id, []).append(competence)

    def item(objet: Unite | Competence, type_item: str, notes: str) -> LinkURI:
        uri = f"{uri_doc}#{objet.uuid}"
        donnees: dict[str, Any] = {
            "identifier": str(objet.uuid),
            "fullStatement": objet.intitule,
            "CFItemType": type_item,
            "uri": uri,
            "humanCodingScheme": objet.code,
            "listEnumeration": str(objet.ordre),
            "lastChangeDateTime": horodatage_items,
        }
        if notes:
            donnees["notes"] = notes
        items.append(donnees)
        return _lien(f"{objet.code} {objet.intitule}", objet.uuid, uri)

    def enfant(origine: LinkURI, destination: LinkURI, rang: int) -> None:
        identifiant = stable_uuid(origine["identifier"], ASSOCIATION_ENFANT, destination["identifier"])
        associations.append(
            {
                "identifier": str(identifiant),
                "associationType": ASSOCIATION_ENFANT,
                "sequenceNumber": rang,
                "uri": f"{uri_doc}#{identifiant}",
                "originNodeURI": origine,
                "destinationNodeURI": destination,
                "lastChangeDateTime": horodatage_items,
            }
        )

    for unite in unites:
        lien_unite = item(unite, libelle_unite, "")
        enfant(lien_unite, lien_document, unite.ordre)
        for competence in competences_par_unite.get(unite.pk, []):
            lien_competence = item(competence, TYPE_COMPETENCE, competence.modalites_evaluation)
            enfant(lien_competence, lien_unite, competence.ordre)

    return {"CFDocument": cf_document, "CFItems": items, "CFAssociations": associations}


def serialiser(package: dict[str, Any]) -> str:
    """The one JSON rendering shared by the command and the public URL, so both give the same bytes."""
    return json.dumps(package, ensure_ascii=False, indent=2)


def version_publique(code: str, numero: int | None = None) -> ReferentielVersion | None:
    """A version of a published certification (the latest by default), or None."""
    versions = ReferentielVersion.objects.filter(
        certification__code__iexact=code, certification__publiee=True
    ).select_related("certification__certificateur")
    if numero is not None:
        versions = versions.filter(numero=numero)
    return versions.order_by("-numero").first()
