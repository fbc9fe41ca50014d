"""Communes in the Django admin, read-only: they come from `manage.py importer_communes`."""

from __future__ import annotations

from django.contrib import admin

from parchemin.lecture_seule import LectureSeuleAdmin

from .models import Commune


@admin.register(Commune)
class CommuneAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("nom", "code_insee", "departement", "region", "population", "latitude", "longitude")
    list_filter = ("region",)
    search_fields = ("nom_plie", "code_insee")
