"""The candidate reads the result once the PV is final; staff see the same on the candidature page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parchemin.candidatures.notifications import destinataire
from parchemin.dates import ajouter_mois, date_longue
from parchemin.jurys import services
from parchemin.jurys.enums import Decision, Niveau
from parchemin.jurys.resultat import resultat_de
from tests.comptes.outils import connecter

from .conftest import Jury, code_totp
from .test_services import convoquer, evaluer

pytestmark = pytest.mark.django_db


def _jury_rendu(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    """Candidate 0: partial validation (2.3 not acquired) with observations; candidate 1: total."""
    convoquer(jury, django_capture_on_commit_callbacks)
    partielle, totale = jury.candidatures
    passage = evaluer(jury, partielle, {"2.3": Niveau.NON_ACQUIS})
    services.deliberer(
        jury.session,
        partielle,
        acteur=jury.comptes[0],
        decision=services.proposition(passage).decision,
        observations="Projet solide ; le prévisionnel financier reste à consolider.",
    )
    evaluer(jury, totale)
    services.deliberer(jury.session, totale, acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE)
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for compte in jury.comptes:
            services.signer_pv(jury.session, acteur=compte, code_totp=code_totp(compte), sha256_lu=pv.sha256)


def test_no_result_is_shown_before_the_pv_is_final(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    evaluer(jury, jury.candidatures[0])
    services.deliberer(jury.session, jury.candidatures[0], acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE)
    assert resultat_de(jury.candidatures[0]) is None


def test_the_candidate_reads_a_partial_validation_and_how_to_get_the_missing_unit(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    _jury_rendu(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]

    # The e-mail links exactly to the result page.
    courriel = next(m for m in mail.outbox if destinataire(candidature) in m.to)
    lien = re.search(r"https?://\S+", courriel.body.split("Lire votre résultat")[1])
    assert lien is not None
    chemin = reverse("candidat:resultat", kwargs={"pk": candidature.pk})
    assert lien.group(0) == settings.SITE_URL + chemin

    page = connecter(Client(), candidature.candidat).get(chemin)
    texte = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))

    resultat = resultat_de(candidature)
    assert resultat is not None and resultat.partielle
    assert [u.code for u in resultat.manquantes] == ["2"]
    assert "Résultat du jury : validation partielle" in texte
    assert "Unité 1" in texte and "Obtenue" in texte and "Non obtenue" in texte
    assert "le prévisionnel financier reste à consolider" in texte
    echeance = ajouter_mois(timezone.localdate(), settings.CONSERVATION_RECOURS_MOIS)
    assert f"au plus tard le {date_longue(echeance)}" in texte
    assert "les unités acquises sont reprises automatiquement" in texte and "(unité 2)" in texte
    assert reverse("candidat:nouvelle", kwargs={"code": "RS5142"}) in page.content.decode()


def test_a_total_validation_reads_plainly_and_staff_see_it_with_session_and_pv(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    _jury_rendu(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[1]

    candidat = connecter(Client(), candidature.candidat).get(
        reverse("candidat:candidature", kwargs={"pk": candidature.pk})
    )
    assert "Le jury a rendu sa décision : validation totale." in candidat.content.decode()
    assert reverse("candidat:resultat", kwargs={"pk": candidature.pk}) in candidat.content.decode()
    # The candidate's home lists the application with a link straight to the result.
    accueil = connecter(Client(), candidature.candidat).get(reverse("candidat:accueil"))
    assert reverse("candidat:resultat", kwargs={"pk": candidature.pk}) in accueil.content.decode()

    equipe = connecter(Client(), jury.gestionnaire).get(
        reverse("backoffice:candidature", kwargs={"pk": candidature.pk})
    )
    html = equipe.content.decode()
    assert "Résultat du jury : validation totale" in html
    assert "toutes ses unités sont validées" in html
    assert reverse("backoffice:jurys_session", kwargs={"pk": jury.session.pk}) in html
    pdf = reverse("backoffice:jurys_session_pv_version_pdf", kwargs={"pk": jury.session.pk, "numero": 1})
    assert pdf in html
    assert connecter(Client(), jury.gestionnaire).get(pdf).content.startswith(b"%PDF")
    # Another candidate never reads this result.
    autre = connecter(Client(), jury.candidatures[0].candidat)
    assert autre.get(reverse("candidat:resultat", kwargs={"pk": candidature.pk})).status_code == 404
