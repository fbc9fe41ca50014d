"""Loading RS5142: exactly the published référentiel, and idempotent."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification, Competence, QuotaProfilJury, Unite, VoieAccesCertification

# The facts of the official fiche (codes, labels, routes, jury composition), kept in the repository
# as test data so that the loaded référentiel is compared with the fiche without reading anything
# outside the clone. Its "source" key says where the text comes from.
FICHE_OFFICIELLE = Path(__file__).resolve().parent / "donnees" / "rs5142_officiel.json"

pytestmark = pytest.mark.django_db


def _fiche() -> dict[str, Any]:
    return json.loads(FICHE_OFFICIELLE.read_text(encoding="utf-8"))


def test_rs5142_matches_every_unit_and_competency_of_the_official_fiche(rs5142: Certification) -> None:
    fiche = _fiche()
    version = rs5142.version_en_vigueur()
    assert version is not None
    chargees = [
        (c.code, c.intitule) for c in Competence.objects.filter(version=version).order_by("unite__ordre", "ordre")
    ]
    assert chargees == [(c["code"], c["intitule"]) for c in fiche["competences"]]
    assert len(chargees) == 18
    unites = list(Unite.objects.filter(version=version).order_by("ordre").values_list("code", "intitule"))
    assert unites == [(u["code"], u["intitule"]) for u in fiche["unites"]]


def test_rs5142_routes_follow_the_fiche(rs5142: Certification) -> None:
    voies = {v.voie: v for v in VoieAccesCertification.objects.filter(certification=rs5142)}
    assert set(voies) == set(VoieAcces.values)
    autorisees = {code for code, v in voies.items() if v.autorisee}
    assert autorisees == {VoieAcces.FORMATION_CONTINUE, VoieAcces.CANDIDATURE_INDIVIDUELLE, VoieAcces.EXPERIENCE}
    # The CDC modaliteAcces code of every route, as in the domain brief's table.
    assert {code: v.modalite_acces_cdc for code, v in voies.items()} == {
        VoieAcces.FORMATION_INITIALE: "FORMATION_INITIALE_HORS_APPRENTISSAGE",
        VoieAcces.APPRENTISSAGE: "FORMATION_INITIALE_APPRENTISSAGE",
        VoieAcces.FORMATION_CONTINUE: "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        VoieAcces.CONTRAT_PROFESSIONNALISATION: "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        VoieAcces.CANDIDATURE_INDIVIDUELLE: "CANDIDAT_LIBRE",
        VoieAcces.EXPERIENCE: "VAE",
    }
    # The fiche says "Autorisé" / "Non autorisé" for each route, under the route's label.
    officielles = {v["libelle"]: v["autorisee"] for v in _fiche()["voies"]}
    assert {VoieAcces(code).label.replace("'", "’"): v.autorisee for code, v in voies.items()} == officielles
    regles = {v.regle_jury for v in voies.values() if v.autorisee}
    assert len(regles) == 1
    regle = regles.pop()
    assert regle is not None
    assert (regle.membres_min, regle.membres_max, regle.pourcentage_externes_min) == (3, 3, 100)
    quotas = [(q.nombre, sorted(q.profils)) for q in QuotaProfilJury.objects.filter(regle=regle).order_by("ordre")]
    assert quotas == [(1, ["ESS", "NUMERIQUE", "RECHERCHE_TERRITOIRES"]), (2, ["COWORKING", "FABLAB", "LIEU_HYBRIDE"])]
    assert regle.texte_publie in _fiche()["composition_jury"]


def test_loading_twice_changes_nothing(rs5142: Certification) -> None:
    from parchemin.referentiel.echange import exporter

    version = rs5142.version_en_vigueur()
    assert version is not None
    avant = exporter(version)
    uuids_avant = sorted(str(u) for u in Competence.objects.values_list("uuid", flat=True))
    entrees_avant = EntreeJournal.objects.count()
    sortie = io.StringIO()
    call_command("charger_rs5142", stdout=sortie)
    assert "rien n'a changé" in sortie.getvalue()
    assert EntreeJournal.objects.count() == entrees_avant
    assert exporter(version) == avant
    assert sorted(str(u) for u in Competence.objects.values_list("uuid", flat=True)) == uuids_avant
    assert Certification.objects.count() == 1


def test_rs5142_jury_rule_is_titled_with_the_words_of_the_fiche(rs5142: Certification) -> None:
    regle = VoieAccesCertification.objects.get(certification=rs5142, voie=VoieAcces.EXPERIENCE).regle_jury
    assert regle is not None
    # "Le jury est composé de trois membres représentatifs du secteur des Tiers-Lieux (salariés et/ou ...)"
    assert regle.intitule.lower() in _fiche()["composition_jury"].lower()


def test_rs5142_carries_no_assessment_method_that_its_sources_do_not_give(rs5142: Certification) -> None:
    # The fiche lists competencies only; any method text would be invented.
    assert set(
        Competence.objects.filter(version__certification=rs5142).values_list("modalites_evaluation", flat=True)
    ) == {""}
