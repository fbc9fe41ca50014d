"""Factories of the jury domain: a pool member, a session under RS5142's rule, a candidate ready for the jury."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from django_fsm import can_proceed

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.jurys.models import MembreJury, SessionJury, Siege
from parchemin.referentiel.enums import ProfilJury
from parchemin.referentiel.models import Certification, RegleJury
from tests.candidatures.factories import CandidatureFactory


class MembreJuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembreJury

    prenom = factory.Faker("first_name", locale="fr_FR")
    nom = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"membre{n}@jury.example.org")
    organisation = factory.Sequence(lambda n: f"Tiers-lieu n°{n}")
    profils = factory.LazyFunction(lambda: [ProfilJury.COWORKING])


def trio_rs5142(**champs: Any) -> list[MembreJury]:
    """Three members meeting RS5142's quotas: one ESS, one coworking, one fablab."""
    return [
        MembreJuryFactory(profils=[ProfilJury.ESS], **champs),
        MembreJuryFactory(profils=[ProfilJury.COWORKING], **champs),
        MembreJuryFactory(profils=[ProfilJury.FABLAB], **champs),
    ]


class SessionJuryFactory(factory.django.DjangoModelFactory):
    """Needs the référentiel loaded (``rs5142`` fixture)."""

    class Meta:
        model = SessionJury

    certification = factory.LazyFunction(lambda: Certification.objects.get(code="RS5142"))
    regle = factory.LazyAttribute(lambda s: RegleJury.objects.get(certification=s.certification))
    intitule = factory.Sequence(lambda n: f"Jury RS5142 n°{n}")
    # Today at 09:00 in Paris: grids, deliberation and signatures are allowed from the session's day
    # on, so most tests work on the day; tests of "before the day" pass ``debut=dans_jours(n)``.
    debut = factory.LazyFunction(lambda: a_9h(timezone.localdate()))
    lieu = "La Cité des tiers-lieux, Bordeaux"


def a_9h(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(9, 0)))


def dans_jours(n: int) -> datetime.datetime:
    """09:00 in Paris, ``n`` days from today (Paris)."""
    return a_9h(timezone.localdate() + datetime.timedelta(days=n))


def sieger(session: SessionJury, membres: list[MembreJury]) -> None:
    for membre in membres:
        Siege.objects.create(session=session, membre=membre)


def candidature_prete(**champs: Any) -> Candidature:
    """An application moved along its real transitions to "prête pour le jury"."""
    candidature = CandidatureFactory(**champs)
    for etape in ("deposer", "declarer_recevable", "marquer_prete_pour_jury"):
        methode = getattr(candidature, etape)
        assert can_proceed(methode)
        methode()
    candidature.save()
    assert candidature.etat == EtatCandidature.PRETE_POUR_JURY
    return candidature
