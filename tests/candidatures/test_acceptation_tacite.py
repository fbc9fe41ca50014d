"""Silence past the recevabilité deadline makes an experience-route file admissible: the service and
the daily command record it (state, tacit marker, audit entry, e-mail), once, and the pages say so."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.candidatures import services
from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, NiveauDiplome, TypePiece
from parchemin.candidatures.models import Candidature
from parchemin.dates import ajouter_mois
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import ACTEUR_SYSTEME
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter

from .factories import CandidatureFactory, PieceFactory

pytestmark = pytest.mark.django_db

COMPLET_LE = datetime.date(2026, 3, 10)
ECHEANCE = datetime.date(2026, 5, 10)
LENDEMAIN = datetime.date(2026, 5, 11)


def _deposee(complet_le: datetime.date = COMPLET_LE, **champs: Any) -> Candidature:
    candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE, annee=complet_le.year, **champs)
    PieceFactory(candidature=candidature, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    return services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=complet_le)


def _entrees(candidature: Candidature) -> list[EntreeJournal]:
    return list(EntreeJournal.objects.filter(action="candidatures.acceptation_tacite", objet_id=str(candidature.pk)))


def test_the_deadline_day_still_belongs_to_staff_the_next_day_is_tacit_acceptance(rs5142: Any) -> None:
    candidature = _deposee()
    assert candidature.echeance_recevabilite == ECHEANCE

    assert services.constater_recevabilites_tacites(ECHEANCE) == []
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    assert candidature.acceptation_tacite_le is None

    [constatee] = services.constater_recevabilites_tacites(LENDEMAIN)
    assert constatee.pk == candidature.pk
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
    assert candidature.decision_recevabilite == DecisionRecevabilite.RECEVABLE
    assert candidature.acceptation_tacite_le == LENDEMAIN
    assert candidature.recevable_tacitement


def test_a_late_run_records_the_legal_date_not_the_run_date(rs5142: Any) -> None:
    candidature = _deposee()
    services.constater_recevabilites_tacites(datetime.date(2026, 7, 1))
    candidature.refresh_from_db()
    assert candidature.acceptation_tacite_le == LENDEMAIN


def test_running_twice_changes_nothing(rs5142: Any, django_capture_on_commit_callbacks: Any) -> None:
    candidature = _deposee()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.constater_recevabilites_tacites(LENDEMAIN)) == 1
    candidature.refresh_from_db()
    modifiee_le = candidature.modifiee_le
    with django_capture_on_commit_callbacks(execute=True):
        assert services.constater_recevabilites_tacites(LENDEMAIN) == []
        assert services.constater_recevabilites_tacites(datetime.date(2026, 9, 1)) == []
        assert services.constater_recevabilite_tacite(candidature, aujourd_hui=LENDEMAIN) is None
    candidature.refresh_from_db()
    assert candidature.modifiee_le == modifiee_le
    assert len(_entrees(candidature)) == 1
    assert len(mail.outbox) == 1


def test_the_audit_entry_names_the_system_and_the_dates(rs5142: Any) -> None:
    candidature = _deposee()
    services.constater_recevabilites_tacites(LENDEMAIN)
    [entree] = _entrees(candidature)
    assert entree.acteur is None
    assert entree.acteur_libelle == ACTEUR_SYSTEME
    assert entree.avant == {"etat": "DEPOSEE"}
    assert entree.apres["etat"] == "RECEVABLE"
    assert entree.apres["acceptation_tacite_le"] == "2026-05-11"
    assert "Recevable par acceptation tacite le 11/05/2026" in entree.resume
    assert "échéance le 10/05/2026" in entree.resume
    assert "le silence vaut acceptation" in entree.resume


def test_the_candidate_is_told_in_french_after_commit(rs5142: Any, django_capture_on_commit_callbacks: Any) -> None:
    candidature = _deposee()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.constater_recevabilites_tacites(LENDEMAIN)
    [message] = mail.outbox
    assert message.to == [candidature.email]
    assert message.subject == "[RS5142] Votre candidature est recevable (acceptation tacite)"
    assert message.body.startswith("Bonjour ")
    assert "recevable par acceptation tacite depuis le 11/05/2026" in message.body
    assert "l'échéance du 10/05/2026" in message.body
    assert f"/candidat/candidatures/{candidature.pk}/" in message.body


def test_files_that_are_not_due_are_left_alone(rs5142: Any, gestionnaire: Any) -> None:
    decidee = _deposee()
    services.decider_recevabilite(
        decidee,
        acteur=gestionnaire,
        decision=DecisionRecevabilite.NON_RECEVABLE,
        motif="Hors champ.",
        aujourd_hui=COMPLET_LE,
    )
    incomplete = _deposee(candidat__email="incomplete@example.org")
    services.decider_recevabilite(
        incomplete,
        acteur=gestionnaire,
        decision=DecisionRecevabilite.INCOMPLETE,
        pieces_manquantes="CV",
        aujourd_hui=COMPLET_LE,
    )
    autre_voie = CandidatureFactory(voie=VoieAcces.CANDIDATURE_INDIVIDUELLE)
    services.deposer(autre_voie, acteur=autre_voie.candidat, aujourd_hui=COMPLET_LE)
    brouillon = CandidatureFactory(voie=VoieAcces.EXPERIENCE, candidat__email="brouillon@example.org")

    assert services.constater_recevabilites_tacites(datetime.date(2027, 1, 1)) == []
    etats = dict(Candidature.objects.values_list("pk", "etat"))
    assert etats == {
        decidee.pk: EtatCandidature.NON_RECEVABLE,
        incomplete.pk: EtatCandidature.INCOMPLETE,
        autre_voie.pk: EtatCandidature.DEPOSEE,
        brouillon.pk: EtatCandidature.BROUILLON,
    }
    assert not EntreeJournal.objects.filter(action="candidatures.acceptation_tacite").exists()


def test_a_file_decided_after_the_list_was_read_is_not_overwritten(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _deposee()
    [a_traiter] = services.a_constater_tacitement(LENDEMAIN)
    # Staff decide (on the deadline day) between the read and the per-file transaction.
    services.decider_recevabilite(
        candidature,
        acteur=gestionnaire,
        decision=DecisionRecevabilite.NON_RECEVABLE,
        motif="Hors champ.",
        aujourd_hui=ECHEANCE,
    )
    assert services.constater_recevabilite_tacite(a_traiter, aujourd_hui=LENDEMAIN) is None
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.NON_RECEVABLE
    assert candidature.acceptation_tacite_le is None


def test_unmet_prerequisites_do_not_stop_the_acceptance_but_the_journal_says_so(rs5142: Any) -> None:
    candidature = _deposee(niveau_diplome=NiveauDiplome.NIVEAU_5, annees_experience=3)
    services.constater_recevabilites_tacites(LENDEMAIN)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
    [entree] = _entrees(candidature)
    assert "prérequis n'étaient ni remplis ni couverts" in entree.resume
    assert entree.apres["prerequis_admis"] is False


def test_after_the_deadline_staff_can_only_record_the_acceptance(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _deposee()
    for decision, champs in (
        (DecisionRecevabilite.NON_RECEVABLE, {"motif": "Hors champ."}),
        (DecisionRecevabilite.INCOMPLETE, {"pieces_manquantes": "CV"}),
    ):
        with pytest.raises(ErreurMetier, match="recevable par acceptation tacite depuis le 11/05/2026"):
            services.decider_recevabilite(
                candidature, acteur=gestionnaire, decision=decision, aujourd_hui=LENDEMAIN, **champs
            )
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    services.decider_recevabilite(
        candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE, aujourd_hui=LENDEMAIN
    )
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
    assert candidature.acceptation_tacite_le == LENDEMAIN
    [entree] = _entrees(candidature)
    assert entree.acteur == gestionnaire


def test_a_tacitly_admissible_file_goes_on_to_the_jury(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _deposee()
    services.constater_recevabilites_tacites(LENDEMAIN)
    PieceFactory(candidature=candidature, type_piece=TypePiece.PRESENTATION_PROJET)
    services.marquer_pretes_pour_jury([candidature.pk], acteur=gestionnaire)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.PRETE_POUR_JURY
    assert candidature.acceptation_tacite_le == LENDEMAIN


def test_the_database_refuses_a_tacit_acceptance_on_or_before_the_deadline(rs5142: Any) -> None:
    candidature = _deposee()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidature.objects.filter(pk=candidature.pk).update(
            decision_recevabilite=DecisionRecevabilite.RECEVABLE, acceptation_tacite_le=ECHEANCE
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    complet_le=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31)),
    jours=st.integers(min_value=0, max_value=120),
)
def test_recorded_exactly_when_the_run_date_is_after_the_deadline(
    rs5142: Any, complet_le: datetime.date, jours: int
) -> None:
    with transaction.atomic():
        candidature = _deposee(complet_le)
        echeance = ajouter_mois(complet_le, 2)
        jour = complet_le + datetime.timedelta(days=jours)
        constatees = services.constater_recevabilites_tacites(jour)
        candidature.refresh_from_db()
        assert (len(constatees) == 1) == (jour > echeance)
        if jour > echeance:
            assert candidature.acceptation_tacite_le == echeance + datetime.timedelta(days=1)
            assert candidature.acceptation_tacite_le <= jour
        else:
            assert candidature.etat == EtatCandidature.DEPOSEE
        transaction.set_rollback(True)


# --- The command ----------------------------------------------------------------------------------


def test_command_records_and_reports(rs5142: Any) -> None:
    candidature = _deposee(nom_naissance="Lenoir", prenom1="Aude")
    sortie = io.StringIO()
    call_command("constater_recevabilites_tacites", "--date", "2026-05-11", stdout=sortie)
    texte = sortie.getvalue()
    assert f"n°{candidature.pk} Aude Lenoir — échéance du 10/05/2026 dépassée" in texte
    assert "recevable par acceptation tacite le 11/05/2026" in texte
    assert "1 recevabilité(s) tacite(s) enregistrée(s) au 11/05/2026." in texte
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE

    sortie = io.StringIO()
    call_command("constater_recevabilites_tacites", "--date", "2026-05-11", stdout=sortie)
    assert sortie.getvalue().strip() == "0 recevabilité(s) tacite(s) enregistrée(s) au 11/05/2026."


def test_command_dry_run_prints_and_writes_nothing(rs5142: Any) -> None:
    candidature = _deposee()
    entrees = EntreeJournal.objects.count()
    sortie = io.StringIO()
    call_command("constater_recevabilites_tacites", "--date", "2026-05-11", "--dry-run", stdout=sortie)
    texte = sortie.getvalue()
    assert f"n°{candidature.pk}" in texte
    assert "serait recevable par acceptation tacite le 11/05/2026" in texte
    assert "Simulation au 11/05/2026 : 1 dossier(s) à enregistrer, rien n'est écrit." in texte
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    assert EntreeJournal.objects.count() == entrees


def test_command_on_the_deadline_day_does_nothing(rs5142: Any) -> None:
    candidature = _deposee()
    sortie = io.StringIO()
    call_command("constater_recevabilites_tacites", "--date", "2026-05-10", stdout=sortie)
    assert "0 recevabilité(s)" in sortie.getvalue()
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_command_refuses_a_malformed_date_in_french(rs5142: Any) -> None:
    with pytest.raises(CommandError, match="n'est pas une date AAAA-MM-JJ"):
        call_command("constater_recevabilites_tacites", "--date", "31/02/2026")


# --- What staff and the candidate see -------------------------------------------------------------


def _tacite_aujourdhui() -> Candidature:
    """A file whose deadline passed long ago, recorded as of today."""
    candidature = _deposee(datetime.date(2020, 1, 6))
    services.constater_recevabilites_tacites(timezone.localdate())
    candidature.refresh_from_db()
    return candidature


def test_staff_pages_show_the_recorded_tacit_acceptance(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    candidature = _tacite_aujourdhui()
    connecter(client, gestionnaire)
    detail = client.get(reverse("backoffice:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert "recevable par acceptation tacite le 07/03/2020" in detail
    assert "réputée acceptée" not in detail
    assert "Marquer prête pour le jury" in detail
    liste = client.get(reverse("backoffice:candidatures"), {"tacites": "on"})
    assert [c.pk for c in liste.context["page"].object_list] == [candidature.pk]
    assert "recevable par acceptation tacite le 07/03/2020" in liste.content.decode()
    assert [c.pk for c in client.get(reverse("backoffice:candidatures"), {"retard": "on"}).context["page"]] == []
    echeances = client.get(reverse("backoffice:candidatures_echeances"))
    assert echeances.context["en_retard"] == []
    assert [c.pk for c in echeances.context["tacites"]] == [candidature.pk]
    export = client.get(reverse("backoffice:candidatures_export_csv"), {"tacites": "on"}).content.decode()
    entete, ligne = export.lstrip("\ufeff").strip().splitlines()
    assert entete.split(";")[-2] == "Recevable par acceptation tacite le"
    assert ligne.split(";")[-2] == "2020-03-07"


def test_the_candidate_page_shows_the_recorded_tacit_acceptance(client: Client, rs5142: Any) -> None:
    candidature = _tacite_aujourdhui()
    connecter(client, candidature.candidat)
    page = client.get(reverse("candidat:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert "recevable par acceptation tacite le 07/03/2020" in page
    assert ">Recevable<" in page
    assert "réputée acceptée" not in page
    assert "Retirer ma candidature" in page


def test_past_deadline_not_yet_recorded_still_warns_and_offers_only_the_acceptance(
    client: Client, rs5142: Any, gestionnaire: Any
) -> None:
    candidature = _deposee(datetime.date(2020, 1, 6))
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidature", kwargs={"pk": candidature.pk})
    detail = client.get(url).content.decode()
    assert "réputée acceptée" in detail
    assert "Enregistrer la recevabilité tacite" in detail
    assert 'name="motif"' not in detail.split("titre-decision")[1].split("</section>")[0]
    reponse = client.post(
        reverse("backoffice:candidature_recevabilite", kwargs={"pk": candidature.pk}),
        {"decision": "NON_RECEVABLE", "motif": "Hors champ.", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        follow=True,
    )
    assert "ne peut plus être déclarée non recevable" in reponse.content.decode()
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    client.post(
        reverse("backoffice:candidature_recevabilite", kwargs={"pk": candidature.pk}),
        {"decision": "RECEVABLE", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    candidature.refresh_from_db()
    assert candidature.acceptation_tacite_le == datetime.date(2020, 3, 7)
    assert "réputée acceptée" not in client.get(url).content.decode()
