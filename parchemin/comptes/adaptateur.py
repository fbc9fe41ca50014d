"""allauth hooks: where each person lands after signing in, and second-factor secrets encrypted at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest
from django.urls import reverse

from .chiffrement import chiffrer, dechiffrer
from .roles import est_equipe


class AdaptateurCompte(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Staff come to work in the back-office; everyone else goes to the default page. An explicit
        # ?next= still wins (allauth checks it before calling this).
        if est_equipe(request.user):
            return reverse("backoffice:tableau_de_bord")
        return super().get_login_redirect_url(request)


class AdaptateurDoubleFacteur(DefaultMFAAdapter):
    """allauth passes every TOTP secret and recovery-code seed through these two hooks on its way to
    and from ``Authenticator.data``; see comptes.chiffrement."""

    def encrypt(self, text: str) -> str:
        return chiffrer(text)

    def decrypt(self, encrypted_text: str) -> str:
        return dechiffrer(encrypted_text)
