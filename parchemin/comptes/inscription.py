"""Sign-up that answers a known address exactly as it answers a new one: same page, same e-mail
count, and the same work, so the time taken does not tell either.

allauth (with ACCOUNT_PREVENT_ENUMERATION) already shows the same page and sends the owner of a
known address an "account already exists" e-mail instead of creating anything; but it skips the
password hashing a new account costs (Argon2, deliberately slow), which made a known address
answer several times faster."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class InscriptionForm(SignupForm):
    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            # The hash a new account would store, computed and dropped.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
