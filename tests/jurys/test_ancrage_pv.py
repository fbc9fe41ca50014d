"""The moment a PV becomes final, the audit journal's head is anchored outside the database."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.journal import ancrage
from parchemin.journal.models import EntreeJournal

from .conftest import Jury
from .test_services import _signer_tous, convoquer, deliberer_tout

pytestmark = pytest.mark.django_db


def test_locking_a_pv_writes_a_signed_checkpoint_of_the_journal(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    assert ancrage.points_de_controle() == ([], [])
    with django_capture_on_commit_callbacks(execute=True):
        pv = _signer_tous(jury)
    [point], problemes = ancrage.points_de_controle()
    assert problemes == []
    verrouillage = EntreeJournal.objects.get(action="jurys.verrouiller_pv")
    assert point.sequence >= verrouillage.sequence
    assert point.hash == EntreeJournal.objects.get(sequence=point.sequence).hash
    assert pv.sha256 in point.motif
    assert ancrage.verifier_points_de_controle() == (1, [])
