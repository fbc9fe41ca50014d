"""Reading a partner's list of trainees (CSV or XLSX) into rows checked one by one.

Nothing here writes: ``lire_fichier`` returns every row with its errors (line and column named,
in French) so the import service can refuse the whole file, or import only the valid rows once
the user has seen the preview and confirmed.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from lxml import etree

from parchemin.identifiants import normaliser_siret, siret_valide

from . import etat_civil
from .enums import NiveauDiplome, Sexe
from .models import normaliser_recherche

TAILLE_MAX_IMPORT = 2 * 1024 * 1024
LIGNES_MAX = 2000
# What one import may make the server read, whatever the file claims about itself: a 2 MB upload
# can still hold a million cells (XLSX compresses them) or one cell of two million characters.
COLONNES_MAX = 50
CARACTERES_MAX_CELLULE = 500
CELLULES_MAX = 60_000
DECOMPRESSE_MAX = 20 * 1024 * 1024
# The report page echoes at most this much of what it read.
ERREURS_AFFICHEES_MAX = 200
APERCU_MAX = 100
EXTRAIT_MAX = 40


class LimiteDepassee(Exception):
    """The file goes beyond what one import reads; the message says which limit, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def extrait(texte: str) -> str:
    """A cell value quoted back to the user, cut so that a long cell cannot swell the report."""
    return texte if len(texte) <= EXTRAIT_MAX else texte[: EXTRAIT_MAX - 1] + "…"


@dataclass(frozen=True)
class Colonne:
    cle: str
    libelle: str
    obligatoire: bool
    alias: tuple[str, ...] = ()


COLONNES = (
    Colonne("nom_naissance", "Nom de naissance", True, ("nom",)),
    Colonne("nom_usage", "Nom d'usage", False),
    Colonne("prenoms", "Prénoms", True, ("prenom",)),
    Colonne("sexe", "Sexe", True),
    Colonne("date_naissance", "Date de naissance", True),
    Colonne("code_commune_naissance", "Code commune de naissance", False, ("code_insee_naissance", "code_insee")),
    Colonne("code_pays_naissance", "Code pays de naissance", False),
    Colonne("email", "E-mail", True, ("courriel", "e_mail", "mail")),
    Colonne("telephone", "Téléphone", False),
    Colonne("niveau_diplome", "Niveau de diplôme", False, ("diplome",)),
    Colonne("annees_experience", "Années d'expérience", False, ("experience",)),
    Colonne("employeur", "Employeur", False),
    Colonne("siret_employeur", "SIRET employeur", False),
)
PAR_CLE = {c.cle: c for c in COLONNES}
XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NIVEAUX_TEXTE = {"bac": "4", "bac+2": "5", "bac+3": "6", "bac+4": "6", "bac+5": "7", "bac+8": "8", "doctorat": "8"}
SEXES = {"m": Sexe.M, "h": Sexe.M, "homme": Sexe.M, "masculin": Sexe.M, "f": Sexe.F, "femme": Sexe.F, "feminin": Sexe.F}


@dataclass(frozen=True)
class ErreurCellule:
    ligne: int
    colonne: str
    message: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » : {self.message}"


@dataclass
class LigneImport:
    numero: int
    brut: dict[str, str]
    valeurs: dict[str, Any] = field(default_factory=dict)
    erreurs: list[ErreurCellule] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def erreur(self, cle: str, message: str) -> None:
        self.erreurs.append(ErreurCellule(self.numero, PAR_CLE[cle].libelle, message))


@dataclass
class RapportImport:
    format: str
    encodage: str = ""
    erreurs_fichier: list[str] = field(default_factory=list)
    lignes: list[LigneImport] = field(default_factory=list)

    @property
    def valides(self) -> list[LigneImport]:
        return [ligne for ligne in self.lignes if ligne.valide]

    @property
    def erreurs(self) -> list[ErreurCellule]:
        return [e for ligne in self.lignes for e in ligne.erreurs]

    @property
    def entierement_valide(self) -> bool:
        return not self.erreurs_fichier and bool(self.lignes) and all(ligne.valide for ligne in self.lignes)

    @property
    def erreurs_affichees(self) -> list[ErreurCellule]:
        return self.erreurs[:ERREURS_AFFICHEES_MAX]

    @property
    def erreurs_masquees(self) -> int:
        return max(0, len(self.erreurs) - ERREURS_AFFICHEES_MAX)

    @property
    def apercu(self) -> list[LigneImport]:
        return self.valides[:APERCU_MAX]

    @property
    def apercu_masque(self) -> int:
        return max(0, len(self.valides) - APERCU_MAX)


