"""The back-office form of a jury pool member: it parses, ``jurys.vivier`` decides."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms

from parchemin.comptes.models import User
from parchemin.jurys.enums import Representation
from parchemin.jurys.vivier import FicheMembre
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import ProfilJury

FORMATS_DATE = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DISPONIBILITES_MAX = 366


def _lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in re.split(r"[\n;]", texte) if ligne.strip()]


class MembreJuryForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=80)
    nom = forms.CharField(label="Nom", max_length=80)
    email = forms.EmailField(label="E-mail", max_length=254)
    telephone = forms.CharField(label="Téléphone", max_length=20, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200)
    organisation_siret = forms.CharField(
        label="SIRET de l'organisation", max_length=20, required=False, help_text="14 chiffres, facultatif."
    )
    fonction = forms.CharField(label="Fonction", max_length=150, required=False)
    profils = forms.MultipleChoiceField(
        label="Profils représentés", choices=ProfilJury.choices, widget=forms.CheckboxSelectMultiple
    )
    interne = forms.BooleanField(label="Interne au certificateur (salarié ou mandataire)", required=False)
    representation = forms.ChoiceField(
        label="Représentation", choices=Representation.choices, widget=forms.RadioSelect, initial=Representation.SALARIE
    )
    organisations_liees = forms.CharField(
        label="Autres organisations pour lesquelles il ou elle travaille",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une par ligne (nom ou SIRET) : sert à détecter un lien avec l'employeur d'un candidat.",
    )
    partenaires_formateur = forms.ModelMultipleChoiceField(
        label="Organismes avec lesquels il ou elle forme",
        queryset=Partenaire.objects.order_by("nom"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Un membre ne siège pas pour les stagiaires de ces organismes.",
    )
    sessions_formateur = forms.ModelMultipleChoiceField(
        label="Sessions de formation où il ou elle intervient",
        queryset=SessionFormation.objects.select_related("partenaire").order_by("-date_debut", "pk"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    disponibilites = forms.CharField(
        label="Disponibilités",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une date par ligne, au format JJ/MM/AAAA.",
    )
    compte = forms.EmailField(
        label="Compte sur la plateforme",
        required=False,
        help_text="Adresse e-mail du compte avec lequel le membre se connecte à l'espace jury, s'il en a un.",
    )
    actif = forms.BooleanField(label="Actif (proposé pour les jurys)", required=False, initial=True)

    @classmethod
    def initial_de(cls, fiche: FicheMembre) -> dict[str, Any]:
        return {
            **{cle: getattr(fiche, cle) for cle in ("prenom", "nom", "email", "telephone", "organisation")},
            "organisation_siret": fiche.organisation_siret,
            "fonction": fiche.fonction,
            "profils": list(fiche.profils),
            "interne": fiche.interne,
            "representation": fiche.representation,
            "organisations_liees": "\n".join(fiche.organisations_liees),
            "partenaires_formateur": list(fiche.partenaires_formateur),
            "sessions_formateur": list(fiche.sessions_formateur),
            "disponibilites": "\n".join(f"{jour:%d/%m/%Y}" for jour in fiche.disponibilites),
            "compte": fiche.compte.email if fiche.compte else "",
            "actif": fiche.actif,
        }

    def clean_organisation_siret(self) -> str:
        return re.sub(r"[\s.\-]", "", self.cleaned_data["organisation_siret"])

    def clean_disponibilites(self) -> list[datetime.date]:
        jours = []
        for ligne in _lignes(self.cleaned_data["disponibilites"])[: DISPONIBILITES_MAX + 1]:
            jour = None
            for motif in FORMATS_DATE:
                try:
                    jour = datetime.datetime.strptime(ligne, motif).date()
                    break
                except ValueError:
                    continue
            if jour is None:
                raise forms.ValidationError(
                    "« %(ligne)s » n'est pas une date : une date par ligne, au format JJ/MM/AAAA.",
                    params={"ligne": ligne[:40]},
                )
            jours.append(jour)
        if len(jours) > DISPONIBILITES_MAX:
            raise forms.ValidationError(f"{DISPONIBILITES_MAX} dates au plus.")
        return sorted(set(jours))

    def clean_compte(self) -> User | None:
        adresse = self.cleaned_data["compte"]
        if not adresse:
            return None
        compte = User.objects.filter(email__iexact=adresse.strip()).first()
        if compte is None:
            raise forms.ValidationError("Aucun compte n'a cette adresse : laissez vide ou créez d'abord le compte.")
        return compte

    def fiche(self) -> FicheMembre:
        d = self.cleaned_data
        return FicheMembre(
            prenom=d["prenom"].strip(),
            nom=d["nom"].strip(),
            email=d["email"],
            telephone=d["telephone"].strip(),
            organisation=d["organisation"].strip(),
            organisation_siret=d["organisation_siret"],
            fonction=d["fonction"].strip(),
            profils=list(d["profils"]),
            interne=d["interne"],
            representation=d["representation"],
            organisations_liees=_lignes(d["organisations_liees"]),
            partenaires_formateur=list(d["partenaires_formateur"]),
            sessions_formateur=list(d["sessions_formateur"]),
            compte=d["compte"],
            actif=d["actif"],
            disponibilites=d["disponibilites"],
        )
