"""Partner organisations (organismes de formation habilités) and what they are allowed to do."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from parchemin.identifiants import valider_siret


class Partenaire(models.Model):
    """An organisation that prepares and/or assesses candidates; the certificateur may be one."""

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])

    class Meta:
        verbose_name = "organisme partenaire"
        verbose_name_plural = "organismes partenaires"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(condition=Q(siret__regex=r"^[0-9]{14}$"), name="partenaire_siret_14_chiffres"),
            models.CheckConstraint(condition=~Q(nom=""), name="partenaire_nom_non_vide"),
        ]

    def __str__(self) -> str:
        return self.nom
