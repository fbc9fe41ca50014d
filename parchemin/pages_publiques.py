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

The same version keys what a process derives from the public data (``memoriser`` for a few values,
``Memoire`` for many: the sessions and result cards of the catalogue). While a visitor's page is
computed, ``version_lue`` gives them the version the page cache has just read, so that the page reads
it once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# The version a public page is being computed under (set by `version_lue` for the time of the view):
# what that page reads through `memoriser` and `Memoire` needs no other read of it.
_VERSION_DE_LA_PAGE: ContextVar[str | None] = ContextVar("version_de_la_page", default=None)


def version() -> str:
    """The current version, in one query (two the first time: every process agrees on the one added
    first), or none while a public page is computed under the version read for it (`version_lue`).
    Also keys what the domain derives from the public data alone (``memoriser``, ``Memoire``)."""
    lue = _VERSION_DE_LA_PAGE.get()
    if lue is not None:
        return lue
    # This connection reads the version: its next write must change it again.
    transaction.get_connection()._pages_publiques_marque = None
    versions = caches[ALIAS]
    courante = versions.get(CLE_VERSION)
    if courante is None:
        versions.add(CLE_VERSION, uuid4().hex, None)
        courante = versions.get(CLE_VERSION)
    return str(courante)


def version_deja_lue() -> bool:
    """Whether a public page is being computed under a version already read (`version_lue`): keeping a
    value then costs no read at all, where elsewhere it costs one, as much as a small query."""
    return _VERSION_DE_LA_PAGE.get() is not None


@contextmanager
def version_lue(courante: str) -> Iterator[None]:
    """For a page that only reads (a visitor's GET): ``courante``, read once for the page cache, is the
    version of everything the page derives from the public data. A value computed meanwhile from newer
    data is kept under this older version: it is at least as fresh as its label, never staler."""
    jeton = _VERSION_DE_LA_PAGE.set(courante)
    try:
        yield
    finally:
        _VERSION_DE_LA_PAGE.reset(jeton)


K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Memoire:
    """Values derived from the public data, kept by this process until that data changes: one read of
    the version instead of their queries or their rendering. At most ``taille`` of them, the oldest
    leaving first. The values are shared by the requests of the process: read them, never change them."""

    def __init__(self, taille: int) -> None:
        self.taille = taille
        self._valeurs: dict[Hashable, tuple[str, Any]] = {}
        # Reads need none (one dict lookup); a threaded server's requests may store at the same time.
        self._verrou = threading.Lock()

    def valeur(self, cle: Hashable, calculer: Callable[[], T]) -> T:
        """``calculer()``, kept under ``cle``. An exception (a 404) is not kept."""
        return self.valeurs([cle], lambda _: {cle: calculer()})[cle]

    def valeurs(self, cles: Iterable[K], calculer: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
        """The value of each key of ``cles``; those not kept are computed together by
        ``calculer(missing keys)``, which returns them by key (a key it leaves out is left out)."""
        courante = version()
        trouvees: dict[K, T] = {}
        manquantes: list[K] = []
        for cle in cles:
            memo = self._valeurs.get(cle)
            if memo is not None and memo[0] == courante:
                trouvees[cle] = memo[1]
            else:
                manquantes.append(cle)
        if manquantes:
            for cle, valeur in calculer(manquantes).items():
                self._ranger(cle, courante, valeur)
                trouvees[cle] = valeur
        return trouvees

    def _ranger(self, cle: Hashable, courante: str, valeur: Any) -> None:
        with self._verrou:
            self._valeurs.pop(cle, None)  # re-inserted last: the oldest entry is the first in the dict
            while len(self._valeurs) >= self.taille:
                del self._valeurs[next(iter(self._valeurs))]
            self._valeurs[cle] = (courante, valeur)

    def vider(self) -> None:
        with self._verrou:
            self._valeurs.clear()


# What memoriser() keeps: a few values per certification and day.
_MEMOIRE = Memoire(taille=512)


def memoriser(cle: Hashable, calculer: Callable[[], T]) -> T:
    """``calculer()``, kept by this process until the public data changes (one primary-key read per
    call instead of its queries): for what is computed from the public data and ``cle`` alone (the
    certification of a page, the partners the catalogue hides on a given day). The value is shared by
    the requests of the process: read it, never change it. An exception (a 404) is not kept."""
    return _MEMOIRE.valeur(cle, calculer)


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
