"""What a process keeps of the public data (parchemin.pages_publiques.Memoire): never a value of an
older version, at most its size, the oldest entry leaving first, misses computed together."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.pages_publiques import Memoire, signaler_changement, version, version_lue

pytestmark = pytest.mark.django_db

# An operation: read keys (a batch) or change the public data.
operations = st.lists(
    st.one_of(st.lists(st.integers(0, 6), min_size=1, max_size=4), st.just("changement")), max_size=40
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations, taille=st.integers(1, 5))
def test_a_value_is_always_the_one_of_the_current_data_and_the_memory_stays_within_its_size(
    operations: list[Any], taille: int
) -> None:
    memoire = Memoire(taille)
    donnees = {"generation": 0}  # what the values are computed from
    calculs: list[list[int]] = []

    def calculer(cles: list[int]) -> dict[int, tuple[int, int]]:
        calculs.append(cles)
        return {cle: (cle, donnees["generation"]) for cle in cles}

    for operation in operations:
        if operation == "changement":
            donnees["generation"] += 1
            signaler_changement()
            continue
        nombre_avant = len(calculs)
        valeurs = memoire.valeurs(operation, calculer)
        assert valeurs == {cle: (cle, donnees["generation"]) for cle in operation}
        assert len(calculs) <= nombre_avant + 1, "les clés manquantes sont calculées ensemble"
        assert len(memoire._valeurs) <= taille
        # One key alone, through the other entry point, gives the same.
        assert memoire.valeur(operation[0], lambda cle=operation[0]: calculer([cle])[cle]) == (
            operation[0],
            donnees["generation"],
        )


def test_the_oldest_entry_leaves_first_and_a_read_one_is_not_renewed_but_a_recomputed_one_is() -> None:
    memoire = Memoire(2)
    calculs: list[str] = []

    def calculer(cle: str) -> str:
        calculs.append(cle)
        return cle.upper()

    for cle in ("a", "b", "a", "c", "b", "a"):
        memoire.valeur(cle, lambda cle=cle: calculer(cle))
    # a, b computed; a kept; c pushes a out (the oldest stored); b kept; a computed again, pushes b out.
    assert calculs == ["a", "b", "c", "a"]
    assert list(memoire._valeurs) == ["c", "a"]


def test_an_exception_is_not_kept() -> None:
    memoire = Memoire(4)

    def echoue() -> str:
        raise LookupError("introuvable")

    with pytest.raises(LookupError):
        memoire.valeur("x", echoue)
    assert memoire.valeur("x", lambda: "trouvé") == "trouvé"


def test_inside_a_page_the_version_read_for_it_is_used_without_reading_again(
    django_assert_num_queries: Any,
) -> None:
    courante = version()
    with version_lue("version-de-la-page"), django_assert_num_queries(0):
        assert version() == "version-de-la-page"
    assert version() == courante


def test_requests_of_a_threaded_server_may_store_at_the_same_time() -> None:
    """Under a threaded server (runserver, gthread workers), stores interleave: none may fail, and the
    memory keeps its bound. The switch interval is shortened so that threads switch inside a store."""
    import sys
    import threading

    memoire = Memoire(taille=8)
    erreurs: list[BaseException] = []

    def ranger(depart: int) -> None:
        try:
            # Each thread computes its pages under a version already read: no database in the threads.
            with version_lue("v"):
                for n in range(3000):
                    cle = (depart, n % 50)
                    assert memoire.valeurs([cle], lambda manquantes: {k: k for k in manquantes}) == {cle: cle}
        except BaseException as erreur:  # any failure of a store is what this test looks for
            erreurs.append(erreur)

    intervalle = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        fils = [threading.Thread(target=ranger, args=(depart,)) for depart in range(6)]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join()
    finally:
        sys.setswitchinterval(intervalle)
    assert erreurs == [] and len(memoire._valeurs) <= 8
