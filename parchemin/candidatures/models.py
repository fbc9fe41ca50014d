"""Applications to a certification, their evidence, and the state machine that carries them to the jury.

The state is a django-fsm-2 field marked ``protected``: it cannot be assigned, only moved by the
transition methods below, and those are only called by ``services`` (which lock the row, write the
audit entry and notify the candidate). Invariants that hold on one row live in the database.
"""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django_fsm import FSMField, FSMModelMixin, transition

from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.comptes.roles import a_un_role, partenaires_de
from parchemin.referentiel.enums import VoieAcces

from .enums import (
    ETATS_EN_COURS,
    ETATS_RETIRABLES,
    DecisionRecevabilite,
    EtatCandidature,
    NiveauDiplome,
    Sexe,
    TypePiece,
)

# Levels from which RS5142's diploma prerequisite (BAC+5) is met, and the experience alternative.
NIVEAUX_BAC_PLUS_5 = (NiveauDiplome.NIVEAU_7, NiveauDiplome.NIVEAU_8)
ANNEES_EXPERIENCE_REQUISES = 10
# The certificateur must decide on a complete experience-route file within two months.
DELAI_RECEVABILITE_MOIS = 2

# Written only by the jurys app (``jurys.en_vigueur``; see ``Candidature.save``).
CHAMPS_RESULTAT_JURY = ("decision_finale", "decide_le", "annee_decision")

REGEX_CODE_COMMUNE = r"^([0-9]{5}|2[AB][0-9]{3})$"
REGEX_CODE_PAYS = r"^[0-9]{3}$"


def normaliser_recherche(texte: str) -> str:
    """Lower case without accents, so "Hélène" is found by "helene" on every database engine."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).lower()


class CandidatureQuerySet(models.QuerySet["Candidature"]):
    def visible_to(self, user: Any) -> CandidatureQuerySet:
        """The single place for row-level access: staff see every file, a partner the files of its
        trainees, a candidate their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if a_un_role(user, *ROLES_EQUIPE):
            return self.all()
        condition = Q(candidat=user)
        partenaires = partenaires_de(user)
        if partenaires:
            condition |= Q(partenaire_id__in=partenaires)
        return self.filter(condition)

    def pour_liste(self) -> CandidatureQuerySet:
        return self.select_related("candidat", "certification", "partenaire", "session_formation")

    def recherche(self, texte: str) -> CandidatureQuerySet:
        qs = self
        for mot in normaliser_recherche(texte).split():
            qs = qs.filter(nom_recherche__contains=mot)
        return qs

    def en_retard(self, aujourd_hui: datetime.date) -> CandidatureQuerySet:
        """Experience-route files still awaiting the recevabilité decision after the legal deadline:
        silence has made them admissible, and the acceptance is yet to be recorded."""
        return self.filter(etat=EtatCandidature.DEPOSEE, echeance_recevabilite__lt=aujourd_hui)

    def recevables_tacitement(self) -> CandidatureQuerySet:
        """Admissible by silence and not moved on since: staff have not looked at them yet."""
        return self.filter(etat=EtatCandidature.RECEVABLE, acceptation_tacite_le__isnull=False)

    def echeance_proche(self, aujourd_hui: datetime.date, jours: int = 15) -> CandidatureQuerySet:
        return self.filter(
            etat=EtatCandidature.DEPOSEE,
            echeance_recevabilite__gte=aujourd_hui,
            echeance_recevabilite__lte=aujourd_hui + datetime.timedelta(days=jours),
        )


