"""Back-office: the outbox — e-mails sent, waiting or failed, searchable by recipient — and a fresh
round of attempts on demand."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.courriels import services
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.courriels import A_TRAITER, FiltresCourrielsForm

COURRIELS_PAR_PAGE = 50


def _filtrer(filtres: dict[str, str]) -> QuerySet[Courriel]:
    statut = filtres.get("statut") or A_TRAITER
    courriels = Courriel.objects.all()
    if statut == A_TRAITER:
        courriels = courriels.exclude(statut=StatutCourriel.ENVOYE).order_by("-statut", "-cree_le", "-pk")
    elif statut in StatutCourriel.values:
        courriels = courriels.filter(statut=statut).order_by("-cree_le", "-pk")
    else:
        courriels = courriels.order_by("-cree_le", "-pk")
    if filtres.get("destinataire"):
        # The recipients are a JSON list: its text holds every address, whatever the database.
        courriels = courriels.annotate(adresses=Cast("destinataires", TextField())).filter(
            adresses__icontains=filtres["destinataire"].strip()
        )
    return courriels


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def courriels(request: RequeteAuthentifiee) -> HttpResponse:
    form = FiltresCourrielsForm(request.GET or None)
    filtres = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_filtrer(filtres), COURRIELS_PAR_PAGE).get_page(request.GET.get("page"))
    comptes = dict(Courriel.objects.values_list("statut").annotate(n=Count("pk")).values_list("statut", "n"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "backoffice/courriels.html",
        {
            "form": form,
            "page": page,
            "statut": filtres.get("statut") or A_TRAITER,
            "parametres": parametres.urlencode(),
            "comptes": [(s.value, s.label, comptes.get(s.value, 0)) for s in StatutCourriel],
            "tentatives_max": services.TENTATIVES_MAX,
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_POST
def courriel_renvoyer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    courriel = get_object_or_404(Courriel, pk=pk)
    with signaler_refus(request):
        services.renvoyer(courriel, acteur=request.user)
        _annoncer_essai(request, courriel)
    return redirect("backoffice:courriels")


def _annoncer_essai(request: HttpRequest, courriel: Courriel) -> None:
    """Tell how the fresh attempt went: sent, failed again, or back in the queue."""
    courriel.refresh_from_db()
    if courriel.statut == StatutCourriel.ENVOYE:
        messages.success(request, f"Courriel « {courriel.sujet} » envoyé.")
    elif courriel.statut == StatutCourriel.EN_ECHEC:
        messages.error(
            request,
            f"Le nouvel essai a échoué ({courriel.derniere_erreur}). "
            "Le courriel reste en file : la tâche d'envoi réessaiera.",
        )
    else:
        messages.success(request, "Courriel remis en file : la tâche d'envoi s'en charge.")
