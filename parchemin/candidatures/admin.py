"""Applications in the Django admin: for looking, not for changing. Every change goes through the
services (and so the audit journal) from the back-office; the admin must not be a side door."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parchemin.lecture_seule import LectureSeuleAdmin

from .models import Candidature, Piece


class PieceInline(admin.TabularInline):
    model = Piece
    extra = 0
    fields = ("type_piece", "version", "nom_original", "format", "taille", "deposee_le", "deposee_par")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Candidature)
class CandidatureAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("pk", "nom_naissance", "prenom1", "certification", "voie", "annee", "etat", "echeance_recevabilite")
    list_filter = ("etat", "voie", "annee", "certification")
    search_fields = ("nom_recherche",)
    list_select_related = ("certification",)
    inlines = [PieceInline]
    show_full_result_count = False


@admin.register(Piece)
class PieceAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("pk", "candidature", "type_piece", "version", "nom_original", "deposee_le")
    list_select_related = ("candidature", "candidature__certification")
    list_filter = ("type_piece",)