class Candidature(FSMModelMixin, models.Model):
    """One person's application to one certification, on one access route."""

    candidat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidatures", verbose_name="candidat"
    )
    certification = models.ForeignKey(
        "referentiel.Certification", on_delete=models.PROTECT, related_name="candidatures"
    )
    version_referentiel = models.ForeignKey(
        "referentiel.ReferentielVersion",
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name="version du référentiel",
        help_text="Le candidat reste sur la version en vigueur à son inscription.",
    )
    voie = models.CharField("voie d'accès", max_length=40, choices=VoieAcces.choices, db_index=True)
    annee = models.PositiveSmallIntegerField("année civile", db_index=True)
    etat = FSMField(
        "état", max_length=20, choices=EtatCandidature.choices, default=EtatCandidature.BROUILLON, protected=True
    )

    # Civil status, as the CDC accrochage file needs it (see docs/candidatures.md).
    nom_naissance = models.CharField("nom de naissance", max_length=60, blank=True)
    nom_usage = models.CharField("nom d'usage", max_length=60, blank=True)
    prenom1 = models.CharField("premier prénom", max_length=60, blank=True)
    prenom2 = models.CharField("deuxième prénom", max_length=60, blank=True)
    prenom3 = models.CharField("troisième prénom", max_length=60, blank=True)
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices, blank=True)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    code_commune_naissance = models.CharField(
        "code INSEE de la commune de naissance", max_length=5, blank=True, help_text="Par exemple 33063 ou 2A004."
    )
    commune_naissance = models.CharField("commune de naissance", max_length=60, blank=True)
    code_pays_naissance = models.CharField(
        "code INSEE du pays de naissance",
        max_length=3,
        blank=True,
        help_text="Pour une naissance à l'étranger, par exemple 109 pour l'Allemagne.",
    )
    pays_naissance = models.CharField("pays de naissance", max_length=60, blank=True)

    # Contact details.
    email = models.EmailField("e-mail de contact", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=10, blank=True)
    ville = models.CharField("ville", max_length=120, blank=True)

    # Profile for the prerequisites.
    niveau_diplome = models.CharField("diplôme le plus élevé", max_length=1, choices=NiveauDiplome.choices, blank=True)
    annees_experience = models.PositiveSmallIntegerField(
        "années d'expérience (management, animation, coordination territoriale)", null=True, blank=True
    )
    cv = models.TextField("CV court", blank=True)
    derogation_prerequis = models.BooleanField("dérogation aux prérequis", default=False)
    derogation_motif = models.TextField("motif de la dérogation", blank=True)
    derogation_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dérogation accordée par",
    )

    # Training route: where the candidate was prepared. Employer: for the jury's conflict-of-interest rule.
    partenaire = models.ForeignKey(
        "partenaires.Partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name="organisme de formation",
    )
    session_formation = models.ForeignKey(
        "partenaires.SessionFormation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name="session de formation",
    )
    employeur_nom = models.CharField("employeur", max_length=200, blank=True)
    employeur_siret = models.CharField("SIRET de l'employeur", max_length=14, blank=True)

    # Recevabilité (experience route): the legal clock starts when the file is complete.
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    dossier_complet_le = models.DateField("dossier complet le", null=True, blank=True)
    echeance_recevabilite = models.DateField("décision de recevabilité due le", null=True, blank=True, db_index=True)
    decision_recevabilite = models.CharField(
        "décision de recevabilité", max_length=20, choices=DecisionRecevabilite.choices, blank=True
    )
    decision_le = models.DateTimeField("décision rendue le", null=True, blank=True)
    motif_decision = models.TextField("motif de la décision", blank=True)
    pieces_manquantes = models.TextField("pièces manquantes", blank=True)
    acceptation_tacite_le = models.DateField(
        "recevable par acceptation tacite le",
        null=True,
        blank=True,
        help_text="Jour où le silence gardé après l'échéance a valu acceptation (lendemain de l'échéance).",
    )

    # The jury's outcome, stored for the statistics (docs/statistiques.md): the decision in force of
    # the latest passage on a signed PV, the start of that session and its civil year. The jurys app
    # owns the definition and is the only writer (``jurys.en_vigueur``, a queryset update in the
    # transaction that locks a PV, amends a decision or takes a jury over from history); empty while
    # no signed PV carries a decision. Codes are ``jurys.enums.Decision`` values (that app sits above).
    decision_finale = models.CharField("décision du jury en vigueur", max_length=22, blank=True, editable=False)
    decide_le = models.DateTimeField("date de la session de la décision", null=True, blank=True, editable=False)
    annee_decision = models.PositiveSmallIntegerField("année de la décision du jury", null=True, editable=False)

    nom_recherche = models.CharField(max_length=400, editable=False, default="")
    creee_le = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = CandidatureQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["-creee_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidat", "certification", "voie"],
                condition=Q(etat__in=ETATS_EN_COURS),
                name="une_candidature_en_cours_par_voie",
                violation_error_message=(
                    "Une candidature est déjà en cours pour cette certification par cette voie : poursuivez-la "
                    "ou retirez-la avant d'en ouvrir une autre."
                ),
            ),
            models.UniqueConstraint(
                fields=["candidat", "certification", "annee"],
                condition=Q(voie=VoieAcces.EXPERIENCE) & ~Q(etat=EtatCandidature.ABANDONNEE),
                name="une_candidature_experience_par_an",
                violation_error_message=(
                    "Une seule candidature par certification et par année civile est possible par la voie "
                    "de l'expérience."
                ),
            ),
            models.CheckConstraint(
                condition=Q(code_commune_naissance="") | Q(code_commune_naissance__regex=REGEX_CODE_COMMUNE),
                name="candidature_code_commune_format",
                violation_error_message="Le code INSEE de commune compte 5 caractères (chiffres, ou 2A/2B).",
            ),
            models.CheckConstraint(
                condition=Q(code_pays_naissance="") | Q(code_pays_naissance__regex=REGEX_CODE_PAYS),
                name="candidature_code_pays_format",
                violation_error_message="Le code INSEE de pays compte 3 chiffres.",
            ),
            models.CheckConstraint(
                condition=Q(code_commune_naissance="") | Q(code_pays_naissance=""),
                name="candidature_naissance_commune_ou_pays",
                violation_error_message="Indiquez la commune de naissance en France ou le pays, pas les deux.",
            ),
            models.CheckConstraint(condition=Q(sexe="") | Q(sexe__in=Sexe.values), name="candidature_sexe_m_ou_f"),
            models.CheckConstraint(
                condition=Q(date_naissance__isnull=True) | Q(date_naissance__gte=datetime.date(1900, 1, 1)),
                name="candidature_naissance_apres_1900",
            ),
            models.CheckConstraint(
                condition=Q(employeur_siret="") | Q(employeur_siret__regex=r"^[0-9]{14}$"),
                name="candidature_siret_employeur_14_chiffres",
            ),
            models.CheckConstraint(
                condition=Q(session_formation__isnull=True) | Q(partenaire__isnull=False),
                name="candidature_session_avec_partenaire",
            ),
            models.CheckConstraint(
                condition=Q(derogation_prerequis=False) | (~Q(derogation_motif="") & Q(derogation_par__isnull=False)),
                name="candidature_derogation_motivee",
                violation_error_message="Une dérogation aux prérequis doit être motivée.",
            ),
            models.CheckConstraint(
                condition=Q(echeance_recevabilite__isnull=True) | Q(dossier_complet_le__isnull=False),
                name="candidature_echeance_apres_dossier_complet",
            ),
            models.CheckConstraint(
                condition=Q(acceptation_tacite_le__isnull=True)
                | (
                    Q(decision_recevabilite=DecisionRecevabilite.RECEVABLE)
                    & Q(echeance_recevabilite__isnull=False)
                    & Q(acceptation_tacite_le__gt=F("echeance_recevabilite"))
                ),
                name="candidature_acceptation_tacite_apres_echeance",
                violation_error_message="Une acceptation tacite suit l'échéance de recevabilité et la rend recevable.",
            ),
            # The stored outcome is whole or absent: a decision always comes with its date and year.
            models.CheckConstraint(
                condition=(Q(decision_finale="") & Q(decide_le__isnull=True) & Q(annee_decision__isnull=True))
                | (~Q(decision_finale="") & Q(decide_le__isnull=False) & Q(annee_decision__isnull=False)),
                name="candidature_decision_en_vigueur_entiere",
            ),
        ]
        indexes = [
            models.Index(fields=["etat", "voie"], name="candidature_etat_voie_idx"),
            # The statistics' groups and drill-downs: a year (of decision or of application), then
            # the decision in force.
            models.Index(fields=["annee_decision", "decision_finale"], name="candidature_annee_dec_idx"),
            models.Index(fields=["annee", "decision_finale"], name="candidature_annee_finale_idx"),
        ]

    def __str__(self) -> str:
        return f"Candidature n°{self.pk} — {self.nom_complet or 'identité à compléter'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.nom_recherche = normaliser_recherche(
            " ".join([self.nom_naissance, self.nom_usage, self.prenom1, self.prenom2, self.prenom3, self.email])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "nom_recherche", "modifiee_le"}
        elif not self._state.adding:
            # The stored jury outcome is written by the jurys app alone, with a queryset update: a
            # full save of an instance read before that update must not put the old outcome back.
            kwargs["update_fields"] = {
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in CHAMPS_RESULTAT_JURY
            }
        super().save(*args, **kwargs)

    # --- Derived facts ------------------------------------------------------------------------

    @property
    def nom_complet(self) -> str:
        prenoms = " ".join(p for p in (self.prenom1, self.prenom2, self.prenom3) if p)
        nom = self.nom_usage or self.nom_naissance
        return f"{prenoms} {nom}".strip()

    @property
    def prerequis_diplome(self) -> bool:
        return self.niveau_diplome in NIVEAUX_BAC_PLUS_5

    @property
    def prerequis_experience(self) -> bool:
        return (self.annees_experience or 0) > ANNEES_EXPERIENCE_REQUISES

    @property
    def prerequis_remplis(self) -> bool:
        """RS5142 expects BAC+5, or more than ten years of relevant experience."""
        return self.prerequis_diplome or self.prerequis_experience

    @property
    def prerequis_admis(self) -> bool:
        return self.prerequis_remplis or self.derogation_prerequis

    @property
    def est_voie_experience(self) -> bool:
        return self.voie == VoieAcces.EXPERIENCE

    def acceptation_tacite_a_constater(self, aujourd_hui: datetime.date) -> bool:
        """Silence past the deadline counts as acceptance; true until the service records it."""
        return (
            self.etat == EtatCandidature.DEPOSEE
            and self.echeance_recevabilite is not None
            and aujourd_hui > self.echeance_recevabilite
        )

    @property
    def recevable_tacitement(self) -> bool:
        """Admissible because staff kept silent past the deadline (recorded)."""
        return self.acceptation_tacite_le is not None

    def jours_avant_echeance(self, aujourd_hui: datetime.date) -> int | None:
        if self.etat != EtatCandidature.DEPOSEE or self.echeance_recevabilite is None:
            return None
        return (self.echeance_recevabilite - aujourd_hui).days

    # --- Transitions: called by services only -------------------------------------------------

    @transition(
        field=etat, source=[EtatCandidature.BROUILLON, EtatCandidature.INCOMPLETE], target=EtatCandidature.DEPOSEE
    )
    def deposer(self) -> None:
        """The candidate sends a complete file."""

    @transition(field=etat, source=EtatCandidature.DEPOSEE, target=EtatCandidature.INCOMPLETE)
    def declarer_incomplete(self) -> None:
        """Staff found missing items; the candidate completes and sends again."""

    @transition(field=etat, source=EtatCandidature.DEPOSEE, target=EtatCandidature.RECEVABLE)
    def declarer_recevable(self) -> None:
        """Admissible: prerequisites admitted and, on the experience route, recevabilité granted."""

    @transition(field=etat, source=EtatCandidature.DEPOSEE, target=EtatCandidature.NON_RECEVABLE)
    def declarer_non_recevable(self) -> None:
        """Not admissible; the decision states its reason."""

    @transition(field=etat, source=EtatCandidature.RECEVABLE, target=EtatCandidature.PRETE_POUR_JURY)
    def marquer_prete_pour_jury(self) -> None:
        """The evidence is in; the file can be put before a jury."""

    @transition(field=etat, source=EtatCandidature.PRETE_POUR_JURY, target=EtatCandidature.DECIDEE)
    def enregistrer_decision_jury(self) -> None:
        """The jury has deliberated (its decision lives in the jurys app)."""

    @transition(field=etat, source=list(ETATS_RETIRABLES), target=EtatCandidature.ABANDONNEE)
    def retirer(self) -> None:
        """The candidate withdraws, or staff records that they did."""


