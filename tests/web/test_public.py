"""Public pages: the certificateur's home and the certification page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parchemin.referentiel.models import Certification, Competence

pytestmark = pytest.mark.django_db


def test_home_lists_the_certification(client: Client, rs5142: Certification) -> None:
    reponse = client.get("/")
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "La Coopérative des Tiers-Lieux" in contenu
    assert 'href="/certifications/rs5142/"' in contenu


def test_certification_page_shows_referentiel_routes_and_jury(client: Client, rs5142: Certification) -> None:
    reponse = client.get("/certifications/rs5142/")
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    for competence in Competence.objects.all():
        assert competence.intitule.replace("’", "&#x27;") in contenu or competence.intitule in contenu
    assert contenu.count("Non autorisé") == 3
    assert contenu.count(">Autorisé<") == 3
    assert "Membres extérieurs au certificateur : 100 %" in contenu
    assert '<html lang="fr">' in contenu


def test_certification_page_query_count_is_fixed(client: Client, rs5142: Certification) -> None:
    with CaptureQueriesContext(connection) as requetes:
        client.get("/certifications/RS5142/")
    # The page's own queries (those of the public pages' cache: tests/web/test_cache_pages.py).
    propres = [q["sql"] for q in requetes if "parchemin_cache_pages" not in q["sql"]]
    assert len(propres) <= 8, propres


def test_unknown_certification_is_404(client: Client, rs5142: Certification) -> None:
    assert client.get("/certifications/rs9999/").status_code == 404


def test_unpublished_certification_is_404(client: Client, rs5142: Certification) -> None:
    Certification.objects.filter(pk=rs5142.pk).update(publiee=False)
    assert client.get("/certifications/rs5142/").status_code == 404


def test_pages_carry_security_headers(client: Client, rs5142: Certification) -> None:
    reponse = client.get("/certifications/rs5142/")
    csp = reponse.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in reponse.content.decode()


@pytest.mark.parametrize("url", ["/", "/accessibilite/", "/mentions-legales/"])
def test_static_public_pages_render(client: Client, url: str, rs5142: Any) -> None:
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/comptes/login/", "/comptes/signup/", "/comptes/password/reset/"])
def test_every_page_carries_the_certificateurs_name_not_the_platforms(client: Client, url: str, db: None) -> None:
    """Before any certificateur exists the header says Parchemin; once one is loaded, its name, on pages
    whose views know nothing about it (sign-in, sign-up, password reset)."""
    assert "<span>Parchemin</span>" in client.get(url).content.decode()
    call_command("charger_rs5142", stdout=io.StringIO())
    page = client.get(url).content.decode()
    assert "<span>La Coopérative des Tiers-Lieux</span>" in page
