"""Read-side helpers of the référentiel: fetch what a page shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch
from django.http import Http404

from parchemin.pages_publiques import memoriser, version_deja_lue

from .models import (
    Certificateur,
    Certification,
    Competence,
    ReferentielVersion,
    RegleJury,
    Unite,
    VoieAccesCertification,
)


@dataclass(frozen=True)
class FicheCertification:
    certification: Certification
    version: ReferentielVersion | None
    unites: list[Unite]
    voies: list[VoieAccesCertification]

    @property
    def regles(self) -> list[RegleJury]:
        """The distinct jury rules of the allowed routes, in route order."""
        vues: dict[int, RegleJury] = {}
        for voie in self.voies:
            if voie.autorisee and voie.regle_jury is not None:
                vues.setdefault(voie.regle_jury.pk, voie.regle_jury)
        return list(vues.values())


@dataclass(frozen=True)
class ResumeCertification:
    """What the home page says about one certification."""

    certification: Certification
    nb_unites: int
    nb_competences: int
    voies_autorisees: list[VoieAccesCertification]


def resumes_publies(certificateur: Certificateur) -> list[ResumeCertification]:
    """The published certifications of a certificateur with the size of their current référentiel
    and their allowed routes, in three queries whatever their number."""
    certifications = list(
        Certification.objects.publiees()
        .filter(certificateur=certificateur)
        .annotate(derniere_version=Max("versions__numero"))
        .prefetch_related(
            Prefetch(
                "voies_acces", queryset=VoieAccesCertification.objects.filter(autorisee=True), to_attr="autorisees"
            )
        )
    )
    comptes = {
        (ligne["version__certification"], ligne["version__numero"]): ligne
        for ligne in Unite.objects.filter(version__certification__in=certifications)
        .values("version__certification", "version__numero")
        .annotate(nb_unites=Count("pk", distinct=True), nb_competences=Count("competences"))
    }
    resumes = []
    for certification in certifications:
        compte = comptes.get((certification.pk, getattr(certification, "derniere_version", None)), {})
        resumes.append(
            ResumeCertification(
                certification=certification,
                nb_unites=compte.get("nb_unites", 0),
                nb_competences=compte.get("nb_competences", 0),
                voies_autorisees=sorted(getattr(certification, "autorisees", []), key=lambda voie: voie.ordre),
            )
        )
    return resumes


@dataclass(frozen=True)
class FicheCatalogue:
    """What the catalogue pages show of a certification: its identity and its access routes (not the
    référentiel's units and skills, which only the certification page shows)."""

    certification: Certification
    voies: list[VoieAccesCertification]


def fiche_catalogue(code: str) -> FicheCatalogue:
    """The certification of a catalogue page, or 404 for unknown or unpublished codes: two queries,
    then kept by the process until the public data changes (``memoriser``: read it, never change it)."""
    return memoriser(("fiche_catalogue", code.lower()), lambda: _lire_fiche_catalogue(code))


def _lire_fiche_catalogue(code: str) -> FicheCatalogue:
    certification = Certification.objects.publiees().select_related("certificateur").filter(code__iexact=code).first()
    if certification is None:
        raise Http404("Certification inconnue")
    voies = sorted(certification.voies_acces.all(), key=lambda voie: voie.ordre)
    return FicheCatalogue(certification=certification, voies=voies)


def certificateur_principal() -> Certificateur | None:
    """The organisation this instance is run for (the first registered one), named by every page's
    header and footer. In a public page computed for a visitor, kept by the process until the public
    data changes (``memoriser``: read it, never change it); elsewhere one query, as cheap as reading
    the version would be."""
    if version_deja_lue():
        return memoriser(("certificateur_principal",), _lire_certificateur_principal)
    return _lire_certificateur_principal()


def _lire_certificateur_principal() -> Certificateur | None:
    return Certificateur.objects.order_by("pk").first()


def fiche_publique(code: str) -> FicheCertification:
    """Everything the public certification page shows, or 404 for unknown or unpublished codes: seven
    queries, then kept by the process until the public data changes (``memoriser``: read it, never
    change it)."""
    return memoriser(("fiche_publique", code.lower()), lambda: _lire_fiche_publique(code))


def _lire_fiche_publique(code: str) -> FicheCertification:
    certification = Certification.objects.publiees().select_related("certificateur").filter(code__iexact=code).first()
    if certification is None:
        raise Http404("Certification inconnue")
    version = certification.version_en_vigueur()
    unites: list[Unite] = []
    if version is not None:
        unites = list(
            version.unites.order_by("ordre").prefetch_related(
                Prefetch("competences", queryset=Competence.objects.order_by("ordre"))
            )
        )
    voies = sorted(
        certification.voies_acces.select_related("regle_jury").prefetch_related("regle_jury__quotas"),
        key=lambda voie: voie.ordre,
    )
    return FicheCertification(certification=certification, version=version, unites=unites, voies=voies)
