"""Benchmark of the composition check: microseconds per call of ``verifier_composition``.

The check runs on every page that shows a jury, so it must stay far below a millisecond. Times a
conforming RS5142 jury with 12 candidates (every member × candidate link tested), and a jury that
breaks every rule (internal member, trainer of a candidate, two ESS members and one coworking member).

    .venv/bin/python bench/bench_composition.py [--repetitions 20000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parchemin.jurys.regles import (
    ProfilCandidat,
    ProfilMembre,
    Quota,
    RegleComposition,
    cles_organisations,
    verifier_composition,
)

RS5142 = RegleComposition(
    "Jury de trois représentants du secteur des tiers-lieux",
    3,
    3,
    100,
    (
        Quota("ESS / numérique / recherche", frozenset({"ESS", "NUMERIQUE", "RECHERCHE_TERRITOIRES"}), 1),
        Quota("Tiers-lieux", frozenset({"COWORKING", "FABLAB", "LIEU_HYBRIDE"}), 2),
    ),
)
CANDIDATS = [
    ProfilCandidat(
        cle=j,
        nom=f"Candidat {j}",
        partenaire_id=j % 4,
        partenaire_organisations=cles_organisations(f"Organisme {j % 4}"),
        session_formation_id=j % 6,
        employeur=cles_organisations(f"Employeur {j}", f"{10**13 + j}"),
    )
    for j in range(12)
]
CONFORME = [
    ProfilMembre(1, "Alice", frozenset({"ESS"}), organisations=cles_organisations("La Coop du Coin")),
    ProfilMembre(2, "Bruno", frozenset({"COWORKING", "ESS"}), partenaires_formateur=frozenset({9})),
    ProfilMembre(3, "Chloé", frozenset({"FABLAB"}), sessions_formateur=frozenset({42})),
]
FAUTIF = [
    ProfilMembre(1, "Denis", frozenset({"ESS"}), interne=True),
    ProfilMembre(2, "Emma", frozenset({"ESS"}), sessions_formateur=frozenset({3})),
    ProfilMembre(3, "Farid", frozenset({"COWORKING"})),
]


def mesurer(membres: list[ProfilMembre], repetitions: int) -> tuple[float, float, int]:
    durees = []
    violations = 0
    for _ in range(repetitions):
        debut = time.perf_counter()
        violations = len(verifier_composition(RS5142, membres, CANDIDATS))
        durees.append(time.perf_counter() - debut)
    durees.sort()
    return statistics.median(durees) * 1e6, durees[int(len(durees) * 0.99)] * 1e6, violations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=20000)
    args = parser.parse_args()
    for nom, membres in (("jury conforme, 12 candidats", CONFORME), ("jury fautif, 12 candidats", FAUTIF)):
        mediane, p99, violations = mesurer(membres, args.repetitions)
        print(f"{nom} : médiane {mediane:.1f} µs, 99e centile {p99:.1f} µs, {violations} violation(s)")


if __name__ == "__main__":
    main()
