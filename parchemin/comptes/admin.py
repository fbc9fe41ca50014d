"""Accounts in the Django admin. Roles are granted and revoked through the services, so the admin
leaves the same audit entries as any other screen."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from parchemin.erreurs import ErreurMetier

from .models import RoleUtilisateur, User
from .services import attribuer_role, retirer_role


class FormulaireCreation(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class FormulaireModification(UserChangeForm):
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
class AdminUtilisateur(UserAdmin):
    form = FormulaireModification
    add_form = FormulaireCreation
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
