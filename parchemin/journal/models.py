"""Append-only audit journal: every state change, each entry chained to the previous one by hash.

Rows are never updated or deleted by the application; on PostgreSQL a trigger refuses it at the
database level (migration 0002), on SQLite too (same migration, SQLite triggers). The chain makes
any edit done behind those guards (a restored backup, direct file surgery) detectable by
``manage.py verifier_journal``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models

HASH_INITIAL = "0" * 64


class EntreeJournal(models.Model):
    sequence = models.PositiveBigIntegerField("numéro", unique=True)
    horodatage = models.DateTimeField("date et heure", db_index=True)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="acteur",
    )
    acteur_libelle = models.CharField("acteur (libellé)", max_length=255)
    action = models.CharField("action", max_length=80, db_index=True)
    objet_type = models.CharField("type d'objet", max_length=100, blank=True, db_index=True)
    objet_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    objet_libelle = models.CharField("objet", max_length=255, blank=True)
    resume = models.TextField("résumé", blank=True)
    avant = models.JSONField("avant", null=True, blank=True)
    apres = models.JSONField("après", null=True, blank=True)
    hash_precedent = models.CharField("empreinte précédente", max_length=64)
    hash = models.CharField("empreinte", max_length=64, unique=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "entrées du journal"
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["objet_type", "objet_id"], name="journal_objet_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.objet_libelle}"

    def contenu_signe(self) -> dict[str, Any]:
        """The fields covered by the hash, in a form that survives a database round trip."""
        return {
            "sequence": self.sequence,
            "horodatage": self.horodatage.isoformat(timespec="microseconds"),
            "acteur_id": self.acteur_id,
            "acteur_libelle": self.acteur_libelle,
            "action": self.action,
            "objet_type": self.objet_type,
            "objet_id": self.objet_id,
            "objet_libelle": self.objet_libelle,
            "resume": self.resume,
            "avant": self.avant,
            "apres": self.apres,
            "hash_precedent": self.hash_precedent,
        }

    def calculer_hash(self) -> str:
        canonical = json.dumps(self.contenu_signe(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class TeteJournal(models.Model):
    """Single row holding the last sequence and hash; locking it serialises appends on every engine."""

    derniere_sequence = models.PositiveBigIntegerField(default=0)
    dernier_hash = models.CharField(max_length=64, default=HASH_INITIAL)

    class Meta:
        verbose_name = "tête du journal"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="tete_journal_unique")]

    def __str__(self) -> str:
        return f"tête du journal (n°{self.derniere_sequence})"
