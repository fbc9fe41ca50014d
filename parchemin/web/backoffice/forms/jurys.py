"""Forms of the back-office pages on juries."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from parchemin.candidatures.models import Candidature
from parchemin.dates import DateIllisible, lire_date
from parchemin.jurys.enums import Decision
from parchemin.jurys.models import MembreJury
from parchemin.referentiel.models import RegleJury


class SessionForm(forms.Form):
    regle = forms.ModelChoiceField(
        label="Certification et règle de composition",
        queryset=RegleJury.objects.select_related("certification").order_by("certification__code", "code"),
    )
    intitule = forms.CharField(label="Intitulé", max_length=200)
    debut = forms.DateTimeField(
        label="Début",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    duree_minutes = forms.IntegerField(label="Durée (minutes)", min_value=15, max_value=720, initial=240)
    lieu = forms.CharField(label="Lieu (adresse)", max_length=255, required=False)
    lien_visio = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")
    max_candidats = forms.IntegerField(label="Nombre maximal de candidats", min_value=1, max_value=50, initial=8)

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if not donnees.get("lieu") and not donnees.get("lien_visio"):
            raise forms.ValidationError("Indiquez un lieu ou un lien de visioconférence.")
        return donnees


class MembresForm(forms.Form):
    membres = forms.ModelMultipleChoiceField(
        label="Membres du jury",
        queryset=MembreJury.objects.actifs().order_by("nom", "prenom"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membres"].label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m} — {m.organisation} ({', '.join(m.profils_labels())}{', interne' if m.interne else ''})"
        )


class PresencesMembresForm(forms.Form):
    presents = forms.MultipleChoiceField(label="Membres présents", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, membres: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presents"].choices = membres  # type: ignore[attr-defined]


class CandidatsForm(forms.Form):
    candidatures = forms.ModelMultipleChoiceField(
        label="Candidats prêts pour le jury", queryset=Candidature.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidatures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidatures"].queryset = candidatures  # type: ignore[attr-defined]
        self.fields["candidatures"].label_from_instance = lambda c: f"{c.nom_complet} ({c.get_voie_display()})"  # type: ignore[attr-defined]


class PlanificationForm(forms.Form):
    regle = forms.ModelChoiceField(
        label="Certification et règle de composition",
        queryset=RegleJury.objects.select_related("certification").order_by("certification__code", "code"),
    )
    dates = forms.CharField(
        label="Dates possibles (une par ligne, jj/mm/aaaa ou 1er mars 2026)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Une session au plus par date indiquée ; répétez une date pour en permettre deux le même jour.",
    )
    heure = forms.TimeField(
        label="Heure de début", initial=datetime.time(9, 30), widget=forms.TimeInput(attrs={"type": "time"})
    )
    max_candidats = forms.IntegerField(label="Candidats au plus par session", min_value=1, max_value=50, initial=8)
    lieu = forms.CharField(label="Lieu (adresse)", max_length=255, required=False)
    lien_visio = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")

    def clean_dates(self) -> list[datetime.date]:
        dates = []
        for ligne in self.cleaned_data["dates"].splitlines():
            texte = ligne.strip()
            if not texte:
                continue
            try:
                date = lire_date(texte)
            except DateIllisible as erreur:
                raise forms.ValidationError(erreur.message) from None
            if date is not None:
                dates.append(date)
        if not dates:
            raise forms.ValidationError("Indiquez au moins une date.")
        return dates

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if not donnees.get("lieu") and not donnees.get("lien_visio"):
            raise forms.ValidationError("Indiquez un lieu ou un lien de visioconférence.")
        return donnees


class AmendementForm(forms.Form):
    candidature = forms.TypedChoiceField(label="Candidat", coerce=int)
    decision = forms.ChoiceField(label="Décision corrigée", choices=Decision.choices)
    unites = forms.MultipleChoiceField(label="Unités validées", required=False, widget=forms.CheckboxSelectMultiple)
    motif = forms.CharField(label="Motif de la correction", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(
        self, *args: Any, candidats: list[tuple[int, str]], unites: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidature"].choices = candidats  # type: ignore[attr-defined]
        self.fields["unites"].choices = unites  # type: ignore[attr-defined]


class RemplacementForm(forms.Form):
    """Replace a member who sits by one of the pool: choices in the order the planner suggests."""

    absent = forms.TypedChoiceField(label="Membre absent à remplacer", coerce=int)
    remplacant = forms.TypedChoiceField(label="Remplaçant (du plus recommandé au moins recommandé)", coerce=int)

    def __init__(
        self, *args: Any, absents: list[tuple[int, str]], remplacants: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absent"].choices = absents  # type: ignore[attr-defined]
        self.fields["remplacant"].choices = remplacants  # type: ignore[attr-defined]


class DeplacementForm(forms.Form):
    debut = forms.DateTimeField(
        label="Nouvelle date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    motif = forms.CharField(
        label="Motif du report (envoyé aux membres et aux candidats)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
