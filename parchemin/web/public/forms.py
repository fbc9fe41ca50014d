"""Forms of the public pages: the catalogue search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from parchemin.partenaires.catalogue import RAYON_MAX_KM, Criteres, Tri
from parchemin.partenaires.enums import Modalite
from parchemin.territoires.enums import Region
from parchemin.territoires.models import Commune
from parchemin.territoires.queries import communes_possibles
from parchemin.web.commun.champs import ChampDate, ChampDecimal

RAYONS = [(km, f"{km} km") for km in (10, 25, 50, 100, 200, 300, 500)]


class RechercheForm(forms.Form):
    q = forms.CharField(label="Je cherche à faire…", required=False, strip=True)
    commune = forms.CharField(
        label="Commune ou code postal", required=False, help_text="Par exemple Bordeaux ou 33000."
    )
    rayon = forms.TypedChoiceField(label="Dans un rayon de", choices=RAYONS, coerce=int, initial=50, required=False)
    region = forms.ChoiceField(label="Région", choices=[("", "Toutes les régions"), *Region.choices], required=False)
    debut_min = ChampDate(label="Commence après le", required=False)
    debut_max = ChampDate(label="Commence avant le", required=False)
    modalite = forms.ChoiceField(label="Modalité", choices=[("", "Toutes"), *Modalite.choices], required=False)
    prix_max = ChampDecimal(label="Prix maximum (€)", required=False, min_value=0, max_digits=8, decimal_places=2)
    places = forms.BooleanField(label="Seulement les sessions avec des places", required=False)
    tri = forms.ChoiceField(
        label="Trier par",
        choices=[("", "Pertinence"), (Tri.DISTANCE, "Distance"), (Tri.DATE, "Date de début")],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("rayon"):
            # A search without a radius (a shared link "?commune=Bordeaux") uses the default one: the list
            # must show it, not its first choice (10 km), which the search would not be using.
            donnees = QueryDict(mutable=True)
            donnees.update(self.data)
            donnees["rayon"] = str(self.fields["rayon"].initial)
            self.data = donnees
        # Other communes the typed name or postcode may mean, offered beside the results.
        self.homonymes: list[Commune] = []

    def clean_commune(self) -> Commune | None:
        saisie = self.cleaned_data["commune"]
        if not saisie:
            return None
        possibles = communes_possibles(saisie)
        if not possibles:
            raise forms.ValidationError(
                "Commune inconnue : vérifiez l'orthographe ou indiquez son code postal.", code="commune_inconnue"
            )
        self.homonymes = possibles[1:]
        return possibles[0]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        debut_min, debut_max = donnees.get("debut_min"), donnees.get("debut_max")
        if debut_min and debut_max and debut_max < debut_min:
            self.add_error("debut_max", "Cette date doit suivre la première.")
        return donnees

    def criteres(self) -> Criteres:
        d = self.cleaned_data
        return Criteres(
            texte=d.get("q") or "",
            commune=d.get("commune"),
            rayon_km=min(d.get("rayon") or 50, RAYON_MAX_KM),
            region=d.get("region") or "",
            debut_min=d.get("debut_min"),
            debut_max=d.get("debut_max"),
            modalite=d.get("modalite") or "",
            prix_max=d.get("prix_max"),
            places_disponibles=bool(d.get("places")),
            tri=d.get("tri") or "",
        )
