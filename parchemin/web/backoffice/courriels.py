"""Back-office: the e-mails not sent yet (failures first), and a fresh round of attempts on demand."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
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

COURRIELS_PAR_PAGE = 50


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def courriels(request: RequeteAuthentifiee) -> HttpResponse:
    en_attente = Courriel.objects.exclude(statut=StatutCourriel.ENVOYE).order_by("-statut", "-cree_le", "-pk")
    page = Paginator(en_attente, COURRIELS_PAR_PAGE).get_page(request.GET.get("page"))
    comptes = dict(Courriel.objects.values_list("statut").annotate(n=Count("pk")).values_list("statut", "n"))
    return render(
        request,
        "backoffice/courriels.html",
        {
            "page": page,
            "comptes": [(s.label, comptes.get(s.value, 0)) for s in StatutCourriel],
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
