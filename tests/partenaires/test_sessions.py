"""Training sessions: what a partner may publish, and the bad input the issue lists."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parchemin.comptes.enums import Role
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.partenaires import services
from parchemin.partenaires.enums import Modalite, StatutSession
from parchemin.partenaires.models import SessionFormation
from tests.comptes.outils import creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisme(rs5142: Any) -> Any:
    return PartenaireFactory(nom="Coopérative des Tiers-Lieux")


@pytest.fixture
def admin_of(organisme: Any) -> Any:
    return creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=organisme)


def _donnees(rs5142: Any, **autres: Any) -> dict[str, Any]:
    debut = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "certification": rs5142,
        "intitule": "Piloter un tiers-lieu — formation certifiante, 20 jours",
        "numero": 12,
        "saison": "2026-2027",
        "modalite": Modalite.PRESENTIEL,
        "commune": commune("bordeaux"),
        "date_debut": debut,
        "date_fin": debut + datetime.timedelta(days=100),
        "duree_jours": 20,
        "duree_heures": 140,
        "prix": Decimal("3900"),
        "financements": ["CPF"],
        "capacite": 12,
        "inscrits": 0,
        "statut": StatutSession.OUVERTE,
        **autres,
    }


def test_partner_admin_creates_a_session_located_and_indexed(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142))
    assert session.region == "75"  # taken from the commune
    assert (session.latitude, session.longitude) == (commune("bordeaux").latitude, commune("bordeaux").longitude)
    assert "cooperative des tier lieu" in session.texte_recherche and "bordeau" in session.texte_recherche
    assert not session.publiee


def test_publishing_needs_an_active_habilitation_to_prepare(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142))
    with pytest.raises(ErreurMetier, match="habilitation active"):
        services.publier_session(admin_of, session)
    HabilitationFactory(partenaire=organisme, preparer=False, evaluer=True)
    with pytest.raises(ErreurMetier, match="habilitation active"):
        services.publier_session(admin_of, session)
    session.refresh_from_db()
    assert not session.publiee


def test_publishing_with_an_active_habilitation(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    HabilitationFactory(partenaire=organisme)
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142))
    assert services.publier_session(admin_of, session).publiee


def test_an_expired_habilitation_does_not_allow_publishing(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    hier = timezone.localdate() - datetime.timedelta(days=1)
    HabilitationFactory(partenaire=organisme, date_debut=hier - datetime.timedelta(days=300), date_fin=hier)
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142))
    with pytest.raises(ErreurMetier):
        services.publier_session(admin_of, session)


def test_a_partner_cannot_touch_another_partners_session(admin_of: Any, rs5142: Any) -> None:
    autre = SessionFormationFactory()
    with pytest.raises(AccesRefuse):
        services.enregistrer_session(admin_of, autre.partenaire, _donnees(rs5142), autre)
    with pytest.raises(AccesRefuse):
        services.publier_session(admin_of, autre, False)
    autre.refresh_from_db()
    assert autre.publiee


def test_an_assessor_of_the_partner_cannot_manage_sessions(organisme: Any, rs5142: Any) -> None:
    evaluateur = creer_utilisateur("eval@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=organisme)
    with pytest.raises(AccesRefuse):
        services.enregistrer_session(evaluateur, organisme, _donnees(rs5142))


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"date_fin": timezone.localdate()}, "finir avant de commencer"),
        ({"prix": Decimal("-1")}, "négatif"),
        ({"capacite": 3, "inscrits": 5}, "capacité"),
        ({"modalite": Modalite.PRESENTIEL, "commune": None}, "commune"),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_written(
    admin_of: Any, organisme: Any, rs5142: Any, champs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ErreurMetier, match=message):
        services.enregistrer_session(admin_of, organisme, _donnees(rs5142, **champs))
    assert not SessionFormation.objects.exists()


@pytest.mark.parametrize(
    "champs",
    [
        {"prix": Decimal("-0.01")},
        {"inscrits": 13, "capacite": 12},
        {"date_fin": datetime.date(2020, 1, 1), "date_debut": datetime.date(2020, 1, 2)},
        {"modalite": Modalite.HYBRIDE, "commune": None, "latitude": None, "longitude": None},
    ],
)
def test_the_database_itself_refuses_broken_sessions(rs5142: Any, champs: dict[str, Any]) -> None:
    session = SessionFormationFactory.build(**champs)
    session.partenaire.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFormation.objects.bulk_create([session])


def test_a_full_session_is_marked_complete(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142, capacite=8, inscrits=8))
    assert session.statut == StatutSession.COMPLETE and session.places_restantes == 0


def test_a_remote_session_forgets_its_commune(admin_of: Any, organisme: Any, rs5142: Any) -> None:
    session = services.enregistrer_session(
        admin_of, organisme, _donnees(rs5142, modalite=Modalite.DISTANCE, region="53")
    )
    assert session.commune is None and session.latitude is None and session.region == "53"


def test_lowering_capacity_below_registrations_is_refused_and_keeps_the_session(
    admin_of: Any, organisme: Any, rs5142: Any
) -> None:
    session = services.enregistrer_session(admin_of, organisme, _donnees(rs5142, capacite=12, inscrits=5))
    with pytest.raises(ErreurMetier, match=r"capacité \(3\) ne peut pas être inférieure au nombre d'inscrits \(5\)"):
        services.enregistrer_session(admin_of, organisme, _donnees(rs5142, capacite=3, inscrits=5), session)
    session.refresh_from_db()
    assert session.capacite == 12 and session.places_restantes == 7
