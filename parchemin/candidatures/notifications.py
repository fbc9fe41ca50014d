"""E-mails to candidates, in French, sent only once the change they announce is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

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
    """Queue the e-mail for after the commit: a rolled-back change must not be announced."""
    adresse = destinataire(candidature)
    texte = (
        f"Bonjour {candidature.nom_complet or ''},\n\n".replace(" ,", ",")
        + corps
        + f"\n\nVotre dossier : {lien_dossier(candidature)}"
        + SIGNATURE
    )
    objet = f"[{candidature.certification.code}] {sujet}"
    transaction.on_commit(lambda: send_mail(objet, texte, None, [adresse], fail_silently=False))
