"""The permission matrix: every URL pattern of the project × every role → expected outcome.

Each audience declares its URLs in a module of this package exporting ``ATTENDUS`` (a list of
Attendu). tests/web/test_permission_matrix.py walks the URL resolver and fails for any pattern
that no module declares, so no view can ship without an access rule.

Outcomes: 200 (or any status code), CONNEXION (redirect to the login page), DOUBLE_FACTEUR
(redirect to the TOTP step), REDIRECTION (any other redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CONNEXION = "connexion"
DOUBLE_FACTEUR = "double_facteur"
REDIRECTION = "redirection"

ROLES = (
    "anonyme",
    "candidat",
    "evaluateur_partenaire",
    "admin_partenaire",
    "membre_jury",
    "gestionnaire",
    "administrateur",
)

Issue = int | str


@dataclass(frozen=True)
class Attendu:
    """Expected outcome of GET on one named URL for every role.

    ``kwargs`` builds the URL arguments from the Monde (objects of the test world); ``defaut``
    applies to roles absent from ``par_role``.
    """

    nom: str
    par_role: dict[str, Issue] = field(default_factory=dict)
    defaut: Issue | None = None
    kwargs: Callable[[Any], dict[str, Any]] | None = None

    def issue(self, role: str) -> Issue:
        if role in self.par_role:
            return self.par_role[role]
        if self.defaut is None:
            raise AssertionError(f"{self.nom} : aucune issue déclarée pour le rôle {role}")
        return self.defaut


def pour_tous(issue: Issue, **exceptions: Issue) -> dict[str, Issue]:
    return {role: exceptions.get(role, issue) for role in ROLES}


def equipe_seulement() -> dict[str, Issue]:
    """Staff spaces: login for anonymous, 403 for other roles, 200 for staff."""
    return pour_tous(403, anonyme=CONNEXION, gestionnaire=200, administrateur=200)


@dataclass(frozen=True)
class Motif:
    """Expected outcome for every pattern whose name starts with ``prefixe`` (generated URL sets,
    like the Django admin's per-model pages), checked on the ``echantillons`` listed."""

    prefixe: str
    echantillons: tuple[Attendu, ...]
