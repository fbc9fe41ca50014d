"""Jury planning with OR-Tools CP-SAT: which dates, which members, which candidates.

Given the candidates ready for a jury, the pool with its availability and the candidate dates,
propose sessions where every jury satisfies the composition rule (size, share of external members,
profile quotas as a matching), no member sits with a candidate they are linked to, no session takes
more than ``max_candidats`` candidates, and the load (candidates judged per member) is balanced.

Before solving, cheap checks find the usual blocking constraint and explain it in French (capacity,
pool, availability, a candidate every conforming jury is linked to). If the solver still finds no
solution, the constraint families are relaxed one at a time to name the one that blocks.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parchemin.erreurs import ErreurMetier

from .regles import ProfilCandidat, ProfilMembre, RegleComposition, affecter_quotas, liens_entre

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

# The second pass (spreading the load) improves on a valid plan; it is not worth a long wait. It runs in
# slices of deterministic time and stops at the first slice that brings no improvement (on the bench
# instance the spread stops improving within the first slice), or when this budget is spent.
TEMPS_EQUILIBRAGE_SECONDES = 5.0
TRANCHE_EQUILIBRAGE = 0.5

# One search worker and a fixed seed, with limits in CP-SAT's deterministic time (its unit is close to a
# second of one core): the same request always gives the same proposal, whatever the machine's load.
# Several workers race each other and make the result depend on timing. The wall-clock limit only
# guards against a pathological instance.
GRAINE_SOLVEUR = 5142


class PlanificationImpossible(ErreurMetier):
    """No proposal satisfies the request; the message names the blocking constraint."""


@dataclass(frozen=True)
class ProblemePlanification:
    regle: RegleComposition
    membres: Sequence[ProfilMembre]
    disponibilites: dict[int, frozenset[datetime.date]]  # member key → dates available
    candidats: Sequence[ProfilCandidat]
    dates: Sequence[datetime.date]  # one possible session per entry
    max_candidats: int
    temps_max_secondes: float = 20.0


@dataclass(frozen=True)
class SessionProposee:
    date: datetime.date
    membres: tuple[int, ...]
    candidats: tuple[int, ...]


@dataclass(frozen=True)
class Proposition:
    sessions: tuple[SessionProposee, ...]
    charges: dict[int, int] = field(default_factory=dict)  # member key → candidates judged
    optimale: bool = False  # the heaviest load is proven as light as possible
    duree_secondes: float = 0.0

    @property
    def charge_max(self) -> int:
        return max(self.charges.values(), default=0)

    @property
    def charge_min_siegeants(self) -> int:
        return min((c for c in self.charges.values() if c), default=0)

    @property
    def ecart(self) -> int:
        """Balance quality: spread of load among the members who sit at least once."""
        return self.charge_max - self.charge_min_siegeants

    def en_json(self) -> dict[str, Any]:
        """What a planning request stores as its result (JSON keys are strings)."""
        return {
            "sessions": [
                {"date": s.date.isoformat(), "membres": list(s.membres), "candidats": list(s.candidats)}
                for s in self.sessions
            ],
            "charges": {str(cle): charge for cle, charge in self.charges.items()},
            "optimale": self.optimale,
            "duree_secondes": round(self.duree_secondes, 3),
        }

    @classmethod
    def depuis_json(cls, donnees: dict[str, Any]) -> Proposition:
        return cls(
            tuple(
                SessionProposee(
                    datetime.date.fromisoformat(s["date"]),
                    tuple(int(k) for k in s["membres"]),
                    tuple(int(k) for k in s["candidats"]),
                )
                for s in donnees.get("sessions", [])
            ),
            {int(cle): int(charge) for cle, charge in donnees.get("charges", {}).items()},
            optimale=bool(donnees.get("optimale", False)),
            duree_secondes=float(donnees.get("duree_secondes", 0.0)),
        )


def _liens(membres: Sequence[ProfilMembre], candidats: Sequence[ProfilCandidat]) -> set[tuple[int, int]]:
    """(member index, candidate index) pairs that may not meet, from the rules engine itself."""
    return {
        (i, j)
        for i, membre in enumerate(membres)
        for j, candidat in enumerate(candidats)
        if liens_entre(membre, candidat)
    }


def _jury_possible(regle: RegleComposition, membres: Sequence[ProfilMembre]) -> bool:
    externes_requis = -(-max(regle.membres_min, 2) * max(regle.pourcentage_externes_min, 50) // 100)
    externes = [m for m in membres if not m.interne]
    if len(membres) < max(regle.membres_min, 2) or len(externes) < externes_requis:
        return False
    # With every member external the quota matching alone decides; internal ones may only add seats.
    candidats_quota = externes if regle.pourcentage_externes_min >= 100 else list(membres)
    return all(i is not None for i in affecter_quotas(regle.quotas, candidats_quota))


def verifier_faisabilite(demande: ProblemePlanification, liens: set[tuple[int, int]]) -> None:
    regle, membres, candidats = demande.regle, demande.membres, demande.candidats
    if not candidats:
        raise PlanificationImpossible("Aucun candidat prêt pour le jury : rien à planifier.")
    if not demande.dates:
        raise PlanificationImpossible("Indiquez au moins une date de session.")
    capacite = len(demande.dates) * demande.max_candidats
    if capacite < len(candidats):
        raise PlanificationImpossible(
            f"Capacité insuffisante : {len(demande.dates)} session(s) × {demande.max_candidats} candidats = "
            f"{capacite} places pour {len(candidats)} candidats."
        )
    if not _jury_possible(regle, membres):
        profils = ", ".join(f"« {q.libelle} » ({q.nombre})" for q in regle.quotas)
        raise PlanificationImpossible(
            f"Le vivier ne permet aucun jury conforme à « {regle.intitule} » : il faut au moins "
            f"{regle.membres_min} membres dont {regle.pourcentage_externes_min} % d'extérieurs"
            + (f" et les profils {profils}" if profils else "")
            + "."
        )
    viables = [
        d
        for d in demande.dates
        if _jury_possible(regle, [m for m in membres if d in demande.disponibilites.get(m.cle, ())])
    ]
    if len(viables) * demande.max_candidats < len(candidats):
        exclues = [d.strftime("%d/%m/%Y") for d in demande.dates if d not in viables]
        raise PlanificationImpossible(
            f"Disponibilités insuffisantes : seules {len(viables)} date(s) réunissent assez de membres disponibles "
            f"pour un jury conforme ({len(viables) * demande.max_candidats} places pour {len(candidats)} candidats)."
            + (f" Dates sans jury possible : {', '.join(exclues)}." if exclues else "")
        )
    for j, candidat in enumerate(candidats):
        possible = any(
            _jury_possible(
                regle,
                [
                    m
                    for i, m in enumerate(membres)
                    if (i, j) not in liens and d in demande.disponibilites.get(m.cle, ())
                ],
            )
            for d in viables
        )
        if not possible:
            lies = [membres[i].nom for i, k in sorted(liens) if k == j]
            raise PlanificationImpossible(
                f"Conflits d'intérêts : aucun jury conforme ne peut entendre {candidat.nom} sans l'un des membres "
                f"liés à ce candidat ({', '.join(lies)})."
            )


@dataclass
class _Modele:
    modele: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]  # member i sits on date s
    y: dict[tuple[int, int], cp_model.IntVar]  # candidate j passes on date s
    sessions_retenues: cp_model.LinearExpr
    charge_max: cp_model.IntVar
    somme_carres: cp_model.LinearExpr


def _modele(
    demande: ProblemePlanification, liens: set[tuple[int, int]], *, avec_liens: bool = True, avec_quotas: bool = True
) -> _Modele:
    # Imported when a plan is computed: OR-Tools is heavy and most requests never need it.
    from ortools.sat.python import cp_model

    regle, membres, candidats, dates = demande.regle, demande.membres, demande.candidats, demande.dates
    modele = cp_model.CpModel()
    taille_min, taille_max = max(regle.membres_min, 2), regle.membres_max
    externes_min = max(regle.pourcentage_externes_min, 50)
    nb_c = len(candidats)

    u = [modele.new_bool_var(f"u{s}") for s in range(len(dates))]
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, m in enumerate(membres):
        for s, d in enumerate(dates):
            if d in demande.disponibilites.get(m.cle, ()):
                x[i, s] = modele.new_bool_var(f"x{i}_{s}")
                modele.add_implication(x[i, s], u[s])
    y = {(j, s): modele.new_bool_var(f"y{j}_{s}") for j in range(nb_c) for s in range(len(dates))}

    for j in range(nb_c):
        modele.add_exactly_one(y[j, s] for s in range(len(dates)))
    taille: list[cp_model.LinearExpr] = []
    effectif: list[cp_model.LinearExpr] = []
    for s in range(len(dates)):
        n = cp_model.LinearExpr.sum([y[j, s] for j in range(nb_c)])
        modele.add(n <= demande.max_candidats * u[s])
        modele.add(n >= u[s])
        sieges = [x[i, s] for i in range(len(membres)) if (i, s) in x]
        total = cp_model.LinearExpr.sum(sieges)
        modele.add(total >= taille_min * u[s])
        modele.add(total <= taille_max * u[s])
        internes = sum(x[i, s] for i, m in enumerate(membres) if m.interne and (i, s) in x)
        modele.add(100 * internes <= (100 - externes_min) * total)
        if avec_quotas:
            utilises: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for q, quota in enumerate(regle.quotas):
                eligibles = []
                for i, m in enumerate(membres):
                    if (i, s) in x and m.profils & quota.profils:
                        z = modele.new_bool_var(f"z{i}_{s}_{q}")
                        eligibles.append(z)
                        utilises[i].append(z)
                modele.add(sum(eligibles) >= quota.nombre * u[s])
            for i, zs in utilises.items():
                modele.add(sum(zs) <= x[i, s])
        taille.append(n)
        effectif.append(total)
    if avec_liens:
        for i, j in liens:
            for s in range(len(dates)):
                if (i, s) in x:
                    modele.add(x[i, s] + y[j, s] <= 1)
    par_date: dict[datetime.date, list[int]] = defaultdict(list)
    for s, d in enumerate(dates):
        par_date[d].append(s)
    for i in range(len(membres)):
        for sessions in par_date.values():
            meme_jour = [x[i, s] for s in sessions if (i, s) in x]
            if len(meme_jour) > 1:
                modele.add_at_most_one(meme_jour)

    # Load of a member = candidates judged: w = x · n, linearised (n ≤ max_candidats).
    borne = demande.max_candidats * len(dates)
    charge_max = modele.new_int_var(0, borne, "charge_max")
    carres = []
    for i in range(len(membres)):
        termes = []
        for s in range(len(dates)):
            if (i, s) not in x:
                continue
            w = modele.new_int_var(0, demande.max_candidats, f"w{i}_{s}")
            modele.add(w <= taille[s])
            modele.add(w <= demande.max_candidats * x[i, s])
            modele.add(w >= taille[s] - demande.max_candidats * (1 - x[i, s]))
            termes.append(w)
        if not termes:
            continue
        charge = modele.new_int_var(0, borne, f"charge{i}")
        modele.add(charge == cp_model.LinearExpr.sum(termes))
        modele.add(charge <= charge_max)
        carre = modele.new_int_var(0, borne * borne, f"carre{i}")
        modele.add_multiplication_equality(carre, [charge, charge])
        carres.append(carre)
    return _Modele(modele, x, y, cp_model.LinearExpr.sum(u), charge_max, cp_model.LinearExpr.sum(carres))


def _resoudre(
    modele: cp_model.CpModel, temps_deterministe: float, secondes_max: float
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    from ortools.sat.python import cp_model

    solveur = cp_model.CpSolver()
    solveur.parameters.max_deterministic_time = temps_deterministe
    solveur.parameters.max_time_in_seconds = secondes_max
    solveur.parameters.num_workers = 1
    solveur.parameters.random_seed = GRAINE_SOLVEUR
    return solveur, solveur.solve(modele)


def _indiquer(m: _Modele, solveur: cp_model.CpSolver) -> None:
    m.modele.clear_hints()
    for variable in [*m.x.values(), *m.y.values()]:
        m.modele.add_hint(variable, solveur.value(variable))


def planifier(demande: ProblemePlanification) -> Proposition:
    """Two passes: first the lightest possible heaviest load (``optimale`` when proven), then, within it,
    the most even spread (smallest sum of squared loads: the total is fixed by the jury size) with the
    fewest sessions, for as long as it keeps improving."""
    from ortools.sat.python import cp_model

    debut = time.perf_counter()
    liens = _liens(demande.membres, demande.candidats)
    verifier_faisabilite(demande, liens)
    m = _modele(demande, liens)
    m.modele.minimize(m.charge_max)
    echeance = debut + demande.temps_max_secondes
    solveur, statut = _resoudre(m.modele, demande.temps_max_secondes / 2, demande.temps_max_secondes)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise PlanificationImpossible(_diagnostic(demande, liens, statut))
    m.modele.add(m.charge_max <= solveur.value(m.charge_max))
    _indiquer(m, solveur)
    m.modele.minimize(m.somme_carres * (len(demande.dates) + 1) + m.sessions_retenues)
    budget = min(demande.temps_max_secondes / 2, TEMPS_EQUILIBRAGE_SECONDES)
    meilleur: float | None = None
    while budget > 0 and time.perf_counter() < echeance:
        tranche, statut_tranche = _resoudre(m.modele, min(TRANCHE_EQUILIBRAGE, budget), echeance - time.perf_counter())
        budget -= TRANCHE_EQUILIBRAGE
        if statut_tranche not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        ameliore = meilleur is None or tranche.objective_value < meilleur
        if ameliore:
            solveur, meilleur = tranche, tranche.objective_value
        if statut_tranche == cp_model.OPTIMAL or not ameliore:
            break
        _indiquer(m, tranche)
    sessions = []
    charges = {membre.cle: 0 for membre in demande.membres}
    for s, date in enumerate(demande.dates):
        candidats = tuple(demande.candidats[j].cle for j in range(len(demande.candidats)) if solveur.value(m.y[j, s]))
        if not candidats:
            continue
        membres = tuple(
            demande.membres[i].cle for i in range(len(demande.membres)) if (i, s) in m.x and solveur.value(m.x[i, s])
        )
        for cle in membres:
            charges[cle] += len(candidats)
        sessions.append(SessionProposee(date, membres, candidats))
    return Proposition(
        tuple(sessions), charges, optimale=statut == cp_model.OPTIMAL, duree_secondes=time.perf_counter() - debut
    )


def _diagnostic(demande: ProblemePlanification, liens: set[tuple[int, int]], statut: cp_model.CpSolverStatus) -> str:
    from ortools.sat.python import cp_model

    if statut == cp_model.UNKNOWN:
        return (
            f"Aucune proposition trouvée en {demande.temps_max_secondes:.0f} s : réduisez le nombre de candidats "
            "ou ajoutez des dates."
        )
    for famille, options in (
        ("les conflits d'intérêts (membres liés aux candidats)", {"avec_liens": False}),
        ("les quotas de profils de la règle de composition", {"avec_quotas": False}),
    ):
        _, relache = _resoudre(
            _modele(demande, liens, **options).modele, demande.temps_max_secondes, demande.temps_max_secondes
        )
        if relache in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return f"Aucune répartition possible : ce sont {famille} qui bloquent avec ces disponibilités."
    return (
        "Aucune répartition possible : les disponibilités des membres ne permettent pas de réunir un jury "
        "conforme à chaque date nécessaire."
    )
