"""The filters of the back-office journal page."""

from __future__ import annotations

from typing import Any

from django import forms

from parchemin.journal.queries import FiltreJournal, actions_connues, types_objet_connus
from parchemin.web.commun.champs import ChampDate

from ..journal_libelles import libelle_action, libelle_type_objet


class FiltreJournalForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    acteur = forms.CharField(label="Acteur", required=False, max_length=100, help_text="Nom ou adresse e-mail.")
    objet_type = forms.ChoiceField(label="Type d'objet", required=False)
    du = ChampDate(label="Du", required=False)
    au = ChampDate(label="Au", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        toutes = [("", "Toutes")]
        actions = sorted(((a, libelle_action(a)) for a in actions_connues()), key=lambda choix: choix[1])
        self.fields["action"].choices = toutes + actions  # type: ignore[attr-defined]
        types = sorted(((t, libelle_type_objet(t)) for t in types_objet_connus()), key=lambda choix: choix[1])
        self.fields["objet_type"].choices = [("", "Tous"), *types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and au < du:
            self.add_error("au", "La date de fin doit suivre la date de début.")
        return donnees

    def filtre(self) -> FiltreJournal:
        donnees = self.cleaned_data
        return FiltreJournal(
            action=donnees.get("action") or "",
            acteur=(donnees.get("acteur") or "").strip(),
            objet_type=donnees.get("objet_type") or "",
            du=donnees.get("du"),
            au=donnees.get("au"),
        )
