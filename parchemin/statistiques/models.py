"""Insertion surveys of holders: one per holder and wave, reached through an unguessable link."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q

from .enums import LienCertification, Situation, Vague


def nouveau_jeton() -> str:
    """256 random bits, URL-safe: the link is the only key to the questionnaire."""
    return secrets.token_urlsafe(32)


class Enquete(models.Model):
    candidature = models.ForeignKey(
        "candidatures.Candidature", on_delete=models.PROTECT, related_name="enquetes", verbose_name="candidature"
    )
    vague = models.CharField("vague", max_length=10, choices=Vague.choices)
    jeton = models.CharField("jeton du lien", max_length=64, unique=True, default=nouveau_jeton, editable=False)
    certifie_le = models.DateField("certifié le")
    due_le = models.DateField("à envoyer à partir du")
    expire_le = models.DateField("lien valable jusqu'au")
    envoyee_le = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    relances = models.PositiveSmallIntegerField("relances envoyées", default=0)
    # The day of the last invitation or reminder, as the daily command counts days.
    dernier_envoi_le = models.DateField("dernier envoi le", null=True, blank=True)
    repondue_le = models.DateTimeField("répondue le", null=True, blank=True)
    declinee_le = models.DateTimeField("déclinée le", null=True, blank=True)
    situation = models.CharField("situation", max_length=12, choices=Situation.choices, blank=True)
    emploi = models.CharField("emploi occupé", max_length=200, blank=True)
    lien_certification = models.CharField(
        "lien avec la certification", max_length=8, choices=LienCertification.choices, blank=True
    )

    class Meta:
        verbose_name = "enquête d'insertion"
        verbose_name_plural = "enquêtes d'insertion"
        ordering = ["-due_le", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidature", "vague"], name="enquete_une_par_vague"),
            models.CheckConstraint(
                condition=Q(repondue_le__isnull=True) | Q(declinee_le__isnull=True),
                name="enquete_repondue_ou_declinee",
            ),
            models.CheckConstraint(
                condition=Q(repondue_le__isnull=True) | ~Q(situation=""), name="enquete_reponse_avec_situation"
            ),
            models.CheckConstraint(condition=Q(expire_le__gt=F("due_le")), name="enquete_expire_apres_envoi"),
        ]

    def __str__(self) -> str:
        return f"Enquête {self.get_vague_display()} — candidature n°{self.candidature_id}"

    @property
    def close(self) -> bool:
        return self.repondue_le is not None or self.declinee_le is not None
