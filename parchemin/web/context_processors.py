"""Values every template needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from parchemin.comptes.enums import ROLES_EQUIPE, ROLES_PARTENAIRE, Role
from parchemin.comptes.roles import roles_de

# Header links to each signed-in space: (label, URL names tried in order, roles that see it; None = every
# signed-in user). A space whose URLs are not installed yet is simply not shown.
ESPACES: tuple[tuple[str, tuple[str, ...], frozenset[str] | None], ...] = (
    ("Gestion", ("backoffice:tableau_de_bord",), frozenset(ROLES_EQUIPE)),
    ("Jury", ("jury:accueil", "jury:tableau_de_bord"), frozenset({Role.MEMBRE_JURY})),
    ("Espace partenaire", ("partenaire:accueil", "partenaire:tableau_de_bord"), frozenset(ROLES_PARTENAIRE)),
    ("Mon espace", ("candidat:accueil", "candidat:tableau_de_bord"), None),
)


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": "Parchemin", "SITE_URL": settings.SITE_URL}


def _url(noms: tuple[str, ...]) -> str | None:
    for nom in noms:
        try:
            return reverse(nom)
        except NoReverseMatch:
            continue
    return None


def espaces(request: HttpRequest) -> dict[str, Any]:
    """The spaces the signed-in user may enter, for the header navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"espaces_utilisateur": []}
    roles = roles_de(user)
    liens = []
    for libelle, noms, roles_admis in ESPACES:
        if roles_admis is not None and not roles & roles_admis:
            continue
        url = _url(noms)
        if url is not None:
            liens.append({"libelle": libelle, "url": url, "actif": request.path.startswith(url)})
    return {"espaces_utilisateur": liens}
