"""Checkpoints anchor the audit chain outside the database: a chain rewritten with recomputed hashes,
or cut at the tail with the head row updated, passes the hash-chain check but not the checkpoints."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from parchemin.comptes.enums import Role
from parchemin.courriels.models import Courriel
from parchemin.journal import ancrage
from parchemin.journal.models import EntreeJournal, TeteJournal
from parchemin.journal.services import enregistrer, verifier_chaine
from tests.comptes.outils import creer_utilisateur


def _falsifier(sql: str, params: list[object]) -> None:
    """Tamper behind the application's back, triggers off, as someone with raw database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS journal_entree_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS journal_entree_no_delete")
            cursor.execute(sql, params)


def _lire(chemin: str) -> dict[str, Any]:
    with default_storage.open(chemin, "rb") as fichier:
        return json.loads(fichier.read())


pytestmark = pytest.mark.django_db


def _entrees(n: int) -> list[EntreeJournal]:
    return [enregistrer(action=f"test.action{i}", resume=f"entrée {i}", apres={"n": i}) for i in range(n)]


def _reecrire_depuis(sequence: int, resume: str) -> None:
    """What an insider with database access does: change one entry, then recompute every hash after
    it and the head row, so that the chain is consistent again."""
    _falsifier("UPDATE journal_entreejournal SET resume = %s WHERE sequence = %s", [resume, sequence])
    precedent = EntreeJournal.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for entree in EntreeJournal.objects.filter(sequence__gte=sequence).order_by("sequence"):
        entree.hash_precedent = precedent
        entree.hash = entree.calculer_hash()
        _falsifier(
            "UPDATE journal_entreejournal SET hash_precedent = %s, hash = %s WHERE id = %s",
            [entree.hash_precedent, entree.hash, entree.pk],
        )
        precedent = entree.hash
    TeteJournal.objects.filter(pk=1).update(dernier_hash=precedent)


def test_a_checkpoint_is_signed_stored_and_mailed_to_administrators() -> None:
    creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR)
    _entrees(3)
    sortie = io.StringIO()
    call_command("ancrer_journal", stdout=sortie)
    assert "entrée n°3" in sortie.getvalue()
    [point], problemes = ancrage.points_de_controle()
    assert problemes == [] and point.sequence == 3
    assert point.hash == EntreeJournal.objects.get(sequence=3).hash
    stocke = _lire(point.chemin)
    assert stocke["cle_publique"] == ancrage.empreinte_cle_publique()
    courriel = Courriel.objects.get(sujet__contains="Point de contrôle du journal d'audit n°3")
    assert courriel.destinataires == ["admin@example.org"]
    assert courriel.pieces_jointes.count() == 1
    sortie = io.StringIO()
    call_command("verifier_journal", stdout=sortie)
    assert "1 point(s) de contrôle concordant(s)" in sortie.getvalue()


def test_a_history_rewritten_with_recomputed_hashes_is_caught_by_the_checkpoint() -> None:
    _entrees(3)
    ancrage.creer_point_de_controle("test")
    _entrees(1)
    _reecrire_depuis(2, "falsifié")
    assert verifier_chaine() == (4, None)  # the hash chain alone no longer sees anything
    concordants, problemes = ancrage.verifier_points_de_controle()
    assert concordants == 0
    assert len(problemes) == 1 and problemes[0].startswith("historique réécrit : l'entrée n°3")
    with pytest.raises(CommandError, match="historique réécrit"):
        call_command("verifier_journal", stdout=io.StringIO())


def test_a_cut_tail_with_the_head_updated_is_caught_by_the_checkpoint() -> None:
    entrees = _entrees(4)
    ancrage.creer_point_de_controle("test")
    _falsifier("DELETE FROM journal_entreejournal WHERE sequence = %s", [4])
    TeteJournal.objects.filter(pk=1).update(derniere_sequence=3, dernier_hash=entrees[2].hash)
    assert verifier_chaine() == (3, None)
    _, problemes = ancrage.verifier_points_de_controle()
    assert problemes == [
        f"journal tronqué : l'entrée n°4, attestée par le point de contrôle du "
        f"{ancrage.points_de_controle()[0][0].horodatage[:19].replace('T', ' à ')}, n'existe plus"
    ]


@pytest.mark.parametrize(
    "alteration",
    [
        lambda d: {**d, "hash": "f" * 64},
        lambda d: {**d, "sequence": d["sequence"] - 1},
        lambda d: {**d, "signature": "pas du base64 !"},
    ],
)
def test_a_forged_checkpoint_file_is_reported_not_trusted(alteration: Any) -> None:
    _entrees(2)
    point = ancrage.creer_point_de_controle("test")
    donnees = _lire(point.chemin)
    default_storage.delete(point.chemin)
    default_storage.save(point.chemin, ContentFile(json.dumps(alteration(donnees)).encode()))
    concordants, problemes = ancrage.verifier_points_de_controle()
    assert concordants == 0
    assert len(problemes) == 1
    assert "signature invalide" in problemes[0] or "illisible" in problemes[0]


def test_a_malformed_checkpoint_file_is_named() -> None:
    default_storage.save(f"{ancrage.DOSSIER}/000000000001-x.json", ContentFile(b"{pas du json"))
    _, problemes = ancrage.verifier_points_de_controle()
    assert problemes == [f"point de contrôle {ancrage.DOSSIER}/000000000001-x.json illisible"]


def test_a_missing_key_in_production_is_a_french_refusal(settings: Any, tmp_path: Any) -> None:
    settings.PRODUCTION = True
    settings.JOURNAL_CLE_ANCRAGE = ""
    settings.JOURNAL_CLE_ANCRAGE_FICHIER = tmp_path / "absente.pem"
    with pytest.raises(CommandError, match="Clé d'ancrage du journal introuvable"):
        call_command("ancrer_journal", stdout=io.StringIO())
    settings.JOURNAL_CLE_ANCRAGE = "pas une clé"
    with pytest.raises(CommandError, match="Clé d'ancrage du journal illisible"):
        call_command("ancrer_journal", stdout=io.StringIO())
