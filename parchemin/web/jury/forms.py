"""Forms of the jury space: a member's grid, attendance, deliberation, signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from parchemin.jurys.enums import Decision, Niveau, Presence
from parchemin.jurys.models import Evaluation
from parchemin.jurys.services import Saisie
from parchemin.referentiel.models import Competence


@dataclass(frozen=True)
class LigneGrille:
    competence: Competence
    niveau: forms.BoundField
    commentaire: forms.BoundField


class GrilleForm(forms.Form):
    """One radio group and one comment per competency; ``version`` is the grid version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, competences: Sequence[Competence], evaluations: Sequence[Evaluation] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        existantes = {e.competence_id: e for e in evaluations}
        for competence in self.competences:
            existante = existantes.get(competence.pk)
            self.fields[f"niveau_{competence.pk}"] = forms.ChoiceField(
                label=f"{competence.code} {competence.intitule}",
                choices=Niveau.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=existante.niveau if existante else None,
            )
            self.fields[f"commentaire_{competence.pk}"] = forms.CharField(
                label=f"Commentaire sur {competence.code}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
                initial=existante.commentaire if existante else "",
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        # A grid only stores a comment with its level: say so rather than drop what the member typed.
        for competence in self.competences:
            if donnees.get(f"commentaire_{competence.pk}") and not donnees.get(f"niveau_{competence.pk}"):
                self.add_error(
                    f"niveau_{competence.pk}",
                    f"Choisissez un niveau pour {competence.code} : le commentaire est enregistré avec le niveau.",
                )
        return donnees

    def lignes(self) -> list[LigneGrille]:
        return [LigneGrille(c, self[f"niveau_{c.pk}"], self[f"commentaire_{c.pk}"]) for c in self.competences]

    def saisies(self) -> dict[int, Saisie]:
        return {
            c.pk: Saisie(self.cleaned_data[f"niveau_{c.pk}"], self.cleaned_data[f"commentaire_{c.pk}"])
            for c in self.competences
            if self.cleaned_data.get(f"niveau_{c.pk}")
        }


class PresenceForm(forms.Form):
    presence = forms.ChoiceField(label="Présence", choices=[("", "— à indiquer —"), *Presence.choices])


class DeliberationForm(forms.Form):
    decision = forms.ChoiceField(label="Décision du jury", choices=Decision.choices)
    unites = forms.MultipleChoiceField(
        label="Unités validées (validation partielle)", required=False, widget=forms.CheckboxSelectMultiple
    )
    observations = forms.CharField(
        label="Observations du jury pour le candidat",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Le candidat les lit avec son résultat, une fois le PV signé.",
    )
    motif = forms.CharField(
        label="Motif (obligatoire si la décision s'écarte de la proposition)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, unites: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unites"].choices = unites  # type: ignore[attr-defined]


class SignatureForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)
    code = forms.CharField(
        label="Code de votre application d'authentification",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
        help_text="Signer vaut relecture et approbation de cette version du procès-verbal.",
    )
