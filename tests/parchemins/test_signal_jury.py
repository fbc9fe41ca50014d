"""The real jury flow: the last member's signature makes the PV final and the parchemins follow."""

from __future__ import annotations

from typing import Any

from parchemin.jurys import services as services_jurys
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from parchemin.parchemins.verification import Issue, verifier_code
from tests.jurys.conftest import Jury, code_totp
from tests.jurys.test_services import convoquer, deliberer_tout
from tests.taches import EMISSION, PLANIFICATION, reglage


def _signer_tous(jury: Jury) -> None:
    pv = services_jurys.etablir_pv(jury.session, acteur=jury.comptes[0])
    for compte in jury.comptes:
        services_jurys.signer_pv(jury.session, acteur=compte, code_totp=code_totp(compte), sha256_lu=pv.sha256)


def test_signing_the_last_signature_issues_a_verifiable_parchemin_per_validation(
    jury: Jury, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = reglage(PLANIFICATION, EMISSION)
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    assert not Parchemin.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _signer_tous(jury)

    parchemins = list(Parchemin.objects.order_by("pk"))
    assert {p.candidature_id for p in parchemins} == {c.pk for c in jury.candidatures}
    assert all(p.statut == StatutParchemin.EMIS for p in parchemins)
    for parchemin in parchemins:
        assert verifier_code(parchemin.code_verification).issue == Issue.VALIDE


def test_the_pv_numbers_at_once_and_enqueues_one_issuance_task_per_parchemin(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    with django_capture_on_commit_callbacks(execute=True):
        _signer_tous(jury)

    parchemins = list(Parchemin.objects.order_by("pk"))
    assert {p.statut for p in parchemins} == {StatutParchemin.A_EMETTRE}
    assert [r.args for r in default_task_backend.differees] == [[p.pk] for p in parchemins]
    assert [p.tache for p in parchemins] == [r.id for r in default_task_backend.differees]
