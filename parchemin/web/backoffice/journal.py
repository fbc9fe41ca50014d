"""Back-office: browse and filter the audit journal in French, read one entry with its stored codes,
and check the hash chain on demand."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.journal.models import EntreeJournal
from parchemin.journal.queries import FiltreJournal, entrees
from parchemin.journal.services import verifier_chaine
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.journal import FiltreJournalForm
from .journal_libelles import changements, libelle_action, libelle_type_objet

ENTREES_PAR_PAGE = 50


def _lisible(entree: EntreeJournal) -> EntreeJournal:
    """The entry's French labels, beside its stored codes."""
    entree.libelle_action = libelle_action(entree.action)  # type: ignore[attr-defined]
    entree.libelle_type = libelle_type_objet(entree.objet_type)  # type: ignore[attr-defined]
    entree.changements = changements(entree.objet_type, entree.avant, entree.apres)  # type: ignore[attr-defined]
    return entree


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def entree(request: RequeteAuthentifiee, sequence: int) -> HttpResponse:
    """One entry in full: French labels and the codes as stored (action, object type, raw JSON, hashes)."""
    entree = _lisible(get_object_or_404(EntreeJournal, sequence=sequence))
    return render(
        request,
        "backoffice/journal_entree.html",
        {
            "entree": entree,
            "avant_brut": json.dumps(entree.avant, ensure_ascii=False, indent=2, sort_keys=True),
            "apres_brut": json.dumps(entree.apres, ensure_ascii=False, indent=2, sort_keys=True),
        },
    )


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def journal(request: RequeteAuthentifiee) -> HttpResponse:
    formulaire = FiltreJournalForm(request.GET or None)
    if not formulaire.is_bound:
        resultats = entrees(FiltreJournal())
    elif formulaire.is_valid():
        resultats = entrees(formulaire.filtre())
    else:
        resultats = EntreeJournal.objects.none()
    page = Paginator(resultats, ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    for entree in page.object_list:
        _lisible(entree)
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
