"""The filters of the back-office outbox."""

from __future__ import annotations

from django import forms

from parchemin.courriels.enums import StatutCourriel

A_TRAITER = "A_TRAITER"
TOUS = "TOUS"


class FiltresCourrielsForm(forms.Form):
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[(A_TRAITER, "Pas encore envoyés (en échec d'abord)"), *StatutCourriel.choices, (TOUS, "Tous")],
    )
    destinataire = forms.CharField(
        label="Destinataire", required=False, max_length=254, help_text="Tout ou partie de l'adresse e-mail."
    )
