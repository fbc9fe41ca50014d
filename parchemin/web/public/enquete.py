"""The holder's insertion questionnaire, reached through the personal link of the survey e-mail.

No account is needed: the unguessable link is the key. A used, declined, expired or unknown link gets
a French explanation instead of the form."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parchemin.erreurs import ErreurMetier
from parchemin.statistiques import enquetes
from parchemin.statistiques.enums import LienCertification, Situation
from parchemin.statistiques.models import Enquete


class QuestionnaireForm(forms.Form):
    situation = forms.ChoiceField(
        label="Quelle est votre situation aujourd'hui ?", choices=Situation.choices, widget=forms.RadioSelect
    )
    emploi = forms.CharField(
        label="Quel emploi ou quelle activité exercez-vous ? (facultatif)", max_length=200, required=False
    )
    lien_certification = forms.ChoiceField(
        label="Quel lien entre cette activité et la certification ?",
        choices=LienCertification.choices,
        widget=forms.RadioSelect,
        required=False,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def enquete(request: HttpRequest, jeton: str) -> HttpResponse:
    aujourd_hui = timezone.localdate()
    trouvee = Enquete.objects.select_related("candidature__certification").filter(jeton=jeton[:64]).first()
    refus = enquetes.etat_du_lien(trouvee, aujourd_hui)
    if refus or trouvee is None:
        return render(request, "public/enquete.html", {"refus": refus}, status=404 if trouvee is None else 200)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decliner":
                enquetes.decliner(jeton, aujourd_hui=aujourd_hui)
                return render(
                    request,
                    "public/enquete.html",
                    {"fin": "Entendu : vous ne recevrez plus de relance pour cette enquête."},
                )
            if form.is_valid():
                enquetes.repondre(
                    jeton,
                    situation=form.cleaned_data["situation"],
                    emploi=form.cleaned_data["emploi"],
                    lien_certification=form.cleaned_data["lien_certification"],
                    aujourd_hui=aujourd_hui,
                )
                return render(request, "public/enquete.html", {"fin": "Merci ! Votre réponse est enregistrée."})
        except ErreurMetier as erreur:
            return render(request, "public/enquete.html", {"refus": str(erreur)})
    return render(request, "public/enquete.html", {"form": form, "enquete": trouvee})
