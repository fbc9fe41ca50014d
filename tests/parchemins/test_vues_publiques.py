"""Public verification page and API, DID document and key rotation, status list URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parchemin.parchemins import cles, services
from parchemin.parchemins.models import Parchemin
from parchemin.parchemins.multibase import multikey_publique
from parchemin.parchemins.verification import Issue

from .conftest import Decisions


def _emis(decisions: Decisions) -> Parchemin:
    parchemin = services.preparer_parchemins(decisions.session)[0]
    services.emettre(parchemin)
    return parchemin


def _verdict(reponse: Any) -> str:
    contenu = reponse.content.decode()
    debut = contenu.index('data-verdict="') + len('data-verdict="')
    return contenu[debut : contenu.index('"', debut)]


def test_the_share_link_shows_who_holds_what_in_plain_french(decisions: Decisions, client: Client) -> None:
    parchemin = _emis(decisions)
    reponse = client.get(reverse("public:parchemin_verifier_code", kwargs={"code": parchemin.code_verification}))
    assert reponse.status_code == 200
    assert _verdict(reponse) == Issue.VALIDE
    html = reponse.content.decode()
    assert "Attestation valide" in html and "Camille Martin" in html and "Piloter un tiers-lieu" in html


def test_a_tampered_json_is_reported_forged_and_a_pdf_verifies(decisions: Decisions, client: Client) -> None:
    parchemin = _emis(decisions)
    attestation = parchemin.attestation_en_vigueur
    assert attestation is not None
    credential = json.loads(attestation.credential)
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    page = reverse("public:parchemin_verifier")
    client.get(page)
    jeton = client.cookies["csrftoken"].value

    falsifie = SimpleUploadedFile("attestation.json", json.dumps(credential).encode(), "application/json")
    reponse = client.post(page, {"fichier": falsifie, "csrfmiddlewaretoken": jeton})
    assert _verdict(reponse) == Issue.FALSIFIE
    assert "Attestation falsifiée" in reponse.content.decode()

    pdf = SimpleUploadedFile("parchemin.pdf", bytes(attestation.pdf), "application/pdf")
    reponse = client.post(page, {"fichier": pdf, "csrfmiddlewaretoken": jeton})
    assert _verdict(reponse) == Issue.VALIDE


def test_the_api_answers_json_for_a_code_a_body_and_garbage(decisions: Decisions, client: Client) -> None:
    parchemin = _emis(decisions)
    url = reverse("public:parchemin_verifier_api")
    assert client.get(url, {"code": parchemin.code_verification}).json()["verdict"] == Issue.VALIDE
    assert client.get(url, {"code": "nimporte"}).json()["verdict"] == Issue.CODE_INCONNU
    attestation = parchemin.attestation_en_vigueur
    assert attestation is not None
    reponse = client.post(url, attestation.credential, content_type="application/json")
    assert reponse.json()["valide"] is True
    for dechet in [b"", b"\xff\xfe", b"%PDF-1.7 tronque", b'{"type": ["OpenBadgeCredential"]}', b"null"]:
        reponse = client.post(url, dechet, content_type="application/octet-stream")
        assert reponse.status_code == 200
        assert reponse.json()["valide"] is False


def test_verification_is_rate_limited_per_address(decisions: Decisions, client: Client) -> None:
    cache.clear()
    url = reverse("public:parchemin_verifier_api")
    statuts = [client.get(url, {"code": "ABCDEFGH"}).status_code for _ in range(32)]
    assert statuts[:30] == [200] * 30
    assert statuts[30:] == [429, 429]
    cache.clear()


def test_after_a_key_rotation_old_credentials_still_verify_and_the_did_document_lists_both_keys(
    decisions: Decisions, client: Client, settings: Any, tmp_path: Path
) -> None:
    cache.clear()
    parchemin = _emis(decisions)
    ancienne = cles.cle_active().multikey
    settings.PARCHEMINS_CLE_FICHIER = str(tmp_path / "nouvelle.pem")
    nouvelle = cles.cle_active().multikey
    assert nouvelle != ancienne

    autre = services.preparer_parchemins(decisions.session)[1]
    services.emettre(autre)

    document = client.get(reverse("public:did_json")).json()
    assert document["id"] == cles.did_web() == "did:web:127.0.0.1%3A8000"
    publiees = {m["publicKeyMultibase"] for m in document["verificationMethod"]}
    assert {ancienne, nouvelle} <= publiees
    assert all(m.startswith("z6Mk") for m in publiees)
    assert set(document["assertionMethod"]) == {m["id"] for m in document["verificationMethod"]}
    url = reverse("public:parchemin_verifier_api")
    for code in (parchemin.code_verification, autre.code_verification):
        assert client.get(url, {"code": code}).json()["verdict"] == Issue.VALIDE


def test_a_credential_signed_by_another_key_is_reported_as_such(decisions: Decisions, settings: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from parchemin.parchemins import preuve
    from parchemin.parchemins.verification import verifier_credential

    parchemin = _emis(decisions)
    attestation = parchemin.attestation_en_vigueur
    assert attestation is not None
    credential = json.loads(attestation.credential)
    del credential["proof"]
    intrus = Ed25519PrivateKey.generate()
    methode = f"did:web:faussaire.example#{multikey_publique(intrus.public_key().public_bytes_raw())}"
    resigne = preuve.signer(credential, intrus, methode, cree_le=attestation.emise_le)
    assert verifier_credential(resigne).issue == Issue.AUTRE_CLE
    # Same key id as ours, other key: the signature does not match.
    usurpe = preuve.signer(
        credential, intrus, cles.methode_verification(cles.cle_active().multikey), cree_le=attestation.emise_le
    )
    assert verifier_credential(usurpe).issue == Issue.FALSIFIE


def test_status_list_and_issuer_profile_are_served(decisions: Decisions, client: Client) -> None:
    _emis(decisions)
    liste = client.get(reverse("public:parchemin_statut", kwargs={"numero": 1}))
    assert liste.status_code == 200
    assert json.loads(liste.content)["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert client.get(reverse("public:parchemin_statut", kwargs={"numero": 2})).status_code == 404
    profil = client.get(reverse("public:parchemin_emetteur")).json()
    assert profil["id"] == cles.did_web()
    assert profil["otherIdentifier"][0]["identifier"] == "73282932000074"
