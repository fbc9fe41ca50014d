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
# POST reached the view: any answer but a server error or an access refusal (403, 404, login, TOTP step).
TRAITE = "traite"
# Refused as on GET (the tuple's second item), or 405 from a read-only view that refuses the method
# before checking access: either way the answer says nothing about the resource.
REFUS = "refus"
# The object is not yours or does not exist: 404, or 405 from a read-only view before any lookup.
INTROUVABLE = "introuvable"

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
    # POST outcomes that differ from the rule derived from GET (see ``issue_post``).
    post: dict[str, Issue] = field(default_factory=dict)

    def issue_post(self, role: str) -> Issue | tuple[str, Issue]:
        """POST, declared: explicitly in ``post``, or else by the rule every view follows, which the
        matrix test checks: a role refused on GET (login, TOTP step, 403, 404) is refused the same way
        on POST, before any form is read; a role allowed on GET gets TRAITE (the view answers: a form
        page, a redirect after the action, or 405 when the view only reads). An object refused by 404
        may answer 405 instead when the view only reads (the method is refused before any lookup, so
        the answer still says nothing about the object); a redirect stays a redirect."""
        if role in self.post:
            return self.post[role]
        issue = self.issue(role)
        if issue == 404:
            return INTROUVABLE
        if issue in (CONNEXION, DOUBLE_FACTEUR, 403):
            return (REFUS, issue)
        return issue if issue == REDIRECTION else TRAITE

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
