"""Partners, habilitations and sessions in the Django admin: for looking, not for changing. Changes
go through the services (reasons, audit journal, catalogue index) from the back-office pages."""

from __future__ import annotations

from django.contrib import admin

from parchemin.lecture_seule import LectureSeuleAdmin

from .models import ChangementHabilitation, EnvoiListeFranceCompetences, Habilitation, Partenaire, SessionFormation


@admin.register(Partenaire)
class PartenaireAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("nom", "siret", "commune", "qualiopi", "est_certificateur")
    search_fields = ("nom", "siret")


@admin.register(Habilitation)
class HabilitationAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("partenaire", "certification", "preparer", "evaluer", "date_debut", "date_fin", "etat")
    list_filter = ("etat", "certification")


@admin.register(ChangementHabilitation)
class ChangementHabilitationAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("horodatage", "habilitation", "nature", "etat_avant", "etat_apres", "acteur")


@admin.register(EnvoiListeFranceCompetences)
class EnvoiListeAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("envoye_le", "acteur", "enregistre_le")


@admin.register(SessionFormation)
class SessionFormationAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("intitule", "numero", "saison", "partenaire", "region", "date_debut", "statut", "publiee")
    list_filter = ("publiee", "statut", "region", "modalite")
    search_fields = ("intitule", "partenaire__nom")
