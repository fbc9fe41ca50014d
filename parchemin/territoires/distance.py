"""Great-circle distances between communes, and the bounding box that pre-filters them in SQL.

The box is cheap to test with an index on (latitude, longitude); inside it, rows are kept when the
chord between unit vectors is at most the chord of the radius — the same test as haversine
distance ≤ radius, with arithmetic only. Distances shown to people are computed with haversine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import FloatField
from django.db.models.expressions import RawSQL

RAYON_TERRE_KM = 6371.0088
MARGE = 1.000001


@dataclass(frozen=True)
class Boite:
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float


def boite_autour(latitude: float, longitude: float, rayon_km: float) -> Boite:
    """The smallest latitude/longitude rectangle containing the spherical circle (exact bounds of a
    spherical cap, widened by a hair for floating-point error; whole longitudes near a pole)."""
    angle = rayon_km / RAYON_TERRE_KM
    delta_lat = math.degrees(angle) * MARGE
    cos_lat = math.cos(math.radians(latitude))
    rapport = math.sin(angle) / cos_lat if cos_lat > 0 else 2.0
    delta_lon = math.degrees(math.asin(rapport)) * MARGE if rapport < 1 else 180.0
    return Boite(latitude - delta_lat, latitude + delta_lat, longitude - delta_lon, longitude + delta_lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(a)))


def vecteur_unitaire(latitude: float, longitude: float) -> tuple[float, float, float]:
    """The point on the unit sphere: the straight-line (chord) distance between two such vectors
    grows with the great-circle distance, so comparing chords needs arithmetic only."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def corde_carree_max(rayon_km: float) -> float:
    """The squared chord of a great-circle distance of ``rayon_km`` (haversine inverted)."""
    return (2 * math.sin(rayon_km / (2 * RAYON_TERRE_KM))) ** 2


def expression_corde_carree(latitude: float, longitude: float, colonnes: tuple[str, str, str]) -> RawSQL:
    """Squared chord from a point to the row's unit vector, as a database expression with no function call
    (SQLite runs Django's trigonometric functions in Python, once per row). ``colonnes`` are the three
    columns of the unit vector, qualified with their table. Written as one raw SQL node with bound
    parameters: the same sum built from F() and Value() was a tree of some twenty nodes that the ORM
    copied and resolved again at every clone of the query (a third of the search's Python time)."""
    x0, y0, z0 = vecteur_unitaire(latitude, longitude)
    somme = " + ".join(f"({colonne} - %s) * ({colonne} - %s)" for colonne in colonnes)
    # Column names come from the caller's code, never from a request; the coordinates are bound parameters.
    return RawSQL(f"({somme})", [x0, x0, y0, y0, z0, z0], output_field=FloatField())  # noqa: S611
