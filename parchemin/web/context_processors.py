"""Values every template needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from parchemin.comptes.enums import ROLES_EQUIPE, ROLES_PARTENAIRE, Role
from parchemin.comptes.roles import roles_de
from parchemin.referentiel.queries import certificateur_principal

# Header links to each signed-in space: (label, URL name, roles that see it; None = every signed-in
# user, since anyone may apply as a candidate).
ESPACES: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("Gestion", "backoffice:tableau_de_bord", frozenset(ROLES_EQUIPE)),
    ("Jury", "jury:accueil", frozenset({Role.MEMBRE_JURY})),
    ("Espace partenaire", "partenaire:accueil", frozenset(ROLES_PARTENAIRE)),
    ("Mon espace", "candidat:accueil", None),
)


def site(request: HttpRequest) -> dict[str, Any]:
    """Site name and URL, and the certificateur whose name the header and footer carry on every page
    (a view may pass its own); read only when a template uses it."""
    return {
        "SITE_NAME": "Parchemin",
        "SITE_URL": settings.SITE_URL,
        "certificateur": SimpleLazyObject(certificateur_principal),
    }


def espaces(request: HttpRequest) -> dict[str, Any]:
    """The spaces the signed-in user may enter, for the header navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"espaces_utilisateur": []}
    roles = roles_de(user)
    liens = []
    for libelle, nom, roles_admis in ESPACES:
        if roles_admis is None or roles & roles_admis:
            url = reverse(nom)
            liens.append({"libelle": libelle, "url": url, "actif": request.path.startswith(url)})
    return {"espaces_utilisateur": liens}
