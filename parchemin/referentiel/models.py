"""The référentiel as data: who certifies what, in which versions, by which routes and juries.

Invariants that must never be broken live in the database (unique codes, a competence inside the
version of its unit, a collegial jury rule...) so that no code path — admin, import, shell — can
break them. Rules that need several rows at once (a unit without competencies) are checked by the
import service before anything is written.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

from .enums import ModaliteAccesCDC, ProfilJury, Registre, VoieAcces

# Namespace for the UUIDs of référentiel items: uuid5(namespace, "RS5142/v1/2.3") is the same on
# every instance and every export, so CASE consumers and credentials can point at it for good.
CASE_NAMESPACE = uuid.UUID("5b1d7f0e-8c44-5b8e-9a2f-2f6b0c1e7a42")


def stable_uuid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(CASE_NAMESPACE, "/".join(str(p) for p in parts))


class Certificateur(models.Model):
    """The organisation that owns certifications and delivers them."""

    raison_sociale = models.CharField("raison sociale", max_length=200)
    nom_usage = models.CharField("nom d'usage", max_length=120, blank=True)
    siret = models.CharField("SIRET", max_length=14, unique=True, null=True, blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    ville = models.CharField("ville", max_length=120, blank=True)
    site_web = models.URLField("site web", blank=True)
    email_contact = models.EmailField("e-mail de contact", blank=True)
    presentation = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "certificateur"
        verbose_name_plural = "certificateurs"
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__isnull=True) | Q(siret__regex=r"^[0-9]{14}$"),
                name="certificateur_siret_14_chiffres",
                violation_error_message="Le SIRET doit comporter 14 chiffres.",
            ),
            models.CheckConstraint(condition=~Q(raison_sociale=""), name="certificateur_raison_sociale_non_vide"),
        ]

    def __str__(self) -> str:
        return self.nom_usage or self.raison_sociale


class CertificationQuerySet(models.QuerySet["Certification"]):
    def publiees(self) -> CertificationQuerySet:
        return self.filter(publiee=True)


class Certification(models.Model):
    certificateur = models.ForeignKey(
        Certificateur, on_delete=models.PROTECT, related_name="certifications", verbose_name="certificateur"
    )
    registre = models.CharField("registre", max_length=4, choices=Registre.choices)
    code = models.CharField("code", max_length=12, unique=True, help_text="Par exemple RS5142 ou RNCP35830.")
    intitule = models.CharField("intitulé exact", max_length=255)
    objectifs = models.TextField("objectifs et contexte", blank=True)
    public_vise = models.TextField("public visé et prérequis", blank=True)
    date_decision = models.DateField("date de la décision d'enregistrement", null=True, blank=True)
    date_fin_enregistrement = models.DateField("date de fin d'enregistrement", null=True, blank=True)
    publiee = models.BooleanField("publiée sur le site", default=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = "certification"
        verbose_name_plural = "certifications"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(registre=Registre.RS, code__startswith="RS") & ~Q(code__startswith="RNCP"))
                | Q(registre=Registre.RNCP, code__startswith="RNCP"),
                name="certification_code_du_registre",
                violation_error_message="Le code doit commencer par le registre (RS ou RNCP).",
            ),
            models.CheckConstraint(condition=~Q(intitule=""), name="certification_intitule_non_vide"),
            models.CheckConstraint(
                condition=Q(date_fin_enregistrement__isnull=True)
                | Q(date_decision__isnull=True)
                | Q(date_fin_enregistrement__gt=models.F("date_decision")),
                name="certification_fin_apres_decision",
                violation_error_message="La fin d'enregistrement doit suivre la date de décision.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.intitule}"

    def get_absolute_url(self) -> str:
        return reverse("public:certification", kwargs={"code": self.code.lower()})

    def version_en_vigueur(self) -> ReferentielVersion | None:
        return self.versions.order_by("-numero").first()


class ReferentielVersion(models.Model):
    """One version of the référentiel; a candidate stays on the version they enrolled under."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="versions", verbose_name="certification"
    )
    numero = models.PositiveSmallIntegerField("numéro de version")
    date_effet = models.DateField("en vigueur depuis le", null=True, blank=True)
    uuid = models.UUIDField("identifiant CASE", unique=True)

    class Meta:
        verbose_name = "version de référentiel"
        verbose_name_plural = "versions de référentiel"
        ordering = ["certification", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "numero"], name="version_numero_unique"),
            models.CheckConstraint(condition=Q(numero__gte=1), name="version_numero_positif"),
        ]

    def __str__(self) -> str:
        return f"{self.certification.code} v{self.numero}"


class Unite(models.Model):
    """A unit (bloc de compétences): assessed and validated on its own."""

    version = models.ForeignKey(
        ReferentielVersion, on_delete=models.CASCADE, related_name="unites", verbose_name="version"
    )
    ordre = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=20)
    intitule = models.CharField("intitulé", max_length=500)
    uuid = models.UUIDField("identifiant CASE", unique=True)

    class Meta:
        verbose_name = "unité"
        verbose_name_plural = "unités"
        ordering = ["version", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unite_code_unique_par_version"),
            models.UniqueConstraint(fields=["version", "ordre"], name="unite_ordre_unique_par_version"),
            models.CheckConstraint(condition=~Q(code=""), name="unite_code_non_vide"),
            models.CheckConstraint(condition=~Q(intitule=""), name="unite_intitule_non_vide"),
        ]

    def __str__(self) -> str:
        return f"Unité {self.code} — {self.intitule}"


