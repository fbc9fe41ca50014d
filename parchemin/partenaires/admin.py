"""Partners, habilitations and sessions in the Django admin: for looking, not for changing. Changes
go through the services (reasons, audit journal, catalogue index) from the back-office pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ChangementHabilitation, EnvoiListeFranceCompetences, Habilitation, Partenaire, SessionFormation


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partenaire)
class AdminPartenaire(LectureSeule):
    list_display = ("nom", "siret", "commune", "qualiopi", "est_certificateur")
    search_fields = ("nom", "siret")


@admin.register(Habilitation)
class AdminHabilitation(LectureSeule):
    list_display = ("partenaire", "certification", "preparer", "evaluer", "date_debut", "date_fin", "etat")
    list_filter = ("etat", "certification")


@admin.register(ChangementHabilitation)
class AdminChangementHabilitation(LectureSeule):
    list_display = ("horodatage", "habilitation", "nature", "etat_avant", "etat_apres", "acteur")


@admin.register(EnvoiListeFranceCompetences)
class AdminEnvoiListe(LectureSeule):
    list_display = ("envoye_le", "acteur", "enregistre_le")


@admin.register(SessionFormation)
class AdminSessionFormation(LectureSeule):
    list_display = ("intitule", "numero", "saison", "partenaire", "region", "date_debut", "statut", "publiee")
    list_filter = ("publiee", "statut", "region", "modalite")
    search_fields = ("intitule", "partenaire__nom")
