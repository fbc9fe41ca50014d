"""Retention policy: what goes, when, and what stays (PV, decisions, holders)."""

from __future__ import annotations

import datetime
import io
import os
import time
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from parchemin.candidatures import conservation, services
from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature, Piece
from parchemin.dates import ajouter_mois
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import verifier_chaine
from parchemin.jurys.enums import Decision, Niveau, StatutSession
from parchemin.jurys.models import Evaluation, Grille, Passage, ProcesVerbal
from parchemin.referentiel.models import Competence

from ..jurys.factories import MembreJuryFactory, SessionJuryFactory, candidature_prete
from .factories import CandidatureFactory, PieceFactory

DUREES = conservation.Durees(recours_mois=2, archive_mois=12, non_admis_mois=6, brouillon_mois=12)
pytestmark = pytest.mark.usefixtures("rs5142")


def _moment(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10, 0)))


def _fermee(etat: str, le: datetime.date, **champs: Any) -> Candidature:
    """An application closed on ``le`` (state and dates set in the database, as history left them)."""
    candidature = CandidatureFactory(**champs)
    PieceFactory(candidature=candidature)
    Candidature.objects.filter(pk=candidature.pk).update(etat=etat, decision_le=_moment(le), modifiee_le=_moment(le))
    return Candidature.objects.get(pk=candidature.pk)


def _decidee(le: datetime.date, gestionnaire: Any, decision: str = Decision.VALIDATION_TOTALE) -> Candidature:
    """Decided by a jury whose PV is signed: locked passage, locked PV, a grid with a comment."""
    candidature = candidature_prete()
    PieceFactory(candidature=candidature)
    services.enregistrer_decision_jury(candidature, acteur=gestionnaire)
    session = SessionJuryFactory(debut=_moment(le), statut=StatutSession.VERROUILLEE)
    passage = Passage.objects.create(
        session=session,
        candidature=candidature,
        decision_proposee=decision,
        decision=decision,
        deliberee_le=_moment(le),
        verrouille=True,
    )
    ProcesVerbal.objects.create(
        session=session, sha256="a" * 64, pdf=b"%PDF", genere_le=_moment(le), verrouille_le=_moment(le)
    )
    grille = Grille.objects.create(passage=passage, membre=MembreJuryFactory(), soumise_le=_moment(le))
    competence = Competence.objects.filter(unite__version=candidature.version_referentiel).first()
    Evaluation.objects.create(grille=grille, competence=competence, niveau=Niveau.ACQUIS, commentaire="Très à l'aise.")
    return Candidature.objects.get(pk=candidature.pk)


def _fichiers(candidature: Candidature) -> list[str]:
    return list(candidature.pieces.values_list("fichier", flat=True))


def _existe(nom: str) -> bool:
    return conservation.stockage_pieces().exists(nom)


# --- Boundaries ------------------------------------------------------------------------------------


def test_non_recevable_is_kept_the_day_before_and_purged_on_the_due_day(
    django_capture_on_commit_callbacks: Any,
) -> None:
    decidee_le = datetime.date(2026, 1, 15)
    candidature = _fermee(EtatCandidature.NON_RECEVABLE, decidee_le)
    echeance = ajouter_mois(decidee_le, 6)
    assert conservation.a_purger(echeance - datetime.timedelta(days=1), DUREES) == []
    [purge] = conservation.a_purger(echeance, DUREES)
    assert (purge.candidature_id, purge.categorie, purge.echeance) == (
        candidature.pk,
        conservation.NON_ADMISE,
        echeance,
    )


def test_decided_file_waits_for_appeal_window_plus_archive(gestionnaire: Any) -> None:
    decidee_le = datetime.date(2026, 3, 31)
    candidature = _decidee(decidee_le, gestionnaire)
    echeance = ajouter_mois(decidee_le, 14)
    assert echeance == datetime.date(2027, 5, 31)
    assert conservation.a_purger(echeance - datetime.timedelta(days=1), DUREES) == []
    [purge] = conservation.a_purger(echeance, DUREES)
    assert purge.candidature_id == candidature.pk
    assert purge.categorie == conservation.DECIDEE
    assert not purge.anonymiser


