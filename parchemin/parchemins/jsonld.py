"""JSON-LD processing for credentials: local contexts only, RDFC-1.0 canonical form, no silent drops.

Two traps of JSON-LD signatures are closed here (``../shared/domain/credentials.md``):

- a context is never fetched: ``ChargeurContextes`` serves the pinned files of ``contextes/`` (their
  SHA-256 is checked against ``contextes/PROVENANCE`` when the loader is built) and refuses every
  other URL, so verification works offline and cannot be slowed or changed by a remote server;
- a term that no context defines is dropped by expansion, so it would not be signed: ``verifier_termes``
  expands the document, compacts it back with the same contexts and refuses it if anything was lost.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from parchemin.erreurs import ErreurMetier

DOSSIER_CONTEXTES = Path(__file__).resolve().parent / "contextes"
CONTEXTE_VC_V2 = "https://www.w3.org/ns/credentials/v2"
CONTEXTE_OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
FICHIERS_CONTEXTES = {
    CONTEXTE_VC_V2: "credentials-v2.jsonld",
    CONTEXTE_OB_V3: "ob-v3p0-context-3.0.3.json",
}
MOTS_CLES_ADMIS = frozenset({"@context"})


class ContexteRefuse(ErreurMetier):
    """The document names a context that Parchemin does not hold locally."""


class TermeNonDefini(ErreurMetier):
    """A key of the document has no definition in its contexts: it would not be signed."""


class JsonLdInvalide(ErreurMetier):
    """The document is not valid JSON-LD (bad context, conflicting definitions, bad value)."""


def empreintes_publiees(chemin: Path) -> dict[str, str]:
    """``{file name: sha256}`` read from a PROVENANCE file (a file name line, then ``sha256: …``)."""
    empreintes: dict[str, str] = {}
    fichier = None
    for ligne in chemin.read_text(encoding="utf-8").splitlines():
        if ligne and not ligne[0].isspace() and re.fullmatch(r"[\w.-]+\.json(ld)?", ligne.strip()):
            fichier = ligne.strip()
        elif fichier and ligne.strip().startswith("sha256:"):
            empreintes[fichier] = ligne.split(":", 1)[1].strip()
    return empreintes


class ChargeurContextes:
    """A pyld document loader that serves pinned local files and refuses everything else.

    Each loader owns its resolved-context cache: pyld's module-level cache is shared by every caller
    and would let a context loaded by one loader be used by another.
    """

    def __init__(self, fichiers: Mapping[str, Path]) -> None:
        self._documents: dict[str, Any] = {}
        for url, chemin in fichiers.items():
            empreinte = hashlib.sha256(chemin.read_bytes()).hexdigest()
            attendue = empreintes_publiees(chemin.parent / "PROVENANCE").get(chemin.name)
            if empreinte != attendue:
                raise RuntimeError(f"Le contexte {chemin} ne correspond pas à son empreinte publiée ({attendue}).")
            self._documents[url] = json.loads(chemin.read_text(encoding="utf-8"))
        self._resolveur = ContextResolver(LRUCache(maxsize=64), self)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self._documents)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        if url not in self._documents:
            raise ContexteRefuse(
                f"Contexte JSON-LD inconnu : {url}. Seuls les contextes publiés localement sont admis."
            )
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # pyld may annotate what it receives: hand out a copy, keep the pinned one intact.
            "document": copy.deepcopy(self._documents[url]),
        }

    def options(self) -> dict[str, Any]:
        return {"documentLoader": self, "contextResolver": self._resolveur}


@functools.cache
def chargeur_parchemin() -> ChargeurContextes:
    """The loader every credential of Parchemin is signed and verified with."""
    return ChargeurContextes({url: DOSSIER_CONTEXTES / nom for url, nom in FICHIERS_CONTEXTES.items()})


def _cause_refus(erreur: BaseException) -> ContexteRefuse | None:
    courante: BaseException | None = erreur
    vues = 0
    while courante is not None and vues < 20:
        if isinstance(courante, ContexteRefuse):
            return courante
        details = getattr(courante, "details", None)
        if isinstance(details, dict) and isinstance(details.get("cause"), BaseException):
            courante = details["cause"]
        else:
            courante = courante.__cause__ or courante.__context__
        vues += 1
    return None


def _traiter(operation: Any, *args: Any) -> Any:
    try:
        return operation(*args)
    except jsonld.JsonLdError as erreur:
        refus = _cause_refus(erreur)
        if refus is not None:
            raise refus from None
        raise JsonLdInvalide(f"Document JSON-LD invalide : {erreur}") from erreur
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as erreur:
        raise JsonLdInvalide(f"Document JSON-LD invalide : {erreur}") from erreur


def _verifier_contextes(document: Mapping[str, Any], chargeur: ChargeurContextes) -> None:
    contexte = document.get("@context")
    liste = contexte if isinstance(contexte, list) else [contexte]
    for entree in liste:
        if not isinstance(entree, str):
            raise ContexteRefuse("Seuls des contextes désignés par leur adresse sont admis (pas de contexte en ligne).")
        if entree not in chargeur.urls:
            chargeur(entree)


def canoniser(document: Mapping[str, Any], chargeur: ChargeurContextes | None = None) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    chargeur = chargeur or chargeur_parchemin()
    if not isinstance(document, Mapping):
        raise JsonLdInvalide("Un document JSON-LD est un objet JSON.")
    _verifier_contextes(document, chargeur)
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", **chargeur.options()}
    return str(_traiter(jsonld.normalize, dict(document), options))


def _en_listes(valeur: Any) -> list[Any]:
    """Normal form for comparing a document with its expand-compact round trip: every value a list."""
    if isinstance(valeur, list):
        resultat: list[Any] = []
        for element in valeur:
            resultat.extend(_en_listes(element))
        return resultat
    if isinstance(valeur, Mapping):
        return [{cle: _en_listes(v) for cle, v in valeur.items() if cle != "@context"}]
    return [valeur]


def _premiere_difference(original: Any, retour: Any, chemin: str) -> str | None:
    if isinstance(original, list) and isinstance(retour, list):
        if len(original) != len(retour):
            return chemin
        for rang, (a, b) in enumerate(zip(original, retour, strict=True)):
            ecart = _premiere_difference(a, b, f"{chemin}[{rang}]")
            if ecart:
                return ecart
        return None
    if isinstance(original, dict) and isinstance(retour, dict):
        for cle in original:
            if cle not in retour:
                return f"{chemin}.{cle}" if chemin else cle
            ecart = _premiere_difference(original[cle], retour[cle], f"{chemin}.{cle}" if chemin else cle)
            if ecart:
                return ecart
        return next((f"{chemin}.{cle}" for cle in retour if cle not in original), None)
    return None if original == retour else chemin or "(racine)"


def _mots_cles_inattendus(valeur: Any, chemin: str = "") -> str | None:
    if isinstance(valeur, list):
        for rang, element in enumerate(valeur):
            trouve = _mots_cles_inattendus(element, f"{chemin}[{rang}]")
            if trouve:
                return trouve
    elif isinstance(valeur, Mapping):
        for cle, element in valeur.items():
            ici = f"{chemin}.{cle}" if chemin else str(cle)
            if not isinstance(cle, str) or (cle.startswith("@") and cle not in MOTS_CLES_ADMIS):
                return ici
            trouve = _mots_cles_inattendus(element, ici) if cle != "@context" else None
            if trouve:
                return trouve
    return None


def verifier_termes(document: Mapping[str, Any], chargeur: ChargeurContextes | None = None) -> None:
    """Refuse a document of which some part would not survive JSON-LD processing (so not be signed).

    The document is expanded then compacted again with its own contexts; anything the contexts do not
    define (an unknown key, a type without its scoped context, a value of the wrong shape) is missing
    or different after the round trip, and the first such place is named in the refusal.
    """
    chargeur = chargeur or chargeur_parchemin()
    if not isinstance(document, Mapping):
        raise JsonLdInvalide("Un document JSON-LD est un objet JSON.")
    _verifier_contextes(document, chargeur)
    mot_cle = _mots_cles_inattendus(document)
    if mot_cle:
        raise TermeNonDefini(f"Mot-clé JSON-LD non admis : {mot_cle}.")
    options = chargeur.options()
    etendu = _traiter(jsonld.expand, copy.deepcopy(dict(document)), options)
    contexte = document["@context"]
    compacte = _traiter(jsonld.compact, etendu, {"@context": contexte}, {**options, "compactArrays": False})
    # Without array compaction the top-level node comes back inside a one-element ``@graph``.
    graphe = compacte.pop("@graph", None)
    if isinstance(graphe, list) and len(graphe) == 1 and len(compacte) == 1:
        compacte = graphe[0]
    ecart = _premiere_difference(_en_listes(dict(document)), _en_listes(compacte), "")
    if ecart:
        raise TermeNonDefini(
            f"Le champ « {ecart} » n'est défini par aucun contexte du document : il ne serait pas signé."
        )


def refuser_tout_chargement(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's process-wide default loader: nothing is ever fetched from the network."""
    raise ContexteRefuse(f"Aucun document JSON-LD n'est chargé depuis le réseau ({url}).")
