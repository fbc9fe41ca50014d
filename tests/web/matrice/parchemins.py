"""Parchemins: verification, DID document, issuer profile and status lists are public; the holder's
downloads belong to the holder (404 for anyone else, so a number reveals nothing)."""

from __future__ import annotations

from typing import Any

from tests.candidatures.factories import CandidatureFactory

from . import CONNEXION, Attendu, equipe_seulement, pour_tous


def _sa_candidature_sans_parchemin(monde: Any) -> dict[str, Any]:
    # The holder's own download with a real parchemin is tested in tests/parchemins/test_espace_titulaire.py.
    return {"pk": CandidatureFactory(candidat=monde.utilisateurs["candidat"]).pk, "parchemin_pk": 987654}


AUCUN_PARCHEMIN = pour_tous(404, anonyme=CONNEXION)

ATTENDUS = [
    Attendu("public:did_json", pour_tous(200)),
    Attendu("public:parchemin_emetteur", pour_tous(200)),
    # No credential points into a status list in the matrix world: the list does not exist yet.
    Attendu("public:parchemin_statut", pour_tous(404), kwargs=lambda m: {"numero": 1}),
    Attendu("public:parchemin_verifier", pour_tous(200)),
    Attendu("public:parchemin_verifier_api", pour_tous(200)),
    Attendu("public:parchemin_verifier_code", pour_tous(200), kwargs=lambda m: {"code": "ABCD2345"}),
    Attendu("candidat:parchemin_pdf", AUCUN_PARCHEMIN, kwargs=_sa_candidature_sans_parchemin),
    Attendu("candidat:parchemin_json", AUCUN_PARCHEMIN, kwargs=_sa_candidature_sans_parchemin),
]


def _parchemin(monde: Any) -> dict[str, Any]:
    return {"pk": 987654}


ATTENDUS += [
    Attendu("backoffice:parchemins", equipe_seulement()),
    # An unknown parchemin: staff get a 404; nobody else learns whether it exists.
    Attendu(
        "backoffice:parchemin",
        pour_tous(403, anonyme=CONNEXION, gestionnaire=404, administrateur=404),
        kwargs=_parchemin,
    ),
    Attendu(
        "backoffice:parchemin_relancer",
        pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405),
        kwargs=_parchemin,
        post={"gestionnaire": 404, "administrateur": 404},  # the world's parchemin id is unknown
    ),
    Attendu(
        "backoffice:parchemin_revoquer",
        pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405),
        kwargs=_parchemin,
        post={"gestionnaire": 404, "administrateur": 404},  # the world's parchemin id is unknown
    ),
    Attendu(
        "backoffice:parchemin_reemettre",
        pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405),
        kwargs=_parchemin,
        post={"gestionnaire": 404, "administrateur": 404},  # the world's parchemin id is unknown
    ),
]
