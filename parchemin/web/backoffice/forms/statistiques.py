"""Filters of the back-office statistics pages."""

from __future__ import annotations

from django import forms

from parchemin.referentiel.enums import VoieAcces
from parchemin.statistiques.resultats import AXE_CANDIDATURE, AXES, INDICATEURS, REGROUPEMENTS, Filtres


class FiltresForm(forms.Form):
    axe = forms.ChoiceField(label="Compter par", choices=list(AXES.items()), required=False)
    regroupement = forms.ChoiceField(
        label="Détailler par", choices=[(k, v[0]) for k, v in REGROUPEMENTS.items()], required=False
    )
    annee = forms.IntegerField(label="Année", required=False, min_value=1990, max_value=2100)
    voie = forms.ChoiceField(label="Voie d'accès", choices=[("", "Toutes"), *VoieAcces.choices], required=False)
    partenaire = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    session = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def filtres(self) -> Filtres:
        d = self.cleaned_data
        return Filtres(
            axe=d.get("axe") or AXE_CANDIDATURE,
            annee=d.get("annee"),
            voie=d.get("voie") or None,
            partenaire=d.get("partenaire"),
            session=d.get("session"),
        )


class DossiersForm(FiltresForm):
    indicateur = forms.ChoiceField(
        label="Chiffre", choices=[(i.code, i.libelle) for i in INDICATEURS], initial="candidatures"
    )
