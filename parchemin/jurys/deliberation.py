"""From the members' grids to the decision the jury is asked to confirm (pure functions).

How several grids combine (documented in docs/jurys.md): for each competency, the collegial level is
"acquis" when a strict majority of the submitted grids say so, "non acquis" when a strict majority say
so, and "en cours d'acquisition" otherwise. A unit is validated when every one of its competencies is
acquired in the collegial grid, or when an earlier jury validated it (carried over). The proposal is
then: every unit validated → total validation; at least one unit newly validated → partial
validation; none → refusal. The jury confirms it or amends it with a reason at deliberation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .enums import Decision, Niveau, Presence


@dataclass(frozen=True)
class UniteGrille:
    code: str
    competences: tuple[str, ...]  # competency codes


@dataclass(frozen=True)
class Proposition:
    decision: str
    unites: tuple[str, ...]  # every unit held after this jury, carried-over ones included
    niveaux: Mapping[str, str]  # collegial level per competency code


def niveau_collegial(niveaux: Sequence[str]) -> str:
    if not niveaux:
        return Niveau.NON_ACQUIS
    compte = Counter(niveaux)
    if compte[Niveau.ACQUIS] * 2 > len(niveaux):
        return Niveau.ACQUIS
    if compte[Niveau.NON_ACQUIS] * 2 > len(niveaux):
        return Niveau.NON_ACQUIS
    return Niveau.EN_COURS


def proposer(
    unites: Sequence[UniteGrille],
    grilles: Iterable[Mapping[str, str]],
    unites_anterieures: Iterable[str] = (),
    presence: str = Presence.PRESENT,
) -> Proposition:
    """``grilles``: one mapping competency code → level per submitted grid."""
    if presence == Presence.ABSENT:
        return Proposition(Decision.ABSENT, tuple(unites_anterieures), {})
    if presence == Presence.EXCUSE:
        return Proposition(Decision.EXCUSE, tuple(unites_anterieures), {})
    liste = list(grilles)
    anterieures = set(unites_anterieures)
    niveaux = {
        code: niveau_collegial([g[code] for g in liste if code in g])
        for unite in unites
        if unite.code not in anterieures
        for code in unite.competences
    }
    nouvelles = [
        u.code
        for u in unites
        if u.code not in anterieures and u.competences and all(niveaux[c] == Niveau.ACQUIS for c in u.competences)
    ]
    detenues = tuple(u.code for u in unites if u.code in anterieures or u.code in nouvelles)
    if len(detenues) == len(unites):
        decision = Decision.VALIDATION_TOTALE
    elif nouvelles:
        decision = Decision.VALIDATION_PARTIELLE
    else:
        decision = Decision.REFUS
    return Proposition(decision, detenues, niveaux)
