"""The candidate space through HTTP: what a person applying sees and can do."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.candidatures.enums import EtatCandidature, TypePiece
from parchemin.candidatures.models import Candidature, Piece
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter

from .factories import CandidatureFactory, PieceFactory, UtilisateurFactory
from .fichiers import EXE, PDF, televerse

pytestmark = pytest.mark.django_db


def _csrf(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def _poster(client: Client, url: str, donnees: dict[str, Any]) -> Any:
    return client.post(url, {**donnees, "csrfmiddlewaretoken": _csrf(client, url)})


def test_only_allowed_routes_are_offered(client: Client, rs5142: Any) -> None:
    connecter(client, UtilisateurFactory())
    page = client.get(reverse("candidat:nouvelle", kwargs={"code": "rs5142"})).content.decode()
    assert "Par expérience" in page
    assert "Par candidature individuelle" in page
    assert "contrat d&#x27;apprentissage" not in page
    assert "professionnalisation" not in page


def test_a_forged_request_for_a_refused_route_gets_the_reason(client: Client, rs5142: Any) -> None:
    connecter(client, UtilisateurFactory())
    reponse = _poster(
        client, reverse("candidat:nouvelle", kwargs={"code": "rs5142"}), {"voie": VoieAcces.APPRENTISSAGE}
    )
    assert reponse.status_code == 200
    assert "n&#x27;est pas autorisée pour RS5142" in reponse.content.decode()
    assert not Candidature.objects.exists()


def test_apply_then_fill_in_the_file(client: Client, rs5142: Any) -> None:
    candidat = UtilisateurFactory()
    connecter(client, candidat)
    reponse = _poster(
        client, reverse("candidat:nouvelle", kwargs={"code": "rs5142"}), {"voie": VoieAcces.CANDIDATURE_INDIVIDUELLE}
    )
    candidature = Candidature.objects.get(candidat=candidat)
    assert reponse["Location"] == reverse("candidat:modifier", kwargs={"pk": candidature.pk})
    donnees = {
        "nom_naissance": "Durand",
        "prenom1": "Élise",
        "sexe": "F",
        "date_naissance": "1984-02-30",
        "code_commune_naissance": "2C004",
        "email": candidat.email,
        "niveau_diplome": "7",
        "annees_experience": "6",
    }
    url = reverse("candidat:modifier", kwargs={"pk": candidature.pk})
    page = _poster(client, url, donnees).content.decode()
    assert "le 30 février 1984 n&#x27;existe pas" in page
    assert "n&#x27;est pas un code INSEE de commune" in page
    assert 'aria-invalid="true"' in page
    candidature.refresh_from_db()
    assert candidature.nom_naissance == ""
    donnees.update(date_naissance="1984-02-28", code_commune_naissance="2a004", commune_naissance="Ajaccio")
    assert _poster(client, url, donnees).status_code == 302
    candidature.refresh_from_db()
    assert (candidature.nom_naissance, candidature.code_commune_naissance) == ("Durand", "2A004")


def test_upload_refuses_a_disguised_executable_next_to_the_field(client: Client, rs5142: Any) -> None:
    candidature = CandidatureFactory()
    connecter(client, candidature.candidat)
    url = reverse("candidat:pieces", kwargs={"pk": candidature.pk})
    reponse = client.post(
        url,
        {
            "type_piece": TypePiece.PRESENTATION_PROJET,
            "fichier": televerse("projet.pdf", EXE),
            "csrfmiddlewaretoken": _csrf(client, url),
        },
    )
    assert "n&#x27;est pas dans un format accepté" in reponse.content.decode()
    assert not Piece.objects.exists()
    reponse = client.post(
        url,
        {
            "type_piece": TypePiece.PRESENTATION_PROJET,
            "fichier": televerse("projet.pdf", PDF),
            "csrfmiddlewaretoken": _csrf(client, url),
        },
    )
    assert reponse.status_code == 302
    piece = Piece.objects.get()
    telechargement = client.get(reverse("candidat:piece_fichier", kwargs={"pk": candidature.pk, "piece_pk": piece.pk}))
    assert telechargement.content == PDF
    assert telechargement["Content-Disposition"].startswith("attachment")


def test_deposit_through_the_page(client: Client, rs5142: Any) -> None:
    candidature = CandidatureFactory()
    connecter(client, candidature.candidat)
    url = reverse("candidat:deposer", kwargs={"pk": candidature.pk})
    assert _poster(client, url, {}).status_code == 302
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    page = client.get(reverse("candidat:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert "Déposée" in page


def test_another_candidates_file_and_piece_are_not_found(client: Client, rs5142: Any) -> None:
    autre = PieceFactory()
    connecter(client, UtilisateurFactory())
    assert client.get(reverse("candidat:candidature", kwargs={"pk": autre.candidature_id})).status_code == 404
    url = reverse("candidat:piece_fichier", kwargs={"pk": autre.candidature_id, "piece_pk": autre.pk})
    assert client.get(url).status_code == 404
