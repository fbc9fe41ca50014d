"""Credentials issued by Parchemin, verified by an independent implementation (Digital Bazaar's
``@digitalbazaar/vc`` with its eddsa-rdfc-2022 cryptosuite, tests/parchemins/node/).

The Node libraries are installed by ``.ci/run`` (``npm ci``, versions pinned by package-lock.json).
Under CI the test runs always; elsewhere it is skipped only when Node.js or the installed libraries
are missing (``npm ci --prefix tests/parchemins/node`` installs them).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.comptes.models import User
from parchemin.parchemins import services
from parchemin.parchemins.jsonld import DOSSIER_CONTEXTES, FICHIERS_CONTEXTES
from parchemin.parchemins.models import ListeStatut

from .conftest import Decisions

DOSSIER_NODE = Path(__file__).resolve().parent / "node"
NODE = shutil.which("node")
EN_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.skipif(
    not EN_CI and (NODE is None or not (DOSSIER_NODE / "node_modules" / "@digitalbazaar" / "vc").exists()),
    reason="Node.js ou les bibliothèques de Digital Bazaar absents (npm ci --prefix tests/parchemins/node)",
)


def verifier_avec_digital_bazaar(
    credentials: list[dict[str, Any]], did: dict[str, Any], tmp_path: Path, tours: int = 0
) -> list[dict[str, Any]]:
    assert NODE is not None, "Node.js est requis en CI"
    paquet = {
        "contexts": {
            url: json.loads((DOSSIER_CONTEXTES / nom).read_text(encoding="utf-8"))
            for url, nom in FICHIERS_CONTEXTES.items()
        },
        "did": did,
        "statusLists": {
            services.url_liste_statut(liste.numero): json.loads(liste.credential) for liste in ListeStatut.objects.all()
        },
        "credentials": credentials,
        "rounds": tours,
    }
    chemin = tmp_path / "paquet.json"
    chemin.write_text(json.dumps(paquet), encoding="utf-8")
    sortie = subprocess.run(  # noqa: S603 (fixed program and arguments)
        [NODE, str(DOSSIER_NODE / "verifier.mjs"), str(chemin)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=DOSSIER_NODE,
    )
    return [json.loads(ligne) for ligne in sortie.stdout.splitlines() if ligne.strip()]


def test_digital_bazaar_verifies_our_credentials_and_rejects_tampered_and_revoked_ones(
    decisions: Decisions, client: Client, tmp_path: Path, gestionnaire_parchemins: User
) -> None:
    parchemins = services.preparer_parchemins(decisions.session)
    totale, partielle = (json.loads(services.emettre(p).credential) for p in parchemins)
    revoque = json.loads(services.emettre(parchemins[1]).credential)
    services.revoquer(parchemins[1], acteur=gestionnaire_parchemins, motif="Erreur de saisie du jury.")
    falsifie = copy.deepcopy(totale)
    falsifie["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    did = client.get(reverse("public:did_json")).json()

    resultats = verifier_avec_digital_bazaar([totale, falsifie, revoque], did, tmp_path)

    assert [r["verified"] for r in resultats] == [True, False, False], resultats
    assert "Invalid signature." in resultats[1]["errors"]
    # The revoked one has a sound signature: only its status (our signed status list) fails it.
    assert resultats[2]["errors"] == []
    assert partielle["id"] == revoque["id"]
