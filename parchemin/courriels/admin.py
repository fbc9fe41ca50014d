"""The outbox in the Django admin: read-only (sending goes through the services and the cron command)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parchemin.lecture_seule import LectureSeuleAdmin

from .models import Courriel, PieceJointe


class PieceJointeInline(admin.TabularInline):
    model = PieceJointe
    fields = ("nom", "type_mime", "taille")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="taille (octets)")
    def taille(self, piece: PieceJointe) -> int:
        return len(piece.contenu)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Courriel)
class CourrielAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("cree_le", "sujet", "statut", "tentatives", "envoye_le", "prochain_essai_le")
    list_filter = ("statut",)
    search_fields = ("sujet", "destinataires", "objet_id")
    date_hierarchy = "cree_le"
    inlines = [PieceJointeInline]
