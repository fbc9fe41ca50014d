"""From grids to the proposed decision (pure functions): the documented combination rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parchemin.jurys.deliberation import UniteGrille, niveau_collegial, proposer
from parchemin.jurys.enums import Decision, Niveau, Presence

UNITES = (
    UniteGrille("1", ("1.1", "1.2", "1.3")),
    UniteGrille("2", ("2.1", "2.2")),
    UniteGrille("3", ("3.1", "3.2", "3.3")),
)
CODES = [c for u in UNITES for c in u.competences]
niveaux = st.sampled_from(list(Niveau.values))
grilles = st.lists(st.fixed_dictionaries({code: niveaux for code in CODES}), min_size=1, max_size=5)
anterieures = st.sets(st.sampled_from(["1", "2", "3"]))


def test_two_acquired_out_of_three_make_the_competency_acquired() -> None:
    assert niveau_collegial([Niveau.ACQUIS, Niveau.ACQUIS, Niveau.NON_ACQUIS]) == Niveau.ACQUIS
    assert niveau_collegial([Niveau.ACQUIS, Niveau.EN_COURS]) == Niveau.EN_COURS
    assert niveau_collegial([Niveau.NON_ACQUIS, Niveau.NON_ACQUIS, Niveau.ACQUIS]) == Niveau.NON_ACQUIS


def test_absent_and_excused_candidates_get_no_assessment() -> None:
    assert proposer(UNITES, [], presence=Presence.ABSENT).decision == Decision.ABSENT
    assert proposer(UNITES, [], ["1"], presence=Presence.EXCUSE).unites == ("1",)


@given(grilles, anterieures)
def test_the_decision_follows_the_units(liste: list[dict[str, str]], deja: set[str]) -> None:
    proposition = proposer(UNITES, liste, deja)
    detenues = set(proposition.unites)
    assert deja <= detenues
    for unite in UNITES:
        if unite.code not in deja:
            acquise = all(proposition.niveaux[c] == Niveau.ACQUIS for c in unite.competences)
            assert (unite.code in detenues) == acquise
    if detenues == {"1", "2", "3"}:
        assert proposition.decision == Decision.VALIDATION_TOTALE
    elif detenues - deja:
        assert proposition.decision == Decision.VALIDATION_PARTIELLE
    else:
        assert proposition.decision == Decision.REFUS


@given(grilles, st.integers(min_value=0, max_value=4), st.sampled_from(CODES))
def test_raising_one_level_to_acquired_never_loses_a_unit(liste: list[dict[str, str]], qui: int, code: str) -> None:
    avant = proposer(UNITES, liste)
    relevee = [dict(g) for g in liste]
    relevee[qui % len(relevee)][code] = Niveau.ACQUIS
    apres = proposer(UNITES, relevee)
    assert set(avant.unites) <= set(apres.unites)
