"""The yearly report for a registration file: one year's figures as a printable PDF/A (WeasyPrint),
rendered from a template of this app. Its figures are the statistics pages' (same functions)."""

from __future__ import annotations

import warnings

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from parchemin.referentiel.models import Certificateur

from .enquetes import insertion_par_annee
from .enums import Situation
from .resultats import AXE_CANDIDATURE, AXE_DECISION, INDICATEURS, Filtres, activite_jurys, tableau_resultats


def html_rapport(annee: int) -> str:
    return render_to_string(
        "statistiques/rapport_annuel.html",
        {
            "annee": annee,
            "certificateur": Certificateur.objects.order_by("pk").first(),
            "indicateurs": INDICATEURS,
            "par_decision": tableau_resultats(Filtres(axe=AXE_DECISION, annee=annee), "voie"),
            "par_candidature": tableau_resultats(Filtres(axe=AXE_CANDIDATURE, annee=annee), "voie"),
            "ensemble": tableau_resultats(Filtres(axe=AXE_DECISION, annee=annee)),
            "par_partenaire": tableau_resultats(Filtres(axe=AXE_DECISION, annee=annee), "partenaire"),
            "activite": activite_jurys([annee]),
            "insertion": [ligne for ligne in insertion_par_annee() if ligne.annee == annee],
            "situations": Situation.labels,
            "edite_le": timezone.localdate(),
        },
    )


def rendre_rapport(annee: int) -> bytes:
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (read fully, then dropped).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = HTML(string=html_rapport(annee)).write_pdf(pdf_variant="pdf/a-3b")
    assert pdf is not None
    return pdf