class Competence(models.Model):
    """A competency; ``version`` repeats the unit's version so codes are unique per version.

    A database trigger (migration 0002) refuses a competence whose version differs from its unit's.
    """

    version = models.ForeignKey(
        ReferentielVersion, on_delete=models.CASCADE, related_name="competences", verbose_name="version"
    )
    unite = models.ForeignKey(Unite, on_delete=models.CASCADE, related_name="competences", verbose_name="unité")
    ordre = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=20, help_text="Par exemple 2.3.")
    intitule = models.CharField("intitulé", max_length=500)
    modalites_evaluation = models.TextField("modalités d'évaluation", blank=True)
    uuid = models.UUIDField("identifiant CASE", unique=True)

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["unite__ordre", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competence_code_unique_par_version"),
            models.UniqueConstraint(fields=["unite", "ordre"], name="competence_ordre_unique_par_unite"),
            models.CheckConstraint(condition=~Q(code=""), name="competence_code_non_vide"),
            models.CheckConstraint(condition=~Q(intitule=""), name="competence_intitule_non_vide"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.intitule}"


class RegleJury(models.Model):
    """The published jury composition of a certification, as data the jury checks can read."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="regles_jury", verbose_name="certification"
    )
    code = models.SlugField("code", max_length=50)
    intitule = models.CharField("intitulé", max_length=200)
    texte_publie = models.TextField("composition publiée", help_text="Le texte de la fiche France compétences.")
    membres_min = models.PositiveSmallIntegerField("nombre minimal de membres")
    membres_max = models.PositiveSmallIntegerField("nombre maximal de membres")
    pourcentage_externes_min = models.PositiveSmallIntegerField("part minimale de membres extérieurs (%)")
    repartition_salaries_employeurs = models.CharField("répartition salariés / employeurs", max_length=255, blank=True)

    class Meta:
        verbose_name = "règle de composition du jury"
        verbose_name_plural = "règles de composition du jury"
        constraints = [
            models.UniqueConstraint(fields=["certification", "code"], name="regle_jury_code_unique"),
            models.CheckConstraint(
                condition=Q(membres_min__gte=2),
                name="regle_jury_collegiale",
                violation_error_message="Un jury est collégial : au moins deux membres.",
            ),
            models.CheckConstraint(
                condition=Q(membres_max__gte=models.F("membres_min")), name="regle_jury_max_sup_min"
            ),
            models.CheckConstraint(
                condition=Q(pourcentage_externes_min__gte=50, pourcentage_externes_min__lte=100),
                name="regle_jury_externes_50_100",
                violation_error_message="Au moins la moitié des membres doivent être extérieurs.",
            ),
        ]

    def __str__(self) -> str:
        return self.intitule


class QuotaProfilJury(models.Model):
    """``nombre`` members of the jury must represent one of ``profils`` (a list of ProfilJury codes)."""

    regle = models.ForeignKey(RegleJury, on_delete=models.CASCADE, related_name="quotas", verbose_name="règle")
    ordre = models.PositiveSmallIntegerField("ordre")
    libelle = models.CharField("libellé", max_length=255)
    profils = models.JSONField("profils acceptés")
    nombre = models.PositiveSmallIntegerField("nombre de membres")

    class Meta:
        verbose_name = "quota de profil"
        verbose_name_plural = "quotas de profil"
        ordering = ["regle", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["regle", "ordre"], name="quota_ordre_unique"),
            models.CheckConstraint(condition=Q(nombre__gte=1), name="quota_nombre_positif"),
        ]

    def __str__(self) -> str:
        return f"{self.nombre} × {self.libelle}"

    def profils_labels(self) -> list[str]:
        return [ProfilJury(code).label for code in self.profils]


class VoieAccesCertification(models.Model):
    """Whether a certification accepts a route, its CDC code, and the jury rule that applies."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="voies_acces", verbose_name="certification"
    )
    voie = models.CharField("voie d'accès", max_length=40, choices=VoieAcces.choices)
    autorisee = models.BooleanField("autorisée")
    modalite_acces_cdc = models.CharField("modalité d'accès (CDC)", max_length=60, choices=ModaliteAccesCDC.choices)
    regle_jury = models.ForeignKey(
        RegleJury,
        on_delete=models.PROTECT,
        related_name="voies_acces",
        null=True,
        blank=True,
        verbose_name="règle de composition du jury",
    )

    class Meta:
        verbose_name = "voie d'accès"
        verbose_name_plural = "voies d'accès"
        constraints = [
            models.UniqueConstraint(fields=["certification", "voie"], name="voie_acces_unique"),
            models.CheckConstraint(
                condition=Q(autorisee=False) | Q(regle_jury__isnull=False),
                name="voie_autorisee_a_une_regle_jury",
                violation_error_message="Une voie autorisée doit indiquer la composition de son jury.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification.code} — {self.get_voie_display()}"

    @property
    def ordre(self) -> int:
        return list(VoieAcces.values).index(self.voie)
