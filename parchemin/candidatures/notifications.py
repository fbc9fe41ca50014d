"""E-mails to candidates, in French, queued in the outbox with the change they announce.

Each event is a template pair under ``candidatures/templates/candidatures/courriels/`` (see
``parchemin.courriels.rendu``).
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.urls import reverse

from parchemin.courriels.rendu import rendre
from parchemin.courriels.services import mettre_en_file

from .models import Candidature

Evenement = Literal[
    "depot",
    "recevable",
    "non_recevable",
    "incomplete",
    "recevable_tacite",
    "pret_pour_jury",
    "decision_jury",
    "retrait",
    "inscription_stagiaire",
]


def destinataire(candidature: Candidature) -> str:
    return candidature.email or candidature.candidat.email


def lien_dossier(candidature: Candidature) -> str:
    return settings.SITE_URL + reverse("candidat:candidature", kwargs={"pk": candidature.pk})


def lien_resultat(candidature: Candidature) -> str:
    """The page where the candidate reads the jury's result (decision, units, observations, appeal)."""
    return settings.SITE_URL + reverse("candidat:resultat", kwargs={"pk": candidature.pk})


def lien_mot_de_passe() -> str:
    """Where an imported trainee, whose account has no password yet, chooses one."""
    return settings.SITE_URL + reverse("account_reset_password")


def notifier(candidature: Candidature, evenement: Evenement, **contexte: Any) -> None:
    """Queue the e-mail in the caller's transaction: a rolled-back change is not announced, a committed
    one always is, and a mail server that is down delays the e-mail instead of failing the change."""
    contenu = rendre(
        f"candidatures/courriels/{evenement}",
        {
            "candidature": candidature,
            "nom": candidature.nom_complet,
            "code": candidature.certification.code,
            "lien_dossier": lien_dossier(candidature),
            "lien_resultat": lien_resultat(candidature),
            **contexte,
        },
    )
    mettre_en_file([destinataire(candidature)], contenu.sujet, contenu.texte, html=contenu.html, objet=candidature)
