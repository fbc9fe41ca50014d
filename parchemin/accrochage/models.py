"""The CDC accrochage: the certificateur's CDC identifiers, one ``PassageCDC`` per delivered full
certification (its stable ``idTechnique`` and where it stands with the CDC), and the ``Lot`` files
sent (stored as sent, with their hash). See docs/accrochage.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import ActionFlux, EtatCDC, TypeAccuse, VersionFlux

REGEX_ID_CLIENT = r"^[A-Za-z0-9]{8}$"
REGEX_ID_CONTRAT = r"^[A-Za-z0-9]{1,20}$"


class ConfigurationCDC(models.Model):
    """The certificateur's identifiers at the CDC (one row, pk 1), entered by an administrator."""

    id_client_emetteur = models.CharField(
        "idClient de l'émetteur", max_length=8, help_text="8 caractères, donné par la CDC à l'émetteur du fichier."
    )
    id_client_certificateur = models.CharField(
        "idClient du certificateur", max_length=8, help_text="8 caractères, donné par la CDC au certificateur."
    )
    id_contrat = models.CharField(
        "idContrat", max_length=20, help_text="Numéro de contrat du certificateur, par exemple MCFCER000123."
    )
    version_flux = models.CharField(
        "version du flux", max_length=5, choices=VersionFlux.choices, default=VersionFlux.V1_1_2
    )
    xsd_officiel = models.BinaryField("XSD officiel de la CDC", blank=True, default=b"")
    xsd_officiel_nom = models.CharField("nom du fichier XSD officiel", max_length=200, blank=True)
    xsd_officiel_sha256 = models.CharField("empreinte SHA-256 du XSD officiel", max_length=64, blank=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "identifiants CDC"
        verbose_name_plural = "identifiants CDC"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="configuration_cdc_unique"),
            models.CheckConstraint(
                condition=Q(id_client_emetteur__regex=REGEX_ID_CLIENT), name="configuration_cdc_emetteur_8"
            ),
            models.CheckConstraint(
                condition=Q(id_client_certificateur__regex=REGEX_ID_CLIENT), name="configuration_cdc_certificateur_8"
            ),
            models.CheckConstraint(condition=Q(id_contrat__regex=REGEX_ID_CONTRAT), name="configuration_cdc_contrat"),
            models.CheckConstraint(condition=Q(version_flux__in=VersionFlux.values), name="configuration_cdc_version"),
        ]

    def __str__(self) -> str:
        return f"Identifiants CDC {self.id_client_certificateur} / {self.id_contrat}"


class Lot(models.Model):
    """One flux file as generated, validated and offered for download (never rewritten)."""

    id_flux = models.CharField("idFlux", max_length=50, unique=True)
    version_flux = models.CharField("version du flux", max_length=5, choices=VersionFlux.choices)
    action = models.CharField("action", max_length=11, choices=ActionFlux.choices, default=ActionFlux.CREATION)
    id_client_certificateur = models.CharField("idClient du certificateur", max_length=8)
    fichier = models.FileField("fichier XML", upload_to="accrochage/lots/%Y/", max_length=200)
    taille = models.PositiveBigIntegerField("taille (octets)")
    empreinte_sha256 = models.CharField("empreinte SHA-256", max_length=64)
    nombre_passages = models.PositiveIntegerField("nombre de passages")
    valide_xsd_officiel = models.BooleanField("validé aussi par le XSD officiel", default=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="créé par"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    accuse_reception_le = models.DateTimeField("accusé de réception le", null=True, blank=True)
    refuse_par_cdc = models.TextField("motif du refus du fichier par la CDC", blank=True)
    accuse_traitement_le = models.DateTimeField("accusé de traitement le", null=True, blank=True)

    class Meta:
        verbose_name = "lot envoyé à la CDC"
        verbose_name_plural = "lots envoyés à la CDC"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ActionFlux.values), name="lot_action_connue"),
            # 1.1.2 has no action: only 1.1.5 can withdraw.
            models.CheckConstraint(
                condition=Q(action=ActionFlux.CREATION) | Q(version_flux=VersionFlux.V1_1_5),
                name="lot_suppression_en_1_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Lot {self.id_flux}"

    @property
    def est_retrait(self) -> bool:
        return self.action == ActionFlux.SUPPRESSION


class PassageCDCQuerySet(models.QuerySet["PassageCDC"]):
    def pour_liste(self) -> PassageCDCQuerySet:
        return self.select_related("parchemin__candidature", "dernier_lot")


class PassageCDC(models.Model):
    """One delivered full certification as the CDC knows it, keyed by ``id_technique`` for good."""

    parchemin = models.OneToOneField("parchemins.Parchemin", on_delete=models.PROTECT, related_name="passage_cdc")
    id_technique = models.CharField("idTechnique", max_length=255, unique=True)
    livre_le = models.DateField("délivré le", db_index=True)
    etat = models.CharField("état à la CDC", max_length=10, choices=EtatCDC.choices, default=EtatCDC.A_ENVOYER)
    etat_le = models.DateTimeField("état depuis le", null=True, blank=True)
    message_cdc = models.TextField("message de la CDC", blank=True)
    rejete_le = models.DateField("rejeté le", null=True, blank=True, db_index=True)
    dernier_lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="dernier lot"
    )
    lots = models.ManyToManyField(Lot, related_name="passages", blank=True, verbose_name="lots")
    nir_chiffre = models.TextField("NIR (chiffré)", blank=True)

    objects = PassageCDCQuerySet.as_manager()

    class Meta:
        verbose_name = "passage à accrocher"
        verbose_name_plural = "passages à accrocher"
        ordering = ["livre_le", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(etat__in=EtatCDC.values), name="passage_cdc_etat_connu"),
            models.CheckConstraint(
                condition=~Q(etat=EtatCDC.REJETE) | Q(rejete_le__isnull=False), name="passage_cdc_rejet_date"
            ),
            # Accepted by the CDC: the NIR has done its job and is not kept.
            models.CheckConstraint(
                condition=~Q(etat=EtatCDC.ACCEPTE) | Q(nir_chiffre=""), name="passage_cdc_nir_purge"
            ),
        ]
        indexes = [models.Index(fields=["etat", "livre_le"], name="passage_cdc_etat_livre")]

    def __str__(self) -> str:
        return f"Passage {self.id_technique}"


class Accuse(models.Model):
    """One CDC acknowledgement file applied to a lot (kept as received)."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="accuses")
    type = models.CharField("type", max_length=10, choices=TypeAccuse.choices)
    contenu = models.BinaryField("fichier reçu")
    nom_fichier = models.CharField("nom du fichier", max_length=200)
    empreinte_sha256 = models.CharField("empreinte SHA-256", max_length=64)
    acceptes = models.PositiveIntegerField("passages acceptés", default=0)
    rejetes = models.PositiveIntegerField("passages rejetés", default=0)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="déposé par"
    )
    depose_le = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "accusé de la CDC"
        verbose_name_plural = "accusés de la CDC"
        ordering = ["-depose_le", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(type__in=TypeAccuse.values), name="accuse_type_connu")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du lot {self.lot.id_flux}"
