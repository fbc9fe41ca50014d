"""Security baseline: CSRF failures explained in French, strict headers on every page, production
settings that force HTTPS, French error pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

RACINE = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_csrf_failure_gets_the_french_page(client: Client) -> None:
    reponse = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert reponse.status_code == 403
    contenu = reponse.content.decode()
    assert "Le formulaire a expiré" in contenu and '<html lang="fr">' in contenu


@pytest.mark.parametrize("nom", ["public:accueil", "account_login", "account_signup"])
def test_security_headers_are_present(client: Client, nom: str) -> None:
    reponse = client.get(reverse(nom))
    csp = reponse.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"
    assert reponse.headers["Referrer-Policy"] == "same-origin"
    assert reponse.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    politique = dict(d.strip().split("=", 1) for d in reponse.headers["Permissions-Policy"].split(","))
    for fonction in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert politique[fonction] == "()", fonction


def test_anonymous_public_pages_may_be_cached_but_signed_in_pages_may_not(client: Client) -> None:
    from tests.comptes.outils import connecter, creer_utilisateur

    assert "no-store" not in client.get(reverse("public:accueil")).headers.get("Cache-Control", "")
    connecter(client, creer_utilisateur("candidate@example.org"))
    for url in (reverse("public:accueil"), reverse("candidat:accueil")):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        directives = {d.strip() for d in reponse.headers["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert "Cookie" in reponse.headers["Vary"], url


def test_messages_naming_a_person_never_travel_in_a_cookie(client: Client) -> None:
    from django.contrib import messages
    from django.contrib.messages.storage import default_storage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    from tests.comptes.outils import connecter, creer_utilisateur

    assert settings.MESSAGE_STORAGE.endswith("SessionStorage")
    user = creer_utilisateur("helene@example.org", first_name="Hélène", last_name="Lefèvre")
    connecter(client, user)
    requete = HttpRequest()
    requete.session = SessionStore(session_key=client.session.session_key)
    requete._messages = default_storage(requete)  # type: ignore[attr-defined]
    messages.success(requete, f"Dossier de {user.get_full_name()} enregistré.")
    requete._messages.update(requete)  # type: ignore[attr-defined]
    requete.session.save()
    reponse = client.get(reverse("candidat:accueil"))
    assert "Dossier de Hélène Lefèvre enregistré." in reponse.content.decode()
    assert "messages" not in reponse.cookies and "messages" not in client.cookies
    assert all("Lef" not in m.value for m in client.cookies.values())


def test_session_expires_after_a_working_day_and_with_the_browser() -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY


def test_rate_limits_and_used_codes_live_in_a_cache_shared_by_every_worker() -> None:
    # A per-process cache would let a replayed TOTP code or a brute force through another worker.
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def _environnement_production() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="test-production-" + "k" * 50,
        ALLOWED_HOSTS="certification.example.org",
        SITE_URL="https://certification.example.org",
        DJANGO_SETTINGS_MODULE="parchemin.settings",
    )
    env.pop("DATABASE_URL", None)
    return env


def test_production_settings_force_https_and_secure_cookies() -> None:
    script = (
        "import json; from parchemin import settings as s; print(json.dumps({n: getattr(s, n) for n in ["
        "'DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']}))"
    )
    sortie = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=RACINE, env=_environnement_production(), capture_output=True, text=True
    )
    assert sortie.returncode == 0, sortie.stderr
    valeurs = json.loads(sortie.stdout)
    assert valeurs["DEBUG"] is False
    assert valeurs["SECURE_HSTS_SECONDS"] >= 31536000 and valeurs["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert valeurs["SECURE_SSL_REDIRECT"] is True
    assert valeurs["SESSION_COOKIE_SECURE"] is True and valeurs["CSRF_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _environnement_production()
    del env["SECRET_KEY"]
    sortie = subprocess.run(
        [sys.executable, "-c", "import parchemin.settings"], cwd=RACINE, env=env, capture_output=True, text=True
    )
    assert sortie.returncode != 0 and "SECRET_KEY doit être défini" in sortie.stderr


def test_unknown_page_gets_the_french_404(client: Client) -> None:
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_server_error_page_is_french_and_standalone() -> None:
    # Rendered without a request context, as Django does when something already went wrong.
    contenu = render_to_string("500.html")
    assert "Une erreur est survenue" in contenu and '<html lang="fr">' in contenu
