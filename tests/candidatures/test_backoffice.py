"""Staff's list, file page, decisions, bulk action and exports."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from parchemin.candidatures import services
from parchemin.candidatures.enums import EtatCandidature, TypePiece
from parchemin.candidatures.models import Candidature
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter

from .factories import CandidatureFactory, PieceFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db
LISTE = "backoffice:candidatures"


def _csrf(client: Client) -> str:
    client.get(reverse(LISTE))
    return client.cookies["csrftoken"].value


def _noms(reponse: Any) -> list[int]:
    return [c.pk for c in reponse.context["page"].object_list]


def test_search_ignores_accents_and_filters_combine(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    helene = CandidatureFactory(nom_naissance="Lefèvre", prenom1="Hélène", voie=VoieAcces.FORMATION_CONTINUE)
    helene.session_formation, helene.partenaire = session, session.partenaire
    helene.save()
    CandidatureFactory(nom_naissance="Martin", prenom1="Paul")
    experience = CandidatureFactory(nom_naissance="Lefebvre", voie=VoieAcces.EXPERIENCE)
    connecter(client, gestionnaire)
    assert _noms(client.get(reverse(LISTE), {"q": "helene LEFEVRE"})) == [helene.pk]
    assert _noms(client.get(reverse(LISTE), {"voie": VoieAcces.EXPERIENCE})) == [experience.pk]
    assert _noms(client.get(reverse(LISTE), {"partenaire": session.partenaire.pk})) == [helene.pk]
    assert _noms(client.get(reverse(LISTE), {"session": session.pk, "q": "martin"})) == []
    assert _noms(client.get(reverse(LISTE), {"etat": EtatCandidature.BROUILLON, "tri": "nom"}))[0] == experience.pk


def test_overdue_filter_shows_files_past_the_two_month_deadline(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    en_retard = CandidatureFactory(voie=VoieAcces.EXPERIENCE)
    PieceFactory(candidature=en_retard, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=en_retard, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    services.deposer(en_retard, acteur=en_retard.candidat, aujourd_hui=datetime.date(2020, 1, 6))
    a_jour = CandidatureFactory(voie=VoieAcces.EXPERIENCE, nom_naissance="Zeta")
    PieceFactory(candidature=a_jour, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=a_jour, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    services.deposer(a_jour, acteur=a_jour.candidat)
    connecter(client, gestionnaire)
    assert _noms(client.get(reverse(LISTE), {"retard": "on"})) == [en_retard.pk]
    tableau = client.get(reverse("backoffice:candidatures_echeances"))
    assert [c.pk for c in tableau.context["en_retard"]] == [en_retard.pk]
    assert [c.pk for c in tableau.context["proches"]] == []
    page = client.get(reverse("backoffice:candidature", kwargs={"pk": en_retard.pk})).content.decode()
    assert "réputée acceptée" in page


def test_deadlines_page_shows_the_most_urgent_files_and_counts_the_rest(
    client: Client, rs5142: Any, gestionnaire: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("parchemin.candidatures.queries.ECHEANCES_AFFICHEES", 2)
    monkeypatch.setattr("parchemin.web.backoffice.candidatures.ECHEANCES_AFFICHEES", 2)
    deposees = []
    for jour in (9, 6, 7):  # deposited in January 2020, in this order: all long overdue
        candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE)
        PieceFactory(candidature=candidature, type_piece=TypePiece.DOSSIER_RECEVABILITE)
        PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
        services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=datetime.date(2020, 1, jour))
        deposees.append((jour, candidature.pk))
    connecter(client, gestionnaire)
    reponse = client.get(reverse("backoffice:candidatures_echeances"))
    plus_urgentes = [pk for _, pk in sorted(deposees)][:2]
    assert [c.pk for c in reponse.context["en_retard"]] == plus_urgentes
    assert reponse.context["nombre_en_retard"] == 3
    page = reponse.content.decode()
    assert "Délai dépassé (3)" in page
    assert "Les 2 plus anciens sont affichés" in page
    assert "voir les 3 dossiers dans la liste" in page


def test_list_costs_the_same_queries_whatever_the_page_size(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    for _ in range(60):
        CandidatureFactory(partenaire=session.partenaire, session_formation=session, voie=VoieAcces.FORMATION_CONTINUE)
    connecter(client, gestionnaire)
    comptes = {}
    for taille in (25, 200):
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(reverse(LISTE), {"taille": taille, "voie": VoieAcces.FORMATION_CONTINUE})
        assert len(reponse.context["page"].object_list) == min(taille, 60)
        comptes[taille] = len(requetes)
    assert comptes[25] == comptes[200]
    assert comptes[25] <= 12


def test_detail_shows_the_history_with_actors(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    candidature = services.creer_candidature(
        candidat=CandidatureFactory().candidat, certification=rs5142, voie=VoieAcces.EXPERIENCE
    )
    connecter(client, gestionnaire)
    page = client.get(reverse("backoffice:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert "candidatures.creer" in page
    assert candidature.candidat.email in page


def test_staff_declare_admissible_and_the_candidate_sees_it(rs5142: Any, gestionnaire: Any) -> None:
    candidature = CandidatureFactory()
    services.deposer(candidature, acteur=candidature.candidat)
    equipe = connecter(Client(enforce_csrf_checks=True), gestionnaire)
    reponse = equipe.post(
        reverse("backoffice:candidature_recevabilite", kwargs={"pk": candidature.pk}),
        {"decision": "RECEVABLE", "csrfmiddlewaretoken": _csrf(equipe)},
    )
    assert reponse.status_code == 302
    candidat = connecter(Client(), candidature.candidat)
    page = candidat.get(reverse("candidat:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert ">Recevable<" in page


def test_bulk_ready_for_jury_through_the_list_is_all_or_nothing(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    pretes = []
    for avec_presentation in (True, False):
        candidature = CandidatureFactory()
        services.deposer(candidature, acteur=candidature.candidat)
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision="RECEVABLE")
        if avec_presentation:
            PieceFactory(candidature=candidature, type_piece=TypePiece.PRESENTATION_PROJET)
        pretes.append(candidature)
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidatures_pretes_pour_jury")
    reponse = client.post(
        url, {"candidatures": [c.pk for c in pretes], "csrfmiddlewaretoken": _csrf(client)}, follow=True
    )
    assert "Aucune candidature n&#x27;a été modifiée" in reponse.content.decode()
    assert set(Candidature.objects.values_list("etat", flat=True)) == {EtatCandidature.RECEVABLE}
    client.post(url, {"candidatures": [pretes[0].pk], "csrfmiddlewaretoken": _csrf(client)})
    pretes[0].refresh_from_db()
    assert pretes[0].etat == EtatCandidature.PRETE_POUR_JURY


def test_csv_export_follows_filters_and_neutralises_formulas(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    CandidatureFactory(nom_naissance="=HYPERLINK(1)", voie=VoieAcces.EXPERIENCE)
    CandidatureFactory(nom_naissance="Hors filtre")
    connecter(client, gestionnaire)
    reponse = client.get(reverse("backoffice:candidatures_export_csv"), {"voie": VoieAcces.EXPERIENCE})
    contenu = reponse.content.decode("utf-8")
    lignes = contenu.lstrip("\ufeff").strip().splitlines()
    assert contenu.startswith("\ufeff")
    assert lignes[0].startswith("N°;Nom de naissance")
    assert len(lignes) == 2
    assert ";'=HYPERLINK(1);" in lignes[1]


def test_xlsx_export_opens_in_a_spreadsheet(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    candidature = CandidatureFactory(nom_naissance="Bérénice")
    connecter(client, gestionnaire)
    reponse = client.get(reverse("backoffice:candidatures_export_xlsx"))
    feuille = load_workbook(io.BytesIO(reponse.content)).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0][:2] == ("N°", "Nom de naissance")
    assert lignes[1][:2] == (candidature.pk, "Bérénice")


def test_exception_to_prerequisites_through_the_page_is_audited(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    candidature = CandidatureFactory(niveau_diplome="5", annees_experience=3)
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidature_derogation", kwargs={"pk": candidature.pk})
    client.post(url, {"motif": "", "csrfmiddlewaretoken": _csrf(client)})
    candidature.refresh_from_db()
    assert not candidature.derogation_prerequis
    client.post(url, {"motif": "Parcours associatif équivalent", "csrfmiddlewaretoken": _csrf(client)})
    candidature.refresh_from_db()
    assert candidature.derogation_prerequis and candidature.derogation_par == gestionnaire


@pytest.mark.parametrize("forge", ["99999999999999999999999", "²", "-1"])
def test_bulk_ready_for_jury_refuses_a_forged_id_in_french(
    client: Client, rs5142: Any, gestionnaire: Any, forge: str
) -> None:
    candidature = CandidatureFactory()
    services.deposer(candidature, acteur=candidature.candidat)
    services.decider_recevabilite(candidature, acteur=gestionnaire, decision="RECEVABLE")
    PieceFactory(candidature=candidature, type_piece=TypePiece.PRESENTATION_PROJET)
    connecter(client, gestionnaire)
    reponse = client.post(
        reverse("backoffice:candidatures_pretes_pour_jury"),
        {"candidatures": [candidature.pk, forge], "csrfmiddlewaretoken": _csrf(client)},
        follow=True,
    )
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    candidature.refresh_from_db()
    if forge.isascii() and forge.isdigit():
        # A number beyond any id names no file: the whole action is refused.
        assert "Une des candidatures sélectionnées n&#x27;existe plus." in contenu
        assert candidature.etat == EtatCandidature.RECEVABLE
    else:
        # Not a number at all: ignored, as a box that was never an id.
        assert "1 candidature(s) marquée(s) prête(s) pour le jury." in contenu
        assert candidature.etat == EtatCandidature.PRETE_POUR_JURY
