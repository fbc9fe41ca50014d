"""The outbox: every outgoing e-mail is a row written in the transaction of the action it announces.

A committed action therefore always has its e-mail, a rolled-back one has none, and a mail server
that is down only delays sending (``manage.py envoyer_courriels`` retries) instead of breaking the
action or losing the message.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .enums import StatutCourriel


class Courriel(models.Model):
    destinataires = models.JSONField("destinataires", default=list)
    repondre_a = models.JSONField("répondre à", default=list, blank=True)
    expediteur = models.CharField(
        "expéditeur", max_length=255, blank=True, help_text="Vide : l'expéditeur par défaut (DEFAULT_FROM_EMAIL)."
    )
    sujet = models.CharField("sujet", max_length=998)
    corps = models.TextField("texte")
    # The same message as HTML, sent as the alternative part; empty for a text-only e-mail.
    corps_html = models.TextField("HTML", blank=True)
    statut = models.CharField(
        "statut", max_length=10, choices=StatutCourriel.choices, default=StatutCourriel.A_ENVOYER, db_index=True
    )
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)
    objet_type = models.CharField("type d'objet concerné", max_length=100, blank=True)
    objet_id = models.CharField("identifiant de l'objet concerné", max_length=64, blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    prochain_essai_le = models.DateTimeField("prochain essai le")
    dernier_essai_le = models.DateTimeField("dernier essai le", null=True, blank=True)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    # Lease of the worker sending it: another worker leaves the row alone until it expires (a worker
    # that died mid-send releases its rows this way).
    reserve_jusqu_a = models.DateTimeField("réservé jusqu'à", null=True, blank=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["statut", "prochain_essai_le"], name="courriels_a_traiter_idx"),
            models.Index(fields=["objet_type", "objet_id"], name="courriels_objet_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(statut__in=StatutCourriel.values), name="courriels_statut_connu"),
            models.CheckConstraint(
                condition=~Q(statut=StatutCourriel.ENVOYE) | Q(envoye_le__isnull=False),
                name="courriels_envoye_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sujet} → {', '.join(self.destinataires)}"


class PieceJointe(models.Model):
    """Stored as bytes, re-attached unchanged at each attempt (a .ics invitation, a PDF)."""

    courriel = models.ForeignKey(Courriel, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField("nom du fichier", max_length=255)
    type_mime = models.CharField("type MIME", max_length=100)
    contenu = models.BinaryField("contenu")

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.nom
