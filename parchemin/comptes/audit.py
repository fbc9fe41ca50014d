"""Audit entries for account events (sign-up, sign-in, passwords, second factor). They come from
Django's and allauth's signals rather than from our services, because these flows belong to allauth.
Connected in ComptesConfig.ready()."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_changed, password_reset, user_signed_up
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
    authenticator_used,
)
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from parchemin.journal.services import enregistrer

from .models import User

LIBELLES_AUTHENTIFICATEUR = {
    Authenticator.Type.TOTP: "application d'authentification (TOTP)",
    Authenticator.Type.RECOVERY_CODES: "codes de secours",
}


def _libelle(authenticator: Authenticator) -> str:
    return LIBELLES_AUTHENTIFICATEUR.get(authenticator.type, authenticator.type)


def connexion(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    enregistrer(action="comptes.connexion", acteur=user, objet=user, resume=f"Connexion de {user.email}")


def deconnexion(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is None or not user.is_authenticated:
        return
    enregistrer(action="comptes.deconnexion", acteur=user, objet=user, resume=f"Déconnexion de {user.email}")


def echec_connexion(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The typed address is kept (it says who was targeted) but never whether it matches an account:
    # the journal is readable by staff, and the same entry is written in both cases.
    email = str(credentials.get("email") or credentials.get("username") or "")[:200]
    enregistrer(action="comptes.echec_connexion", resume=f"Échec de connexion pour « {email} »")


def authentificateur_ajoute(sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    enregistrer(
        action="comptes.activer_double_facteur",
        acteur=user,
        objet=user,
        resume=f"Activation : {_libelle(authenticator)}",
        apres={"type": authenticator.type},
    )


def authentificateur_retire(sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    enregistrer(
        action="comptes.desactiver_double_facteur",
        acteur=user,
        objet=user,
        resume=f"Désactivation : {_libelle(authenticator)}",
        avant={"type": authenticator.type},
    )


def codes_regeneres(sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    enregistrer(
        action="comptes.regenerer_codes_secours", acteur=user, objet=user, resume="Nouveaux codes de secours générés"
    )


def authentificateur_utilise(
    sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        return  # a TOTP step is part of the sign-in already journaled
    enregistrer(
        action="comptes.utiliser_code_secours",
        acteur=user,
        objet=user,
        resume=f"Code de secours utilisé par {user.email}",
    )


def echec_double_facteur(sender: Any, request: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    enregistrer(
        action="comptes.echec_double_facteur",
        objet=user,
        resume=f"Code de double authentification refusé pour {user.email}",
    )


def inscription(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    enregistrer(action="comptes.inscription", acteur=user, objet=user, resume=f"Inscription de {user.email}")


def adresse_confirmee(sender: Any, request: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    user = email_address.user
    enregistrer(
        action="comptes.confirmer_adresse",
        acteur=request.user if request is not None else None,
        objet=user,
        resume=f"Adresse {email_address.email} confirmée",
    )


def mot_de_passe_change(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    enregistrer(action="comptes.changer_mot_de_passe", acteur=user, objet=user, resume="Mot de passe changé")


def mot_de_passe_reinitialise(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    enregistrer(
        action="comptes.reinitialiser_mot_de_passe",
        objet=user,
        resume=f"Mot de passe réinitialisé par le lien envoyé à {user.email}",
    )


def connecter_signaux() -> None:
    user_signed_up.connect(inscription, dispatch_uid="journal_inscription")
    email_confirmed.connect(adresse_confirmee, dispatch_uid="journal_adresse_confirmee")
    password_changed.connect(mot_de_passe_change, dispatch_uid="journal_mot_de_passe_change")
    password_reset.connect(mot_de_passe_reinitialise, dispatch_uid="journal_mot_de_passe_reinitialise")
    user_logged_in.connect(connexion, dispatch_uid="journal_connexion")
    user_logged_out.connect(deconnexion, dispatch_uid="journal_deconnexion")
    user_login_failed.connect(echec_connexion, dispatch_uid="journal_echec_connexion")
    authenticator_added.connect(authentificateur_ajoute, dispatch_uid="journal_authentificateur_ajoute")
    authenticator_removed.connect(authentificateur_retire, dispatch_uid="journal_authentificateur_retire")
    authenticator_reset.connect(codes_regeneres, dispatch_uid="journal_codes_regeneres")
    authenticator_used.connect(authentificateur_utilise, dispatch_uid="journal_authentificateur_utilise")
    authentication_failed.connect(echec_double_facteur, dispatch_uid="journal_echec_double_facteur")
