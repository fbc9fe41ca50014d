"""Habilitations: granted, suspended, withdrawn or ended with a reason, each change audited, and the
list France compétences must hold kept in view."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from parchemin.comptes.enums import Role
from parchemin.dates import ajouter_mois
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.partenaires import services
from parchemin.partenaires.enums import EtatHabilitation
from parchemin.partenaires.exports import export_csv, export_xlsx
from parchemin.partenaires.models import ChangementHabilitation, EnvoiListeFranceCompetences, Habilitation
from tests.comptes.outils import creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, PartenaireFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def gestionnaire(db: None) -> Any:
    return creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)


def _habiliter(gestionnaire: Any, rs5142: Any, **donnees: Any) -> Habilitation:
    return services.enregistrer_habilitation(
        gestionnaire,
        partenaire=donnees.pop("partenaire", None) or PartenaireFactory(),
        certification=rs5142,
        donnees={"preparer": True, "evaluer": False, "date_debut": timezone.localdate(), **donnees},
        motif="Convention signée le 2 mars",
    )


def test_granting_records_the_change_with_its_reason_and_audits_it(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142, redevance="5 % du prix", evaluer=True)
    assert habilitation.etat == EtatHabilitation.ACTIVE and habilitation.objet == "préparer et évaluer"
    changement = habilitation.changements.get()
    assert changement.motif == "Convention signée le 2 mars" and changement.acteur == gestionnaire
    entree = EntreeJournal.objects.get(action="partenaires.habiliter")
    assert entree.apres is not None and entree.apres["redevance"] == "5 % du prix"


def test_only_staff_may_grant(rs5142: Any) -> None:
    partenaire = PartenaireFactory()
    admin_of = creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=partenaire)
    with pytest.raises(AccesRefuse):
        _habiliter(admin_of, rs5142, partenaire=partenaire)


def test_refuses_a_second_habilitation_in_force_for_the_same_certification(gestionnaire: Any, rs5142: Any) -> None:
    partenaire = PartenaireFactory()
    _habiliter(gestionnaire, rs5142, partenaire=partenaire)
    with pytest.raises(ErreurMetier, match="déjà une habilitation en cours"):
        _habiliter(gestionnaire, rs5142, partenaire=partenaire)
    assert Habilitation.objects.count() == 1


def test_refuses_an_habilitation_that_neither_prepares_nor_assesses(gestionnaire: Any, rs5142: Any) -> None:
    with pytest.raises(ErreurMetier, match="préparer et/ou d'évaluer"):
        _habiliter(gestionnaire, rs5142, preparer=False, evaluer=False)
    assert not Habilitation.objects.exists()


def test_state_changes_follow_the_allowed_transitions(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    habilitation = services.changer_etat_habilitation(gestionnaire, habilitation, "suspendre", "Audit en cours")
    assert habilitation.etat == EtatHabilitation.SUSPENDUE
    habilitation = services.changer_etat_habilitation(gestionnaire, habilitation, "reactiver", "Audit conforme")
    habilitation = services.changer_etat_habilitation(gestionnaire, habilitation, "terminer", "Fin de convention")
    assert habilitation.etat == EtatHabilitation.TERMINEE
    with pytest.raises(ErreurMetier, match="terminée"):
        services.changer_etat_habilitation(gestionnaire, habilitation, "reactiver", "Erreur")
    natures = list(habilitation.changements.order_by("horodatage", "pk").values_list("nature", "etat_apres"))
    assert natures == [
        ("habilitation accordée", "ACTIVE"),
        ("suspension", "SUSPENDUE"),
        ("réactivation", "ACTIVE"),
        ("fin", "TERMINEE"),
    ]
    assert EntreeJournal.objects.filter(action__startswith="partenaires.habilitation_").count() == 3


def test_a_change_without_reason_is_refused_and_changes_nothing(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    with pytest.raises(ErreurMetier, match="motif"):
        services.changer_etat_habilitation(gestionnaire, habilitation, "retirer", "   ")
    habilitation.refresh_from_db()
    assert habilitation.etat == EtatHabilitation.ACTIVE and habilitation.changements.count() == 1


def test_withdrawal_unpublishes_future_sessions_but_keeps_past_ones(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    future = SessionFormationFactory(partenaire=habilitation.partenaire)
    passee = SessionFormationFactory(
        partenaire=habilitation.partenaire, date_debut=timezone.localdate() - datetime.timedelta(days=40)
    )
    autre = SessionFormationFactory()
    services.changer_etat_habilitation(gestionnaire, habilitation, "retirer", "Manquements graves")
    for session in (future, passee, autre):
        session.refresh_from_db()
    assert not future.publiee and passee.publiee and autre.publiee


@pytest.mark.parametrize(
    "termes",
    [
        {"preparer": False, "evaluer": True},
        {"date_debut": timezone.localdate() - datetime.timedelta(days=400), "date_fin": timezone.localdate()
         - datetime.timedelta(days=1)},
    ],
    ids=["assess-only", "validity-ended"],
)  # fmt: skip
def test_new_terms_that_no_longer_allow_preparing_unpublish_future_sessions(
    gestionnaire: Any, rs5142: Any, termes: dict[str, Any]
) -> None:
    habilitation = _habiliter(gestionnaire, rs5142, date_debut=timezone.localdate() - datetime.timedelta(days=400))
    future = SessionFormationFactory(partenaire=habilitation.partenaire)
    en_cours = SessionFormationFactory(
        partenaire=habilitation.partenaire, date_debut=timezone.localdate() - datetime.timedelta(days=3)
    )
    services.enregistrer_habilitation(
        gestionnaire,
        partenaire=habilitation.partenaire,
        certification=rs5142,
        donnees=termes,
        motif="Avenant du 3 mars",
        habilitation=habilitation,
    )
    future.refresh_from_db()
    en_cours.refresh_from_db()
    assert not future.publiee and en_cours.publiee
    assert "1 session(s) future(s) retirée(s)" in EntreeJournal.objects.order_by("-pk").first().resume


def test_new_terms_that_still_allow_preparing_keep_sessions_published(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    future = SessionFormationFactory(partenaire=habilitation.partenaire)
    services.enregistrer_habilitation(
        gestionnaire,
        partenaire=habilitation.partenaire,
        certification=rs5142,
        donnees={"evaluer": True, "redevance": "5 % du prix"},
        motif="Ajout de l'évaluation",
        habilitation=habilitation,
    )
    future.refresh_from_db()
    assert future.publiee


def test_convention_must_be_a_real_pdf_of_at_most_10_mo(
    gestionnaire: Any, rs5142: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    habilitation = _habiliter(gestionnaire, rs5142)
    faux = SimpleUploadedFile("convention.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ErreurMetier, match="format accepté"):
        services.deposer_convention(gestionnaire, habilitation, faux)
    gros = SimpleUploadedFile("convention.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ErreurMetier, match="limite"):
        services.deposer_convention(gestionnaire, habilitation, gros)
    habilitation.refresh_from_db()
    assert not habilitation.convention
    services.deposer_convention(gestionnaire, habilitation, SimpleUploadedFile("signée.pdf", PDF))
    habilitation.refresh_from_db()
    with habilitation.convention.open("rb") as fichier:
        assert fichier.read().startswith(b"%PDF-")


def test_reminder_when_the_list_sent_is_older_than_the_last_change(gestionnaire: Any, rs5142: Any) -> None:
    assert not services.etat_liste_france_competences().a_envoyer
    _habiliter(gestionnaire, rs5142)
    etat = services.etat_liste_france_competences()
    aujourd_hui = timezone.localdate()
    assert etat.a_envoyer and etat.dernier_envoi is None
    assert etat.echeance == ajouter_mois(aujourd_hui, 2)
    assert not etat.en_retard
    assert services.etat_liste_france_competences(aujourd_hui + datetime.timedelta(days=63)).en_retard
    services.enregistrer_envoi_liste(gestionnaire, aujourd_hui)
    assert not services.etat_liste_france_competences().a_envoyer


def test_a_change_later_on_the_sending_day_is_still_to_send(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    services.enregistrer_envoi_liste(gestionnaire, timezone.localdate())
    assert not services.etat_liste_france_competences().a_envoyer
    services.changer_etat_habilitation(gestionnaire, habilitation, "suspendre", "Contrôle en cours")
    etat = services.etat_liste_france_competences()
    assert etat.a_envoyer and etat.echeance == ajouter_mois(timezone.localdate(), 2)


def test_a_list_sent_after_the_change_but_recorded_later_covers_it(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    ChangementHabilitation.objects.filter(habilitation=habilitation).update(
        horodatage=timezone.now() - datetime.timedelta(days=10)
    )
    services.enregistrer_envoi_liste(gestionnaire, timezone.localdate() - datetime.timedelta(days=5))
    assert not services.etat_liste_france_competences().a_envoyer


def test_reminder_deadline_counts_from_the_oldest_change_not_sent(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142)
    il_y_a_trois_mois = timezone.now() - datetime.timedelta(days=90)
    ChangementHabilitation.objects.filter(habilitation=habilitation).update(horodatage=il_y_a_trois_mois)
    services.changer_etat_habilitation(gestionnaire, habilitation, "suspendre", "Contrôle")
    etat = services.etat_liste_france_competences()
    assert etat.en_retard


def test_sending_date_cannot_be_in_the_future(gestionnaire: Any) -> None:
    with pytest.raises(ErreurMetier, match="futur"):
        services.enregistrer_envoi_liste(gestionnaire, timezone.localdate() + datetime.timedelta(days=1))
    assert not EnvoiListeFranceCompetences.objects.exists()


def test_exports_list_habilitations_with_their_history(gestionnaire: Any, rs5142: Any) -> None:
    habilitation = _habiliter(gestionnaire, rs5142, partenaire=PartenaireFactory(nom='=HYPERLINK("x")'))
    services.changer_etat_habilitation(gestionnaire, habilitation, "suspendre", "Contrôle qualité")
    texte = export_csv().decode("utf-8-sig")
    assert habilitation.partenaire.siret in texte and "Suspendue" in texte and "Contrôle qualité" in texte
    assert "'=HYPERLINK" in texte  # never a live formula in a spreadsheet
    classeur = load_workbook(io.BytesIO(export_xlsx()))
    assert classeur.sheetnames == ["Habilitations", "Historique"]
    lignes = list(classeur["Historique"].values)
    assert [ligne[4] for ligne in lignes[1:]] == ["habilitation accordée", "suspension"]
    assert list(classeur["Habilitations"].values)[1][4] == "RS5142"


def test_partner_rename_updates_the_catalogue_search_text(gestionnaire: Any, rs5142: Any) -> None:
    session = SessionFormationFactory()
    services.enregistrer_partenaire(gestionnaire, {"nom": "Fabrique Numérique"}, session.partenaire)
    session.refresh_from_db()
    assert "fabrique numerique" in session.texte_recherche


def test_invalid_siret_is_refused_with_a_clear_message(gestionnaire: Any) -> None:
    with pytest.raises(ErreurMetier, match="clé de contrôle"):
        services.enregistrer_partenaire(gestionnaire, {"nom": "Organisme", "siret": "73282932000075"})
    with pytest.raises(ErreurMetier, match="14 chiffres"):
        services.enregistrer_partenaire(gestionnaire, {"nom": "Organisme", "siret": "1234"})


def test_factory_habilitation_is_valid(rs5142: Any) -> None:
    HabilitationFactory().full_clean(exclude=["etat"])


def test_the_daily_job_ends_lapsed_habilitations_once_with_history_journal_and_unpublishing(rs5142: Any) -> None:
    from django.core.management import call_command

    aujourd_hui = timezone.localdate()
    echue = HabilitationFactory(date_fin=aujourd_hui - datetime.timedelta(days=1))
    dernier_jour = HabilitationFactory(date_fin=aujourd_hui)
    future = SessionFormationFactory(partenaire=echue.partenaire, date_debut=aujourd_hui + datetime.timedelta(days=20))
    SessionFormation = type(future)
    SessionFormation.objects.filter(pk=future.pk).update(publiee=True)

    sortie = io.StringIO()
    call_command("cloturer_habilitations_echues", "--simulation", stdout=sortie)
    assert "1 habilitation(s) à terminer" in sortie.getvalue()
    assert Habilitation.objects.get(pk=echue.pk).etat == EtatHabilitation.ACTIVE

    call_command("cloturer_habilitations_echues", stdout=io.StringIO())
    echue.refresh_from_db()
    dernier_jour.refresh_from_db()
    assert echue.etat == EtatHabilitation.TERMINEE
    assert dernier_jour.etat == EtatHabilitation.ACTIVE, "the last day of validity is still valid"
    changement = ChangementHabilitation.objects.get(habilitation=echue, nature="fin de validité")
    assert changement.acteur is None and changement.etat_avant == EtatHabilitation.ACTIVE
    assert echue.date_fin is not None and f"{echue.date_fin:%d/%m/%Y}" in changement.motif
    entree = EntreeJournal.objects.get(action="partenaires.habilitation_echue")
    assert entree.objet_id == str(echue.pk) and "1 session(s) future(s) retirée(s)" in entree.resume
    assert SessionFormation.objects.get(pk=future.pk).publiee is False

    sortie = io.StringIO()
    call_command("cloturer_habilitations_echues", stdout=sortie)
    assert "0 habilitation(s) terminée(s)" in sortie.getvalue()
    assert ChangementHabilitation.objects.filter(habilitation=echue, nature="fin de validité").count() == 1
