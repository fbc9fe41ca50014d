"""The OpenBadgeCredential: its shape, its proof, and refusal of anything that would not be signed."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.erreurs import ErreurMetier
from parchemin.parchemins import openbadges as ob
from parchemin.parchemins import preuve
from parchemin.parchemins.jsonld import ContexteRefuse, TermeNonDefini, verifier_termes

from .exemples import CERTIFICATION, credential

CLE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
METHODE = "did:web:parchemin.example#cle-1"


def cles(url: str) -> Ed25519PublicKey | None:
    return CLE.public_key() if url == METHODE else None


SIGNE = preuve.signer(credential(), CLE, METHODE, cree_le=dt.datetime(2025, 6, 12, 15, 0, tzinfo=dt.UTC))


def test_partial_validation_states_each_validated_unit_and_its_competencies() -> None:
    document = credential(unites_validees=frozenset({"2"}))
    sujet = document["credentialSubject"]
    descriptions = {d["id"]: d for d in sujet["achievement"]["resultDescription"]}
    obtenus = sorted(descriptions[r["resultDescription"]]["alignment"][0]["targetCode"] for r in sujet["result"])
    assert obtenus == ["2", "2.1"]
    assert document["name"].startswith("Validation partielle")
    assert len(descriptions) == 5
    assert sujet["achievement"]["humanCode"] == "RS5142"
    assert document["issuer"]["otherIdentifier"][0]["identifier"] == "73282932000074"
    assert document["validFrom"] == "2025-06-12T14:00:00Z"


def test_a_unit_the_referentiel_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="9"):
        credential(unites_validees=frozenset({"1", "9"}))


def test_signed_credential_verifies() -> None:
    assert preuve.verifier(SIGNE, cles)["verificationMethod"] == METHODE


@pytest.mark.parametrize(
    ("emplacement", "cle"),
    [((), "surnom"), (("credentialSubject",), "mention"), (("credentialSubject", "achievement"), "niveau")],
)
def test_a_term_no_context_defines_is_refused_at_issuance(emplacement: tuple[str, ...], cle: str) -> None:
    document = credential()
    cible = document
    for etape in emplacement:
        cible = cible[etape]
    cible[cle] = "valeur"
    with pytest.raises(TermeNonDefini, match=cle):
        verifier_termes(document)


def test_a_result_without_its_type_loses_its_scoped_terms_and_is_refused() -> None:
    document = credential()
    del document["credentialSubject"]["result"][0]["type"]
    with pytest.raises(TermeNonDefini, match="result"):
        verifier_termes(document)


def test_an_unknown_or_inline_context_is_refused() -> None:
    document = credential()
    document["@context"] = [*document["@context"], "https://contexte.example/v1"]
    with pytest.raises(ContexteRefuse, match=r"contexte\.example"):
        verifier_termes(document)
    document["@context"] = [ob.CONTEXTES[0], {"surnom": "https://schema.org/alternateName"}]
    with pytest.raises(ContexteRefuse):
        verifier_termes(document)


def test_an_added_undefined_field_does_not_pass_verification_even_though_the_signature_would() -> None:
    falsifie = copy.deepcopy(SIGNE)
    falsifie["credentialSubject"]["mention"] = "avec les félicitations du jury"
    with pytest.raises(TermeNonDefini):
        preuve.verifier(falsifie, cles)


def _feuilles(valeur: Any, chemin: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(valeur, dict):
        return [c for cle, v in valeur.items() for c in _feuilles(v, (*chemin, cle))]
    if isinstance(valeur, list):
        return [c for rang, v in enumerate(valeur) for c in _feuilles(v, (*chemin, rang))]
    return [chemin]


def _cles(valeur: Any, chemin: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(valeur, dict):
        return [(*chemin, cle) for cle in valeur] + [c for cle, v in valeur.items() for c in _cles(v, (*chemin, cle))]
    if isinstance(valeur, list):
        return [c for rang, v in enumerate(valeur) for c in _cles(v, (*chemin, rang))]
    return []


FEUILLES = _feuilles(SIGNE)
CLES = _cles(SIGNE)


def _parent(document: Any, chemin: tuple[Any, ...]) -> Any:
    for etape in chemin[:-1]:
        document = document[etape]
    return document


def _autre_valeur(ancienne: Any, texte: str) -> Any:
    if isinstance(ancienne, bool):
        return not ancienne
    if isinstance(ancienne, int):
        return ancienne + 1
    return ancienne + texte if texte else ancienne[:-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutation=st.one_of(
        st.tuples(st.just("valeur"), st.sampled_from(FEUILLES), st.text(min_size=0, max_size=3)),
        st.tuples(st.just("suppression"), st.sampled_from(CLES), st.just("")),
    )
)
def test_changing_any_field_of_a_signed_credential_breaks_verification(mutation: tuple[str, Any, str]) -> None:
    nature, chemin, texte = mutation
    falsifie = copy.deepcopy(SIGNE)
    parent = _parent(falsifie, chemin)
    if nature == "valeur":
        parent[chemin[-1]] = _autre_valeur(parent[chemin[-1]], texte)
    else:
        del parent[chemin[-1]]
    with pytest.raises(ErreurMetier):
        preuve.verifier(falsifie, cles)


@settings(max_examples=40, deadline=None)
@given(
    chemin=st.sampled_from([c[:-1] for c in CLES if isinstance(_parent(SIGNE, c), dict)]),
    nom=st.sampled_from(["name", "description", "id", "surnom"]),
)
def test_adding_a_field_to_a_signed_credential_breaks_verification(chemin: tuple[Any, ...], nom: str) -> None:
    falsifie = copy.deepcopy(SIGNE)
    cible = falsifie
    for etape in chemin:
        cible = cible[etape]
    if nom in cible:
        cible[nom] = _autre_valeur(cible[nom], "x") if isinstance(cible[nom], str) else "x"
    else:
        cible[nom] = "urn:uuid:00000000-0000-4000-8000-000000000000" if nom == "id" else "ajout"
    with pytest.raises(ErreurMetier):
        preuve.verifier(falsifie, cles)


def test_the_certification_fixture_has_distinct_items() -> None:
    identifiants = [u.element.uuid for u in CERTIFICATION.unites] + [
        c.uuid for u in CERTIFICATION.unites for c in u.competences
    ]
    assert len(set(identifiants)) == len(identifiants)
