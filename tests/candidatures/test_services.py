"""The candidate journey as business rules: each action through its service, audited and notified."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command

from parchemin.candidatures import services
from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, NiveauDiplome, TypePiece
from parchemin.candidatures.models import Candidature, Piece
from parchemin.comptes.enums import Role
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification
from tests.comptes.outils import creer_utilisateur

from .factories import CandidatureFactory, PieceFactory, SessionFormationFactory, UtilisateurFactory
from .fichiers import EXE, PDF, docx, televerse

pytestmark = pytest.mark.django_db


def _journal(action: str) -> list[EntreeJournal]:
    return list(EntreeJournal.objects.filter(action=action))


@pytest.mark.parametrize(
    ("voie", "mot"),
    [
        (VoieAcces.FORMATION_INITIALE, "élève ou d'étudiant"),
        (VoieAcces.APPRENTISSAGE, "apprentissage"),
        (VoieAcces.CONTRAT_PROFESSIONNALISATION, "professionnalisation"),
    ],
)
def test_refuses_a_route_rs5142_excludes_with_the_reason(rs5142: Any, voie: str, mot: str) -> None:
    candidat = UtilisateurFactory()
    with pytest.raises(ErreurMetier) as erreur:
        services.creer_candidature(candidat=candidat, certification=rs5142, voie=voie)
    assert mot in erreur.value.message
    assert "n'est pas autorisée pour RS5142" in erreur.value.message
    assert "par expérience" in erreur.value.message
    assert not Candidature.objects.exists()


def test_creates_a_draft_on_the_version_in_force_with_an_audit_entry(rs5142: Any) -> None:
    candidat = UtilisateurFactory()
    candidature = services.creer_candidature(
        candidat=candidat, certification=rs5142, voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, champs={"prenom1": "Zoé"}
    )
    assert candidature.etat == EtatCandidature.BROUILLON
    assert candidature.version_referentiel == rs5142.version_en_vigueur()
    assert candidature.email == candidat.email
    [entree] = _journal("candidatures.creer")
    assert entree.acteur == candidat


def test_second_experience_application_in_the_same_year_is_refused_in_french(rs5142: Any) -> None:
    candidat = UtilisateurFactory()
    aujourd_hui = datetime.date(2026, 5, 1)
    services.creer_candidature(
        candidat=candidat, certification=rs5142, voie=VoieAcces.EXPERIENCE, aujourd_hui=aujourd_hui
    )
    with pytest.raises(ErreurMetier, match="une seule est possible par certification et par année civile"):
        services.creer_candidature(
            candidat=candidat, certification=rs5142, voie=VoieAcces.EXPERIENCE, aujourd_hui=aujourd_hui
        )


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"code_commune_naissance": "20004"}, "n'est pas un code INSEE de commune"),
        ({"code_commune_naissance": "99109"}, "naissance à l'étranger"),
        ({"code_pays_naissance": "1A9"}, "n'est pas un code INSEE de pays"),
        ({"date_naissance": datetime.date(2090, 1, 1)}, "dans le futur"),
        ({"date_naissance": datetime.date(1850, 1, 1)}, "postérieure à 1900"),
        ({"employeur_siret": "12345678901234"}, "SIRET de l'employeur"),
    ],
)
def test_bad_civil_status_is_refused_naming_the_field(rs5142: Any, champs: dict[str, Any], message: str) -> None:
    with pytest.raises(ErreurMetier, match=message):
        services.creer_candidature(
            candidat=UtilisateurFactory(), certification=rs5142, voie=VoieAcces.EXPERIENCE, champs=champs
        )
    assert not Candidature.objects.exists()


def test_deposit_lists_what_is_missing(rs5142: Any) -> None:
    candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE, sexe="", annees_experience=None)
    with pytest.raises(ErreurMetier) as erreur:
        services.deposer(candidature, acteur=candidature.candidat)
    assert "sexe" in erreur.value.message
    assert "années d'expérience" in erreur.value.message
    assert "dossier de recevabilité" in erreur.value.message
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.BROUILLON


def _deposable_experience(**champs: Any) -> Candidature:
    candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE, annee=2026, **champs)
    PieceFactory(candidature=candidature, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    return candidature


def test_deposit_of_a_complete_experience_file_starts_the_two_month_clock(
    rs5142: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = _deposable_experience()
    with django_capture_on_commit_callbacks(execute=True):
        services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=datetime.date(2026, 3, 10))
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    assert candidature.dossier_complet_le == datetime.date(2026, 3, 10)
    assert candidature.echeance_recevabilite == datetime.date(2026, 5, 10)
    [message] = mail.outbox
    assert message.to == [candidature.email]
    assert "au plus tard le 10/05/2026" in message.body
    assert "réputée recevable" in message.body
    assert candidature.acceptation_tacite_a_constater(datetime.date(2026, 5, 11))
    assert not candidature.acceptation_tacite_a_constater(datetime.date(2026, 5, 10))


def test_recevable_needs_prerequisites_or_a_reasoned_exception(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _deposable_experience(niveau_diplome=NiveauDiplome.NIVEAU_6, annees_experience=10)
    services.deposer(candidature, acteur=candidature.candidat)
    assert not candidature.prerequis_remplis
    with pytest.raises(ErreurMetier, match="prérequis ne sont pas remplis"):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
    with pytest.raises(ErreurMetier, match="motivée"):
        services.accorder_derogation(candidature, acteur=gestionnaire, motif="  ")
    services.accorder_derogation(candidature, acteur=gestionnaire, motif="Neuf ans et demi de direction de fablab.")
    services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
    [entree] = _journal("candidatures.deroger_prerequis")
    assert entree.acteur == gestionnaire
    assert "fablab" in entree.resume


def test_more_than_ten_years_of_experience_meets_the_prerequisites(rs5142: Any) -> None:
    assert CandidatureFactory(niveau_diplome=NiveauDiplome.NIVEAU_4, annees_experience=11).prerequis_remplis
    assert not CandidatureFactory(niveau_diplome=NiveauDiplome.NIVEAU_4, annees_experience=10).prerequis_remplis
    assert CandidatureFactory(niveau_diplome=NiveauDiplome.NIVEAU_7, annees_experience=0).prerequis_remplis


def test_incomplete_stops_the_clock_and_tells_what_is_missing(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = _deposable_experience()
    services.deposer(candidature, acteur=candidature.candidat)
    with pytest.raises(ErreurMetier, match="pièces ou informations manquantes"):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.INCOMPLETE)
    with django_capture_on_commit_callbacks(execute=True):
        services.decider_recevabilite(
            candidature,
            acteur=gestionnaire,
            decision=DecisionRecevabilite.INCOMPLETE,
            pieces_manquantes="Attestation de l'employeur 2019-2022",
        )
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.INCOMPLETE
    assert candidature.echeance_recevabilite is None
    assert "Attestation de l'employeur 2019-2022" in mail.outbox[-1].body
    services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=datetime.date(2026, 6, 1))
    candidature.refresh_from_db()
    assert candidature.echeance_recevabilite == datetime.date(2026, 8, 1)


def test_not_admissible_requires_a_reason(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _deposable_experience()
    services.deposer(candidature, acteur=candidature.candidat)
    with pytest.raises(ErreurMetier, match="motivée"):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.NON_RECEVABLE)
    services.decider_recevabilite(
        candidature, acteur=gestionnaire, decision=DecisionRecevabilite.NON_RECEVABLE, motif="Hors champ."
    )
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.NON_RECEVABLE
    [entree] = _journal("candidatures.decider_recevabilite")
    assert entree.avant == {"etat": "DEPOSEE"}
    assert entree.apres["etat"] == "NON_RECEVABLE"


def test_a_candidate_cannot_decide_their_own_admissibility(rs5142: Any) -> None:
    candidature = _deposable_experience()
    services.deposer(candidature, acteur=candidature.candidat)
    with pytest.raises(AccesRefuse):
        services.decider_recevabilite(candidature, acteur=candidature.candidat, decision=DecisionRecevabilite.RECEVABLE)


def test_decision_on_a_draft_is_impossible(rs5142: Any, gestionnaire: Any) -> None:
    candidature = CandidatureFactory()
    with pytest.raises(ErreurMetier, match="état « Brouillon »"):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)


def test_uploads_are_versioned_never_overwritten(rs5142: Any) -> None:
    candidature = CandidatureFactory()
    premiere = services.deposer_piece(
        candidature,
        acteur=candidature.candidat,
        type_piece=TypePiece.PRESENTATION_PROJET,
        fichier=televerse("p.pdf", PDF),
    )
    seconde = services.deposer_piece(
        candidature,
        acteur=candidature.candidat,
        type_piece=TypePiece.PRESENTATION_PROJET,
        fichier=televerse("p.docx", docx()),
    )
    assert (premiere.version, seconde.version) == (1, 2)
    assert premiere.fichier.name != seconde.fichier.name
    assert default_storage.exists(premiere.fichier.name)
    with default_storage.open(premiere.fichier.name) as stocke:
        assert stocke.read() == PDF
    assert premiere.competence is not None and premiere.competence.code == "1.7"
    assert list(Piece.objects.dernieres_versions()) == [seconde]


def test_a_disguised_executable_is_refused_and_nothing_is_stored(rs5142: Any, tmp_path: Any) -> None:
    candidature = CandidatureFactory()
    with pytest.raises(ErreurMetier, match="format accepté"):
        services.deposer_piece(
            candidature,
            acteur=candidature.candidat,
            type_piece=TypePiece.PRESENTATION_PROJET,
            fichier=televerse("projet.pdf", EXE),
        )
    assert not Piece.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_someone_else_cannot_upload_to_a_file(rs5142: Any) -> None:
    candidature = CandidatureFactory()
    with pytest.raises(AccesRefuse):
        services.deposer_piece(
            candidature, acteur=UtilisateurFactory(), type_piece=TypePiece.AUTRE, fichier=televerse("a.pdf", PDF)
        )


def _recevable() -> Candidature:
    candidature = CandidatureFactory()
    services.deposer(candidature, acteur=candidature.candidat)
    gestion = creer_utilisateur(f"g{candidature.pk}@example.org", Role.GESTIONNAIRE)
    services.decider_recevabilite(candidature, acteur=gestion, decision=DecisionRecevabilite.RECEVABLE)
    return candidature


def test_bulk_ready_for_jury_is_all_or_nothing(rs5142: Any, gestionnaire: Any) -> None:
    prete = _recevable()
    PieceFactory(candidature=prete, type_piece=TypePiece.PRESENTATION_PROJET)
    sans_presentation = _recevable()
    with pytest.raises(ErreurMetier) as erreur:
        services.marquer_pretes_pour_jury([prete.pk, sans_presentation.pk], acteur=gestionnaire)
    assert "Aucune candidature n'a été modifiée" in erreur.value.message
    assert f"n°{sans_presentation.pk}" in erreur.value.message
    prete.refresh_from_db()
    assert prete.etat == EtatCandidature.RECEVABLE
    PieceFactory(candidature=sans_presentation, type_piece=TypePiece.PRESENTATION_PROJET)
    services.marquer_pretes_pour_jury([prete.pk, sans_presentation.pk], acteur=gestionnaire)
    assert set(Candidature.objects.values_list("etat", flat=True)) == {EtatCandidature.PRETE_POUR_JURY}
    assert len(_journal("candidatures.prete_pour_jury")) == 2


def test_training_route_needs_a_session_of_the_same_partner(rs5142: Any) -> None:
    session = SessionFormationFactory()
    autre = SessionFormationFactory(partenaire__siret="44306184100047", partenaire__nom="Autre")
    with pytest.raises(ErreurMetier, match="pas organisée par cet organisme"):
        services.creer_candidature(
            candidat=UtilisateurFactory(),
            certification=rs5142,
            voie=VoieAcces.FORMATION_CONTINUE,
            champs={"partenaire": autre.partenaire, "session_formation": session},
        )
    candidature = services.creer_candidature(
        candidat=UtilisateurFactory(),
        certification=rs5142,
        voie=VoieAcces.FORMATION_CONTINUE,
        champs={"session_formation": session},
    )
    assert candidature.partenaire == session.partenaire


def test_withdrawal_is_audited_and_frees_the_yearly_slot(rs5142: Any) -> None:
    candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE)
    services.retirer(candidature, acteur=candidature.candidat, motif="Déménagement")
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.ABANDONNEE
    with pytest.raises(ErreurMetier, match="état « Retirée »"):
        services.retirer(candidature, acteur=candidature.candidat)
    assert "Déménagement" in _journal("candidatures.retirer")[0].resume


def test_deadline_command_lists_overdue_files_and_fails(rs5142: Any) -> None:
    candidature = _deposable_experience(nom_naissance="Retard")
    services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=datetime.date(2020, 1, 6))
    sortie = io.StringIO()
    with pytest.raises(SystemExit) as fin:
        call_command("echeances_recevabilite", stdout=sortie)
    assert fin.value.code == 1
    assert f"n°{candidature.pk}" in sortie.getvalue()
    assert "due le 06/03/2020" in sortie.getvalue()


def test_a_session_of_another_certification_is_refused_on_edit(rs5142: Any) -> None:
    autre = Certification.objects.create(
        certificateur=rs5142.certificateur, registre="RS", code="RS9999", intitule="Autre certification"
    )
    session = SessionFormationFactory(certification=autre)
    candidature = CandidatureFactory(voie=VoieAcces.FORMATION_CONTINUE)
    with pytest.raises(ErreurMetier, match="prépare une autre certification"):
        services.modifier_dossier(candidature, acteur=candidature.candidat, champs={"session_formation": session})
    candidature.refresh_from_db()
    assert candidature.session_formation is None


def test_each_transition_tells_the_candidate_in_french_after_commit(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = CandidatureFactory()
    PieceFactory(candidature=candidature, type_piece=TypePiece.PRESENTATION_PROJET)
    with django_capture_on_commit_callbacks(execute=True):
        services.deposer(candidature, acteur=candidature.candidat)
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
        services.marquer_pretes_pour_jury([candidature.pk], acteur=gestionnaire)
    assert [m.subject for m in mail.outbox] == [
        "[RS5142] Dossier de candidature reçu",
        "[RS5142] Votre candidature est recevable",
        "[RS5142] Votre dossier est prêt pour le jury",
    ]
    assert all(m.to == [candidature.email] for m in mail.outbox)
    assert f"/candidat/candidatures/{candidature.pk}/" in mail.outbox[1].body


def test_a_refused_action_sends_nothing(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = CandidatureFactory(sexe="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ErreurMetier):
        services.deposer(candidature, acteur=candidature.candidat)
    assert mail.outbox == []


def test_a_birth_date_is_judged_by_the_day_in_paris_not_by_the_servers_utc_day() -> None:
    """At 23:30 UTC on 28 November it is already 29 November in Paris: someone born on 29 November 2010 is
    16 there (the minimum age), one day short by the server's UTC calendar."""
    from unittest import mock

    from django.core.exceptions import ValidationError

    from parchemin.candidatures.etat_civil import AGE_MINIMUM, valider_date_naissance

    minuit_passe_a_paris = datetime.datetime(2026, 11, 28, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=minuit_passe_a_paris):
        valider_date_naissance(datetime.date(2026 - AGE_MINIMUM, 11, 29))
        with pytest.raises(ValidationError, match="moins de"):
            valider_date_naissance(datetime.date(2026 - AGE_MINIMUM, 11, 30))