def _cle_entete(texte: str) -> str:
    return re.sub(r"[^a-z0-9+]+", "_", normaliser_recherche(texte).strip()).strip("_")


def _reconnaitre_entetes(entetes: list[str], rapport: RapportImport) -> dict[int, str]:
    connues = {c.cle: c.cle for c in COLONNES} | {alias: c.cle for c in COLONNES for alias in c.alias}
    positions: dict[int, str] = {}
    inconnues = []
    for index, entete in enumerate(entetes):
        cle = connues.get(_cle_entete(entete))
        if cle is None:
            if entete.strip():
                inconnues.append(extrait(entete.strip()))
            continue
        if cle in positions.values():
            rapport.erreurs_fichier.append(f"La colonne « {PAR_CLE[cle].libelle} » apparaît deux fois.")
        positions[index] = cle
    if inconnues:
        rapport.erreurs_fichier.append(
            "Colonnes inconnues : "
            + ", ".join(f"« {nom} »" for nom in inconnues)
            + ". Colonnes attendues : "
            + ", ".join(c.cle for c in COLONNES)
            + "."
        )
    manquantes = [c.libelle for c in COLONNES if c.obligatoire and c.cle not in positions.values()]
    if manquantes:
        rapport.erreurs_fichier.append("Colonnes obligatoires absentes : " + ", ".join(manquantes) + ".")
    return positions


