"""The public catalogue's search: "Je cherche à faire…" near a commune, with filters.

Free text goes through the database's full-text index (FTS5 on SQLite, a French ``tsvector`` on
PostgreSQL, see migration 0004). What a person types is never passed to the index as syntax: it
is folded to plain words (letters and digits) first, so quotes, ``*``, ``NEAR`` or parentheses are
just words, and very long input is cut. Distance is the haversine distance from the commune's
coordinates (compared as chords of unit vectors, see territoires.distance), computed only inside a
bounding box that an index on (certification, latitude, longitude) answers.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import overload

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from parchemin.pages_publiques import Memoire, memoriser
from parchemin.referentiel.models import Certification
from parchemin.territoires.distance import boite_autour, corde_carree_max, expression_corde_carree
from parchemin.territoires.models import Commune
from parchemin.territoires.noms import mots, singulier

from .enums import StatutSession
from .models import Habilitation, SessionFormation

MOTS_MAX = 8
LONGUEUR_MOT_MAX = 40
RAYON_MAX_KM = 500


class Tri:
    PERTINENCE = "pertinence"
    DISTANCE = "distance"
    DATE = "date"


@dataclass(frozen=True)
class Criteres:
    texte: str = ""
    commune: Commune | None = None
    rayon_km: int = 50
    region: str = ""
    debut_min: datetime.date | None = None
    debut_max: datetime.date | None = None
    modalite: str = ""
    prix_max: Decimal | None = None
    places_disponibles: bool = False
    tri: str = ""

    def tri_effectif(self) -> str:
        """Relevance needs words, distance needs a place; otherwise the next session first."""
        if self.tri == Tri.DISTANCE and self.commune is not None:
            return Tri.DISTANCE
        if self.tri in ("", Tri.PERTINENCE) and termes(self.texte):
            return Tri.PERTINENCE
        if self.tri == "" and self.commune is not None:
            return Tri.DISTANCE
        return Tri.DATE


def termes(texte: str) -> list[str]:
    """The words searched: folded, singular, at most MOTS_MAX of at most LONGUEUR_MOT_MAX characters."""
    return [singulier(mot[:LONGUEUR_MOT_MAX]) for mot in mots(texte[:1000])][:MOTS_MAX]


# Beyond this many matches, a search with words and no place says "plus de 1 000 sessions" rather
# than counting them all: a frequent word matches most of the catalogue, and the exact count cost a
# second full pass as costly as the page. With a place, the box bounds the count and it stays exact.
COMPTE_MAX = 1000


# The sessions of the pages shown, with their partner and commune, kept by the process until the public
# data changes: a search shows sessions other searches showed before (≈ 3 KB each).
SESSIONS_GARDEES = Memoire(taille=2000)


class Resultats:
    """What the paginator needs: ``count()`` and slicing.

    A page is read in two steps: the ids of its sessions first (the sort and the filters carry one
    narrow row per match), then those rows only, joined with their partner and commune (their
    certification is the one searched).
    Counting and listing may use different plans: on SQLite, counting through an FTS5 join makes the
    planner probe the index once per row (seconds), while an ``IN (SELECT rowid … MATCH …)`` is
    answered once; ranking needs the join. A bounded count stops at ``borne`` + 1 matches:
    ``count()`` then gives ``borne`` and ``au_dela`` is true.

    With ``premiere_page`` (the size of the page asked for, when it is the first), the ids of that page
    plus one are read before anything is counted: when they are all the matches, as for most
    certifications and most precise searches, they are the count and the page, and the count's query is
    not run; otherwise the page reuses them and only the count is added."""

    ordered = True

    def __init__(
        self,
        liste: QuerySet[SessionFormation],
        compteur: QuerySet[SessionFormation],
        certification: Certification,
        borne: int | None = None,
        premiere_page: int = 0,
    ) -> None:
        self.liste = liste
        self.compteur = compteur
        self.borne = borne
        self.au_dela = False
        self.certification = certification
        self.premiere_page = premiere_page
        self._tete: list[int] | None = None

    def _ids_tete(self) -> list[int]:
        if self._tete is None:
            self._tete = list(self.liste.values_list("pk", flat=True)[: self.premiere_page + 1])
        return self._tete

    def count(self) -> int:
        if self.premiere_page:
            tete = self._ids_tete()
            if len(tete) <= self.premiere_page:  # every match is on the first page
                return len(tete)
        if self.borne is None:
            return self.compteur.count()
        nombre = self.compteur.values("pk")[: self.borne + 1].count()
        self.au_dela = nombre > self.borne
        return min(nombre, self.borne)

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, cle: int) -> SessionFormation: ...

    @overload
    def __getitem__(self, cle: slice) -> list[SessionFormation]: ...

    def __getitem__(self, cle: int | slice) -> SessionFormation | list[SessionFormation]:
        if isinstance(cle, int):
            sessions = self[cle : cle + 1]
            if not sessions:
                raise IndexError(cle)
            return sessions[0]
        tete = self._tete
        if tete is not None and self._couvre(tete, cle):
            ids = tete[cle]
        else:
            ids = list(self.liste.values_list("pk", flat=True)[cle])
        lignes = SESSIONS_GARDEES.valeurs(ids, self._lire)
        # Each request gets its own copies: the page adds its distance and links to them.
        return [copy.copy(lignes[pk]) for pk in ids]

    def _couvre(self, tete: list[int], cle: slice) -> bool:
        """Whether the ids read before counting hold this slice: they are every match, or the slice
        ends within them."""
        if cle.step is not None or (cle.start or 0) < 0:
            return False
        toutes = len(tete) <= self.premiere_page
        return toutes or (cle.stop is not None and 0 <= cle.stop <= len(tete))

    def _lire(self, ids: list[int]) -> dict[int, SessionFormation]:
        # Every session of a search belongs to the certification searched, which the caller has already
        # read: joining it again would build 20 copies of the same row (a third of the time spent turning
        # rows into objects).
        lignes = SessionFormation.objects.select_related("partenaire", "commune").in_bulk(ids)
        for session in lignes.values():
            session.certification = self.certification
        return lignes

    def __iter__(self) -> Iterator[SessionFormation]:
        return iter(self[:])


def _filtrer_texte(
    qs: QuerySet[SessionFormation], texte: str, classer: bool
) -> tuple[QuerySet[SessionFormation], QuerySet[SessionFormation]]:
    """(sessions for the list, sessions to count) matching the words of ``texte``."""
    liste = termes(texte)
    if not liste:
        return qs, qs
    table = SessionFormation._meta.db_table
    if connection.vendor == "postgresql":
        requete = " & ".join(liste)
        filtre = qs.extra(  # noqa: S610 — parameters are bound; the query is built from [a-z0-9] words only
            where=[f"{table}.recherche @@ to_tsquery('french', %s)"], params=[requete]
        )
        if not classer:
            return filtre, filtre
        classe = filtre.extra(  # noqa: S610 — same
            select={"pertinence": f"-ts_rank({table}.recherche, to_tsquery('french', %s))"}, select_params=[requete]
        )
        return classe, filtre
    # Exact tokens: the index holds the same singular forms, and prefix queries on common words
    # would merge many doclists.
    requete = " AND ".join(f'"{mot}"' for mot in liste)
    filtre = qs.filter(
        pk__in=RawSQL("SELECT rowid FROM partenaires_session_fts WHERE partenaires_session_fts MATCH %s", [requete])
    )
    if not classer:
        return filtre, filtre
    classe = qs.extra(  # noqa: S610 — same: bound parameter, words made of [a-z0-9] only
        select={"pertinence": "bm25(partenaires_session_fts)"},
        tables=["partenaires_session_fts"],
        where=[f"partenaires_session_fts.rowid = {table}.id", "partenaires_session_fts MATCH %s"],
        params=[requete],
    )
    return classe, filtre


def rechercher(
    certification: Certification, criteres: Criteres, aujourd_hui: datetime.date, premiere_page: int = 0
) -> Resultats:
    """Published sessions of ``certification`` matching ``criteres``, in the order asked
    (``premiere_page``: see ``Resultats``)."""
    tri = criteres.tri_effectif()
    classer = tri == Tri.PERTINENCE
    # Ranked by relevance on SQLite, the full-text index must drive the join: otherwise SQLite may
    # walk another index (dates, coordinates) and probe FTS5 once per session, which takes seconds.
    # Its filters are then written so that no index can serve them (unary +).
    # Sorted by date around a commune, the box must drive, not the dates index walked in order.
    force_fts = classer and connection.vendor == "sqlite" and bool(termes(criteres.texte))
    par_lieu = not force_fts and connection.vendor == "sqlite" and criteres.commune is not None
    exclus = partenaires_exclus(certification, aujourd_hui)
    filtrees = _filtrer(certification, criteres, aujourd_hui, exclus, indexable=True)
    if force_fts or par_lieu:
        liste, _ = _filtrer_texte(
            _filtrer(
                certification, criteres, aujourd_hui, exclus, indexable=not force_fts, dates_indexables=not par_lieu
            ),
            criteres.texte,
            classer=classer,
        )
        _, compteur = _filtrer_texte(filtrees, criteres.texte, classer=False)
    else:  # the same filters for the list and the count: built once
        liste, compteur = _filtrer_texte(filtrees, criteres.texte, classer=classer)
    if tri == Tri.PERTINENCE:
        liste = liste.order_by("pertinence", "date_debut", "pk")
    elif tri == Tri.DISTANCE:
        liste = liste.order_by("corde_carree", "date_debut", "pk")
    else:
        liste = liste.order_by("date_debut", "pk")
    borne = COMPTE_MAX if termes(criteres.texte) and criteres.commune is None else None
    return Resultats(
        liste=liste, compteur=compteur, borne=borne, certification=certification, premiere_page=premiere_page
    )


def plus_proches_au_dela(
    certification: Certification, criteres: Criteres, aujourd_hui: datetime.date, nombre: int = 3
) -> list[SessionFormation]:
    """When nothing lies within the radius: the nearest sessions matching the other criteria, up
    to RAYON_MAX_KM away (empty without a located commune)."""
    if criteres.commune is None or criteres.commune.latitude is None or criteres.rayon_km >= RAYON_MAX_KM:
        return []
    elargis = replace(criteres, rayon_km=RAYON_MAX_KM, tri=Tri.DISTANCE)
    return list(rechercher(certification, elargis, aujourd_hui)[:nombre])


def partenaires_exclus(certification: Certification, aujourd_hui: datetime.date) -> list[int]:
    """Partners to hide although some of their future sessions are still published.

    Every change made by a person (withdrawal, suspension, end, new terms) unpublishes the future
    sessions at once (services), and publishing needs a valid habilitation. What no one writes is a
    validity that runs out: until the daily ``cloturer_habilitations_echues`` has ended it, the
    catalogue hides that partner here. The list depends on the habilitations and the day alone: it is
    computed once per process, day and version of the public data (``memoriser``)."""
    return memoriser(
        ("partenaires_exclus", certification.pk, aujourd_hui), lambda: _calculer_exclus(certification, aujourd_hui)
    )


def _calculer_exclus(certification: Certification, aujourd_hui: datetime.date) -> list[int]:
    valides = Habilitation.objects.permettant_de_preparer(aujourd_hui).filter(certification=certification)
    return sorted(
        set(
            Habilitation.objects.echues(aujourd_hui)
            .filter(certification=certification)
            .exclude(partenaire_id__in=valides.values("partenaire_id"))
            .order_by()  # no default ordering: it joined the partners to sort by name, for a set of ids
            .values_list("partenaire_id", flat=True)
        )
    )


def _filtrer(
    certification: Certification,
    criteres: Criteres,
    aujourd_hui: datetime.date,
    exclus: list[int],
    *,
    indexable: bool,
    dates_indexables: bool = True,
) -> QuerySet[SessionFormation]:
    debut_min = max(criteres.debut_min or aujourd_hui, aujourd_hui)
    qs: QuerySet[SessionFormation] = SessionFormation.objects.publiees()
    table = SessionFormation._meta.db_table
    if exclus:  # NOT IN: no index can take it, the plan stays the one chosen below
        qs = qs.exclude(partenaire_id__in=exclus)
    if indexable and dates_indexables:
        qs = qs.filter(certification=certification, date_debut__gte=debut_min)
    elif indexable:
        qs = qs.filter(certification=certification).extra(  # noqa: S610 — bound parameter only
            where=[f"+{table}.date_debut >= %s"], params=[debut_min.isoformat()]
        )
    else:
        qs = qs.extra(  # noqa: S610 — bound parameters only
            where=[f"+{table}.certification_id = %s", f"+{table}.date_debut >= %s"],
            params=[certification.pk, debut_min.isoformat()],
        )
    if criteres.debut_max:
        qs = qs.filter(date_debut__lte=criteres.debut_max)
    if criteres.region:
        qs = qs.filter(region=criteres.region)
    if criteres.modalite:
        qs = qs.filter(modalite=criteres.modalite)
    if criteres.prix_max is not None:
        qs = qs.filter(prix__lte=criteres.prix_max)
    if criteres.places_disponibles:
        qs = qs.filter(statut=StatutSession.OUVERTE, inscrits__lt=F("capacite"))
    else:
        qs = qs.exclude(statut=StatutSession.ANNULEE)
    commune = criteres.commune
    if commune is None or commune.latitude is None or commune.longitude is None:
        return qs
    rayon = min(max(criteres.rayon_km, 1), RAYON_MAX_KM)
    boite = boite_autour(commune.latitude, commune.longitude, rayon)
    if indexable:
        qs = qs.filter(latitude__range=(boite.lat_min, boite.lat_max), longitude__range=(boite.lon_min, boite.lon_max))
    else:
        qs = qs.extra(  # noqa: S610 — bound parameters only
            where=[f"+{table}.latitude BETWEEN %s AND %s", f"+{table}.longitude BETWEEN %s AND %s"],
            params=[boite.lat_min, boite.lat_max, boite.lon_min, boite.lon_max],
        )
    corde = expression_corde_carree(
        commune.latitude, commune.longitude, (f"{table}.vecteur_x", f"{table}.vecteur_y", f"{table}.vecteur_z")
    )
    return qs.annotate(corde_carree=corde).filter(corde_carree__lte=corde_carree_max(rayon))
