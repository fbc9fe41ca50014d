"""The version of what the public pages show, for the cache of those pages.

The certification page and the catalogue search are the same for every visitor without a session:
`parchemin.web.public.cache` keeps them in each worker's memory (settings.CACHES["pages-locales"])
under the current version of the public data. The version lives in the database
(settings.CACHES["pages"], a table of its own) and any change to what the pages show (référentiel,
training sessions, partners and their accreditations, places) writes a new one in its own
transaction: every worker sees it with the data, at the same commit. Entries of an old version are
never read again; they expire or are pushed out. The web layer calls `signaler_changement` from
model signals; code that writes without signals (``QuerySet.update``, ``bulk_create``) calls it
itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from uuid import uuid4

from django.core.cache import caches
from django.db import DatabaseError, transaction

journal = logging.getLogger(__name__)

ALIAS = "pages"
ALIAS_ENTREES = "pages-locales"
CLE_VERSION = "pages-publiques:version"
# A backstop, not the invalidation: a change the signals did not see is shown within ten minutes.
DUREE_ENTREE_SECONDES = 600


def signaler_changement() -> None:
    """A new version, written in the current transaction: the cache table lives in the same database,
    so the version changes when the data does, and goes back with it if the transaction is rolled
    back. Once per transaction: nobody else sees an intermediate version, so the first write of a
    transaction is enough, until this connection reads the version again (a test, or a request that
    writes then renders a public page, reads what it wrote). A table that cannot be written (a
    database migrated before the table existed) is logged, never turned into an error of the change."""
    connexion = transaction.get_connection()
    marque = getattr(connexion, "_pages_publiques_marque", None)
    # The mark is a callback of this transaction: gone from the list when it commits or is rolled back,
    # or when the savepoint it was registered in is rolled back (and the version with it).
    if marque is not None and connexion.in_atomic_block and any(f is marque for _, f, _ in connexion.run_on_commit):
        return
    try:
        with transaction.atomic():
            caches[ALIAS].set(CLE_VERSION, uuid4().hex, None)
    except DatabaseError:
        journal.warning("Cache des pages publiques : version non écrite.", exc_info=True)
        return
    if connexion.in_atomic_block:
        nouvelle = _Marque()
        connexion._pages_publiques_marque = nouvelle
        connexion.on_commit(nouvelle)


class _Marque:
    """A callback that does nothing: its presence among the transaction's callbacks is the mark."""

    def __call__(self) -> None:
        pass


def version() -> str:
    """The current version, in one query (two the first time: every process agrees on the one added
    first). Also keys what the domain derives from the public data alone (``memoriser``)."""
    # This connection reads the version: its next write must change it again.
    transaction.get_connection()._pages_publiques_marque = None
    versions = caches[ALIAS]
    courante = versions.get(CLE_VERSION)
    if courante is None:
        versions.add(CLE_VERSION, uuid4().hex, None)
        courante = versions.get(CLE_VERSION)
    return str(courante)


T = TypeVar("T")

# key → (version, value) of memoriser(); cleared when full (past days, other certifications).
_MEMOIRE: dict[Hashable, tuple[str, Any]] = {}
TAILLE_MEMOIRE = 512


def memoriser(cle: Hashable, calculer: Callable[[], T]) -> T:
    """``calculer()``, kept by this process until the public data changes (one primary-key read per
    call instead of its queries): for what is computed from the public data and ``cle`` alone (the
    certification of a page, the partners the catalogue hides on a given day). The value is shared by
    the requests of the process: read it, never change it. An exception (a 404) is not kept."""
    courante = version()
    memo = _MEMOIRE.get(cle)
    if memo is not None and memo[0] == courante:
        return memo[1]
    valeur = calculer()
    if len(_MEMOIRE) >= TAILLE_MEMOIRE:
        _MEMOIRE.clear()
    _MEMOIRE[cle] = (courante, valeur)
    return valeur


def lire(cle: str) -> tuple[str, Any]:
    """The current version and the entry this worker keeps under ``cle`` (None when absent or of
    another version)."""
    courante = version()
    entree = caches[ALIAS_ENTREES].get(cle)
    if not isinstance(entree, tuple) or len(entree) != 2 or entree[0] != courante:
        return courante, None
    return courante, entree[1]


def ecrire(cle: str, version: str, valeur: Any) -> None:
    """Keep ``valeur`` under the version read before it was computed: if the data changed
    meanwhile, the entry is already stale and will not be read."""
    caches[ALIAS_ENTREES].set(cle, (version, valeur), DUREE_ENTREE_SECONDES)
