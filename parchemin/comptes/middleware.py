"""A second-factor secret that no configured key decrypts (wrong CLES_CHIFFREMENT, altered row) is an
operations problem: the person gets a French page saying so and the operators a log line, instead of
the generic crash page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .chiffrement import SecretIllisible

journal_technique = logging.getLogger("parchemin.comptes")


class SecretsIllisibles:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SecretIllisible):
            return None
        journal_technique.error(
            "Secret de double authentification indéchiffrable (utilisateur %s) : vérifier CLES_CHIFFREMENT.",
            getattr(request.user, "pk", None),
        )
        return render(request, "mfa/secret_illisible.html", {"message": exception.message}, status=500)
