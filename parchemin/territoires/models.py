"""French communes as our own data: the catalogue locates and measures distances without any network call."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .enums import Region


class CommuneQuerySet(models.QuerySet["Commune"]):
    def localisees(self) -> CommuneQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField("nom", max_length=120)
    nom_plie = models.CharField("nom sans accents", max_length=120, db_index=True, editable=False)
    departement = models.CharField("département", max_length=3)
    region = models.CharField("région", max_length=2, choices=Region.choices)
    population = models.PositiveIntegerField("population municipale", default=0)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(condition=Q(code_insee__regex=r"^[0-9][0-9AB][0-9]{3}$"), name="commune_code_insee"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="commune_coordonnees_valides",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement})"


class CodePostal(models.Model):
    """A postcode serves several communes and a commune may have several postcodes."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="codes_postaux")

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="code_postal_unique_par_commune"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{5}$"), name="code_postal_5_chiffres"),
        ]

    def __str__(self) -> str:
        return self.code
