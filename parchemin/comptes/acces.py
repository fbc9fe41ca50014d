"""Access rules of views, in one place: who may enter which space.

Views use the decorators below; object-level access goes through each model's ``visible_to(user)``
QuerySet and ``get_<thing>_for(user, pk)`` helpers. Staff and jury members must have TOTP enabled
and have used it in the current session (allauth records how the session was authenticated).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .roles import a_un_role, double_facteur_exige

Vue = TypeVar("Vue", bound=Callable[..., HttpResponse])


def session_avec_double_facteur(request: HttpRequest) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def refus_double_facteur(request: HttpRequest) -> HttpResponse | None:
    """If the user's roles demand TOTP and this session did not use it, where to send them."""
    user = request.user
    if not double_facteur_exige(user):
        return None
    if not is_mfa_enabled(user, ["totp"]):
        messages.warning(
            request,
            "Votre rôle exige la double authentification : activez une application d'authentification (TOTP) "
            "pour continuer.",
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
    if not session_avec_double_facteur(request):
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    return None


def verifier_acces(request: HttpRequest, roles: tuple[str, ...]) -> HttpResponse | None:
    """None when the request may proceed; otherwise the response to send (login redirect, 2FA step)
    — or PermissionDenied (403) for a signed-in user without the role."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if roles and not a_un_role(request.user, *roles):
        raise PermissionDenied("Vous n'avez pas accès à cet espace.")
    return refus_double_facteur(request)


def acces_reserve(*roles: str) -> Callable[[Vue], Vue]:
    """View decorator: signed-in users holding one of ``roles`` (any signed-in user when empty)."""

    def decorateur(vue: Vue) -> Vue:
        @wraps(vue)
        def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refus = verifier_acces(request, roles)
            if refus is not None:
                return refus
            return vue(request, *args, **kwargs)

        return enveloppe  # type: ignore[return-value]

    return decorateur
