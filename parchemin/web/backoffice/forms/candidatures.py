"""Forms of the back-office pages on applications."""

from __future__ import annotations

from typing import Any

from django import forms

from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature
from parchemin.candidatures.queries import TRI_DEFAUT, FiltresCandidatures
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import VoieAcces

TAILLES_PAGE = (25, 50, 100, 200)
LIBELLES_TRI = {
    "recent": "Plus récentes d'abord",
    "ancien": "Plus anciennes d'abord",
    "nom": "Nom (A → Z)",
    "-nom": "Nom (Z → A)",
    "etat": "État",
    "echeance": "Échéance de recevabilité",
}


class FiltresForm(forms.Form):
    q = forms.CharField(label="Rechercher un nom ou un e-mail", required=False, max_length=100)
    voie = forms.ChoiceField(label="Voie d'accès", required=False, choices=[("", "Toutes"), *VoieAcces.choices])
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *EtatCandidature.choices])
    partenaire = forms.ModelChoiceField(
        label="Organisme", required=False, queryset=Partenaire.objects.order_by("nom"), empty_label="Tous"
    )
    session = forms.ModelChoiceField(
        label="Session de formation",
        required=False,
        queryset=SessionFormation.objects.select_related("partenaire").order_by("-date_debut"),
        empty_label="Toutes",
    )
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    retard = forms.BooleanField(label="Recevabilité en retard uniquement", required=False)
    tacites = forms.BooleanField(label="Recevables par acceptation tacite uniquement", required=False)
    tri = forms.ChoiceField(label="Trier par", required=False, choices=list(LIBELLES_TRI.items()))
    taille = forms.TypedChoiceField(
        label="Par page", required=False, coerce=int, choices=[(t, str(t)) for t in TAILLES_PAGE], empty_value=None
    )

    def filtres(self) -> FiltresCandidatures:
        d: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        return FiltresCandidatures(
            voie=d.get("voie") or "",
            etat=d.get("etat") or "",
            partenaire=d["partenaire"].pk if d.get("partenaire") else None,
            session=d["session"].pk if d.get("session") else None,
            annee=d.get("annee"),
            en_retard=bool(d.get("retard")),
            tacites=bool(d.get("tacites")),
            recherche=d.get("q") or "",
            tri=d.get("tri") or TRI_DEFAUT,
        )

    def taille_page(self) -> int:
        return (self.cleaned_data.get("taille") if self.is_valid() else None) or TAILLES_PAGE[0]


class DecisionRecevabiliteForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=DecisionRecevabilite.choices, widget=forms.RadioSelect)
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire si non recevable.",
    )
    pieces_manquantes = forms.CharField(
        label="Pièces ou informations manquantes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire si incomplète ; le candidat les lit dans son e-mail et son espace.",
    )


class DerogationForm(forms.Form):
    motif = forms.CharField(
        label="Motif de la dérogation aux prérequis",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Écrit, conservé au journal d'audit.",
    )


class ImportForm(forms.Form):
    session = forms.ModelChoiceField(
        label="Session de formation des stagiaires",
        queryset=SessionFormation.objects.select_related("partenaire").order_by("-date_debut"),
    )
    fichier = forms.FileField(
        label="Liste des stagiaires (CSV ou XLSX)",
        help_text="Une ligne par stagiaire ; colonnes : nom_naissance, nom_usage, prenoms, sexe, date_naissance, "
        "code_commune_naissance ou code_pays_naissance, email, telephone, niveau_diplome, annees_experience, "
        "employeur, siret_employeur. CSV en UTF-8 ou Windows-1252, séparateur point-virgule ou virgule.",
    )
