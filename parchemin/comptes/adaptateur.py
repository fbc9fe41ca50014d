"""allauth hooks: where each person lands after signing in, how failed sign-ins are counted, and
second-factor secrets encrypted at rest."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import clean_client_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .chiffrement import chiffrer, dechiffrer
from .roles import est_equipe


class AdaptateurCompte(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Staff come to work in the back-office; everyone else goes to the default page. An explicit
        # ?next= still wins (allauth checks it before calling this).
        if est_equipe(request.user):
            return reverse("backoffice:tableau_de_bord")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The visitor's address as the trusted proxy configuration gives it (ALLAUTH_TRUSTED_PROXY_COUNT
        or ALLAUTH_TRUSTED_CLIENT_IP_HEADER, set from TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER).
        A request that did not come through the proxies as configured (header missing, fewer
        forwarded hops than declared) is counted under the connecting address instead of failing."""
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            return clean_client_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's "key" limit is per account; keyed by account *and* address, it cannot be used by a
        # stranger to lock the owner out. The per-account limit over all addresses is counted apart,
        # looser (see pre_authenticate).
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's limits (per address, per account and address), then a looser one per account from
        every address: it stops a brute force spread over many addresses, and lapses quickly once
        the attack stops. A successful sign-in gives back what it consumed, as allauth does."""
        super().pre_authenticate(request, **credentials)
        compte = super()._get_login_attempts_cache_key(request, **credentials)
        self._echecs_compte = ratelimit.consume(
            request, app="allauth.account", action="login_failed_compte", key=compte
        )
        if not self._echecs_compte:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # A completed password reset proves the owner: both counts of the account start again.
        super()._delete_login_attempts_cached_email(request, **credentials)
        compte = super()._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action="login_failed_compte", key=compte)

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_echecs_compte", None)
        if usage:
            usage.rollback()

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        """The link of the confirmation e-mail carries the page the person was going to (the ``next``
        of the sign-up form): opened on another device, where the sign-up session is unknown, the
        confirmation still leads there, through the login page if need be."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        suite = _page_suivante(request)
        return f"{url}?{urlencode({'next': suite})}" if suite else url


def _page_suivante(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    suite = request.POST.get("next") or request.GET.get("next") or ""
    if not suite.startswith("/") or not url_has_allowed_host_and_scheme(suite, allowed_hosts=None):
        return ""
    return suite


class AdaptateurDoubleFacteur(DefaultMFAAdapter):
    """allauth passes every TOTP secret and recovery-code seed through these two hooks on its way to
    and from ``Authenticator.data``; see comptes.chiffrement."""

    def encrypt(self, text: str) -> str:
        return chiffrer(text)

    def decrypt(self, encrypted_text: str) -> str:
        return dechiffrer(encrypted_text)
