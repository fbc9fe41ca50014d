"""The back-office home page shows the day's work as counts, each with a link to the list behind it."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.courriels.services import mettre_en_file
from parchemin.jurys.models import ProcesVerbal
from tests.candidatures.factories import CandidatureFactory
from tests.candidatures.fichiers import PDF
from tests.comptes.outils import connecter, creer_utilisateur
from tests.jurys.factories import SessionJuryFactory

pytestmark = pytest.mark.django_db


def _carte(contenu: str, titre: str) -> str:
    """The dashboard card whose heading contains ``titre``."""
    fin = r"</li>\s*(?=<li class=\"carte travail|</ul>\s*</section>)"
    for carte in re.findall(r'<li class="carte travail[^"]*">(.*?)' + fin, contenu, re.S):
        if titre in carte:
            return carte
    raise AssertionError(f"aucune carte « {titre} »")


def _nombre(carte: str) -> int:
    trouve = re.search(r'<span class="travail__nombre">(\d+)</span>', carte)
    assert trouve is not None
    return int(trouve.group(1))


def test_the_dashboard_counts_the_work_waiting_and_links_to_it(client: Client, rs5142: Any) -> None:
    aujourd_hui = timezone.localdate()
    proche = CandidatureFactory(etat=EtatCandidature.DEPOSEE)
    lointaine = CandidatureFactory(etat=EtatCandidature.DEPOSEE)
    for candidature, jours in ((proche, 3), (lointaine, 40)):
        Candidature.objects.filter(pk=candidature.pk).update(
            dossier_complet_le=aujourd_hui, echeance_recevabilite=aujourd_hui + datetime.timedelta(days=jours)
        )
    CandidatureFactory(etat=EtatCandidature.RECEVABLE)  # decided: not waiting
    a_convoquer = SessionJuryFactory()
    signee = SessionJuryFactory()
    ProcesVerbal.objects.create(
        session=signee, pdf=PDF, sha256=hashlib.sha256(PDF).hexdigest(), genere_le=timezone.now()
    )
    echec = mettre_en_file(["ada@example.org"], "Convocation", "Texte", essayer=False)
    Courriel.objects.filter(pk=echec.pk).update(statut=StatutCourriel.EN_ECHEC)
    connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))

    contenu = client.get(reverse("backoffice:tableau_de_bord")).content.decode()

    recevabilite = _carte(contenu, "en attente d&#x27;une décision de recevabilité")
    assert _nombre(recevabilite) == 2
    assert f"Échéance la plus proche : {aujourd_hui + datetime.timedelta(days=3):%d/%m/%Y}" in recevabilite
    assert reverse("backoffice:candidature", kwargs={"pk": proche.pk}) in recevabilite
    assert "?etat=DEPOSEE&amp;tri=echeance" in recevabilite

    sessions = _carte(contenu, "sessions de jury à convoquer")
    assert _nombre(sessions) == ProcesVerbal.objects.count() + 1  # both sessions are still in preparation
    assert reverse("backoffice:jurys_session", kwargs={"pk": a_convoquer.pk}) in sessions

    pv = _carte(contenu, "PV en attente de signatures")
    assert _nombre(pv) == 1 and reverse("backoffice:jurys_session", kwargs={"pk": signee.pk}) in pv

    courriels = _carte(contenu, "courriels en échec")
    assert _nombre(courriels) == 1
    assert f"{reverse('backoffice:courriels')}?statut=EN_ECHEC" in courriels


def test_an_empty_day_says_nothing_is_waiting(client: Client, rs5142: Any) -> None:
    connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    contenu = client.get(reverse("backoffice:tableau_de_bord")).content.decode()
    assert contenu.count("Rien en attente.") == 5