def test_idle_draft_counts_from_its_last_upload() -> None:
    brouillon = CandidatureFactory()
    Candidature.objects.filter(pk=brouillon.pk).update(modifiee_le=_moment(datetime.date(2025, 1, 10)))
    piece = PieceFactory(candidature=brouillon)
    Piece.objects.filter(pk=piece.pk).update(deposee_le=_moment(datetime.date(2025, 6, 1)))
    assert conservation.a_purger(datetime.date(2026, 5, 31), DUREES) == []
    [purge] = conservation.a_purger(datetime.date(2026, 6, 1), DUREES)
    assert purge.categorie == conservation.BROUILLON_ABANDONNE and purge.clore


def test_live_files_are_never_due() -> None:
    candidature = candidature_prete()
    Candidature.objects.filter(pk=candidature.pk).update(modifiee_le=_moment(datetime.date(2000, 1, 1)))
    assert conservation.a_purger(datetime.date(2040, 1, 1), DUREES) == []


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ferme_le=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
    ecart=st.integers(min_value=-400, max_value=400),
    mois=st.integers(min_value=0, max_value=36),
)
def test_due_exactly_from_the_date_the_duration_ends(ferme_le: datetime.date, ecart: int, mois: int) -> None:
    candidature = _fermee(EtatCandidature.ABANDONNEE, ferme_le)
    durees = conservation.Durees(recours_mois=2, archive_mois=12, non_admis_mois=mois, brouillon_mois=12)
    aujourd_hui = ajouter_mois(ferme_le, mois) + datetime.timedelta(days=ecart)
    purge = conservation.evaluer(candidature, aujourd_hui, durees)
    assert (purge is not None) == (ecart >= 0)
    # The due date is never before the closing date plus the whole number of months.
    if purge is not None:
        assert purge.echeance > ferme_le or mois == 0
        assert (purge.echeance.year - ferme_le.year) * 12 + purge.echeance.month - ferme_le.month == mois
    candidature.pieces.all().delete()
    Candidature.objects.filter(pk=candidature.pk).delete()


# --- What the purge does -----------------------------------------------------------------------------


def test_non_admitted_candidate_is_anonymised_and_keeps_statistics(django_capture_on_commit_callbacks: Any) -> None:
    candidature = _fermee(EtatCandidature.NON_RECEVABLE, datetime.date(2025, 1, 10), employeur_nom="La Fabrique")
    fichiers = _fichiers(candidature)
    assert fichiers and all(_existe(nom) for nom in fichiers)
    with django_capture_on_commit_callbacks(execute=True):
        conservation.purger(datetime.date(2026, 1, 1), timezone.now(), DUREES)
    apres = Candidature.objects.get(pk=candidature.pk)
    for nom, vide in conservation.CHAMPS_ANONYMISES.items():
        assert getattr(apres, nom) == vide, nom
    assert apres.nom_recherche.strip() == ""
    assert (apres.etat, apres.voie, apres.annee, apres.certification_id, apres.niveau_diplome) == (
        EtatCandidature.NON_RECEVABLE,
        candidature.voie,
        candidature.annee,
        candidature.certification_id,
        candidature.niveau_diplome,
    )
    assert apres.decision_le == candidature.decision_le
    assert not apres.pieces.exists()
    assert not any(_existe(nom) for nom in fichiers)


