"""Business actions on accounts: granting and revoking roles, re-encrypting second-factor secrets,
each leaving an audit entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.db import IntegrityError, transaction

from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import Acteur, enregistrer

from .chiffrement import SecretIllisible, rechiffrer, transformer_secrets
from .enums import ROLES_EQUIPE, ROLES_PARTENAIRE, Role
from .models import RoleUtilisateur, User

if TYPE_CHECKING:
    # Accounts sit below the partners app: a role names its partner, the type is for annotations only.
    from parchemin.partenaires.models import Partenaire


def _description(role: str, partenaire: Partenaire | None) -> dict[str, str | int | None]:
    return {"role": role, "partenaire": partenaire.pk if partenaire is not None else None}


def _chez(partenaire: Partenaire | None) -> str:
    return f" chez {partenaire}" if partenaire is not None else ""


def _synchroniser_equipe(user: User) -> None:
    """``is_staff`` mirrors the staff roles (the Django admin and templates read it)."""
    equipe = RoleUtilisateur.objects.filter(user=user, role__in=sorted(ROLES_EQUIPE)).exists()
    if user.is_staff != equipe:
        user.is_staff = equipe
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_roles_cache", None)


def attribuer_role(
    *, acteur: Acteur, user: User, role: Role | str, partenaire: Partenaire | None = None
) -> RoleUtilisateur:
    """Grant ``role`` to ``user``; partner roles name their organisation, other roles must not."""
    role = Role(role)
    if role in ROLES_PARTENAIRE and partenaire is None:
        raise ErreurMetier(f"Le rôle « {role.label} » doit préciser l'organisme partenaire concerné.")
    if role not in ROLES_PARTENAIRE and partenaire is not None:
        raise ErreurMetier(f"Le rôle « {role.label} » ne se rattache à aucun organisme partenaire.")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        deja = ErreurMetier(f"{user} a déjà le rôle « {role.label} »{_chez(partenaire)}.")
        if RoleUtilisateur.objects.filter(user=user, role=role, partenaire=partenaire).exists():
            raise deja
        try:
            with transaction.atomic():
                attribution = RoleUtilisateur.objects.create(user=user, role=role, partenaire=partenaire)
        except IntegrityError as exc:  # a concurrent grant won the race
            raise deja from exc
        _synchroniser_equipe(user)
        enregistrer(
            action="comptes.attribuer_role",
            acteur=acteur,
            objet=user,
            resume=f"Rôle « {role.label} » attribué à {user}{_chez(partenaire)}",
            apres=_description(role, partenaire),
        )
    return attribution


def retirer_role(*, acteur: Acteur, user: User, role: Role | str, partenaire: Partenaire | None = None) -> None:
    """Revoke ``role`` (at ``partenaire`` for partner roles) from ``user``."""
    role = Role(role)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        attribution = (
            RoleUtilisateur.objects.select_for_update().filter(user=user, role=role, partenaire=partenaire).first()
        )
        if attribution is None:
            raise ErreurMetier(f"{user} n'a pas le rôle « {role.label} »{_chez(partenaire)}.")
        attribution.delete()
        _synchroniser_equipe(user)
        enregistrer(
            action="comptes.retirer_role",
            acteur=acteur,
            objet=user,
            resume=f"Rôle « {role.label} » retiré à {user}{_chez(partenaire)}",
            avant=_description(role, partenaire),
        )


def rechiffrer_secrets_double_facteur(*, acteur: Acteur = None) -> int:
    """Re-encrypt every TOTP secret and recovery-code seed with the newest key of CLES_CHIFFREMENT
    (key rotation); all or nothing. Returns the number of authenticators rewritten."""
    with transaction.atomic():
        authentificateurs = list(
            Authenticator.objects.select_for_update()
            .filter(type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES])
            .select_related("user")
            .order_by("pk")
        )
        for authentificateur in authentificateurs:
            try:
                authentificateur.data = transformer_secrets(authentificateur.type, authentificateur.data, rechiffrer)
            except SecretIllisible as erreur:
                raise SecretIllisible(
                    f"Rechiffrement annulé, rien n'a été modifié : le second facteur n° {authentificateur.pk} "
                    f"({authentificateur.user.email}) ne se déchiffre avec aucune clé de CLES_CHIFFREMENT. "
                    "Ajoutez l'ancienne clé à la liste (après la nouvelle) puis relancez."
                ) from erreur
            authentificateur.save(update_fields=["data"])
        enregistrer(
            action="comptes.rechiffrer_secrets_double_facteur",
            acteur=acteur,
            resume=f"{len(authentificateurs)} second(s) facteur(s) rechiffré(s) avec la clé la plus récente",
            apres={"authentificateurs": len(authentificateurs)},
        )
    return len(authentificateurs)
