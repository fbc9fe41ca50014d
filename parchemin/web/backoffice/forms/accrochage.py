"""Forms of the CDC accrochage: the certificateur's identifiers, an acknowledgement upload, and the
holder's civil status as the CDC matches it."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from parchemin.accrochage.enums import VersionFlux
from parchemin.candidatures.enums import Sexe
from parchemin.candidatures.models import Candidature
from parchemin.candidatures.services import CHAMPS_ETAT_CIVIL
from parchemin.web.commun.champs import ChampDate

TAILLE_MAX_XSD = 2 * 1024 * 1024
TAILLE_MAX_ACCUSE = 50 * 1024 * 1024


def _id_client(valeur: str, libelle: str) -> str:
    valeur = valeur.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{8}", valeur):
        raise forms.ValidationError(
            f"L'{libelle} compte exactement 8 lettres ou chiffres, tel que la CDC l'a communiqué "
            f"(saisi : {len(valeur)} caractère{'s' if len(valeur) > 1 else ''})."
        )
    return valeur


class IdentifiantsForm(forms.Form):
    id_client_emetteur = forms.CharField(
        label="idClient de l'émetteur", max_length=20, help_text="8 caractères, donnés par la CDC."
    )
    id_client_certificateur = forms.CharField(
        label="idClient du certificateur",
        max_length=20,
        help_text="8 caractères ; le même que l'émetteur quand le certificateur envoie lui-même.",
    )
    id_contrat = forms.CharField(
        label="idContrat", max_length=40, help_text="20 caractères au plus, par exemple MCFCER000123."
    )
    version_flux = forms.ChoiceField(label="Version du flux", choices=VersionFlux.choices)
    xsd_officiel = forms.FileField(
        label="XSD officiel du kit de la CDC (facultatif, 2 Mo au plus)",
        required=False,
        help_text="Chaque fichier sera alors validé par ce schéma en plus de celui de Parchemin.",
    )
    retirer_xsd = forms.BooleanField(label="Ne plus utiliser le XSD officiel chargé", required=False)

    def clean_id_client_emetteur(self) -> str:
        return _id_client(self.cleaned_data["id_client_emetteur"], "idClient de l'émetteur")

    def clean_id_client_certificateur(self) -> str:
        return _id_client(self.cleaned_data["id_client_certificateur"], "idClient du certificateur")

    def clean_id_contrat(self) -> str:
        valeur = self.cleaned_data["id_contrat"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{1,20}", valeur):
            raise forms.ValidationError("L'idContrat compte de 1 à 20 lettres ou chiffres, sans espace.")
        return valeur

    def clean_xsd_officiel(self) -> Any:
        fichier = self.cleaned_data.get("xsd_officiel")
        if fichier and fichier.size > TAILLE_MAX_XSD:
            raise forms.ValidationError("Le XSD dépasse 2 Mo : ce n'est pas le schéma du kit de la CDC.")
        return fichier


class AccuseForm(forms.Form):
    fichier = forms.FileField(label="Accusé de la CDC (réception ou traitement, XML, 50 Mo au plus)")

    def clean_fichier(self) -> Any:
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX_ACCUSE:
            raise forms.ValidationError("Le fichier dépasse 50 Mo : ce n'est pas un accusé de la CDC.")
        return fichier


class IdentiteTitulaireForm(forms.ModelForm):
    class Meta:
        model = Candidature
        fields = list(CHAMPS_ETAT_CIVIL)
        field_classes = {"date_naissance": ChampDate}
        widgets = {"sexe": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sexe"]).choices = Sexe.choices


class NirForm(forms.Form):
    nir = forms.CharField(
        label="NIR (numéro de sécurité sociale)",
        max_length=25,
        required=False,
        help_text="13 caractères, ou 15 avec la clé. Laissez vide pour l'effacer. Il est chiffré, n'est montré "
        "qu'aux administrateurs, part seulement dans un flux 1.1.5 et est effacé quand la CDC accepte le passage.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