def test_idle_draft_is_closed_then_anonymised(django_capture_on_commit_callbacks: Any) -> None:
    brouillon = CandidatureFactory()
    Candidature.objects.filter(pk=brouillon.pk).update(modifiee_le=_moment(datetime.date(2024, 1, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        conservation.purger(datetime.date(2026, 1, 1), timezone.now(), DUREES)
    apres = Candidature.objects.get(pk=brouillon.pk)
    assert apres.etat == EtatCandidature.ABANDONNEE
    assert apres.nom_naissance == "" and apres.email == "" and apres.date_naissance is None


def test_decided_candidate_keeps_identity_decision_and_pv_but_loses_pieces_and_comments(
    gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = _decidee(datetime.date(2025, 1, 10), gestionnaire)
    fichiers = _fichiers(candidature)
    with django_capture_on_commit_callbacks(execute=True):
        bilan = conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert [p.candidature_id for p in bilan.purges] == [candidature.pk]
    apres = Candidature.objects.get(pk=candidature.pk)
    assert (apres.nom_naissance, apres.prenom1, apres.date_naissance, apres.email) == (
        candidature.nom_naissance,
        candidature.prenom1,
        candidature.date_naissance,
        candidature.email,
    )
    assert apres.etat == EtatCandidature.DECIDEE
    passage = Passage.objects.get(candidature=candidature)
    assert (passage.decision, passage.verrouille) == (Decision.VALIDATION_TOTALE, True)
    assert ProcesVerbal.objects.filter(session=passage.session, verrouille_le__isnull=False).exists()
    evaluation = Evaluation.objects.get(grille__passage=passage)
    assert (evaluation.commentaire, evaluation.niveau) == ("", Niveau.ACQUIS)
    assert not apres.pieces.exists()
    assert not any(_existe(nom) for nom in fichiers)


def test_withdrawn_after_a_jury_decision_is_treated_as_decided(gestionnaire: Any) -> None:
    """A jury's record names the candidate: the identity stays with the signed PV."""
    candidature = _decidee(datetime.date(2025, 1, 10), gestionnaire)
    Candidature.objects.filter(pk=candidature.pk).update(etat=EtatCandidature.ABANDONNEE)
    [purge] = conservation.a_purger(datetime.date(2026, 6, 1), DUREES)
    assert purge.categorie == conservation.DECIDEE and not purge.anonymiser


def test_second_run_purges_nothing_and_writes_nothing(
    gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _fermee(EtatCandidature.ABANDONNEE, datetime.date(2025, 1, 10))
    _decidee(datetime.date(2024, 1, 10), gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        premier = conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert len(premier.purges) == 2
    entrees = EntreeJournal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert second.vide
    assert EntreeJournal.objects.count() == entrees


def test_audit_entries_give_counts_and_ids_without_personal_data(django_capture_on_commit_callbacks: Any) -> None:
    candidature = _fermee(EtatCandidature.ABANDONNEE, datetime.date(2025, 1, 10), nom_naissance="Duchemin")
    piece_ids = list(candidature.pieces.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    entree = EntreeJournal.objects.get(action="candidatures.purge_conservation")
    assert (entree.objet_type, entree.objet_id) == ("candidatures.candidature", str(candidature.pk))
    assert entree.apres["pieces_supprimees"] == piece_ids
    assert "nom_naissance" in entree.apres["champs_anonymises"]
    bilan = EntreeJournal.objects.get(action="conservation.purge")
    assert bilan.apres["candidatures"] == [candidature.pk]
    for texte in (entree.resume, str(entree.apres), str(entree.avant), entree.objet_libelle, bilan.resume):
        assert "Duchemin" not in texte and candidature.email not in texte
    assert verifier_chaine()[1] is None


def test_storage_failure_leaves_no_row_and_the_next_sweep_deletes_the_file(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = _fermee(EtatCandidature.ABANDONNEE, datetime.date(2025, 1, 10))
    [nom] = _fichiers(candidature)

    def en_panne(self: FileSystemStorage, nom: str) -> None:
        raise OSError("stockage indisponible")

    monkeypatch.setattr(FileSystemStorage, "delete", en_panne)
    with django_capture_on_commit_callbacks(execute=True):
        conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert not Piece.objects.filter(candidature=candidature).exists()
    assert _existe(nom)
    monkeypatch.undo()
    bilan = conservation.purger(datetime.date(2026, 6, 1), timezone.now() + datetime.timedelta(days=2), DUREES)
    assert bilan.orphelins == [nom]
    assert not _existe(nom)


def test_files_stay_when_the_transaction_rolls_back(monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    candidature = _fermee(EtatCandidature.ABANDONNEE, datetime.date(2025, 1, 10))
    fichiers = _fichiers(candidature)

    def journal_en_panne(**_: Any) -> None:
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(conservation, "enregistrer", journal_en_panne)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert Candidature.objects.get(pk=candidature.pk).nom_naissance == candidature.nom_naissance
    assert _fichiers(candidature) == fichiers and all(_existe(nom) for nom in fichiers)


# --- Orphan sweep ----------------------------------------------------------------------------------


def _vieillir(nom: str, jours: int) -> None:
    chemin = conservation.stockage_pieces().path(nom)
    instant = time.time() - jours * 86400
    os.utime(chemin, (instant, instant))


def test_orphan_sweep_deletes_only_old_unreferenced_files() -> None:
    stockage = conservation.stockage_pieces()
    gardee = PieceFactory()
    ancien = stockage.save("candidatures/999/orphelin.pdf", ContentFile(b"%PDF-1.4"))
    recent = stockage.save("candidatures/999/en-cours.pdf", ContentFile(b"%PDF-1.4"))
    ailleurs = stockage.save("autres/ancien.pdf", ContentFile(b"%PDF-1.4"))
    for nom in (ancien, ailleurs, gardee.fichier.name):
        _vieillir(nom, 3)
    bilan = conservation.purger(datetime.date(2026, 6, 1), timezone.now(), DUREES)
    assert bilan.orphelins == [ancien]
    assert not stockage.exists(ancien)
    assert stockage.exists(recent) and stockage.exists(ailleurs) and stockage.exists(gardee.fichier.name)
    assert EntreeJournal.objects.get(action="conservation.purge").apres["fichiers_orphelins"] == [ancien]


# --- Command -----------------------------------------------------------------------------------------


def test_simulation_lists_but_writes_and_deletes_nothing(gestionnaire: Any) -> None:
    candidature = _fermee(EtatCandidature.NON_RECEVABLE, datetime.date(2025, 1, 10))
    fichiers = _fichiers(candidature)
    orphelin = conservation.stockage_pieces().save("candidatures/999/orphelin.pdf", ContentFile(b"%PDF-1.4"))
    _vieillir(orphelin, 3)
    entrees = EntreeJournal.objects.count()
    sortie = io.StringIO()
    call_command("purger_donnees_personnelles", "--simulation", "--date", "2026-06-01", stdout=sortie)
    texte = sortie.getvalue()
    assert f"n°{candidature.pk} (non recevable ou retirée" in texte
    assert orphelin in texte
    assert "rien n'est écrit" in texte
    assert candidature.nom_naissance not in texte
    assert EntreeJournal.objects.count() == entrees
    apres = Candidature.objects.get(pk=candidature.pk)
    assert apres.nom_naissance == candidature.nom_naissance and _fichiers(apres) == fichiers
    assert all(_existe(nom) for nom in [*fichiers, orphelin])


def test_command_purges_on_the_given_date(django_capture_on_commit_callbacks: Any) -> None:
    candidature = _fermee(EtatCandidature.NON_RECEVABLE, datetime.date(2025, 1, 10))
    sortie = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purger_donnees_personnelles", "--date", "2025-07-09", stdout=sortie)
    assert Candidature.objects.get(pk=candidature.pk).nom_naissance == candidature.nom_naissance
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purger_donnees_personnelles", "--date", "2025-07-10", stdout=sortie)
    assert Candidature.objects.get(pk=candidature.pk).nom_naissance == ""
    assert "1 candidature(s) purgée(s)" in sortie.getvalue()
