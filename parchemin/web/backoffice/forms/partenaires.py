"""Forms of the back-office pages on partners and habilitations."""

from __future__ import annotations

from typing import Any

from django import forms

from parchemin.identifiants import normaliser_siret, valider_siret
from parchemin.referentiel.models import Certification, Unite
from parchemin.web.commun.champs import ChampCommune, ChampDate


class HabilitationForm(forms.Form):
    certification = forms.ModelChoiceField(label="Certification", queryset=Certification.objects.order_by("code"))
    preparer = forms.BooleanField(label="Préparer les candidats", required=False, initial=True)
    evaluer = forms.BooleanField(label="Évaluer les candidats", required=False)
    unites = forms.ModelMultipleChoiceField(
        label="Unités concernées (aucune : toute la certification)",
        queryset=Unite.objects.select_related("version__certification").order_by(
            "version__certification__code", "ordre"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date_debut = ChampDate(label="Début de validité")
    date_fin = ChampDate(label="Fin de validité", required=False)
    redevance = forms.CharField(
        label="Redevance versée au certificateur", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sous_traitance = forms.CharField(
        label="Conditions de sous-traitance", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    moyens_requis = forms.CharField(
        label="Moyens techniques, pédagogiques et d'encadrement requis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Required by the service whenever something changes; saving the terms unchanged needs none.
    motif = forms.CharField(
        label="Motif (transmis à France compétences)",
        max_length=1000,
        required=False,
        help_text="Obligatoire dès qu'une condition change.",
    )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if not donnees.get("preparer") and not donnees.get("evaluer"):
            self.add_error("preparer", "Une habilitation permet de préparer et/ou d'évaluer.")
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de validité ne peut pas précéder son début.")
        return donnees


class ContactForm(forms.Form):
    nom = forms.CharField(label="Nom du contact", max_length=150)
    fonction = forms.CharField(label="Fonction", max_length=150, required=False)
    email = forms.EmailField(label="E-mail du contact", required=False)
    telephone = forms.CharField(label="Téléphone du contact", max_length=20, required=False)


class EtatForm(forms.Form):
    action = forms.ChoiceField(
        label="Changement",
        choices=[
            ("suspendre", "Suspendre"),
            ("reactiver", "Réactiver"),
            ("retirer", "Retirer"),
            ("terminer", "Mettre fin"),
        ],
    )
    motif = forms.CharField(label="Motif", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ConventionForm(forms.Form):
    fichier = forms.FileField(label="Convention signée (PDF, 10 Mo au plus)")


class EnvoiForm(forms.Form):
    envoye_le = ChampDate(label="Liste envoyée le")


class PartenaireForm(forms.Form):
    nom = forms.CharField(label="Nom", max_length=200)
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres ; espaces acceptés.")
    numero_declaration_activite = forms.RegexField(
        label="Numéro de déclaration d'activité",
        regex=r"^[0-9]{11}$",
        required=False,
        error_messages={"invalid": "Le numéro de déclaration d'activité comporte 11 chiffres."},
    )
    adresse = forms.CharField(label="Adresse", max_length=255, required=False)
    commune = ChampCommune(label="Commune", required=False)
    site_web = forms.URLField(label="Site web", required=False, assume_scheme="https")
    email = forms.EmailField(label="E-mail", required=False)
    telephone = forms.CharField(label="Téléphone", max_length=20, required=False)
    qualiopi = forms.BooleanField(label="Certifié Qualiopi", required=False)
    qualiopi_echeance = ChampDate(label="Échéance du certificat Qualiopi", required=False)
    est_certificateur = forms.BooleanField(label="C'est le certificateur lui-même", required=False)

    def clean_siret(self) -> str:
        siret = normaliser_siret(self.cleaned_data["siret"])
        valider_siret(siret)
        return siret

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if donnees.get("qualiopi_echeance") and not donnees.get("qualiopi"):
            self.add_error("qualiopi_echeance", "Une échéance Qualiopi suppose un certificat Qualiopi.")
        return donnees
