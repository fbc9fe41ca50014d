"""Factories of the candidate journey: a complete, plausible application by default."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.core.files.base import ContentFile

from parchemin.candidatures.enums import NiveauDiplome, Sexe, TypePiece
from parchemin.candidatures.models import Candidature, Piece
from parchemin.comptes.models import User
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification

from .fichiers import PDF


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"candidat{n}@example.org")
    password = factory.django.Password("mot-de-passe-de-test-42")


class PartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenaire
        django_get_or_create = ("siret",)

    nom = factory.Sequence(lambda n: f"Organisme {n}")
    siret = "73282932000074"


class SessionFormationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFormation

    partenaire = factory.SubFactory(PartenaireFactory)
    certification = factory.LazyFunction(lambda: Certification.objects.get(code="RS5142"))
    intitule = "Piloter un tiers-lieu"
    numero = factory.Sequence(lambda n: n + 1)
    saison = "2025-2026"
    date_debut = datetime.date(2025, 9, 1)
    date_fin = datetime.date(2026, 3, 31)


def _version(candidature: Any) -> Any:
    return candidature.certification.version_en_vigueur()


class CandidatureFactory(factory.django.DjangoModelFactory):
    """Needs the référentiel loaded (``rs5142`` fixture)."""

    class Meta:
        model = Candidature

    candidat = factory.SubFactory(UtilisateurFactory)
    certification = factory.LazyFunction(lambda: Certification.objects.get(code="RS5142"))
    version_referentiel = factory.LazyAttribute(_version)
    voie = VoieAcces.CANDIDATURE_INDIVIDUELLE
    annee = 2026
    nom_naissance = factory.Faker("last_name", locale="fr_FR")
    prenom1 = factory.Faker("first_name", locale="fr_FR")
    sexe = Sexe.F
    date_naissance = datetime.date(1985, 4, 12)
    code_commune_naissance = "33063"
    commune_naissance = "Bordeaux"
    email = factory.LazyAttribute(lambda c: c.candidat.email)
    telephone = "0556000000"
    niveau_diplome = NiveauDiplome.NIVEAU_7
    annees_experience = 4
    cv = "Coordinatrice d'un tiers-lieu rural depuis 2021."


class PieceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Piece

    candidature = factory.SubFactory(CandidatureFactory)
    type_piece = TypePiece.PRESENTATION_PROJET
    version = 1
    fichier = factory.LazyFunction(lambda: ContentFile(PDF, name="projet.pdf"))
    nom_original = "projet.pdf"
    format = "pdf"
    taille = len(PDF)
    empreinte_sha256 = "0" * 64
    deposee_par = factory.LazyAttribute(lambda p: p.candidature.candidat)
