"""Parchemins (certificates delivered after a final jury decision) and their signed credentials.

A ``Parchemin`` is created once per decision (``passage`` is unique: issuing twice never makes a
second number); it carries the certificate number and the short verification code, which never
change. Each signed credential (with the PDF embedding it) is an ``Attestation``: a reissue adds one
and revokes the previous, so the number stays and every credential ever handed out stays answerable.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .enums import StatutParchemin

# Crockford-like: no I, L, O (read as 1, 1, 0) and no 0, 1 — see docs/parchemins.md for the odds.
ALPHABET_CODE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LONGUEUR_CODE = 8


class Compteur(models.Model):
    """A named sequence (certificate numbers per certification and year, status list indexes).

    Incremented under ``select_for_update``: two workers never get the same value, and a rolled-back
    transaction gives its value back, so numbers have no gaps.
    """

    nom = models.CharField("nom", max_length=60, primary_key=True)
    valeur = models.PositiveBigIntegerField("dernière valeur", default=0)

    class Meta:
        verbose_name = "compteur"

    def __str__(self) -> str:
        return f"{self.nom} = {self.valeur}"


class CleSignature(models.Model):
    """The public part of every key that signed a credential: it stays in the DID document."""

    multikey = models.CharField("clé publique (Multikey)", max_length=64, unique=True)
    premiere_signature = models.DateTimeField("première signature", auto_now_add=True)

    class Meta:
        verbose_name = "clé de signature (publique)"
        verbose_name_plural = "clés de signature (publiques)"
        ordering = ["premiere_signature", "pk"]

    def __str__(self) -> str:
        return self.multikey


class Parchemin(models.Model):
    passage = models.OneToOneField("jurys.Passage", on_delete=models.PROTECT, related_name="parchemin")
    candidature = models.ForeignKey("candidatures.Candidature", on_delete=models.PROTECT, related_name="parchemins")
    numero = models.CharField("numéro", max_length=40, unique=True)
    code_verification = models.CharField("code de vérification", max_length=LONGUEUR_CODE, unique=True)
    decision = models.CharField("décision", max_length=22)
    unites = models.JSONField("unités validées", default=list)
    date_decision = models.DateTimeField("date de la décision")
    statut = models.CharField(
        "statut", max_length=10, choices=StatutParchemin.choices, default=StatutParchemin.A_EMETTRE
    )
    erreur = models.TextField("cause de l'échec", blank=True)
    # Id of the last issuance task enqueued (Django Tasks); its state is shown to staff.
    tache = models.CharField("tâche d'émission", max_length=64, blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "parchemin"
        verbose_name_plural = "parchemins"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(statut__in=StatutParchemin.values), name="parchemin_statut_connu"),
            models.CheckConstraint(
                condition=Q(code_verification__regex=rf"^[{ALPHABET_CODE}]{{{LONGUEUR_CODE}}}$"),
                name="parchemin_code_alphabet",
            ),
        ]

    def __str__(self) -> str:
        return f"Parchemin {self.numero}"

    @property
    def attestation_en_vigueur(self) -> Attestation | None:
        return self.attestations.filter(revoquee_le__isnull=True).order_by("-emise_le", "-pk").first()


class Attestation(models.Model):
    """One signed OpenBadgeCredential of a parchemin, the exact bytes handed out, and its PDF."""

    parchemin = models.ForeignKey(Parchemin, on_delete=models.PROTECT, related_name="attestations")
    identifiant = models.UUIDField("identifiant du credential", unique=True)
    # Position in the revocation status list; allocated from a counter, never reused.
    index_statut = models.PositiveBigIntegerField("index dans la liste de statut", unique=True)
    cle = models.ForeignKey(CleSignature, on_delete=models.PROTECT, related_name="attestations")
    credential = models.TextField("credential signé (JSON)")
    pdf = models.BinaryField("parchemin PDF")
    emise_le = models.DateTimeField("émise le")
    revoquee_le = models.DateTimeField("révoquée le", null=True, blank=True)
    motif_revocation = models.TextField("motif de la révocation", blank=True)

    class Meta:
        verbose_name = "attestation numérique"
        verbose_name_plural = "attestations numériques"
        ordering = ["-emise_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parchemin"], condition=Q(revoquee_le__isnull=True), name="attestation_une_en_vigueur"
            ),
            models.CheckConstraint(
                condition=Q(revoquee_le__isnull=True) | ~Q(motif_revocation=""), name="attestation_revocation_motivee"
            ),
        ]

    def __str__(self) -> str:
        return f"Attestation {self.identifiant} ({self.parchemin.numero})"


class ListeStatut(models.Model):
    """A signed BitstringStatusListCredential, re-signed whenever one of its bits changes."""

    numero = models.PositiveIntegerField("numéro", primary_key=True)
    credential = models.TextField("credential signé (JSON)")
    signee_le = models.DateTimeField("signée le")

    class Meta:
        verbose_name = "liste de statut"
        verbose_name_plural = "listes de statut"

    def __str__(self) -> str:
        return f"Liste de statut n° {self.numero}"
