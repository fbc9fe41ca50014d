"""The jury pool is maintained in the admin (profiles, declared links, availability); sessions,
grids, decisions, PVs and planning requests are shown read-only: they change only through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from parchemin.journal.services import enregistrer
from parchemin.lecture_seule import LectureSeuleAdmin
from parchemin.referentiel.enums import ProfilJury

from .models import (
    AmendementDecision,
    DemandePlanification,
    Disponibilite,
    MembreJury,
    ProcesVerbal,
    SessionJury,
    SignaturePV,
)


class MembreJuryForm(forms.ModelForm):
    profils = forms.MultipleChoiceField(
        label="Profils représentés", choices=ProfilJury.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MembreJury
        fields = (
            "prenom",
            "nom",
            "email",
            "telephone",
            "organisation",
            "organisation_siret",
            "fonction",
            "profils",
            "interne",
            "representation",
            "organisations_liees",
            "partenaires_formateur",
            "sessions_formateur",
            "user",
            "actif",
        )


class DisponibiliteInline(admin.TabularInline):
    model = Disponibilite
    extra = 3


@admin.register(MembreJury)
class MembreJuryAdmin(admin.ModelAdmin):
    form = MembreJuryForm
    list_display = ("__str__", "organisation", "interne", "representation", "actif")
    list_filter = ("interne", "representation", "actif")
    search_fields = ("nom", "prenom", "email", "organisation")
    filter_horizontal = ("partenaires_formateur", "sessions_formateur")
    raw_id_fields = ("user",)
    inlines = [DisponibiliteInline]

    def save_model(self, request: HttpRequest, obj: MembreJury, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        enregistrer(
            action="jurys.modifier_membre" if change else "jurys.ajouter_membre",
            acteur=request.user,
            objet=obj,
            resume=f"Fiche du vivier {'modifiée' if change else 'créée'} dans l'administration.",
            apres={k: form.cleaned_data[k] for k in form.changed_data if k in ("profils", "interne", "organisation")},
        )


@admin.register(SessionJury)
class SessionJuryAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("intitule", "debut", "statut")
    list_filter = ("statut",)


@admin.register(ProcesVerbal)
class ProcesVerbalAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("session", "numero_version", "sha256", "verrouille_le")
    exclude = ("pdf",)


@admin.register(SignaturePV)
class SignaturePVAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("pv", "membre", "sha256", "signee_le")


@admin.register(AmendementDecision)
class AmendementDecisionAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("passage", "decision_avant", "decision_apres", "auteur", "cree_le")


@admin.register(DemandePlanification)
class DemandePlanificationAdmin(LectureSeuleAdmin, admin.ModelAdmin):
    list_display = ("__str__", "regle", "demandeur", "creee_le", "terminee_le", "acceptee_le")
    list_filter = ("statut",)
    list_select_related = ("regle", "demandeur")
    date_hierarchy = "creee_le"
