"""Partner organisations (organismes de formation habilités), their habilitations and their training sessions.

Invariants live in the database (SIRET format, dates in order, places within capacity, one
habilitation in force per partner and certification). Transitions of a habilitation go through the
methods below, called only by ``services`` (which lock the row, record the reason and audit it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_fsm import FSMField, FSMModelMixin, transition

from parchemin.comptes.roles import est_equipe, partenaires_de
from parchemin.identifiants import valider_siret
from parchemin.territoires.enums import Region

from .enums import ETATS_EN_COURS, MODALITES_AVEC_LIEU, EtatHabilitation, Modalite, StatutSession


class PartenaireQuerySet(models.QuerySet["Partenaire"]):
    def visible_to(self, user: Any) -> PartenaireQuerySet:
        """Staff see every partner; a partner's people see their own organisation only."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(pk__in=partenaires_de(user))


class Partenaire(models.Model):
    """An organisation that prepares and/or assesses candidates; the certificateur may be one."""

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])
    numero_declaration_activite = models.CharField(
        "numéro de déclaration d'activité", max_length=11, blank=True, help_text="11 chiffres, délivré par la DREETS."
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    site_web = models.URLField("site web", blank=True)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    qualiopi = models.BooleanField("certifié Qualiopi", default=False)
    qualiopi_echeance = models.DateField("échéance du certificat Qualiopi", null=True, blank=True)
    est_certificateur = models.BooleanField(
        "est le certificateur", default=False, help_text="Le certificateur qui forme lui-même se déclare partenaire."
    )

    objects = PartenaireQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme partenaire"
        verbose_name_plural = "organismes partenaires"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(condition=Q(siret__regex=r"^[0-9]{14}$"), name="partenaire_siret_14_chiffres"),
            models.CheckConstraint(condition=~Q(nom=""), name="partenaire_nom_non_vide"),
            models.CheckConstraint(
                condition=Q(numero_declaration_activite="") | Q(numero_declaration_activite__regex=r"^[0-9]{11}$"),
                name="partenaire_nda_11_chiffres",
                violation_error_message="Le numéro de déclaration d'activité comporte 11 chiffres.",
            ),
            models.CheckConstraint(
                condition=Q(qualiopi=True) | Q(qualiopi_echeance__isnull=True),
                name="partenaire_echeance_si_qualiopi",
                violation_error_message="Une échéance Qualiopi suppose un certificat Qualiopi.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def qualiopi_valide(self, aujourd_hui: datetime.date) -> bool:
        return self.qualiopi and (self.qualiopi_echeance is None or self.qualiopi_echeance >= aujourd_hui)


class ContactPartenaire(models.Model):
    partenaire = models.ForeignKey(Partenaire, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField("nom", max_length=150)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["partenaire", "nom"]
        constraints = [models.CheckConstraint(condition=~Q(nom=""), name="contact_nom_non_vide")]

    def __str__(self) -> str:
        return f"{self.nom} ({self.partenaire})"


def chemin_convention(instance: Habilitation, nom: str) -> str:
    return f"partenaires/{instance.partenaire_id}/conventions/habilitation-{instance.pk or 'nouvelle'}.pdf"


class HabilitationQuerySet(models.QuerySet["Habilitation"]):
    def visible_to(self, user: Any) -> HabilitationQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(partenaire_id__in=partenaires_de(user))

    def en_cours(self) -> HabilitationQuerySet:
        return self.filter(etat__in=ETATS_EN_COURS)

    def echues(self, aujourd_hui: datetime.date) -> HabilitationQuerySet:
        """Still marked in force although their validity period ended before today."""
        return self.filter(etat__in=ETATS_EN_COURS, date_fin__lt=aujourd_hui)

    def permettant_de_preparer(self, aujourd_hui: datetime.date) -> HabilitationQuerySet:
        return self.filter(etat=EtatHabilitation.ACTIVE, preparer=True, date_debut__lte=aujourd_hui).filter(
            Q(date_fin__isnull=True) | Q(date_fin__gte=aujourd_hui)
        )


class Habilitation(FSMModelMixin, models.Model):
    """What a partner is allowed to do for one certification (decree of 6 June 2025)."""

    partenaire = models.ForeignKey(Partenaire, on_delete=models.PROTECT, related_name="habilitations")
    certification = models.ForeignKey(
        "referentiel.Certification", on_delete=models.PROTECT, related_name="habilitations"
    )
    preparer = models.BooleanField("préparer les candidats", default=True)
    evaluer = models.BooleanField("évaluer les candidats", default=False)
    unites = models.ManyToManyField(
        "referentiel.Unite",
        blank=True,
        related_name="habilitations",
        verbose_name="unités concernées",
        help_text="Aucune unité cochée : la certification entière.",
    )
    date_debut = models.DateField("début de validité")
    date_fin = models.DateField("fin de validité", null=True, blank=True)
    redevance = models.TextField("redevance versée au certificateur", blank=True)
    sous_traitance = models.TextField("conditions de sous-traitance", blank=True)
    moyens_requis = models.TextField("moyens techniques, pédagogiques et d'encadrement requis", blank=True)
    convention = models.FileField("convention signée (PDF)", upload_to=chemin_convention, blank=True)
    etat = FSMField(
        "état", max_length=12, choices=EtatHabilitation.choices, default=EtatHabilitation.ACTIVE, protected=True
    )
    modifiee_le = models.DateTimeField("dernière modification", auto_now_add=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        ordering = ["partenaire__nom", "-date_debut"]
        constraints = [
            models.UniqueConstraint(
                fields=["partenaire", "certification"],
                condition=Q(etat__in=ETATS_EN_COURS),
                name="habilitation_une_en_cours",
                violation_error_message="Ce partenaire a déjà une habilitation en cours pour cette certification.",
            ),
            models.CheckConstraint(
                condition=Q(preparer=True) | Q(evaluer=True),
                name="habilitation_objet_non_vide",
                violation_error_message="Une habilitation permet de préparer et/ou d'évaluer.",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="habilitation_fin_apres_debut",
                violation_error_message="La fin de validité ne peut pas précéder son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partenaire} — {self.certification.code} ({self.objet})"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:habilitation", kwargs={"pk": self.pk})

    @property
    def objet(self) -> str:
        if self.preparer and self.evaluer:
            return "préparer et évaluer"
        return "préparer" if self.preparer else "évaluer"

    @transition(field=etat, source=EtatHabilitation.ACTIVE, target=EtatHabilitation.SUSPENDUE)
    def suspendre(self) -> None:
        pass

    @transition(field=etat, source=EtatHabilitation.SUSPENDUE, target=EtatHabilitation.ACTIVE)
    def reactiver(self) -> None:
        pass

    @transition(field=etat, source=list(ETATS_EN_COURS), target=EtatHabilitation.RETIREE)
    def retirer(self) -> None:
        pass

    @transition(field=etat, source=list(ETATS_EN_COURS), target=EtatHabilitation.TERMINEE)
    def terminer(self) -> None:
        pass


class ChangementHabilitation(models.Model):
    """One change of a habilitation, with its reason: the history sent to France compétences."""

    habilitation = models.ForeignKey(Habilitation, on_delete=models.PROTECT, related_name="changements")
    horodatage = models.DateTimeField("date", auto_now_add=True, db_index=True)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nature = models.CharField("nature du changement", max_length=40)
    etat_avant = models.CharField("état avant", max_length=12, choices=EtatHabilitation.choices, blank=True)
    etat_apres = models.CharField("état après", max_length=12, choices=EtatHabilitation.choices)
    motif = models.TextField("motif")

    class Meta:
        verbose_name = "changement d'habilitation"
        verbose_name_plural = "changements d'habilitation"
        ordering = ["-horodatage", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(motif=""), name="changement_motif_obligatoire")]

    def __str__(self) -> str:
        return f"{self.habilitation} : {self.nature}"


class EnvoiListeFranceCompetences(models.Model):
    """The certificateur sent its list of habilitations to France compétences on this date."""

    envoye_le = models.DateField("envoyée le")
    enregistre_le = models.DateTimeField("enregistré le", auto_now_add=True)
    acteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = "envoi de la liste à France compétences"
        verbose_name_plural = "envois de la liste à France compétences"
        ordering = ["-envoye_le", "-pk"]

    def __str__(self) -> str:
        return f"Liste envoyée le {self.envoye_le:%d/%m/%Y}"


class SessionFormationQuerySet(models.QuerySet["SessionFormation"]):
    def visible_to(self, user: Any) -> SessionFormationQuerySet:
        """Every session for staff; a partner's people see their organisation's sessions (published or not)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if est_equipe(user):
            return self.all()
        return self.filter(partenaire_id__in=partenaires_de(user))

    def publiees(self) -> SessionFormationQuerySet:
        return self.filter(publiee=True)

    def pour_liste(self) -> SessionFormationQuerySet:
        return self.select_related("partenaire", "certification", "commune")


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
    description = models.TextField("présentation", blank=True)
    region = models.CharField("région", max_length=2, choices=Region.choices, blank=True, default="")
    modalite = models.CharField("modalité", max_length=10, choices=Modalite.choices, default=Modalite.DISTANCE)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    lieu = models.CharField("lieu (adresse)", max_length=255, blank=True)
    # Copied from the commune by the service: the catalogue's distance search filters on an index here.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    # The same point as a unit vector (territoires.distance.vecteur_unitaire): distance filters and
    # sorts become arithmetic, which SQLite runs natively.
    vecteur_x = models.FloatField(null=True, blank=True, editable=False)
    vecteur_y = models.FloatField(null=True, blank=True, editable=False)
    vecteur_z = models.FloatField(null=True, blank=True, editable=False)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    duree_jours = models.PositiveSmallIntegerField("durée (jours)", default=1)
    duree_heures = models.PositiveSmallIntegerField("durée (heures)", default=7)
    prix = models.DecimalField("prix TTC (€)", max_digits=8, decimal_places=2, default=Decimal("0"))
    financements = models.JSONField("financements possibles", default=list, blank=True)
    lien_cpf = models.URLField("lien Mon Compte Formation", blank=True)
    capacite = models.PositiveSmallIntegerField("nombre de places", default=12)
    inscrits = models.PositiveSmallIntegerField("inscrits", default=0)
    statut = models.CharField("statut", max_length=10, choices=StatutSession.choices, default=StatutSession.OUVERTE)
    publiee = models.BooleanField("publiée au catalogue", default=False)
    contact_inscription = models.CharField("contact pour s'inscrire", max_length=255, blank=True)
    lien_inscription = models.URLField("lien d'inscription", blank=True)
    # Folded text (no accents, lower case) of what the catalogue searches: kept by the service, indexed
    # by FTS5 on SQLite and by a French tsvector on PostgreSQL (migration 0004).
    texte_recherche = models.TextField(blank=True, editable=False)
    modifiee_le = models.DateTimeField("dernière modification", auto_now=True)

    objects = SessionFormationQuerySet.as_manager()

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["-date_debut"]
        # The catalogue always filters on the certification: leading with it lets the engine range-scan
        # the coordinates (or walk the dates in order) even without table statistics. Both indexes also
        # carry every column a search filters on (and the unit vector the distance is computed from), so
        # that counting and choosing a page's ids read the index alone, never the table's rows: at 50,000
        # sessions a count of every future session fell from 70 ms to 3 ms on SQLite (bench_catalogue).
        # The id comes last so that PostgreSQL, whose index entries point to rows without naming them,
        # can answer the page's id list from the index too.
        indexes = [
            models.Index(
                fields=[
                    "certification",
                    "latitude",
                    "longitude",
                    "publiee",
                    "date_debut",
                    "statut",
                    "modalite",
                    "region",
                    "prix",
                    "inscrits",
                    "capacite",
                    "partenaire",
                    "vecteur_x",
                    "vecteur_y",
                    "vecteur_z",
                    "id",
                ],
                name="session_catalogue_lieu_idx",
            ),
            models.Index(
                fields=[
                    "certification",
                    "date_debut",
                    "publiee",
                    "statut",
                    "modalite",
                    "region",
                    "prix",
                    "inscrits",
                    "capacite",
                    "partenaire",
                    "id",
                ],
                name="session_catalogue_date_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=models.F("date_debut")),
                name="session_fin_apres_debut",
                violation_error_message="La session ne peut pas finir avant de commencer.",
            ),
            models.CheckConstraint(
                condition=Q(prix__gte=Decimal("0")),
                name="session_prix_positif",
                violation_error_message="Le prix ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(inscrits__lte=F("capacite")),
                name="session_inscrits_dans_capacite",
                violation_error_message="Il y a plus d'inscrits que de places.",
            ),
            models.CheckConstraint(
                condition=Q(capacite__gte=1) & Q(duree_jours__gte=1) & Q(duree_heures__gte=1),
                name="session_capacite_duree_positives",
            ),
            models.CheckConstraint(
                condition=~Q(modalite__in=MODALITES_AVEC_LIEU) | Q(commune__isnull=False),
                name="session_lieu_si_presentiel",
                violation_error_message="Une session en présentiel ou hybride a lieu dans une commune.",
            ),
            models.UniqueConstraint(
                fields=["partenaire", "certification", "numero", "saison"], name="session_numero_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intitule} — {self.libelle_numero} ({self.partenaire})"

    def get_absolute_url(self) -> str:
        return reverse("public:catalogue_session", kwargs={"code": self.certification.code.lower(), "pk": self.pk})

    @property
    def libelle_numero(self) -> str:
        return f"Session #{self.numero} // {self.saison}"

    @property
    def places_restantes(self) -> int:
        return max(0, self.capacite - self.inscrits)

    def inscriptions_ouvertes(self, aujourd_hui: datetime.date) -> bool:
        """Open for registration: not cancelled nor full, with places left, and not started yet.

        The catalogue only lists sessions starting today or later, but a session's own page stays
        reachable afterwards (bookmarks, search engines): there it must not invite anyone to register."""
        return self.statut == StatutSession.OUVERTE and self.places_restantes > 0 and self.date_debut >= aujourd_hui

    def etat_inscriptions(self, aujourd_hui: datetime.date) -> str:
        """What a visitor reads about registration, in French."""
        if self.statut == StatutSession.ANNULEE:
            return "Session annulée"
        if self.date_fin < aujourd_hui:
            return "Session terminée : inscriptions closes"
        if self.date_debut < aujourd_hui:
            return "Session commencée : inscriptions closes"
        if not self.inscriptions_ouvertes(aujourd_hui):
            return "Complète"
        pluriel = "s" if self.places_restantes > 1 else ""
        return f"{self.places_restantes} place{pluriel} restante{pluriel} sur {self.capacite}"
