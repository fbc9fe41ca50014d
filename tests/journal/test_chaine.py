"""The audit journal: append-only, hash-chained, tampering detected."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import enregistrer, verifier_chaine

pytestmark = pytest.mark.django_db


def _trois_entrees() -> list[EntreeJournal]:
    return [enregistrer(action=f"test.action{i}", resume=f"entrée {i}", apres={"n": i}) for i in range(3)]


def test_entries_are_chained_and_verify() -> None:
    entrees = _trois_entrees()
    assert entrees[0].hash_precedent == "0" * 64
    assert entrees[1].hash_precedent == entrees[0].hash
    assert entrees[2].hash_precedent == entrees[1].hash
    assert verifier_chaine() == (3, None)
    sortie = io.StringIO()
    call_command("verifier_journal", stdout=sortie)
    assert "3 entrée(s)" in sortie.getvalue()


def test_database_refuses_update_of_an_entry() -> None:
    entree = _trois_entrees()[1]
    with pytest.raises(DatabaseError), transaction.atomic():
        EntreeJournal.objects.filter(pk=entree.pk).update(resume="falsifié")


def test_delete_is_refused_by_postgresql_and_caught_by_the_chain_on_sqlite() -> None:
    entree = _trois_entrees()[1]
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            EntreeJournal.objects.filter(pk=entree.pk).delete()
        assert verifier_chaine() == (3, None)
    else:
        EntreeJournal.objects.filter(pk=entree.pk).delete()
        _, rupture = verifier_chaine()
        assert rupture is not None and rupture.sequence == entree.sequence


def _falsifier(sql: str, params: list[object]) -> None:
    """Tamper behind the application's back, as someone with raw database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session: what a malicious DBA could do.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER journal_entree_no_update")
            cursor.execute(sql, params)


def test_forged_row_is_detected_and_named() -> None:
    entrees = _trois_entrees()
    _falsifier("UPDATE journal_entreejournal SET resume = %s WHERE id = %s", ["falsifié", entrees[1].pk])
    compte, rupture = verifier_chaine()
    assert compte == 1
    assert rupture is not None and rupture.sequence == entrees[1].sequence
    with pytest.raises(CommandError, match=f"n°{entrees[1].sequence}"):
        call_command("verifier_journal", stdout=io.StringIO())


def test_deleted_row_is_detected() -> None:
    entrees = _trois_entrees()
    _falsifier("DELETE FROM journal_entreejournal WHERE id = %s", [entrees[1].pk])
    _, rupture = verifier_chaine()
    assert rupture is not None and rupture.sequence == entrees[1].sequence


def test_deleted_tail_is_detected() -> None:
    entrees = _trois_entrees()
    _falsifier("DELETE FROM journal_entreejournal WHERE id = %s", [entrees[2].pk])
    _, rupture = verifier_chaine()
    assert rupture is not None and "fin de journal" in rupture.raison
