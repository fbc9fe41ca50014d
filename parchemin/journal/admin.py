"""The audit journal in the Django admin: read-only, like everywhere else."""

from __future__ import annotations

from django.contrib import admin

from parchemin.lecture_seule import LectureSeuleAdmin

from .models import EntreeJournal


@admin.register(EntreeJournal)
class EntreeJournalAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("sequence", "horodatage", "acteur_libelle", "action", "objet_type", "objet_libelle")
    list_filter = ("action", "objet_type")
    search_fields = ("acteur_libelle", "objet_libelle", "resume")
    date_hierarchy = "horodatage"
    list_select_related = ()
