"""Invariants the database itself enforces: no code path (admin, shell, a buggy import) can break them.

Rows are written with ``objects.create`` so that no Python validation runs: only the database refuses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from parchemin.referentiel.enums import ModaliteAccesCDC, Registre, VoieAcces
from parchemin.referentiel.models import (
    Certification,
    Competence,
    ReferentielVersion,
    RegleJury,
    Unite,
    VoieAccesCertification,
)

pytestmark = pytest.mark.django_db


def _refuse(creer: Callable[[], Any]) -> DatabaseError:
    with pytest.raises(DatabaseError) as refus, transaction.atomic():
        creer()
    return refus.value


def _version_2(rs5142: Certification) -> ReferentielVersion:
    return ReferentielVersion.objects.create(certification=rs5142, numero=2, uuid=uuid.uuid4())


def _unite_v1(rs5142: Certification, code: str = "2") -> Unite:
    return Unite.objects.get(version__certification=rs5142, version__numero=1, code=code)


def _competence(unite: Unite, **valeurs: Any) -> Competence:
    champs: dict[str, Any] = {
        "version": unite.version,
        "unite": unite,
        "ordre": 99,
        "code": "9.9",
        "intitule": "Compétence ajoutée hors import",
        "uuid": uuid.uuid4(),
    }
    champs.update(valeurs)
    return Competence.objects.create(**champs)


def _regle(rs5142: Certification, **valeurs: Any) -> RegleJury:
    champs: dict[str, Any] = {
        "certification": rs5142,
        "code": "autre-jury",
        "intitule": "Autre jury",
        "texte_publie": "Texte",
        "membres_min": 3,
        "membres_max": 3,
        "pourcentage_externes_min": 100,
    }
    champs.update(valeurs)
    return RegleJury.objects.create(**champs)


def test_refuses_a_competence_in_another_version_than_its_unit(rs5142: Certification) -> None:
    version_2 = _version_2(rs5142)
    refus = _refuse(lambda: _competence(_unite_v1(rs5142), version=version_2))
    assert isinstance(refus, IntegrityError)
    assert "version de son unité" in str(refus)
    assert not Competence.objects.filter(code="9.9").exists()


def test_refuses_moving_an_existing_competence_to_another_version(rs5142: Certification) -> None:
    version_2 = _version_2(rs5142)
    competence = Competence.objects.get(version__certification=rs5142, code="2.3")
    refus = _refuse(lambda: Competence.objects.filter(pk=competence.pk).update(version=version_2))
    assert "version de son unité" in str(refus)
    competence.refresh_from_db()
    assert competence.version.numero == 1


def test_accepts_a_competence_in_the_version_of_its_unit(rs5142: Certification) -> None:
    competence = _competence(_unite_v1(rs5142))
    assert competence.version == competence.unite.version


def test_refuses_a_duplicate_competence_code_in_one_version(rs5142: Certification) -> None:
    # 2.3 already exists in unit 2; adding it to unit 3 of the same version is still a duplicate.
    assert isinstance(_refuse(lambda: _competence(_unite_v1(rs5142, "3"), code="2.3")), IntegrityError)


def test_accepts_the_same_competence_code_in_another_version(rs5142: Certification) -> None:
    version_2 = _version_2(rs5142)
    unite = Unite.objects.create(version=version_2, ordre=1, code="2", intitule="Unité", uuid=uuid.uuid4())
    assert _competence(unite, code="2.3").version == version_2


@pytest.mark.parametrize(
    "creer",
    [
        lambda rs5142: _competence(_unite_v1(rs5142), intitule=""),
        lambda rs5142: _competence(_unite_v1(rs5142), code=""),
        lambda rs5142: Unite.objects.create(
            version=_unite_v1(rs5142).version, ordre=9, code="9", intitule="", uuid=uuid.uuid4()
        ),
        lambda rs5142: Certification.objects.create(
            certificateur=rs5142.certificateur, registre=Registre.RS, code="RS1", intitule=""
        ),
    ],
    ids=["competence-intitule", "competence-code", "unite-intitule", "certification-intitule"],
)
def test_refuses_an_empty_label_or_code(rs5142: Certification, creer: Callable[[Certification], Any]) -> None:
    assert isinstance(_refuse(lambda: creer(rs5142)), IntegrityError)


@pytest.mark.parametrize(
    ("registre", "code"),
    [(Registre.RNCP, "RS5143"), (Registre.RS, "RNCP35830"), (Registre.RNCP, "35830")],
)
def test_refuses_a_code_of_another_registry(rs5142: Certification, registre: str, code: str) -> None:
    creer = lambda: Certification.objects.create(  # noqa: E731
        certificateur=rs5142.certificateur, registre=registre, code=code, intitule="Autre certification"
    )
    assert isinstance(_refuse(creer), IntegrityError)


def test_accepts_an_rncp_code_in_the_rncp_registry(rs5142: Certification) -> None:
    Certification.objects.create(
        certificateur=rs5142.certificateur, registre=Registre.RNCP, code="RNCP35830", intitule="Autre"
    )


@pytest.mark.parametrize(
    "valeurs",
    [
        {"membres_min": 1, "membres_max": 1},
        {"membres_min": 1, "membres_max": 3},
        {"pourcentage_externes_min": 40},
        {"pourcentage_externes_min": 101},
        {"membres_min": 4, "membres_max": 3},
    ],
    ids=["un-seul-membre", "minimum-un-membre", "40-pourcent-exterieurs", "plus-de-100-pourcent", "max-sous-min"],
)
def test_refuses_a_jury_rule_that_is_not_collegial_or_not_external_enough(
    rs5142: Certification, valeurs: dict[str, int]
) -> None:
    assert isinstance(_refuse(lambda: _regle(rs5142, **valeurs)), IntegrityError)
    assert not RegleJury.objects.filter(code="autre-jury").exists()


def test_accepts_a_jury_rule_with_half_external_members(rs5142: Certification) -> None:
    assert _regle(rs5142, membres_min=2, membres_max=4, pourcentage_externes_min=50).pk


def test_refuses_an_allowed_route_without_jury_rule(rs5142: Certification) -> None:
    VoieAccesCertification.objects.filter(certification=rs5142, voie=VoieAcces.APPRENTISSAGE).delete()
    creer = lambda: VoieAccesCertification.objects.create(  # noqa: E731
        certification=rs5142,
        voie=VoieAcces.APPRENTISSAGE,
        autorisee=True,
        modalite_acces_cdc=ModaliteAccesCDC.FORMATION_INITIALE_APPRENTISSAGE,
        regle_jury=None,
    )
    assert isinstance(_refuse(creer), IntegrityError)
