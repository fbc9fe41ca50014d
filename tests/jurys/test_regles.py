"""Jury composition rules: RS5142's rule and the generic rules, on plain data (no database)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from parchemin.jurys.regles import (
    CodeRegle,
    ProfilCandidat,
    ProfilMembre,
    Quota,
    RegleComposition,
    cle_organisation,
    cles_organisations,
    verifier_composition,
)
from parchemin.referentiel.enums import ProfilJury

GROUPE_TERRITOIRES = frozenset({ProfilJury.ESS, ProfilJury.NUMERIQUE, ProfilJury.RECHERCHE_TERRITOIRES})
GROUPE_TIERS_LIEUX = frozenset({ProfilJury.COWORKING, ProfilJury.FABLAB, ProfilJury.LIEU_HYBRIDE})

RS5142 = RegleComposition(
    intitule="Jury de trois représentants du secteur des tiers-lieux",
    membres_min=3,
    membres_max=3,
    pourcentage_externes_min=100,
    quotas=(Quota("ESS, numérique ou recherche", GROUPE_TERRITOIRES, 1), Quota("Tiers-lieux", GROUPE_TIERS_LIEUX, 2)),
)
GENERIQUE = RegleComposition(intitule="Jury collégial", membres_min=2, membres_max=6, pourcentage_externes_min=50)


def membre(cle: int, *profils: str, **champs: object) -> ProfilMembre:
    return ProfilMembre(cle=cle, nom=f"Membre {cle}", profils=frozenset(profils), **champs)  # type: ignore[arg-type]


def codes(violations: list) -> set[str]:
    return {v.code for v in violations}


def test_accepts_rs5142_jury_of_one_ess_and_two_tiers_lieux_members() -> None:
    trio = [membre(1, ProfilJury.ESS), membre(2, ProfilJury.COWORKING), membre(3, ProfilJury.LIEU_HYBRIDE)]
    assert verifier_composition(RS5142, trio) == []


def test_refuses_the_bad_composition_of_the_issue_naming_every_rule() -> None:
    """An internal member, a trainer of a candidate, two ESS members and one coworking member."""
    interne = membre(1, ProfilJury.ESS, interne=True)
    formateur = membre(2, ProfilJury.ESS, sessions_formateur=frozenset({40}))
    coworking = membre(3, ProfilJury.COWORKING)
    candidat = ProfilCandidat(cle=7, nom="Camille Durand", session_formation_id=40, partenaire_id=9)

    violations = verifier_composition(RS5142, [interne, formateur, coworking], [candidat])

    assert codes(violations) == {CodeRegle.EXTERNES, CodeRegle.QUOTA_PROFIL, CodeRegle.LIEN_FORMATEUR}
    par_code = {v.code: v for v in violations}
    assert "Membre 1" in par_code[CodeRegle.EXTERNES].message
    assert par_code[CodeRegle.LIEN_FORMATEUR].membres == ("Membre 2",)
    assert "Camille Durand" in par_code[CodeRegle.LIEN_FORMATEUR].message
    assert "Tiers-lieux" in par_code[CodeRegle.QUOTA_PROFIL].message
    assert "1 seulement (Membre 3)" in par_code[CodeRegle.QUOTA_PROFIL].message


def test_refuses_rs5142_jury_of_two_members() -> None:
    violations = verifier_composition(RS5142, [membre(1, ProfilJury.ESS), membre(2, ProfilJury.FABLAB)])
    assert CodeRegle.EFFECTIF_MIN in codes(violations)
    assert CodeRegle.QUOTA_PROFIL in codes(violations)


def test_refuses_jury_of_one_person_as_not_collegial() -> None:
    violations = verifier_composition(GENERIQUE, [membre(1, ProfilJury.ESS)])
    assert codes(violations) == {CodeRegle.COLLEGIALITE, CodeRegle.EFFECTIF_MIN}
    assert "Membre 1" in violations[0].message


def test_refuses_rs5142_jury_above_its_size() -> None:
    quatre = [membre(1, ProfilJury.ESS), *(membre(i, ProfilJury.FABLAB) for i in (2, 3, 4))]
    assert codes(verifier_composition(RS5142, quatre)) == {CodeRegle.EFFECTIF_MAX}


def test_generic_rule_needs_half_external_members() -> None:
    moitie = [membre(1, interne=True), membre(2)]
    assert verifier_composition(GENERIQUE, moitie) == []
    majorite_interne = [membre(1, interne=True), membre(2, interne=True), membre(3)]
    assert codes(verifier_composition(GENERIQUE, majorite_interne)) == {CodeRegle.EXTERNES}


def test_a_member_with_two_profiles_fills_one_seat_only() -> None:
    double = membre(1, ProfilJury.ESS, ProfilJury.COWORKING)
    violations = verifier_composition(RS5142, [double, membre(2, ProfilJury.FABLAB), membre(3)])
    assert codes(violations) == {CodeRegle.QUOTA_PROFIL}
    # …but the matching finds the assignment that works when one exists.
    ok = [double, membre(2, ProfilJury.FABLAB), membre(3, ProfilJury.COWORKING)]
    assert verifier_composition(RS5142, ok) == []


def test_refuses_member_working_for_the_candidates_training_partner() -> None:
    candidat = ProfilCandidat(
        cle=1,
        nom="Léa Martin",
        partenaire_id=5,
        partenaire_nom="La Fabrique des Tiers-Lieux",
        partenaire_organisations=cles_organisations("La Fabrique des Tiers-Lieux", "73282932000074"),
    )
    formateur_of = membre(1, ProfilJury.ESS, partenaires_formateur=frozenset({5}))
    salarie_of = membre(2, ProfilJury.FABLAB, organisations=cles_organisations("LA FABRIQUE DES TIERS LIEUX"))
    violations = verifier_composition(RS5142, [formateur_of, salarie_of, membre(3, ProfilJury.COWORKING)], [candidat])
    assert [v.code for v in violations] == [CodeRegle.LIEN_ORGANISME_FORMATION] * 2
    assert {v.membres for v in violations} == {("Membre 1",), ("Membre 2",)}


def test_refuses_employer_representative_and_colleague_of_a_candidate() -> None:
    candidat = ProfilCandidat(cle=1, nom="Léa Martin", employeur=cles_organisations("Coop'Lab", "12345678901234"))
    employeur = membre(1, ProfilJury.ESS, represente_employeur=True, organisations=cles_organisations("12345678901234"))
    collegue = membre(2, ProfilJury.FABLAB, organisations=cles_organisations("coop lab"))
    violations = verifier_composition(RS5142, [employeur, collegue, membre(3, ProfilJury.COWORKING)], [candidat])
    assert [v.code for v in violations] == [CodeRegle.LIEN_EMPLOYEUR, CodeRegle.LIEN_COLLEGUE]


def test_organisation_keys_ignore_case_accents_punctuation_and_siret_spaces() -> None:
    assert cle_organisation("Coop' des Tiers-Lieux") == cle_organisation("COOP DES TIERS LIEUX")
    assert cle_organisation("Écosystème") == cle_organisation("ecosysteme")
    assert cle_organisation("732 829 320 00074") == "73282932000074"


# --- Properties --------------------------------------------------------------------------------

profils = st.frozensets(st.sampled_from(list(ProfilJury.values)), max_size=3)


def _assignation_existe(regle: RegleComposition, ensembles: list[frozenset[str]]) -> bool:
    """Brute force: try every way of giving distinct members to the quota seats."""
    sieges = [q for q in regle.quotas for _ in range(q.nombre)]
    if len(sieges) > len(ensembles):
        return False
    for choix in itertools.permutations(range(len(ensembles)), len(sieges)):
        if all(ensembles[i] & q.profils for i, q in zip(choix, sieges, strict=True)):
            return True
    return False


@given(st.lists(profils, min_size=0, max_size=6))
def test_quota_check_agrees_with_brute_force_matching(ensembles: list[frozenset[str]]) -> None:
    membres = [membre(i, *p) for i, p in enumerate(ensembles)]
    quota_ok = CodeRegle.QUOTA_PROFIL not in codes(verifier_composition(RS5142, membres))
    assert quota_ok == _assignation_existe(RS5142, ensembles)


@given(
    st.sampled_from(sorted(GROUPE_TERRITOIRES)),
    st.lists(st.sampled_from(sorted(GROUPE_TIERS_LIEUX)), min_size=2, max_size=2),
    profils,
)
def test_any_rs5142_trio_of_external_members_without_links_is_accepted(
    territoire: str, tiers_lieux: list[str], bonus: frozenset[str]
) -> None:
    trio = [membre(1, territoire, *bonus), membre(2, tiers_lieux[0]), membre(3, tiers_lieux[1])]
    assert verifier_composition(RS5142, trio) == []


@given(st.lists(st.booleans(), min_size=2, max_size=6))
def test_external_share_rule_matches_its_definition(internes: list[bool]) -> None:
    membres = [membre(i, interne=b) for i, b in enumerate(internes)]
    refuse = CodeRegle.EXTERNES in codes(verifier_composition(GENERIQUE, membres))
    assert refuse == (internes.count(False) * 2 < len(internes))


@given(st.lists(profils, min_size=1, max_size=5), st.integers(min_value=0, max_value=4))
def test_every_violation_names_members_of_the_jury(ensembles: list[frozenset[str]], interne: int) -> None:
    membres = [membre(i, *p, interne=(i == interne)) for i, p in enumerate(ensembles)]
    noms = {m.nom for m in membres}
    for violation in verifier_composition(RS5142, membres):
        assert violation.message
        assert set(violation.membres) <= noms
