"""Form fields used by several audiences."""

from __future__ import annotations

from typing import Any

from django import forms

from parchemin.territoires.models import Commune
from parchemin.territoires.queries import trouver_commune


class ChampCommune(forms.CharField):
    """A commune typed as a name, "Nom (dép.)", a postcode or an INSEE code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Nom, code postal ou code INSEE, par exemple Bordeaux ou 33000.")
        super().__init__(max_length=200, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Commune):
            return f"{value.nom} ({value.departement})"
        return value

    def clean(self, value: Any) -> Commune | None:
        texte = super().clean(value)
        if not texte:
            return None
        commune = trouver_commune(texte)
        if commune is None:
            raise forms.ValidationError(
                "Commune inconnue : vérifiez l'orthographe ou indiquez son code postal.", code="commune_inconnue"
            )
        return commune
