"""The public catalogue's search: "Je cherche à faire…" near a commune, with filters.

Free text goes through the database's full-text index (FTS5 on SQLite, a French ``tsvector`` on
PostgreSQL, see migration 0004). What a person types is never passed to the index as syntax: it
is folded to plain words (letters and digits) first, so quotes, ``*``, ``NEAR`` or parentheses are
just words, and very long input is cut. Distance is the haversine distance from the commune's
coordinates, computed only inside a bounding box that an index on (latitude, longitude) answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, QuerySet

from parchemin.referentiel.models import Certification
from parchemin.territoires.distance import boite_autour, expression_distance_km
from parchemin.territoires.models import Commune
from parchemin.territoires.noms import mots

from .enums import StatutSession
from .models import SessionFormation

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


def _racine(mot: str) -> str:
    """A crude plural folding for SQLite (no French stemmer there): "lieux" → "lieu", "tiers" → "tier"."""
    return mot[:-1] if len(mot) > 3 and mot[-1] in "sx" else mot


def termes(texte: str) -> list[str]:
    return [mot[:LONGUEUR_MOT_MAX] for mot in mots(texte[:1000])][:MOTS_MAX]


def _filtrer_texte(qs: QuerySet[SessionFormation], texte: str) -> QuerySet[SessionFormation]:
    liste = termes(texte)
    if not liste:
        return qs
    table = SessionFormation._meta.db_table
    if connection.vendor == "postgresql":
        requete = " & ".join(f"{mot}:*" for mot in liste)
        return qs.extra(  # noqa: S610 — parameters are bound; the query is built from [a-z0-9] words only
            select={"pertinence": f"-ts_rank({table}.recherche, to_tsquery('french', %s))"},
            select_params=[requete],
            where=[f"{table}.recherche @@ to_tsquery('french', %s)"],
            params=[requete],
        )
    requete = " AND ".join(f'"{_racine(mot)}"*' for mot in liste)
    return qs.extra(  # noqa: S610 — same: bound parameter, words made of [a-z0-9] only
        select={"pertinence": "bm25(partenaires_session_fts)"},
        tables=["partenaires_session_fts"],
        where=[f"partenaires_session_fts.rowid = {table}.id", "partenaires_session_fts MATCH %s"],
        params=[requete],
    )


def rechercher(
    certification: Certification, criteres: Criteres, aujourd_hui: datetime.date
) -> QuerySet[SessionFormation]:
    """Published sessions of ``certification`` matching ``criteres``, in the order asked."""
    qs: QuerySet[SessionFormation] = (
        SessionFormation.objects.publiees().filter(certification=certification).pour_liste()
    )
    qs = qs.filter(date_debut__gte=max(criteres.debut_min or aujourd_hui, aujourd_hui))
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
    if commune is not None and commune.latitude is not None and commune.longitude is not None:
        rayon = min(max(criteres.rayon_km, 1), RAYON_MAX_KM)
        boite = boite_autour(commune.latitude, commune.longitude, rayon)
        qs = qs.filter(latitude__range=(boite.lat_min, boite.lat_max), longitude__range=(boite.lon_min, boite.lon_max))
        qs = qs.annotate(
            distance_km=expression_distance_km(commune.latitude, commune.longitude, "latitude", "longitude")
        ).filter(distance_km__lte=rayon)
    qs = _filtrer_texte(qs, criteres.texte)
    tri = criteres.tri_effectif()
    if tri == Tri.PERTINENCE:
        return qs.order_by("pertinence", "date_debut", "pk")
    if tri == Tri.DISTANCE:
        return qs.order_by("distance_km", "date_debut", "pk")
    return qs.order_by("date_debut", "pk")
