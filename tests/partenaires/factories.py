"""Factories of partners, habilitations and sessions: a publishable session by default."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from parchemin.partenaires.enums import EtatHabilitation, Modalite, StatutSession
from parchemin.partenaires.models import Habilitation, Partenaire, SessionFormation
from parchemin.partenaires.services import indexer_session
from parchemin.referentiel.models import Certification
from tests.territoires.factories import commune


# Valid SIRETs (Luhn) generated from a SIREN prefix; each factory call takes the next one.
def siret_valide(n: int) -> str:
    base = f"{100000000 + n:09d}{n % 10000:04d}"
    for cle in range(10):
        candidat = base + str(cle)
        total = 0
        for position, char in enumerate(reversed(candidat)):
            valeur = int(char) * (2 if position % 2 else 1)
            total += valeur - 9 if valeur > 9 else valeur
        if total % 10 == 0:
            return candidat
    raise AssertionError("unreachable: one check digit always fits")


class PartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenaire

    nom = factory.Sequence(lambda n: f"Organisme de formation {n}")
    siret = factory.Sequence(lambda n: siret_valide(n + 1))
    numero_declaration_activite = factory.Sequence(lambda n: f"{75000000000 + n:011d}")


class HabilitationFactory(factory.django.DjangoModelFactory):
    """Needs the référentiel loaded (``rs5142`` fixture)."""

    class Meta:
        model = Habilitation

    partenaire = factory.SubFactory(PartenaireFactory)
    certification = factory.LazyFunction(lambda: Certification.objects.get(code="RS5142"))
    preparer = True
    evaluer = False
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    etat = EtatHabilitation.ACTIVE


class SessionFormationFactory(factory.django.DjangoModelFactory):
    """A published, open session in Bordeaux starting in two months; search text and coordinates are
    set by the same function the services use."""

    class Meta:
        model = SessionFormation

    partenaire = factory.SubFactory(PartenaireFactory)
    certification = factory.LazyFunction(lambda: Certification.objects.get(code="RS5142"))
    intitule = "Piloter un tiers-lieu — formation certifiante, 20 jours"
    numero = factory.Sequence(lambda n: n + 1)
    saison = "2026-2027"
    region = factory.LazyAttribute(lambda o: o.commune.region if o.commune else "75")
    modalite = Modalite.PRESENTIEL
    commune = factory.LazyFunction(lambda: commune("bordeaux"))
    date_debut = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    date_fin = factory.LazyAttribute(lambda o: o.date_debut + datetime.timedelta(days=120))
    duree_jours = 20
    duree_heures = 140
    prix = Decimal("3500.00")
    financements = factory.LazyFunction(lambda: ["CPF", "OPCO"])
    capacite = 12
    inscrits = 4
    statut = StatutSession.OUVERTE
    publiee = True
    lien_inscription = "https://example.org/inscription"

    @classmethod
    def _create(
        cls, model_class: type[SessionFormation], *args: Any, habilitee: bool = True, **kwargs: Any
    ) -> SessionFormation:
        """``habilitee``: give the partner an active habilitation to prepare when it has none in force
        (the catalogue shows only sessions of such partners)."""
        session = model_class(*args, **kwargs)
        indexer_session(session)
        session.save()
        en_vigueur = Habilitation.objects.en_cours().filter(
            partenaire=session.partenaire, certification=session.certification
        )
        if habilitee and not en_vigueur.exists():
            HabilitationFactory(partenaire=session.partenaire, certification=session.certification)
        return session
