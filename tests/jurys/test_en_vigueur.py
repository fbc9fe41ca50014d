"""The jury outcome stored on each application equals the definition, computed here independently in
Python from the passages and their amendments (``decision_en_vigueur``), whatever the sequence."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parchemin.candidatures.models import Candidature
from parchemin.jurys.en_vigueur import liste_ecarts, recalculer_decisions_en_vigueur
from parchemin.jurys.enums import Decision
from parchemin.jurys.models import AmendementDecision, Passage, SessionJury, decision_en_vigueur
from tests.candidatures.factories import UtilisateurFactory
from tests.jurys.factories import SessionJuryFactory, candidature_prete

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Two sessions at the same instant (the later passage wins), one a day before, one late on
# 31 December in UTC: already the next year in Paris, the year the statistics must show.
DEBUTS = (
    datetime.datetime(2024, 6, 10, 7, 0, tzinfo=UTC),
    datetime.datetime(2024, 6, 10, 7, 0, tzinfo=UTC),
    datetime.datetime(2024, 6, 9, 7, 0, tzinfo=UTC),
    datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
)


def attendu(candidature: Candidature) -> tuple[str, datetime.datetime | None, int | None]:
    """The decision in force read row by row: the latest passage on a signed PV, its last amendment."""
    signes = [
        p
        for p in Passage.objects.filter(candidature=candidature)
        .select_related("session")
        .prefetch_related("amendements")
        if p.verrouille and p.decision
    ]
    if not signes:
        return ("", None, None)
    dernier = max(signes, key=lambda p: (p.session.debut, p.pk))
    debut = dernier.session.debut
    return (decision_en_vigueur(dernier)["decision"], debut, timezone.localtime(debut).year)


def stocke(candidature: Candidature) -> tuple[str, datetime.datetime | None, int | None]:
    c = Candidature.objects.get(pk=candidature.pk)
    return (c.decision_finale, c.decide_le, c.annee_decision)


decisions = st.sampled_from(Decision.values)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("passage"),
            st.integers(0, 1),
            st.integers(0, len(DEBUTS) - 1),
            st.one_of(st.just(""), decisions),
            st.booleans(),
        ),
        st.tuples(st.just("amendement"), st.integers(0, 20), decisions),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suite=operations)
# Two signed passages at the same instant: the later one holds.
@example(suite=[("passage", 0, 1, Decision.REFUS, True), ("passage", 0, 0, Decision.ABSENT, True)])
# Two amendments of the same passage: the last one holds.
@example(
    suite=[
        ("passage", 1, 2, Decision.REFUS, True),
        ("amendement", 0, Decision.VALIDATION_TOTALE),
        ("amendement", 0, Decision.EXCUSE),
        ("passage", 1, 0, Decision.VALIDATION_PARTIELLE, False),
    ]
)
def test_the_stored_outcome_equals_the_definition_after_any_sequence(rs5142: Any, suite: list[tuple[Any, ...]]) -> None:
    with transaction.atomic():
        auteur = UtilisateurFactory()
        candidatures = [candidature_prete(), candidature_prete()]
        sessions = [SessionJuryFactory(debut=debut) for debut in DEBUTS]
        passages: list[Passage] = []
        for operation in suite:
            if operation[0] == "passage":
                _, qui, ou, decision, signe = operation
                candidature, session = candidatures[qui], sessions[ou]
                if Passage.objects.filter(candidature=candidature, session=session).exists():
                    continue
                passages.append(
                    Passage.objects.create(
                        session=session,
                        candidature=candidature,
                        decision_proposee=decision,
                        decision=decision,
                        verrouille=signe and bool(decision),
                    )
                )
                recalculer_decisions_en_vigueur([candidature.pk])
            elif passages:
                _, lequel, decision = operation
                passage = passages[lequel % len(passages)]
                AmendementDecision.objects.create(
                    passage=passage,
                    decision_avant=decision_en_vigueur(passage)["decision"],
                    decision_apres=decision,
                    motif="Erreur matérielle.",
                    auteur=auteur,
                )
                recalculer_decisions_en_vigueur([passage.candidature_id])
        for candidature in candidatures:
            assert stocke(candidature) == attendu(candidature)
        assert liste_ecarts() == []
        # Recomputing everything at once changes nothing.
        recalculer_decisions_en_vigueur(None)
        assert [stocke(c) for c in candidatures] == [attendu(c) for c in candidatures]
        transaction.set_rollback(True)


def test_a_session_late_on_31_december_counts_in_the_year_it_is_in_paris(rs5142: Any) -> None:
    candidature = candidature_prete()
    session = SessionJuryFactory(debut=DEBUTS[3])
    Passage.objects.create(
        session=session, candidature=candidature, decision_proposee="REFUS", decision="REFUS", verrouille=True
    )
    recalculer_decisions_en_vigueur([candidature.pk])
    assert stocke(candidature) == (Decision.REFUS, DEBUTS[3], 2025)


def test_saving_an_application_read_before_the_recompute_keeps_the_new_outcome(rs5142: Any) -> None:
    candidature = candidature_prete()
    lue_avant = Candidature.objects.get(pk=candidature.pk)
    session = SessionJuryFactory(debut=DEBUTS[0])
    Passage.objects.create(
        session=session, candidature=candidature, decision_proposee="REFUS", decision="REFUS", verrouille=True
    )
    recalculer_decisions_en_vigueur([candidature.pk])
    lue_avant.employeur_nom = "Tiers-lieu des Chartrons"
    lue_avant.save()
    apres = Candidature.objects.get(pk=candidature.pk)
    assert (apres.employeur_nom, apres.decision_finale, apres.annee_decision) == (
        "Tiers-lieu des Chartrons",
        Decision.REFUS,
        2024,
    )


def test_a_partial_outcome_is_refused_by_the_database(rs5142: Any) -> None:
    candidature = candidature_prete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidature.objects.filter(pk=candidature.pk).update(decision_finale=Decision.REFUS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidature.objects.filter(pk=candidature.pk).update(annee_decision=2024)


def test_the_data_migration_fills_existing_rows_with_the_definition(rs5142: Any) -> None:
    absente, reprise = candidature_prete(), candidature_prete()
    juin, novembre = SessionJuryFactory(debut=DEBUTS[0]), SessionJuryFactory(debut=DEBUTS[3])
    for candidature, session, decision in (
        (absente, juin, Decision.ABSENT),
        (reprise, juin, Decision.ABSENT),
        (reprise, novembre, Decision.VALIDATION_TOTALE),
    ):
        Passage.objects.create(
            session=session, candidature=candidature, decision_proposee=decision, decision=decision, verrouille=True
        )
    assert len(liste_ecarts()) == 2  # rows written before the migration carry no outcome

    importlib.import_module("parchemin.jurys.migrations.0009_decisions_en_vigueur").remplir(apps, None)

    assert liste_ecarts() == []
    assert stocke(absente) == (Decision.ABSENT, DEBUTS[0], 2024)
    assert stocke(reprise) == (Decision.VALIDATION_TOTALE, DEBUTS[3], 2025)


def test_a_signed_passage_can_be_neither_unlocked_nor_deleted(rs5142: Any) -> None:
    """What ``jurys.en_vigueur`` relies on when it names the only paths that change its inputs."""
    candidature = candidature_prete()
    passage = Passage.objects.create(
        session=SessionJuryFactory(debut=DEBUTS[0]),
        candidature=candidature,
        decision_proposee="REFUS",
        decision="REFUS",
        verrouille=True,
    )
    with pytest.raises(DatabaseError, match="verrouill"), transaction.atomic():
        Passage.objects.filter(pk=passage.pk).update(verrouille=False)
    with pytest.raises(DatabaseError, match="verrouill"), transaction.atomic():
        SessionJury.objects.filter(pk=passage.session_id).delete()


def test_many_applications_are_written_batch_by_batch(rs5142: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parchemin.jurys.en_vigueur.TAILLE_LOT", 2)
    session = SessionJuryFactory(debut=DEBUTS[0])
    candidatures = [candidature_prete() for _ in range(5)]
    for candidature in candidatures:
        Passage.objects.create(
            session=session, candidature=candidature, decision_proposee="REFUS", decision="REFUS", verrouille=True
        )
    assert len(liste_ecarts()) == 5

    assert recalculer_decisions_en_vigueur(c.pk for c in candidatures) == 5
    assert liste_ecarts() == []