def chemin_piece(piece: Piece, nom_fichier: str) -> str:
    """Storage names never reuse a previous one: a resubmission is a new file, never an overwrite."""
    extension = PurePath(nom_fichier).suffix.lower()
    return f"candidatures/{piece.candidature_id}/{uuid.uuid4().hex}{extension}"


class PieceQuerySet(models.QuerySet["Piece"]):
    def visible_to(self, user: Any) -> PieceQuerySet:
        """Staff see every piece, a candidate those of their own files; a training partner only the
        completion certificates of its trainees, never their CV or experience evidence."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if a_un_role(user, *ROLES_EQUIPE):
            return self.all()
        condition = Q(candidature__candidat=user)
        partenaires = partenaires_de(user)
        if partenaires:
            condition |= Q(candidature__partenaire_id__in=partenaires, type_piece=TypePiece.ATTESTATION_FORMATION)
        return self.filter(condition)

    def dernieres_versions(self) -> PieceQuerySet:
        """The current version of each kind of evidence (older ones stay, for the record)."""
        plus_recente = Piece.objects.filter(
            candidature=models.OuterRef("candidature"), type_piece=models.OuterRef("type_piece")
        ).order_by("-version")
        return self.filter(pk=models.Subquery(plus_recente.values("pk")[:1]))


class Piece(models.Model):
    """One version of one piece of evidence; a new upload adds a version, never replaces a file."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="pieces")
    type_piece = models.CharField("type de pièce", max_length=30, choices=TypePiece.choices)
    competence = models.ForeignKey(
        "referentiel.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pieces",
        verbose_name="compétence évaluée",
    )
    version = models.PositiveSmallIntegerField("version")
    fichier = models.FileField("fichier", upload_to=chemin_piece, max_length=200)
    nom_original = models.CharField("nom du fichier envoyé", max_length=255)
    format = models.CharField("format", max_length=10)
    taille = models.PositiveIntegerField("taille (octets)")
    empreinte_sha256 = models.CharField("empreinte SHA-256", max_length=64)
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="déposée par"
    )
    deposee_le = models.DateTimeField("déposée le", auto_now_add=True)

    objects = PieceQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce"
        verbose_name_plural = "pièces"
        ordering = ["type_piece", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["candidature", "type_piece", "version"], name="piece_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="piece_version_positive"),
            models.CheckConstraint(condition=Q(taille__gt=0), name="piece_non_vide"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_piece_display()} v{self.version} ({self.nom_original})"
