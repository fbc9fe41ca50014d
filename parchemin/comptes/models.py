"""People who sign in to Parchemin. E-mail is the login; roles live beside the user (see roles)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import ROLES_PARTENAIRE, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def par_adresses(self, adresses: list[str]) -> dict[str, User]:
        """The accounts that already own one of ``adresses`` (lower case), as their login or as
        another address recorded by allauth, keyed by that address."""
        from allauth.account.models import EmailAddress

        voulues = {a.lower() for a in adresses}
        trouves: dict[str, User] = {
            u.email.lower(): u for u in self.annotate(email_min=Lower("email")).filter(email_min__in=voulues)
        }
        for adresse in (
            EmailAddress.objects.annotate(email_min=Lower("email")).filter(email_min__in=voulues).select_related("user")
        ):
            trouves.setdefault(adresse.email.lower(), adresse.user)
        return trouves

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "équipe du certificateur",
        default=False,
        help_text="Accès au back-office (gestionnaires et administrateurs).",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="comptes_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class RoleUtilisateur(models.Model):
    """One role held by one person; partner roles name their organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name="utilisateur")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    partenaire = models.ForeignKey(
        "partenaires.Partenaire",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name="organisme partenaire",
    )
    attribue_le = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(partenaire__isnull=True), name="role_unique_sans_partenaire"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partenaire"],
                condition=Q(partenaire__isnull=False),
                name="role_unique_par_partenaire",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(ROLES_PARTENAIRE), partenaire__isnull=False)
                    | (~Q(role__in=sorted(ROLES_PARTENAIRE)) & Q(partenaire__isnull=True))
                ),
                name="role_partenaire_ssi_role_partenaire",
                violation_error_message="Un rôle de partenaire nomme son organisme, et lui seul.",
            ),
        ]

    def __str__(self) -> str:
        suffixe = f" ({self.partenaire})" if self.partenaire_id else ""
        return f"{self.get_role_display()}{suffixe}"
