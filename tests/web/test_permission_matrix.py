"""Every URL pattern × every role → the declared outcome (see tests/web/matrice/)."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parchemin.comptes.enums import Role
from parchemin.partenaires.models import Partenaire
from tests.comptes.outils import connecter, creer_utilisateur
from tests.web import matrice
from tests.web.matrice import (
    CONNEXION,
    DOUBLE_FACTEUR,
    INTROUVABLE,
    REDIRECTION,
    REFUS,
    ROLES,
    TRAITE,
    Attendu,
    Motif,
)


def _declarations() -> tuple[list[Attendu], list[Motif]]:
    attendus: list[Attendu] = []
    motifs: list[Motif] = []
    for info in pkgutil.iter_modules(matrice.__path__):
        module = importlib.import_module(f"{matrice.__name__}.{info.name}")
        attendus.extend(getattr(module, "ATTENDUS", []))
        motifs.extend(getattr(module, "MOTIFS", []))
    return attendus, motifs


ATTENDUS, MOTIFS = _declarations()
TOUS_LES_CAS = ATTENDUS + [exemple for motif in MOTIFS for exemple in motif.echantillons]


def _motifs_du_projet() -> list[str]:
    """Names (namespace:name) of every URL pattern; unnamed ones as 'route:<pattern>'."""
    noms: list[str] = []

    def parcourir(resolveur: URLResolver, espace: str, prefixe: str) -> None:
        for motif in resolveur.url_patterns:
            if isinstance(motif, URLResolver):
                sous_espace = espace
                if motif.namespace:
                    sous_espace = f"{espace}{motif.namespace}:"
                parcourir(motif, sous_espace, prefixe + str(motif.pattern))
            elif isinstance(motif, URLPattern):
                if motif.name:
                    noms.append(f"{espace}{motif.name}")
                else:
                    noms.append(f"route:{prefixe}{motif.pattern}")

    parcourir(get_resolver(), "", "")
    return noms


def test_every_url_pattern_has_a_declared_access_rule() -> None:
    declares = {a.nom for a in ATTENDUS}
    prefixes = tuple(m.prefixe for m in MOTIFS)
    manquants = sorted({nom for nom in _motifs_du_projet() if nom not in declares and not nom.startswith(prefixes)})
    assert manquants == [], f"URL sans règle d'accès déclarée dans tests/web/matrice/ : {manquants}"


def test_no_declaration_points_to_a_missing_url() -> None:
    existants = set(_motifs_du_projet())
    orphelins = sorted(a.nom for a in TOUS_LES_CAS if a.nom not in existants)
    assert orphelins == [], f"Déclarations sans URL correspondante : {orphelins}"


@dataclass
class Monde:
    """One account per role, and the objects URLs point at."""

    utilisateurs: dict[str, Any]
    partenaire: Partenaire
    rs5142: Any


@pytest.fixture
def monde(rs5142: Any) -> Monde:
    partenaire = Partenaire.objects.create(nom="Organisme de formation A", siret="73282932000074")
    utilisateurs: dict[str, Any] = {
        "anonyme": None,
        "candidat": creer_utilisateur("candidat@example.org"),
        "evaluateur_partenaire": creer_utilisateur(
            "evaluateur@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=partenaire
        ),
        "admin_partenaire": creer_utilisateur("admin-of@example.org", Role.ADMIN_PARTENAIRE, partenaire=partenaire),
        "membre_jury": creer_utilisateur("jury@example.org", Role.MEMBRE_JURY),
        "gestionnaire": creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE),
        "administrateur": creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR),
    }
    return Monde(utilisateurs=utilisateurs, partenaire=partenaire, rs5142=rs5142)


def _verifier(reponse: Any, attendu: Any) -> str | None:
    statut = reponse.status_code
    cible = reponse.headers.get("Location", "")
    if attendu == CONNEXION:
        ok = statut == 302 and (cible.startswith(reverse("account_login")) or cible.startswith(reverse("admin:login")))
    elif attendu == DOUBLE_FACTEUR:
        ok = statut == 302 and (
            cible.startswith(reverse("mfa_activate_totp")) or cible.startswith(reverse("mfa_reauthenticate"))
        )
    elif attendu == REDIRECTION:
        ok = 300 <= statut < 400
    elif isinstance(attendu, tuple) and attendu[0] == REFUS:
        ok = statut == 405 or _verifier(reponse, attendu[1]) is None
    elif attendu == INTROUVABLE:
        ok = statut in (404, 405)
    elif attendu == TRAITE:
        refus = _verifier(reponse, CONNEXION) is None or _verifier(reponse, DOUBLE_FACTEUR) is None
        ok = statut < 500 and statut not in (401, 403, 404) and not refus
    else:
        ok = statut == attendu
    return None if ok else f"attendu {attendu}, obtenu {statut} {cible}".strip()


@pytest.mark.django_db
@pytest.mark.parametrize("cas", TOUS_LES_CAS, ids=lambda a: a.nom)
def test_outcome_for_every_role(cas: Attendu, monde: Monde) -> None:
    kwargs = cas.kwargs(monde) if cas.kwargs else {}
    url = reverse(cas.nom, kwargs=kwargs)
    ecarts = []
    for role in ROLES:
        client = Client(enforce_csrf_checks=True)
        user = monde.utilisateurs[role]
        if user is not None:
            connecter(client, user)
        ecart = _verifier(client.get(url), cas.issue(role))
        if ecart:
            ecarts.append(f"{role} : {ecart}")
    assert ecarts == [], f"GET {url}\n" + "\n".join(ecarts)


@pytest.mark.django_db
@pytest.mark.parametrize("cas", TOUS_LES_CAS, ids=lambda a: a.nom)
def test_post_outcome_for_every_role(cas: Attendu, monde: Monde) -> None:
    """The same walk with POST (an empty body, a valid CSRF token): each role gets its declared POST
    outcome (``Attendu.issue_post``), so a view that checks access on GET only fails here."""
    kwargs = cas.kwargs(monde) if cas.kwargs else {}
    url = reverse(cas.nom, kwargs=kwargs)
    ecarts = []
    for role in ROLES:
        client = Client()
        user = monde.utilisateurs[role]
        if user is not None:
            connecter(client, user)
        ecart = _verifier(client.post(url, {}), cas.issue_post(role))
        if ecart:
            ecarts.append(f"{role} : {ecart}")
    assert ecarts == [], f"POST {url}\n" + "\n".join(ecarts)
