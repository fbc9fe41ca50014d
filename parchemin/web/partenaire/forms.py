"""Forms of the partner space: they parse, services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from parchemin.candidatures.enums import EtatCandidature
from parchemin.partenaires.enums import Financement, Modalite, StatutSession
from parchemin.partenaires.models import SessionFormation
from parchemin.referentiel.models import Certification
from parchemin.territoires.enums import Region
from parchemin.web.commun.champs import ChampCommune, ChampDate, ChampDecimal

MESSAGE_PRIX_NEGATIF = "Le prix ne peut pas être négatif."


class SessionForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification préparée", queryset=Certification.objects.publiees().order_by("code")
    )
    intitule = forms.CharField(label="Intitulé de la formation", max_length=255)
    numero = forms.IntegerField(label="Numéro de session", min_value=1, max_value=32767)
    saison = forms.RegexField(
        label="Saison",
        regex=r"^[0-9]{4}(-[0-9]{4})?$",
        help_text="Par exemple 2025 ou 2025-2026.",
        error_messages={"invalid": "Indiquez une année (2025) ou deux années (2025-2026)."},
    )
    description = forms.CharField(label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    modalite = forms.ChoiceField(label="Modalité", choices=Modalite.choices)
    commune = ChampCommune(label="Commune du lieu de formation", required=False)
    lieu = forms.CharField(label="Adresse du lieu", max_length=255, required=False)
    region = forms.ChoiceField(label="Région", choices=[("", "Celle de la commune"), *Region.choices], required=False)
    date_debut = ChampDate(label="Début")
    date_fin = ChampDate(label="Fin")
    duree_jours = forms.IntegerField(label="Durée en jours", min_value=1, max_value=365)
    duree_heures = forms.IntegerField(label="Durée en heures", min_value=1, max_value=3000)
    prix = ChampDecimal(
        label="Prix TTC (€)",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages={"min_value": MESSAGE_PRIX_NEGATIF},
    )
    financements = forms.MultipleChoiceField(
        label="Financements possibles", choices=Financement.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    lien_cpf = forms.URLField(label="Lien Mon Compte Formation", required=False, assume_scheme="https")
    capacite = forms.IntegerField(label="Nombre de places", min_value=1, max_value=1000)
    inscrits = forms.IntegerField(label="Inscrits à ce jour", min_value=0, max_value=1000, initial=0)
    statut = forms.ChoiceField(label="Statut", choices=StatutSession.choices)
    contact_inscription = forms.CharField(label="Contact pour s'inscrire", max_length=255, required=False)
    lien_inscription = forms.URLField(label="Lien d'inscription", required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La session ne peut pas finir avant de commencer.")
        capacite, inscrits = donnees.get("capacite"), donnees.get("inscrits")
        if capacite is not None and inscrits is not None and capacite < inscrits:
            self.add_error("capacite", f"La capacité ne peut pas être inférieure au nombre d'inscrits ({inscrits}).")
        avec_lieu = donnees.get("modalite") in (Modalite.PRESENTIEL, Modalite.HYBRIDE)
        if avec_lieu and not donnees.get("commune") and "commune" not in self.errors:
            self.add_error("commune", "Indiquez la commune où a lieu la session.")
        if donnees.get("modalite") == Modalite.DISTANCE and not donnees.get("region"):
            self.add_error("region", "Indiquez la région qui organise cette session à distance.")
        return donnees


class FiltresCandidaturesForm(forms.Form):
    """Filters of the trainees' list; the sessions offered are the organisation's own."""

    session = forms.TypedChoiceField(label="Session", required=False, coerce=int, empty_value=None)
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *EtatCandidature.choices])

    def __init__(self, *args: Any, sessions: list[SessionFormation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choix = [("", "Toutes"), *((s.pk, f"{s.intitule} — {s.libelle_numero}") for s in sessions)]
        self.fields["session"].choices = choix  # type: ignore[attr-defined]


class ImportStagiairesForm(forms.Form):
    fichier = forms.FileField(
        label="Liste des stagiaires (CSV ou XLSX)",
        help_text="Une ligne par stagiaire ; colonnes : nom_naissance, nom_usage, prenoms, sexe, date_naissance, "
        "code_commune_naissance ou code_pays_naissance, email, telephone, niveau_diplome, annees_experience, "
        "employeur, siret_employeur. CSV en UTF-8 ou Windows-1252, séparateur point-virgule ou virgule. 2 Mo au plus.",
    )


class AttestationForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier de l'attestation",
        help_text="PDF, image ou document bureautique, 10 Mo au plus. Un nouvel envoi ajoute une version.",
    )
