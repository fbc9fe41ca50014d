"""verifier_pv cross-checks both ways (PV ↔ signatures ↔ journal ↔ checkpoints), a PV still collecting
signatures is frozen by the database, and malformed data gets a French report, never a traceback."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from parchemin.journal import ancrage
from parchemin.jurys import services
from parchemin.jurys.models import ProcesVerbal

from .conftest import Jury
from .test_services import _signer_tous, convoquer, deliberer_tout

pytestmark = pytest.mark.django_db

TRIGGERS_SQLITE = ("pv_contenu_fige", "pv_verrouille_update", "signature_immuable_delete")


def falsifier(sql: str, params: list[object]) -> None:
    """Someone with raw database access, triggers switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            for nom in TRIGGERS_SQLITE:
                cursor.execute(f"DROP TRIGGER IF EXISTS {nom}")
            cursor.execute(sql, params)


def _pv_etabli(jury: Jury, capture: Any) -> ProcesVerbal:
    convoquer(jury, capture)
    deliberer_tout(jury)
    return services.etablir_pv(jury.session, acteur=jury.comptes[0])


def _rapport() -> str:
    with pytest.raises(CommandError) as erreur:
        call_command("verifier_pv", stdout=io.StringIO())
    return str(erreur.value)


def test_a_pv_collecting_signatures_cannot_be_swapped_by_a_plain_update(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    pv = _pv_etabli(jury, django_capture_on_commit_callbacks)
    for champs in ({"pdf": b"%PDF-1.7 autre"}, {"sha256": "a" * 64}, {"numero_version": 7}):
        with pytest.raises(DatabaseError), transaction.atomic():
            ProcesVerbal.objects.filter(pk=pv.pk).update(**champs)
    ProcesVerbal.objects.filter(pk=pv.pk).update(genere_le=pv.genere_le)  # other columns stay writable


def test_a_collecting_pv_rewritten_consistently_behind_the_services_is_caught_by_the_journal(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    import hashlib

    pv = _pv_etabli(jury, django_capture_on_commit_callbacks)
    faux = b"%PDF-1.7 un autre proces-verbal"
    falsifier(
        "UPDATE jurys_procesverbal SET pdf = %s, sha256 = %s WHERE id = %s",
        [faux, hashlib.sha256(faux).hexdigest(), pv.pk],
    )
    rapport = _rapport()
    assert f"(n°{pv.pk}) : le PV stocké (version 1, empreinte {hashlib.sha256(faux).hexdigest()[:12]}…)" in rapport
    assert "n'est pas la dernière version journalisée" in rapport


def test_a_signed_pv_stripped_of_its_signatures_and_swapped_is_caught(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    import hashlib

    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    with django_capture_on_commit_callbacks(execute=True):
        pv = _signer_tous(jury)
    call_command("verifier_pv", stdout=io.StringIO())
    faux = b"%PDF-1.7 falsifie"
    falsifier("DELETE FROM jurys_signaturepv WHERE pv_id = %s", [pv.pk])
    falsifier(
        "UPDATE jurys_procesverbal SET pdf = %s, sha256 = %s WHERE id = %s",
        [faux, hashlib.sha256(faux).hexdigest(), pv.pk],
    )
    rapport = _rapport()
    assert "n'est pas la dernière version journalisée" in rapport
    assert rapport.count("n'existe plus en base") == 0  # the journal's signatures bind the old hash…
    assert "verrouillé sans la signature de" in rapport  # …and the stored PV has none on its new hash
    assert "l'empreinte verrouillée au journal" in rapport
    assert ancrage.verifier_points_de_controle() == (1, [])


def test_signatures_removed_from_a_signed_pv_are_named_from_the_journal(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    with django_capture_on_commit_callbacks(execute=True):
        pv = _signer_tous(jury)
    falsifier("DELETE FROM jurys_signaturepv WHERE pv_id = %s AND membre_id = %s", [pv.pk, jury.membres[1].pk])
    rapport = _rapport()
    assert f"la signature journalisée du membre n°{jury.membres[1].pk}" in rapport


def test_a_pdf_column_turned_to_text_gets_a_french_report_naming_the_pv(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    pv = _pv_etabli(jury, django_capture_on_commit_callbacks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred checks
            # The insider drops what stands in the way (the freezing trigger reads the column).
            cursor.execute("DROP TRIGGER pv_contenu_fige ON jurys_procesverbal")
        falsifier("ALTER TABLE jurys_procesverbal ALTER COLUMN pdf TYPE text USING encode(pdf, 'escape')", [])
    else:
        falsifier("UPDATE jurys_procesverbal SET pdf = CAST(%s AS TEXT) WHERE id = %s", ["du texte", pv.pk])
    rapport = _rapport()
    assert f"(n°{pv.pk}) : données illisibles ou altérées" in rapport
    assert "Traceback" not in rapport
