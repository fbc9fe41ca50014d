"""The public LHÉO export cannot exhaust the server: filtered by the database, streamed one formation
at a time from chunked queries, revalidated by ETag and limited per visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from parchemin.partenaires.enums import StatutSession
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory

from .test_lheo import NS, URL, ecarts_lheo

pytestmark = pytest.mark.django_db


def _sessions(partenaires: int, par_partenaire: int) -> None:
    for numero in range(partenaires):
        organisme = PartenaireFactory(numero_declaration_activite=f"7533123{numero:04d}")
        for rang in range(par_partenaire):
            SessionFormationFactory(partenaire=organisme, numero=rang + 1)


def _requetes(client: Client) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL)
        assert reponse.status_code == 200
        assert reponse.streaming
        contenu = b"".join(reponse.streaming_content)
    return len(requetes), contenu


def test_the_export_is_a_stream_of_formations_and_a_valid_lheo_document(client: Client, rs5142: Any) -> None:
    _sessions(3, 2)
    reponse = client.get(URL)
    morceaux = list(reponse.streaming_content)
    assert len(morceaux) == 3 + 2  # opening, one per formation, closing
    racine = etree.fromstring(b"".join(morceaux))
    assert ecarts_lheo(racine) == []
    assert len(racine.findall("l:offres/l:formation", NS)) == 3
    assert len(racine.findall(".//l:action", NS)) == 6


def test_the_number_of_queries_does_not_grow_with_the_catalogue(client: Client, rs5142: Any) -> None:
    _sessions(2, 2)
    petit, _ = _requetes(client)
    _sessions(8, 3)
    grand, contenu = _requetes(Client())
    assert grand == petit
    assert len(etree.fromstring(contenu).findall(".//l:action", NS)) == 4 + 24


def test_nothing_exportable_is_a_404_decided_by_the_database(client: Client, rs5142: Any) -> None:
    SessionFormationFactory(statut=StatutSession.ANNULEE)
    SessionFormationFactory(partenaire=PartenaireFactory(numero_declaration_activite=""))
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(URL).status_code == 404
    assert not any("jurys" in q["sql"] or "codes_postaux" in q["sql"] for q in requetes.captured_queries)


def test_an_unchanged_catalogue_is_revalidated_without_being_written(client: Client, rs5142: Any) -> None:
    session = SessionFormationFactory()
    premiere = client.get(URL)
    etiquette = premiere["ETag"]
    assert "public" in premiere["Cache-Control"]
    deuxieme = client.get(URL, HTTP_IF_NONE_MATCH=etiquette)
    assert deuxieme.status_code == 304 and not deuxieme.content
    session.prix += 1
    session.save()
    troisieme = client.get(URL, HTTP_IF_NONE_MATCH=etiquette)
    assert troisieme.status_code == 200 and troisieme["ETag"] != etiquette


def test_a_visitor_repeating_the_export_is_limited_in_french_others_are_not(settings: Any, rs5142: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    SessionFormationFactory()
    client = Client()
    entetes = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    statuts = [client.get(URL, **entetes).status_code for _ in range(7)]
    assert statuts == [200] * 6 + [429]
    refus = client.get(URL, **entetes)
    assert refus.status_code == 429 and "Trop de" in refus.content.decode()
    autre = client.get(URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert autre.status_code == 200
