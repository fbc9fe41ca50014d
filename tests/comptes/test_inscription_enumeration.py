"""Sign-up does not tell whether an address has an account: same page, and about the same time.

The time is compared, not asserted: known and new addresses alternate, each side's median is taken,
and their ratio must stay near one. With production's Argon2 hasher, skipping the hash for a known
address (what allauth does on its own) makes that ratio fall far below the tolerance."""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE_NEUF = "un-mot-de-passe-solide-9"
ESSAIS = 7
# A real leak (Argon2 skipped) puts the ratio near 0.2 on the machines we run; noise stays within this.
TOLERANCE = 0.6


def _inscrire(adresse: str) -> tuple[float, Any]:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_signup"))
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton
    donnees = {
        "email": adresse,
        "password1": MOT_DE_PASSE_NEUF,
        "password2": MOT_DE_PASSE_NEUF,
        "csrfmiddlewaretoken": jeton.group(1),
    }
    debut = time.perf_counter()
    reponse = client.post(reverse("account_signup"), donnees)
    return time.perf_counter() - debut, reponse


def test_a_known_address_takes_as_long_as_a_new_one(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1000/m/ip"}
    connues = [UserFactory(email=f"connue{n}@example.org").email for n in range(ESSAIS)]
    _inscrire("chauffe@example.org")
    _inscrire(connues[0])
    temps_connues, temps_nouvelles = [], []
    for numero in range(ESSAIS):
        duree, reponse = _inscrire(connues[numero])
        temps_connues.append(duree)
        assert reponse.status_code == 302
        duree, reponse_nouvelle = _inscrire(f"nouvelle{numero}@example.org")
        temps_nouvelles.append(duree)
        assert reponse_nouvelle.status_code == 302
        assert reponse.headers["Location"] == reponse_nouvelle.headers["Location"]
    rapport = statistics.median(temps_connues) / statistics.median(temps_nouvelles)
    assert TOLERANCE < rapport < 1 / TOLERANCE, (
        f"adresse connue : {statistics.median(temps_connues):.3f} s, "
        f"nouvelle : {statistics.median(temps_nouvelles):.3f} s (rapport {rapport:.2f})"
    )
