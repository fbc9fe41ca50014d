"""Roles a person may hold, and the single place that answers "does this user hold this role?".

A person may hold several roles (a partner's trainer can sit on a jury elsewhere). Partner roles are
scoped to one organisation; jury roles are scoped to the sessions a member sits on (jurys app);
"candidat" is not granted here: a candidate is anyone with an application, scoped to their own files.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from parchemin.erreurs import AccesRefuse

from .enums import ROLES_DOUBLE_FACTEUR, ROLES_EQUIPE, ROLES_PARTENAIRE, Role
from .models import RoleUtilisateur, User


def roles_de(user: User | AnonymousUser) -> frozenset[str]:
    """The roles of a user, cached on the instance for the duration of the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = frozenset(RoleUtilisateur.objects.filter(user=user).values_list("role", flat=True))
        user._roles_cache = cache  # type: ignore[attr-defined]
    return cache


def a_un_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(roles_de(user) & set(roles))


def est_equipe(user: User | AnonymousUser) -> bool:
    return a_un_role(user, *ROLES_EQUIPE)


def exiger_equipe(
    user: User | AnonymousUser, message: str = "Cette action est réservée à l'équipe du certificateur."
) -> None:
    """Services call this first when only the certificateur's staff may act."""
    if not est_equipe(user):
        raise AccesRefuse(message)


def est_administrateur(user: User | AnonymousUser) -> bool:
    return a_un_role(user, Role.ADMINISTRATEUR)


def double_facteur_exige(user: User | AnonymousUser) -> bool:
    return a_un_role(user, *ROLES_DOUBLE_FACTEUR)


def partenaires_de(user: User | AnonymousUser, *roles: str) -> list[int]:
    """Ids of the partner organisations where the user holds one of ``roles`` (any partner role by default)."""
    if not user.is_authenticated:
        return []
    wanted = roles or tuple(ROLES_PARTENAIRE)
    return list(
        RoleUtilisateur.objects.filter(user=user, role__in=wanted, partenaire__isnull=False).values_list(
            "partenaire_id", flat=True
        )
    )


def administre_partenaire(user: User | AnonymousUser, partenaire_id: int | None) -> bool:
    """The one definition of "administers this partner organisation": holding its administrator
    role (its assessors only read). Being staff is not administering a partner: the services that
    let staff act too say so with ``est_equipe(user) or administre_partenaire(...)``."""
    return partenaire_id is not None and partenaire_id in partenaires_de(user, Role.ADMIN_PARTENAIRE)
