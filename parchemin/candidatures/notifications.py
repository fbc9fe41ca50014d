"""E-mails to candidates, in French, queued in the outbox with the change they announce."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from parchemin.courriels.services import mettre_en_file

from .models import Candidature

SIGNATURE = "\n\nL'équipe de certification\n(message automatique, merci de ne pas y répondre)"


def destinataire(candidature: Candidature) -> str:
    return candidature.email or candidature.candidat.email


def lien_dossier(candidature: Candidature) -> str:
    return settings.SITE_URL + reverse("candidat:candidature", kwargs={"pk": candidature.pk})


def lien_mot_de_passe() -> str:
    """Where an imported trainee, whose account has no password yet, chooses one."""
    return settings.SITE_URL + reverse("account_reset_password")


def notifier(candidature: Candidature, sujet: str, corps: str) -> None:
    """Queue the e-mail in the caller's transaction: a rolled-back change is not announced, a committed
    one always is, and a mail server that is down delays the e-mail instead of failing the change."""
    adresse = destinataire(candidature)
    texte = (
        f"Bonjour {candidature.nom_complet or ''},\n\n".replace(" ,", ",")
        + corps
        + f"\n\nVotre dossier : {lien_dossier(candidature)}"
        + SIGNATURE
    )
    objet = f"[{candidature.certification.code}] {sujet}"
    mettre_en_file([adresse], objet, texte, objet=candidature)
