"""Jury planning with CP-SAT: valid proposals, and infeasible requests explained."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from parchemin.jurys.planification import PlanificationImpossible, ProblemePlanification, planifier
from parchemin.jurys.regles import ProfilCandidat, ProfilMembre, verifier_composition
from parchemin.referentiel.enums import ProfilJury

from .test_regles import RS5142

JOURS = [datetime.date(2026, 6, 2), datetime.date(2026, 6, 9)]


def pool() -> list[ProfilMembre]:
    profils = [ProfilJury.ESS, ProfilJury.RECHERCHE_TERRITOIRES] + [ProfilJury.COWORKING, ProfilJury.FABLAB] * 2
    return [ProfilMembre(cle=i, nom=f"Membre {i}", profils=frozenset({p})) for i, p in enumerate(profils)] + [
        ProfilMembre(cle=9, nom="Membre interne", profils=frozenset({ProfilJury.ESS}), interne=True)
    ]


def candidats(n: int) -> list[ProfilCandidat]:
    return [ProfilCandidat(cle=100 + j, nom=f"Candidat {j}", session_formation_id=j % 2) for j in range(n)]


def demande(**champs: object) -> ProblemePlanification:
    valeurs: dict[str, object] = {
        "regle": RS5142,
        "membres": pool(),
        "disponibilites": {m.cle: frozenset(JOURS) for m in pool()},
        "candidats": candidats(6),
        "dates": JOURS,
        "max_candidats": 4,
        "temps_max_secondes": 10,
    }
    valeurs.update(champs)
    return ProblemePlanification(**valeurs)  # type: ignore[arg-type]


def test_every_proposed_session_respects_rules_capacity_and_links() -> None:
    membres = pool()
    # Member 0 (the ESS member) trains the candidates of training session 0.
    membres[0] = ProfilMembre(
        cle=0, nom="Membre 0", profils=frozenset({ProfilJury.ESS}), sessions_formateur=frozenset({0})
    )
    requete = demande(membres=membres, disponibilites={m.cle: frozenset(JOURS) for m in membres})

    proposition = planifier(requete)

    par_cle = {m.cle: m for m in membres}
    par_cle_c = {c.cle: c for c in requete.candidats}
    places = [c for s in proposition.sessions for c in s.candidats]
    assert sorted(places) == sorted(c.cle for c in requete.candidats)
    for session in proposition.sessions:
        assert 1 <= len(session.candidats) <= 4
        assert (
            verifier_composition(
                RS5142, [par_cle[k] for k in session.membres], [par_cle_c[k] for k in session.candidats]
            )
            == []
        )
        assert 9 not in session.membres
    assert proposition.charges[0] <= 3  # only the three candidates of training session 1 can meet member 0


def test_availability_is_respected_and_load_is_balanced() -> None:
    membres = pool()
    disponibilites = {m.cle: frozenset(JOURS) for m in membres}
    disponibilites[2] = frozenset({JOURS[0]})
    proposition = planifier(demande(disponibilites=disponibilites, candidats=candidats(8), max_candidats=4))
    for session in proposition.sessions:
        for cle in session.membres:
            assert session.date in disponibilites[cle]
    assert proposition.charge_max == 4


def test_refuses_when_sessions_cannot_hold_every_candidate() -> None:
    with pytest.raises(
        PlanificationImpossible, match=r"Capacité insuffisante : 2 session\(s\) × 2 candidats = 4 places pour 6"
    ):
        planifier(demande(max_candidats=2))


def test_refuses_when_the_pool_lacks_a_profile_quota() -> None:
    sans_territoire = [m for m in pool() if not m.profils & {ProfilJury.ESS, ProfilJury.RECHERCHE_TERRITOIRES}]
    with pytest.raises(PlanificationImpossible, match="Le vivier ne permet aucun jury conforme"):
        planifier(demande(membres=sans_territoire))


def test_refuses_when_availability_leaves_too_few_dates() -> None:
    disponibilites = {m.cle: frozenset(JOURS) for m in pool()}
    disponibilites[0] = frozenset({JOURS[0]})
    disponibilites[1] = frozenset({JOURS[0]})
    with pytest.raises(PlanificationImpossible, match=r"Disponibilités insuffisantes.*09/06/2026"):
        planifier(demande(disponibilites=disponibilites, max_candidats=3))


def test_refuses_when_every_conforming_jury_is_linked_to_a_candidate() -> None:
    membres = [
        ProfilMembre(cle=m.cle, nom=m.nom, profils=m.profils, interne=m.interne, sessions_formateur=frozenset({7}))
        if m.profils & {ProfilJury.ESS, ProfilJury.RECHERCHE_TERRITOIRES}
        else m
        for m in pool()
    ]
    lie = ProfilCandidat(cle=1, nom="Inès Lambert", session_formation_id=7)
    with pytest.raises(
        PlanificationImpossible, match="Conflits d'intérêts : aucun jury conforme ne peut entendre Inès Lambert"
    ):
        planifier(demande(membres=membres, disponibilites={m.cle: frozenset(JOURS) for m in membres}, candidats=[lie]))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.frozensets(st.sampled_from(list(ProfilJury.values)), min_size=1, max_size=2), st.booleans()),
        max_size=4,
    ),
    st.lists(st.sampled_from([frozenset(JOURS), frozenset(JOURS[:1]), frozenset(JOURS[1:])]), min_size=11, max_size=11),
    st.integers(min_value=1, max_value=8),
    st.lists(st.sets(st.integers(min_value=0, max_value=10), max_size=2), min_size=3, max_size=3),
)
def test_any_proposal_satisfies_every_rule_or_the_request_is_explained(
    extras: list[tuple[frozenset[str], bool]],
    dispos: list[frozenset[datetime.date]],
    nb_candidats: int,
    formateurs: list[set[int]],
) -> None:
    profils = [(m.profils, m.interne) for m in pool()] + extras
    membres = [
        ProfilMembre(
            cle=i,
            nom=f"Membre {i}",
            profils=p,
            interne=interne,
            sessions_formateur=frozenset(s for s, lies in enumerate(formateurs) if i in lies),
        )
        for i, (p, interne) in enumerate(profils)
    ]
    requete = demande(
        membres=membres,
        disponibilites={m.cle: dispos[m.cle] for m in membres},
        candidats=[
            ProfilCandidat(cle=100 + j, nom=f"Candidat {j}", session_formation_id=j % 3) for j in range(nb_candidats)
        ],
        max_candidats=4,
    )
    try:
        proposition = planifier(requete)
    except PlanificationImpossible as refus:
        assert refus.message
        event("refusée avec explication")
        return
    event("proposition")
    par_cle = {m.cle: m for m in membres}
    par_cle_c = {c.cle: c for c in requete.candidats}
    assert sorted(k for s in proposition.sessions for k in s.candidats) == sorted(par_cle_c)
    for session in proposition.sessions:
        assert len(session.candidats) <= 4
        assert all(session.date in requete.disponibilites[k] for k in session.membres)
        jury = [par_cle[k] for k in session.membres]
        assert verifier_composition(RS5142, jury, [par_cle_c[k] for k in session.candidats]) == []


def test_when_only_the_solver_finds_it_infeasible_the_blocking_family_is_named() -> None:
    """Two sessions the same day need two territorial members, but the pool has one per day."""
    membres = [m for m in pool() if m.cle != 1]  # a single ESS / numérique / recherche member left…
    membres.append(ProfilMembre(cle=10, nom="Membre 10", profils=frozenset({ProfilJury.LIEU_HYBRIDE})))  # …6 external
    jour = JOURS[0]
    requete = demande(
        membres=membres,
        disponibilites={m.cle: frozenset({jour}) for m in membres},
        dates=[jour, jour],
        max_candidats=2,
        candidats=candidats(4),
    )
    with pytest.raises(PlanificationImpossible, match="ce sont les quotas de profils"):
        planifier(requete)


def test_the_same_request_always_gives_the_same_proposal() -> None:
    # Staff compare proposals and accept one: a second computation of the same request must not reshuffle
    # juries. A larger pool than the other tests, so that many equally good plans exist to choose from.
    membres = [
        ProfilMembre(cle=i, nom=f"Membre {i}", profils=frozenset({profil}))
        for i, profil in enumerate(
            [ProfilJury.ESS, ProfilJury.NUMERIQUE, ProfilJury.RECHERCHE_TERRITOIRES]
            + [ProfilJury.COWORKING, ProfilJury.FABLAB, ProfilJury.LIEU_HYBRIDE] * 3
        )
    ]
    jours = [datetime.date(2026, 6, 2) + datetime.timedelta(days=7 * k) for k in range(4)]
    requete = demande(
        membres=membres,
        disponibilites={m.cle: frozenset(jours) for m in membres},
        candidats=candidats(12),
        dates=jours,
        max_candidats=4,
    )

    premiere, seconde = planifier(requete), planifier(requete)

    assert premiere.sessions == seconde.sessions
    assert premiere.charges == seconde.charges
