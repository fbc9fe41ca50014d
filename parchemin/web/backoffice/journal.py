"""Back-office: browse and filter the audit journal, and check its hash chain on demand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.journal.models import EntreeJournal
from parchemin.journal.queries import FiltreJournal, actions_connues, entrees, types_objet_connus
from parchemin.journal.services import verifier_chaine
from parchemin.web.commun.requetes import RequeteAuthentifiee

ENTREES_PAR_PAGE = 50


class FormulaireFiltreJournal(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    acteur = forms.CharField(label="Acteur", required=False, max_length=100, help_text="Nom ou adresse e-mail.")
    objet_type = forms.ChoiceField(label="Type d'objet", required=False)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        toutes = [("", "Toutes")]
        self.fields["action"].choices = toutes + [(a, a) for a in actions_connues()]  # type: ignore[attr-defined]
        self.fields["objet_type"].choices = [("", "Tous")] + [  # type: ignore[attr-defined]
            (t, t) for t in types_objet_connus()
        ]

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


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def journal(request: RequeteAuthentifiee) -> HttpResponse:
    formulaire = FormulaireFiltreJournal(request.GET or None)
    if not formulaire.is_bound:
        resultats = entrees(FiltreJournal())
    elif formulaire.is_valid():
        resultats = entrees(formulaire.filtre())
    else:
        resultats = EntreeJournal.objects.none()
    page = Paginator(resultats, ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    parametres.pop("verifier", None)
    verification = None
    if request.GET.get("verifier") == "1":
        compte, rupture = verifier_chaine()
        verification = {"compte": compte, "rupture": rupture}
    return render(
        request,
        "backoffice/journal.html",
        {
            "formulaire": formulaire,
            "page": page,
            "parametres": parametres.urlencode(),
            "verification": verification,
        },
    )
