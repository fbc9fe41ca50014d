"""Great-circle distances between communes, and the bounding box that pre-filters them in SQL.

The box is cheap to test with an index on (latitude, longitude); the exact haversine distance is
only computed for the rows inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

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


def expression_distance_km(latitude: float, longitude: float, champ_lat: str, champ_lon: str) -> ExpressionWrapper:
    """The haversine distance from a point to the row's coordinates, as a database expression."""
    lat0 = math.radians(latitude)
    demi_dlat = Sin((Radians(F(champ_lat)) - Value(lat0)) / Value(2.0))
    demi_dlon = Sin((Radians(F(champ_lon)) - Value(math.radians(longitude))) / Value(2.0))
    a = Power(demi_dlat, 2) + Value(math.cos(lat0)) * Cos(Radians(F(champ_lat))) * Power(demi_dlon, 2)
    return ExpressionWrapper(Value(2 * RAYON_TERRE_KM) * ASin(Sqrt(a)), output_field=FloatField())
