"""allauth hooks: where each person lands after signing in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from .roles import est_equipe


class AdaptateurCompte(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Staff come to work in the back-office; everyone else goes to the default page. An explicit
        # ?next= still wins (allauth checks it before calling this).
        if est_equipe(request.user):
            return reverse("backoffice:tableau_de_bord")
        return super().get_login_redirect_url(request)
