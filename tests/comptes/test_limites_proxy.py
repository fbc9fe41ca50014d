"""Failed sign-ins are limited per visitor address and per account, and behind the TLS proxy the
address is the visitor's, not the proxy's: nobody can lock the whole site out, and a stranger
cannot lock an account's owner out from another address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.comptes.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
BLOCAGE = "Trop de tentatives de connexion échouées"


def _connexion(client: Client, login: str, mot_de_passe: str, **entetes: str) -> Any:
    page = client.get(reverse("account_login"), **entetes)
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert jeton
    return client.post(
        reverse("account_login"),
        {"login": login, "password": mot_de_passe, "csrfmiddlewaretoken": jeton.group(1)},
        **entetes,
    )


def _depuis(visiteur: str, *, ajoute_par_le_client: str = "") -> dict[str, str]:
    """A request as our proxy forwards it: the proxy connects, and appends the visitor's address."""
    chaine = f"{ajoute_par_le_client}, {visiteur}" if ajoute_par_le_client else visiteur
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chaine}


@pytest.fixture
def derriere_un_proxy(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _echouer(fois: int, login: str, **entetes: str) -> None:
    for _ in range(fois):
        reponse = _connexion(Client(enforce_csrf_checks=True), login, "tentative-au-hasard", **entetes)
        assert reponse.status_code == 200


def _reussit(login: str, **entetes: str) -> bool:
    client = Client(enforce_csrf_checks=True)
    reponse = _connexion(client, login, MOT_DE_PASSE, **entetes)
    if reponse.status_code == 302:
        return True
    assert BLOCAGE in reponse.content.decode()
    return False


def test_behind_the_proxy_one_visitors_failures_do_not_lock_the_site(derriere_un_proxy: None) -> None:
    UserFactory(email="cible@example.org")
    UserFactory(email="voisine@example.org")
    _echouer(5, "cible@example.org", **_depuis("203.0.113.5"))
    assert not _reussit("cible@example.org", **_depuis("203.0.113.5"))
    # Every visitor shares the proxy's connecting address: the owner, elsewhere, still gets in,
    # and so does anyone else on the site.
    assert _reussit("cible@example.org", **_depuis("198.51.100.7"))
    assert _reussit("voisine@example.org", **_depuis("198.51.100.8"))


def test_a_visitor_cannot_dodge_the_limit_by_forging_forwarded_addresses(derriere_un_proxy: None) -> None:
    UserFactory(email="cible@example.org")
    for numero in range(5):
        _echouer(1, "cible@example.org", **_depuis("203.0.113.5", ajoute_par_le_client=f"192.0.2.{numero}"))
    assert not _reussit("cible@example.org", **_depuis("203.0.113.5", ajoute_par_le_client="192.0.2.99"))


def test_one_address_trying_many_accounts_is_stopped(derriere_un_proxy: None) -> None:
    UserFactory(email="derniere@example.org")
    for numero in range(5):
        _echouer(4, f"compte{numero}@example.org", **_depuis("203.0.113.5"))
    assert not _reussit("derniere@example.org", **_depuis("203.0.113.5"))
    assert _reussit("derniere@example.org", **_depuis("198.51.100.7"))


def test_a_brute_force_spread_over_many_addresses_is_stopped_per_account(derriere_un_proxy: None) -> None:
    UserFactory(email="cible@example.org")
    for numero in range(15):
        _echouer(2, "cible@example.org", **_depuis(f"203.0.113.{numero + 1}"))
    assert not _reussit("cible@example.org", **_depuis("198.51.100.7"))


def test_without_a_declared_proxy_forwarded_addresses_are_ignored() -> None:
    UserFactory(email="cible@example.org")
    for numero in range(5):
        _echouer(1, "cible@example.org", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{numero}")
    assert not _reussit("cible@example.org", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.200")


def test_a_trusted_client_ip_header_names_the_visitor(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    UserFactory(email="cible@example.org")
    _echouer(5, "cible@example.org", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5")
    assert not _reussit("cible@example.org", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5")
    assert _reussit("cible@example.org", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.7")
    # A request that bypassed the proxy (no header) is counted under its own address, not refused.
    assert _reussit("cible@example.org", REMOTE_ADDR="198.51.100.9")


def test_more_declared_proxies_than_forwarded_hops_is_not_a_server_error(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    UserFactory(email="cible@example.org")
    assert _reussit("cible@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")


def test_proxy_settings_follow_behind_tls_proxy() -> None:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import json; from parchemin import settings as s; "
        "print(json.dumps([s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER]))"
    )
    resultats = []
    for env in ({"BEHIND_TLS_PROXY": "true"}, {"BEHIND_TLS_PROXY": "true", "TRUSTED_PROXY_COUNT": "2"}, {}):
        base = {k: v for k, v in os.environ.items() if k not in {"BEHIND_TLS_PROXY", "TRUSTED_PROXY_COUNT"}}
        sortie = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
            [sys.executable, "-c", script],
            cwd=Path(__file__).resolve().parents[2],
            env={**base, **env},
            capture_output=True,
            text=True,
        )
        assert sortie.returncode == 0, sortie.stderr
        resultats.append(json.loads(sortie.stdout))
    assert resultats == [[1, None], [2, None], [0, None]]