def _decoder(contenu: bytes, rapport: RapportImport) -> str | None:
    """UTF-8 (with or without BOM) first; then Windows-1252, what spreadsheets on Windows write."""
    if contenu.startswith(codecs.BOM_UTF8):
        rapport.encodage = "UTF-8 (avec BOM)"
        return contenu[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    try:
        texte = contenu.decode("utf-8")
        rapport.encodage = "UTF-8"
        return texte
    except UnicodeDecodeError:
        pass
    try:
        texte = contenu.decode("cp1252")
        rapport.encodage = "Windows-1252"
        return texte
    except UnicodeDecodeError:
        rapport.erreurs_fichier.append(
            "Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8 depuis votre tableur."
        )
        return None


def _lignes_csv(contenu: bytes, rapport: RapportImport) -> Iterator[list[str]]:
    try:
        texte = _decoder(contenu, rapport)
    except UnicodeDecodeError:
        rapport.erreurs_fichier.append("Le fichier annonce de l'UTF-8 (BOM) mais contient des octets invalides.")
        return
    if texte is None:
        return
    premiere = texte.split("\n", 1)[0]
    separateur = max(";,\t", key=premiere.count)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    while True:
        try:
            cellules = next(lecteur)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses a field longer than its own limit (131,072 characters by default)
            # and malformed quoting; either way the file is not a list we can read.
            raise LimiteDepassee(
                f"Ligne {lecteur.line_num} : cellule illisible ou de plus de {CARACTERES_MAX_CELLULE} caractères "
                "(guillemet non refermé ?). Corrigez le fichier et envoyez-le à nouveau."
            ) from None
        yield cellules


def _texte_cellule(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, datetime.datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


def _verifier_archive(contenu: bytes) -> None:
    """Refuse a workbook whose parts inflate beyond DECOMPRESSE_MAX before anything parses them:
    openpyxl reads the shared strings whole when it opens the workbook."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        if sum(info.file_size for info in archive.infolist()) > DECOMPRESSE_MAX:
            raise LimiteDepassee(
                f"Le classeur décompressé dépasse {DECOMPRESSE_MAX // (1024 * 1024)} Mo : "
                "gardez seulement la liste des stagiaires, sur la première feuille."
            )


def _compter_cellules(source: IO[bytes]) -> None:
    """Stream the sheet's XML once and stop at the first limit crossed. The sheet's declared
    dimension is not trusted, and openpyxl builds a whole row in memory before yielding it: this
    pass is what keeps a header row of a million cells from being built at all."""
    total = 0
    par_ligne = 0
    for evenement, element in etree.iterparse(
        source, events=("start", "end"), tag=(f"{{{XLSX_NS}}}row", f"{{{XLSX_NS}}}c"), resolve_entities=False
    ):
        if element.tag == f"{{{XLSX_NS}}}row":
            if evenement == "start":
                par_ligne = 0
                total += 1
            else:
                element.clear(keep_tail=False)
        elif evenement == "end":
            par_ligne += 1
            total += 1
            element.clear(keep_tail=False)
            if par_ligne > COLONNES_MAX:
                raise LimiteDepassee(f"Une ligne de la feuille compte plus de {COLONNES_MAX} colonnes.")
        if total > CELLULES_MAX:
            raise LimiteDepassee(
                f"La feuille compte plus de {CELLULES_MAX} cellules : gardez seulement la liste des stagiaires."
            )


def _lignes_xlsx(contenu: bytes, rapport: RapportImport) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        _verifier_archive(contenu)
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        rapport.erreurs_fichier.append("Ce fichier n'est pas un classeur XLSX lisible.")
        return
    try:
        if not classeur.worksheets:
            rapport.erreurs_fichier.append("Ce classeur ne contient aucune feuille.")
            return
        feuille = classeur.worksheets[0]
        try:
            with classeur._archive.open(feuille._worksheet_path) as source:
                _compter_cellules(source)
        except (KeyError, etree.XMLSyntaxError):
            rapport.erreurs_fichier.append("Ce fichier n'est pas un classeur XLSX lisible.")
            return
        # Without this, read-only openpyxl pads every row to the declared dimension (A1:XFD1048576).
        feuille.reset_dimensions()
        for ligne in feuille.iter_rows(values_only=True):
            yield [_texte_cellule(v) for v in ligne]
    finally:
        classeur.close()


def _date(texte: str) -> datetime.date:
    for motif in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(texte, motif).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", texte):
        raise ValueError(f"la date « {extrait(texte)} » n'existe pas dans le calendrier")
    raise ValueError(f"« {extrait(texte)} » n'est pas une date (format attendu : JJ/MM/AAAA)")


def _valider_ligne(ligne: LigneImport) -> None:
    b, v = ligne.brut, ligne.valeurs
    for colonne in COLONNES:
        if colonne.obligatoire and not b.get(colonne.cle):
            ligne.erreur(colonne.cle, "valeur obligatoire manquante")
    v["nom_naissance"] = b.get("nom_naissance", "")[:60]
    v["nom_usage"] = b.get("nom_usage", "")[:60]
    prenoms = [p.strip() for p in re.split(r"[,;]", b.get("prenoms", "")) if p.strip()]
    if len(prenoms) > 3:
        ligne.erreur("prenoms", "trois prénoms au plus, séparés par des virgules")
    for index, prenom in enumerate(prenoms[:3], start=1):
        v[f"prenom{index}"] = prenom[:60]
    if b.get("sexe"):
        sexe = SEXES.get(normaliser_recherche(b["sexe"]))
        if sexe is None:
            ligne.erreur("sexe", f"« {extrait(b['sexe'])} » : indiquez M ou F")
        v["sexe"] = sexe or ""
    if b.get("date_naissance"):
        try:
            v["date_naissance"] = _date(b["date_naissance"])
            etat_civil.valider_date_naissance(v["date_naissance"])
        except ValueError as erreur:
            ligne.erreur("date_naissance", str(erreur))
        except ValidationError as erreur:
            ligne.erreur("date_naissance", " ".join(erreur.messages))
    commune, pays = (
        etat_civil.normaliser_code(b.get(c, "")) for c in ("code_commune_naissance", "code_pays_naissance")
    )
    for cle, code, validateur in (
        ("code_commune_naissance", commune, etat_civil.valider_code_commune),
        ("code_pays_naissance", pays, etat_civil.valider_code_pays),
    ):
        if code:
            try:
                validateur(code)
            except ValidationError as erreur:
                ligne.erreur(cle, " ".join(erreur.messages))
        v[cle] = code
    if not commune and not pays:
        ligne.erreur("code_commune_naissance", "indiquez le code de la commune de naissance ou celui du pays")
    elif commune and pays:
        ligne.erreur("code_pays_naissance", "commune ou pays de naissance, pas les deux")
    if b.get("email"):
        try:
            validate_email(b["email"])
            v["email"] = b["email"].strip().lower()
        except ValidationError:
            ligne.erreur("email", f"« {extrait(b['email'])} » n'est pas une adresse e-mail valide")
    v["telephone"] = b.get("telephone", "")[:20]
    if b.get("niveau_diplome"):
        brut = normaliser_recherche(b["niveau_diplome"]).replace(" ", "").removeprefix("niveau")
        niveau = NIVEAUX_TEXTE.get(brut, brut)
        if niveau not in NiveauDiplome.values:
            ligne.erreur(
                "niveau_diplome", f"« {extrait(b['niveau_diplome'])} » : niveau 3 à 8, ou bac, bac+2, bac+3, bac+5"
            )
        else:
            v["niveau_diplome"] = niveau
    if b.get("annees_experience"):
        if not re.fullmatch(r"\d{1,2}", b["annees_experience"].strip()):
            ligne.erreur(
                "annees_experience", f"« {extrait(b['annees_experience'])} » : un nombre d'années entier (0 à 60)"
            )
        else:
            v["annees_experience"] = int(b["annees_experience"])
    v["employeur_nom"] = b.get("employeur", "")[:200]
    if b.get("siret_employeur"):
        siret = normaliser_siret(b["siret_employeur"])
        if not siret_valide(siret):
            ligne.erreur("siret_employeur", f"« {extrait(b['siret_employeur'])} » n'est pas un SIRET valide")
        v["employeur_siret"] = siret


def _bornees(lignes: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows as read, stopped at the first limit crossed (columns, cell length, cells in total)."""
    total = 0
    for numero, cellules in enumerate(lignes, start=1):
        # An empty row still costs a step: a sheet can declare a million of them.
        total += max(1, len(cellules))
        if total > CELLULES_MAX:
            raise LimiteDepassee(
                f"Le fichier compte plus de {CELLULES_MAX} cellules : gardez seulement la liste des stagiaires."
            )
        if len(cellules) > COLONNES_MAX:
            # Trailing empty columns are what spreadsheets add; anything else is not a list of trainees.
            if any(c.strip() for c in cellules[COLONNES_MAX:]):
                raise LimiteDepassee(f"Ligne {numero} : plus de {COLONNES_MAX} colonnes.")
            cellules = cellules[:COLONNES_MAX]
        if any(len(c) > CARACTERES_MAX_CELLULE for c in cellules):
            raise LimiteDepassee(
                f"Ligne {numero} : une cellule dépasse {CARACTERES_MAX_CELLULE} caractères. "
                "Vérifiez le fichier (colonnes décalées ?) et envoyez-le à nouveau."
            )
        yield cellules


def _lire_lignes(lignes: Iterator[list[str]], rapport: RapportImport) -> None:
    positions: dict[int, str] | None = None
    emails: dict[str, int] = {}
    for numero, cellules in enumerate(lignes, start=1):
        if positions is None:
            positions = _reconnaitre_entetes(cellules, rapport)
            if rapport.erreurs_fichier:
                return
            continue
        if not any(c.strip() for c in cellules):
            continue
        if len(rapport.lignes) >= LIGNES_MAX:
            raise LimiteDepassee(f"Plus de {LIGNES_MAX} lignes : découpez le fichier.")
        brut = {cle: cellules[i].strip() for i, cle in positions.items() if i < len(cellules)}
        ligne = LigneImport(numero=numero, brut=brut)
        _valider_ligne(ligne)
        if email := ligne.valeurs.get("email"):
            if email in emails:
                ligne.erreur("email", f"adresse déjà présente ligne {emails[email]}")
            emails.setdefault(email, numero)
        rapport.lignes.append(ligne)
    if positions is None and not rapport.erreurs_fichier:
        rapport.erreurs_fichier.append("Le fichier est vide.")


def lire_fichier(nom: str, contenu: bytes) -> RapportImport:
    """Parse and check every row; never raises on bad input, reports it."""
    est_xlsx = contenu.startswith(b"PK\x03\x04")
    rapport = RapportImport(format="XLSX" if est_xlsx else "CSV")
    if len(contenu) > TAILLE_MAX_IMPORT:
        rapport.erreurs_fichier.append("Le fichier dépasse 2 Mo : découpez-le en plusieurs imports.")
        return rapport
    if not est_xlsx and not nom.lower().endswith((".csv", ".txt")):
        rapport.erreurs_fichier.append("Format non reconnu : envoyez un fichier CSV ou XLSX.")
        return rapport
    lignes = _lignes_xlsx(contenu, rapport) if est_xlsx else _lignes_csv(contenu, rapport)
    try:
        _lire_lignes(_bornees(lignes), rapport)
    except LimiteDepassee as limite:
        rapport.erreurs_fichier.append(limite.message)
        rapport.lignes.clear()
        return rapport
    if not rapport.lignes and not rapport.erreurs_fichier:
        rapport.erreurs_fichier.append("Le fichier ne contient aucune ligne de stagiaire.")
    return rapport
