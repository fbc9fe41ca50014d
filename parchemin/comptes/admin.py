"""Accounts in the Django admin. Roles are granted and revoked through the services, so the admin
leaves the same audit entries as any other screen."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer

from .models import RoleUtilisateur, User
from .services import attribuer_role, retirer_role


class CreationUtilisateurForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class ModificationUtilisateurForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleInline(admin.TabularInline):
    model = RoleUtilisateur
    extra = 0
    fields = ("role", "partenaire", "attribue_le")
    readonly_fields = ("attribue_le",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A role is granted or revoked, never edited in place (each is one audit entry).
        return False


@admin.register(User)
class UtilisateurAdmin(UserAdmin):
    form = ModificationUtilisateurForm
    add_form = CreationUtilisateurForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "date_joined")
    list_filter = ("is_active", "roles__role")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("État", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = (RoleInline,)
    filter_horizontal = ()

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not RoleUtilisateur:
            super().save_formset(request, form, formset, change)
            return
        nouveaux = formset.save(commit=False)
        user = form.instance
        try:
            for attribution in formset.deleted_objects:
                retirer_role(acteur=request.user, user=user, role=attribution.role, partenaire=attribution.partenaire)
            for attribution in nouveaux:
                attribuer_role(acteur=request.user, user=user, role=attribution.role, partenaire=attribution.partenaire)
        except ErreurMetier as erreur:
            messages.error(request, erreur.message)


# allauth's admin registers Authenticator; import it first, since this app comes before allauth in
# INSTALLED_APPS (its e-mail templates override allauth's) and so is autodiscovered first.
import_module("allauth.mfa.admin")
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthentificateurAdmin(admin.ModelAdmin):
    """Second factors: visible and removable (a lost phone), never readable (the TOTP secret) nor
    created here; a removal is journaled like one made by the person."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Authenticator) -> None:
        with transaction.atomic():
            enregistrer(
                action="comptes.desactiver_double_facteur",
                acteur=request.user,
                objet=obj.user,
                resume=f"Authentificateur « {obj.get_type_display()} » de {obj.user} supprimé par l'administration",
                avant={"type": obj.type},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Authenticator]) -> None:
        for authentificateur in queryset.select_related("user"):
            self.delete_model(request, authentificateur)
