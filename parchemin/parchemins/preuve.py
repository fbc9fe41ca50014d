"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa, section 3.3).

Signing: the proof options (without ``proofValue``, with the document's ``@context``) and the document
(without ``proof``) are each canonicalised with RDFC-1.0 and hashed with SHA-256; Ed25519 signs
``hash(proof options) || hash(document)``; ``proofValue`` is the signature in base58btc multibase.
Verification redoes the same with the public key that the verification method designates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parchemin.erreurs import ErreurMetier

from .jsonld import ChargeurContextes, canoniser, chargeur_parchemin, verifier_termes
from .multibase import MultibaseInvalide, multibase_decoder, multibase_encoder

TYPE_PREUVE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
FINALITE = "assertionMethod"


class PreuveInvalide(ErreurMetier):
    """The proof is missing, malformed or does not match the document."""


@dataclass(frozen=True)
class Empreintes:
    """The intermediate values of the algorithm, exposed so tests can compare them with the W3C vectors."""

    document_canonique: str
    options_canoniques: str
    hash_document: bytes
    hash_options: bytes

    @property
    def donnees_signees(self) -> bytes:
        return self.hash_options + self.hash_document


def horodatage(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def empreintes(
    document: Mapping[str, Any], options_preuve: Mapping[str, Any], chargeur: ChargeurContextes | None = None
) -> Empreintes:
    sans_preuve = {cle: valeur for cle, valeur in document.items() if cle != "proof"}
    configuration = {cle: valeur for cle, valeur in options_preuve.items() if cle != "proofValue"}
    configuration["@context"] = document.get("@context")
    document_canonique = canoniser(sans_preuve, chargeur)
    options_canoniques = canoniser(configuration, chargeur)
    return Empreintes(
        document_canonique=document_canonique,
        options_canoniques=options_canoniques,
        hash_document=hashlib.sha256(document_canonique.encode("utf-8")).digest(),
        hash_options=hashlib.sha256(options_canoniques.encode("utf-8")).digest(),
    )


def signer(
    document: Mapping[str, Any],
    cle_privee: Ed25519PrivateKey,
    methode_verification: str,
    *,
    cree_le: dt.datetime,
    chargeur: ChargeurContextes | None = None,
) -> dict[str, Any]:
    """The document with a ``DataIntegrityProof`` added (the input is not modified)."""
    if "proof" in document:
        raise PreuveInvalide("Le document porte déjà une preuve.")
    options_preuve = {
        "type": TYPE_PREUVE,
        "cryptosuite": CRYPTOSUITE,
        "created": horodatage(cree_le),
        "verificationMethod": methode_verification,
        "proofPurpose": FINALITE,
    }
    calcul = empreintes(document, options_preuve, chargeur)
    signature = cle_privee.sign(calcul.donnees_signees)
    return {**document, "proof": {**options_preuve, "proofValue": multibase_encoder(signature)}}


def verifier(
    document: Mapping[str, Any],
    cle_publique_de: Callable[[str], Ed25519PublicKey | None],
    chargeur: ChargeurContextes | None = None,
) -> dict[str, Any]:
    """Check the proof of ``document``; return the proof on success, raise ``PreuveInvalide`` otherwise.

    ``cle_publique_de`` maps a verification method URL to its key, or None when the method is not one
    the caller trusts (another issuer's key, an unknown key id).
    """
    chargeur = chargeur or chargeur_parchemin()
    preuve = document.get("proof")
    if not isinstance(preuve, Mapping):
        raise PreuveInvalide("Le document ne porte pas de preuve (« proof »).")
    if preuve.get("type") != TYPE_PREUVE or preuve.get("cryptosuite") != CRYPTOSUITE:
        raise PreuveInvalide("La preuve n'est pas de type DataIntegrityProof / eddsa-rdfc-2022.")
    if preuve.get("proofPurpose") != FINALITE:
        raise PreuveInvalide("La preuve n'a pas la finalité « assertionMethod ».")
    if "@context" in preuve and preuve["@context"] != document.get("@context"):
        raise PreuveInvalide("Le contexte de la preuve diffère de celui du document.")
    methode = preuve.get("verificationMethod")
    if not isinstance(methode, str):
        raise PreuveInvalide("La preuve ne désigne pas de méthode de vérification.")
    cle = cle_publique_de(methode)
    if cle is None:
        raise PreuveInvalide(f"La clé {methode} n'est pas une clé de ce certificateur.")
    try:
        signature = multibase_decoder(preuve.get("proofValue", ""))
    except MultibaseInvalide as erreur:
        raise PreuveInvalide("La signature (« proofValue ») est illisible.") from erreur
    if len(signature) != 64:
        raise PreuveInvalide("La signature (« proofValue ») n'a pas la longueur d'une signature Ed25519.")
    # A key no context defines is dropped by canonicalisation: the signature would hold without it.
    verifier_termes({cle: valeur for cle, valeur in document.items() if cle != "proof"}, chargeur)
    verifier_termes({**preuve, "@context": document.get("@context")}, chargeur)
    calcul = empreintes(document, preuve, chargeur)
    try:
        cle.verify(signature, calcul.donnees_signees)
    except InvalidSignature as erreur:
        raise PreuveInvalide("La signature ne correspond pas au contenu : le document a été modifié.") from erreur
    return dict(preuve)
