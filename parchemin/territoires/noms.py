"""Folding of French text for search: case, accents, ligatures and punctuation do not matter.

"Saint-Étienne", "saint etienne" and "SAINT ÉTIENNE" fold to the same string, so a person typing
without accents on a phone finds what they mean.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_MOT = re.compile(r"[^0-9a-z]+")


def plier(texte: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    decompose = unicodedata.normalize("NFKD", texte.translate(_LIGATURES))
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return _NON_MOT.sub(" ", sans_accents.lower()).strip()


def mots(texte: str) -> list[str]:
    return plier(texte).split()


def singulier(mot: str) -> str:
    """A crude French plural folding shared by indexing and searching (SQLite has no French stemmer):
    "lieux" → "lieu", "tiers" → "tier", "ateliers" → "atelier". Applied on both sides, it only needs
    to be consistent, not linguistically right."""
    return mot[:-1] if len(mot) > 3 and mot[-1] in "sx" else mot


def texte_indexe(texte: str) -> str:
    """What goes in a full-text index: folded words, each in its singular form."""
    return " ".join(singulier(mot) for mot in mots(texte))
