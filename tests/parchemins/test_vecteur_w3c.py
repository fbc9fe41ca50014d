"""The W3C vc-di-eddsa test vector for eddsa-rdfc-2022, reproduced step by step.

The vector (tests/parchemins/donnees/vc-di-eddsa, see its PROVENANCE) gives a key pair, an unsigned
credential, the proof options, both canonical forms, both hashes and the signature: each intermediate
value of our implementation must be the published one, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parchemin.parchemins import preuve
from parchemin.parchemins.jsonld import (
    CONTEXTE_VC_V2,
    DOSSIER_CONTEXTES,
    FICHIERS_CONTEXTES,
    ChargeurContextes,
    ContexteRefuse,
)
from parchemin.parchemins.multibase import (
    cle_publique_depuis_multikey,
    graine_depuis_multikey_privee,
    multikey_publique,
)

VECTEURS = Path(__file__).resolve().parent / "donnees" / "vc-di-eddsa"
CONTEXTE_EXEMPLES = "https://www.w3.org/ns/credentials/examples/v2"


def lire(nom: str) -> str:
    return (VECTEURS / nom).read_text(encoding="utf-8")


def lire_json(nom: str) -> Any:
    return json.loads(lire(nom))


@pytest.fixture(scope="module")
def chargeur() -> ChargeurContextes:
    return ChargeurContextes(
        {
            CONTEXTE_VC_V2: DOSSIER_CONTEXTES / FICHIERS_CONTEXTES[CONTEXTE_VC_V2],
            CONTEXTE_EXEMPLES: VECTEURS / "credentials-examples-v2.jsonld",
        }
    )


@pytest.fixture(scope="module")
def cle_privee() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        graine_depuis_multikey_privee(lire_json("keyPair.json")["privateKeyMultibase"])
    )


def test_the_key_pair_decodes_to_a_consistent_ed25519_pair(cle_privee: Ed25519PrivateKey) -> None:
    publique = lire_json("keyPair.json")["publicKeyMultibase"]
    assert multikey_publique(cle_privee.public_key().public_bytes_raw()) == publique
    assert cle_publique_depuis_multikey(publique) == cle_privee.public_key().public_bytes_raw()


def test_canonical_forms_and_hashes_are_the_published_ones(chargeur: ChargeurContextes) -> None:
    options = lire_json("proofConfigDataInt.json")
    calcul = preuve.empreintes(lire_json("unsigned.json"), options, chargeur)
    assert calcul.document_canonique == lire("canonDocDataInt.txt")
    assert calcul.options_canoniques == lire("proofCanonDataInt.txt")
    assert calcul.hash_document.hex() == lire("docHashDataInt.txt").strip()
    assert calcul.hash_options.hex() == lire("proofHashDataInt.txt").strip()
    assert calcul.donnees_signees.hex() == lire("combinedHashDataInt.txt").strip()


def test_signing_the_vector_gives_the_published_proof(
    chargeur: ChargeurContextes, cle_privee: Ed25519PrivateKey
) -> None:
    options = lire_json("proofConfigDataInt.json")
    cree_le = dt.datetime.fromisoformat(options["created"])
    signe = preuve.signer(
        lire_json("unsigned.json"), cle_privee, options["verificationMethod"], cree_le=cree_le, chargeur=chargeur
    )
    attendu = lire_json("signedDataInt.json")
    assert signe == attendu
    assert signe["proof"]["proofValue"] == lire("sigBTC58DataInt.txt").strip()


def test_the_published_signed_credential_verifies_and_a_changed_one_does_not(chargeur: ChargeurContextes) -> None:
    publique = lire_json("keyPair.json")["publicKeyMultibase"]
    cle = Ed25519PublicKey.from_public_bytes(cle_publique_depuis_multikey(publique))
    signe = lire_json("signedDataInt.json")
    methode = signe["proof"]["verificationMethod"]

    def cles(url: str) -> Ed25519PublicKey | None:
        return cle if url == methode else None

    assert preuve.verifier(signe, cles, chargeur)["proofValue"] == lire("sigBTC58DataInt.txt").strip()
    modifie = {**signe, "credentialSubject": {**signe["credentialSubject"], "alumniOf": "The School of Forgery"}}
    with pytest.raises(preuve.PreuveInvalide, match="modifié"):
        preuve.verifier(modifie, cles, chargeur)


def test_the_production_loader_refuses_the_examples_context() -> None:
    from parchemin.parchemins.jsonld import canoniser

    with pytest.raises(ContexteRefuse, match="examples/v2"):
        canoniser(lire_json("unsigned.json"))
