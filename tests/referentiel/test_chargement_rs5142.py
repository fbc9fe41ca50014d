"""Loading RS5142: exactly the published référentiel, and idempotent."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification, Competence, QuotaProfilJury, Unite, VoieAccesCertification

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_f9fd05872444b2a5.txt"

pytestmark = pytest.mark.django_db


def _seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"La page d'origine de RS5142 est introuvable : {SEED}")
    return SEED.read_text(encoding="utf-8")


def test_rs5142_matches_every_unit_and_competency_of_the_seed_page(rs5142: Certification) -> None:
    seed = _seed_text()
    bloc = seed.split("Compétences attestées :")[1].split("Voies d'accès")[0]
    attendues = re.findall(r"(\d\.\d) (.+?)(?= \d\.\d |UNITÉ|\s*$)", bloc.replace("\n", " "))
    version = rs5142.version_en_vigueur()
    assert version is not None
    chargees = [
        (c.code, c.intitule) for c in Competence.objects.filter(version=version).order_by("unite__ordre", "ordre")
    ]
    assert chargees == [(code, texte.strip()) for code, texte in attendues]
    assert len(chargees) == 18
    unites = list(Unite.objects.filter(version=version).order_by("ordre").values_list("code", "intitule"))
    assert [code for code, _ in unites] == ["1", "2", "3"]
    for _, intitule in unites:
        assert f"UNITÉ {_} {intitule}" in seed or intitule in seed


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
    # The seed lists each route with "Autorisé" / "Non autorisé" right under its label.
    seed = _seed_text()
    for code, voie in voies.items():
        libelle = VoieAcces(code).label.replace("'", "’")
        assert f"{libelle}\n{'Autorisé' if voie.autorisee else 'Non autorisé'}\n" in seed, libelle
    regles = {v.regle_jury for v in voies.values() if v.autorisee}
    assert len(regles) == 1
    regle = regles.pop()
    assert regle is not None
    assert (regle.membres_min, regle.membres_max, regle.pourcentage_externes_min) == (3, 3, 100)
    quotas = [(q.nombre, sorted(q.profils)) for q in QuotaProfilJury.objects.filter(regle=regle).order_by("ordre")]
    assert quotas == [(1, ["ESS", "NUMERIQUE", "RECHERCHE_TERRITOIRES"]), (2, ["COWORKING", "FABLAB", "LIEU_HYBRIDE"])]
    assert regle.texte_publie in _seed_text().replace("\n", " ")


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
    assert regle.intitule.lower() in _seed_text().lower()


def test_rs5142_carries_no_assessment_method_that_its_sources_do_not_give(rs5142: Certification) -> None:
    # The seed page lists competencies only; any method text would be invented.
    assert set(
        Competence.objects.filter(version__certification=rs5142).values_list("modalites_evaluation", flat=True)
    ) == {""}
