"""Forms of the candidate space; every rule is checked again by the services they feed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator

from parchemin.candidatures import etat_civil
from parchemin.candidatures.enums import Sexe
from parchemin.candidatures.models import Candidature
from parchemin.candidatures.pieces import PieceDemandee
from parchemin.candidatures.services import CHAMPS_DOSSIER, OBLIGATOIRES_DEPOT, VOIES_AVEC_FORMATION, voies_ouvertes
from parchemin.partenaires.models import SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification
from parchemin.televersements import libelles, taille_lisible
from parchemin.web.commun.champs import ChampDate


class NouvelleCandidatureForm(forms.Form):
    """Only the routes the certification allows are offered; any other value posted reaches the
    service, which refuses it with the reason."""

    voie = forms.ChoiceField(label="Voie d'accès", choices=VoieAcces.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, certification: Certification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voie"].widget.choices = [(v.voie, v.get_voie_display()) for v in voies_ouvertes(certification)]


class DossierForm(forms.ModelForm):
    """The candidate's file, saved as a draft as often as they like: every field may stay empty
    until the deposit, which lists what is missing. Fields the deposit needs carry an asterisk."""

    class Meta:
        model = Candidature
        # The partner follows from the session chosen; the service sets it.
        fields = [champ for champ in CHAMPS_DOSSIER if champ != "partenaire"]
        field_classes = {"date_naissance": ChampDate}
        widgets = {
            "sexe": forms.RadioSelect,
            "cv": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "nom_usage": "Si différent du nom de naissance (nom d'épouse ou d'époux, par exemple).",
            "cv": "Quelques lignes : vos postes, structures et missions principales.",
            "employeur_nom": "Votre employeur actuel : le jury ne peut pas compter de collègue ni d'employeur.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sexe"]).choices = Sexe.choices
        self.fields["annees_experience"].validators.append(MaxValueValidator(60))
        pour_depot = [*OBLIGATOIRES_DEPOT, "annees_experience", "session_formation"]
        if self.instance.voie in VOIES_AVEC_FORMATION:
            cast(forms.ModelChoiceField, self.fields["session_formation"]).queryset = SessionFormation.objects.filter(
                certification_id=self.instance.certification_id
            ).select_related("partenaire")
            self.fields["session_formation"].label = "Session de formation suivie (organisme, numéro, saison)"
        else:
            del self.fields["session_formation"]
        for nom, champ in self.fields.items():
            champ.required = False
            if nom in pour_depot:
                champ.label = f"{champ.label} *"
        self.fields[
            "code_commune_naissance"
        ].help_text = (
            "* Né(e) en France : le code INSEE de la commune (pas le code postal), par exemple 33063 pour Bordeaux."
        )
        self.fields["code_pays_naissance"].help_text = (
            "* Né(e) à l'étranger : le code INSEE du pays (3 chiffres, par exemple 109 pour l'Allemagne), à la place "
            "de la commune."
        )

    def _code(self, champ: str, validateur: Any) -> str:
        valeur = etat_civil.normaliser_code(self.cleaned_data.get(champ) or "")
        if valeur:
            validateur(valeur)
        return valeur

    def clean_code_commune_naissance(self) -> str:
        return self._code("code_commune_naissance", etat_civil.valider_code_commune)

    def clean_code_pays_naissance(self) -> str:
        return self._code("code_pays_naissance", etat_civil.valider_code_pays)

    def clean_date_naissance(self) -> Any:
        valeur = self.cleaned_data.get("date_naissance")
        if valeur:
            etat_civil.valider_date_naissance(valeur)
        return valeur

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        commune, pays = donnees.get("code_commune_naissance"), donnees.get("code_pays_naissance")
        if commune and pays:
            self.add_error("code_pays_naissance", "Commune de naissance en France ou pays, pas les deux.")
        elif commune and donnees.get("commune_naissance"):
            try:
                etat_civil.verifier_commune_nommee(commune, donnees["commune_naissance"])
            except forms.ValidationError as erreur:
                self.add_error("commune_naissance", erreur)
        return donnees

    def _post_clean(self) -> None:
        # The service validates and writes; the instance here is a read-only copy used for display.
        pass


class PieceForm(forms.Form):
    type_piece = forms.ChoiceField(label="Pièce")
    fichier = forms.FileField(label="Fichier")

    def __init__(self, *args: Any, demandes: list[PieceDemandee], taille_max: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type_piece"]).choices = [
            (d.type_piece.value, d.libelle + (" (obligatoire)" if d.obligatoire else "")) for d in demandes
        ]
        formats = frozenset().union(*(d.formats for d in demandes))
        self.fields["fichier"].help_text = (
            f"Formats acceptés : {libelles(formats)} (la présentation du projet et le dossier de recevabilité : "
            f"PDF, ODT ou DOCX). Taille maximale : {taille_lisible(taille_max)}. Un nouvel envoi ajoute une "
            "version, l'ancienne reste conservée."
        )


class ConfirmationForm(forms.Form):
    motif = forms.CharField(label="Motif (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
