"""The audit journal in the Django admin: read-only, like everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import EntreeJournal


@admin.register(EntreeJournal)
class AdminEntreeJournal(admin.ModelAdmin):
    list_display = ("sequence", "horodatage", "acteur_libelle", "action", "objet_type", "objet_libelle")
    list_filter = ("action", "objet_type")
    search_fields = ("acteur_libelle", "objet_libelle", "resume")
    date_hierarchy = "horodatage"
    list_select_related = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
