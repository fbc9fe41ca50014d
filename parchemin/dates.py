"""Dates shared by every app (foundation layer: no project import).

Calendar arithmetic (``ajouter_mois``: how French law counts a period in months), and dates as
French people write and read them: one reader for every date a person types (ISO from a date
picker, ``01/03/2026`` from a browser without one, ``1er mars 2026`` or ``lundi 1 mars 2026``
written out) and one way to write them back (``1er mars 2026`` in text, ``01/03/2026`` where a short
form is needed). Pages, forms and e-mails use these so that what a person reads is what they can
type back.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata


def ajouter_mois(date: datetime.date, mois: int) -> datetime.date:
    """The same day ``mois`` calendar months later (earlier when negative), clamped to the last day of
    the target month when it is shorter: 31 January + 1 month is 28 (or 29) February, 30 November
    + 2 months is 30 January.

    This is how French law counts a period "en mois" (a two-month deadline from the 31st ends on the
    last day of a shorter month), so every legal deadline and retention period uses it."""
    annees, index = divmod(date.month - 1 + mois, 12)
    annee, mois_cible = date.year + annees, index + 1
    return datetime.date(annee, mois_cible, min(date.day, calendar.monthrange(annee, mois_cible)[1]))


MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
JOURS_SEMAINE = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Folded month spellings (no accents, lower case) → month number; abbreviations as printed on
# French calendars and as people type them ("janv.", "fev", "sept").
_NUMEROS_MOIS: dict[str, int] = {}
for _numero, _nom in enumerate(MOIS, start=1):
    _plie = unicodedata.normalize("NFKD", _nom).encode("ascii", "ignore").decode()
    _NUMEROS_MOIS[_plie] = _numero
for _abrege, _numero in {
    "janv": 1,
    "jan": 1,
    "fevr": 2,
    "fev": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}.items():
    _NUMEROS_MOIS[_abrege] = _numero

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CHIFFRES = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)")
_JOUR_DE_SEMAINE = "|".join(JOURS_SEMAINE)
_LETTRES = re.compile(rf"(?:(?:{_JOUR_DE_SEMAINE})\s+)?(\d{{1,2}}|premier)\s*(?:er)?\s+([a-z]+)\.?\s+(\d+)")

EXEMPLE = "jj/mm/aaaa, par exemple 01/03/2026, ou en lettres : 1er mars 2026"


class DateIllisible(ValueError):
    """The text is not a date; ``message`` says why, in French, for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _plier(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().replace("\u00a0", " ").split())


def _construire(annee: int, mois: int, jour: int, texte: str) -> datetime.date:
    if not 1 <= mois <= 12:
        raise DateIllisible(f"« {texte} » : il n'y a pas de mois n° {mois}. Écrivez la date {EXEMPLE}.")
    if not 1 <= annee <= 9999:
        raise DateIllisible(f"« {texte} » : indiquez l'année sur quatre chiffres ({EXEMPLE}).")
    try:
        return datetime.date(annee, mois, jour)
    except ValueError:
        raise DateIllisible(
            f"« {texte} » : le {jour} {MOIS[mois - 1]} {annee} n'existe pas. Vérifiez le jour."
        ) from None


def lire_date(texte: str) -> datetime.date | None:
    """The date written in ``texte``; ``None`` when it is blank. Raises DateIllisible otherwise."""
    brut = (texte or "").strip()
    if not brut:
        return None
    plie = _plier(brut)
    if correspondance := _ISO.fullmatch(plie):
        annee, mois, jour = (int(g) for g in correspondance.groups())
        return _construire(annee, mois, jour, brut)
    if correspondance := _CHIFFRES.fullmatch(plie):
        jour, mois, annee = (int(g) for g in correspondance.groups())
        if len(correspondance.group(3)) != 4:
            raise DateIllisible(f"« {brut} » : indiquez l'année sur quatre chiffres ({EXEMPLE}).")
        return _construire(annee, mois, jour, brut)
    if correspondance := _LETTRES.fullmatch(plie):
        jour_texte, nom_mois, annee_texte = correspondance.groups()
        numero_mois = _NUMEROS_MOIS.get(nom_mois)
        if numero_mois is None:
            raise DateIllisible(f"« {brut} » : « {nom_mois} » n'est pas un mois. Écrivez la date {EXEMPLE}.")
        if len(annee_texte) != 4:
            raise DateIllisible(f"« {brut} » : indiquez l'année sur quatre chiffres ({EXEMPLE}).")
        return _construire(int(annee_texte), numero_mois, 1 if jour_texte == "premier" else int(jour_texte), brut)
    raise DateIllisible(f"« {brut} » n'est pas une date lisible. Écrivez-la {EXEMPLE}.")


def date_longue(date: datetime.date) -> str:
    """``1er mars 2026``, ``15 août 2026``: the way a date is written in French prose."""
    jour = "1er" if date.day == 1 else str(date.day)
    return f"{jour} {MOIS[date.month - 1]} {date.year}"


def date_courte(date: datetime.date) -> str:
    """``01/03/2026``."""
    return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"
