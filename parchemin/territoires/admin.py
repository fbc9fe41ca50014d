"""Communes in the Django admin, read-only: they come from `manage.py importer_communes`."""

from __future__ import annotations

from django.contrib import admin

from parchemin.admin_lecture_seule import AdminLectureSeule

from .models import Commune


@admin.register(Commune)
class AdminCommune(AdminLectureSeule, admin.ModelAdmin):
    list_display = ("nom", "code_insee", "departement", "region", "population", "latitude", "longitude")
    list_filter = ("region",)
    search_fields = ("nom_plie", "code_insee")
