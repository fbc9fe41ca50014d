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


class SessionFormation(models.Model):
    """One run of a preparatory training by a partner, e.g. "Session #4 // 2025-2026"."""

    partenaire = models.ForeignKey(
        Partenaire, on_delete=models.PROTECT, related_name="sessions", verbose_name="organisme partenaire"
    )
    certification = models.ForeignKey(
        "referentiel.Certification", on_delete=models.PROTECT, related_name="sessions_formation"
    )
    intitule = models.CharField("intitulé", max_length=255)
    numero = models.PositiveSmallIntegerField("numéro de session")
    saison = models.CharField("saison", max_length=9, help_text="Par exemple 2025-2026.")
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=models.F("date_debut")),
                name="session_fin_apres_debut",
                violation_error_message="La session ne peut pas finir avant de commencer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intitule} — Session #{self.numero} // {self.saison} ({self.partenaire})"
