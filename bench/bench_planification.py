"""Benchmark of jury planning (CP-SAT): 120 candidates, 40 members, 12 possible sessions.

Builds a seeded, realistic instance in memory (RS5142's rule, 4 internal members, trainers of the
candidates' training sessions, colleagues, ~60 % availability), solves it and prints the solve time,
whether the solution is proven optimal, and the balance of the load (candidates judged per member).
Each proposed session is checked again with the rules engine.

    .venv/bin/python bench/bench_planification.py [--candidats 120] [--membres 40] [--sessions 12] [--max 12]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parchemin.jurys.planification import ProblemePlanification, planifier
from parchemin.jurys.regles import (
    ProfilCandidat,
    ProfilMembre,
    Quota,
    RegleComposition,
    cles_organisations,
    verifier_composition,
)

TERRITOIRES = ("ESS", "NUMERIQUE", "RECHERCHE_TERRITOIRES")
TIERS_LIEUX = ("COWORKING", "FABLAB", "LIEU_HYBRIDE")
RS5142 = RegleComposition(
    "Jury de trois représentants du secteur des tiers-lieux",
    3,
    3,
    100,
    (Quota("ESS / numérique / recherche", frozenset(TERRITOIRES), 1), Quota("Tiers-lieux", frozenset(TIERS_LIEUX), 2)),
)


def instance(
    nb_candidats: int, nb_membres: int, nb_sessions: int, max_candidats: int, graine: int
) -> ProblemePlanification:
    hasard = random.Random(graine)
    dates = [datetime.date(2026, 6, 1) + datetime.timedelta(days=7 * k) for k in range(nb_sessions)]
    employeurs = [f"Tiers-lieu {k}" for k in range(30)]
    sessions_formation = list(range(1, 9))
    membres = []
    for i in range(nb_membres):
        groupe = TERRITOIRES if i % 3 == 0 else TIERS_LIEUX
        profils = {hasard.choice(groupe)}
        if hasard.random() < 0.15:
            profils.add(hasard.choice(TERRITOIRES + TIERS_LIEUX))
        membres.append(
            ProfilMembre(
                cle=i,
                nom=f"Membre {i}",
                profils=frozenset(profils),
                interne=i < 4,
                organisations=cles_organisations(hasard.choice(employeurs)),
                sessions_formateur=frozenset(hasard.sample(sessions_formation, 1))
                if hasard.random() < 0.2
                else frozenset(),
            )
        )
    disponibilites = {m.cle: frozenset(d for d in dates if hasard.random() < 0.6) for m in membres}
    candidats = [
        ProfilCandidat(
            cle=j,
            nom=f"Candidat {j}",
            partenaire_id=1 + j % 5,
            session_formation_id=hasard.choice(sessions_formation) if j % 3 else None,
            employeur=cles_organisations(hasard.choice(employeurs)),
        )
        for j in range(nb_candidats)
    ]
    return ProblemePlanification(
        RS5142, membres, disponibilites, candidats, dates, max_candidats, temps_max_secondes=60
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidats", type=int, default=120)
    parser.add_argument("--membres", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--max", type=int, default=12, help="candidats au plus par session")
    parser.add_argument("--graine", type=int, default=5142)
    parser.add_argument("--essais", type=int, default=5, help="résolutions successives de la même instance")
    args = parser.parse_args()
    demande = instance(args.candidats, args.membres, args.sessions, args.max, args.graine)
    durees = []
    propositions = []
    for _ in range(args.essais):
        debut = time.perf_counter()
        propositions.append(planifier(demande))
        durees.append(time.perf_counter() - debut)
    proposition = propositions[0]
    duree = max(durees)
    identiques = all(p.sessions == proposition.sessions for p in propositions)

    par_cle_m = {m.cle: m for m in demande.membres}
    par_cle_c = {c.cle: c for c in demande.candidats}
    for session in proposition.sessions:
        violations = verifier_composition(
            demande.regle, [par_cle_m[k] for k in session.membres], [par_cle_c[k] for k in session.candidats]
        )
        assert not violations, violations
    places = sum(len(s.candidats) for s in proposition.sessions)
    assert places == len(demande.candidats)
    siegeants = [c for c in proposition.charges.values() if c]
    print(
        f"instance : {args.candidats} candidats, {args.membres} membres, {args.sessions} dates, {args.max} max/session"
    )
    print(f"charge de la machine (load average 1/5/15 min) : {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{args.essais} résolutions : {', '.join(f'{d:.2f} s' for d in durees)} ; propositions identiques : "
        f"{'oui' if identiques else 'NON'}"
    )
    print(
        f"résolution la plus lente : {duree:.2f} s "
        f"(charge maximale {'prouvée minimale' if proposition.optimale else 'la meilleure trouvée à temps'}, "
        "puis équilibrage)"
    )
    print(
        f"sessions retenues : {len(proposition.sessions)} ; candidats par session : "
        f"{sorted(len(s.candidats) for s in proposition.sessions)}"
    )
    print(
        f"charge (candidats entendus par membre siégeant) : max {proposition.charge_max}, "
        f"min {proposition.charge_min_siegeants}, écart max-min {proposition.ecart}, "
        f"moyenne {statistics.mean(siegeants):.1f}, membres siégeant {len(siegeants)}/{len(demande.membres)}"
    )
    print("chaque session proposée vérifiée par verifier_composition : 0 violation")


if __name__ == "__main__":
    main()
