"""Jury members, jury sessions, assessment grids, deliberation and the signed minutes (PV).

Invariants on one row live in the database (one seat per member and session, an amended decision
carries its reason, a locked decision or PV cannot be updated: triggers of migration 0002). Rules that
need several rows (composition of a jury) live in ``regles`` and are enforced by ``services``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from parchemin.referentiel.enums import ProfilJury

from .enums import (
    PRESENCES_SANS_GRILLE,
    Decision,
    Niveau,
    OrigineSession,
    Presence,
    Representation,
    StatutPlanification,
    StatutSession,
)
from .queries import (
    DemandePlanificationQuerySet,
    GrilleQuerySet,
    MembreJuryQuerySet,
    PassageQuerySet,
    SessionJuryQuerySet,
)


class MembreJury(models.Model):
    """A person of the jury pool, with what the composition rules need to know about them."""

    prenom = models.CharField("prénom", max_length=80)
    nom = models.CharField("nom", max_length=80)
    email = models.EmailField("e-mail", unique=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    organisation = models.CharField("organisation", max_length=200)
    organisation_siret = models.CharField("SIRET de l'organisation", max_length=14, blank=True)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    profils = models.JSONField(
        "profils représentés", default=list, help_text=f"Codes parmi : {', '.join(ProfilJury.values)}."
    )
    interne = models.BooleanField(
        "interne au certificateur", default=False, help_text="Salarié ou mandataire du certificateur."
    )
    representation = models.CharField(
        "représentation", max_length=10, choices=Representation.choices, default=Representation.SALARIE
    )
    organisations_liees = models.JSONField(
        "autres organisations pour lesquelles il ou elle travaille",
        default=list,
        blank=True,
        help_text="Noms ou SIRET ; servent à détecter un lien avec l'employeur d'un candidat.",
    )
    partenaires_formateur = models.ManyToManyField(
        "partenaires.Partenaire",
        blank=True,
        related_name="formateurs_jury",
        verbose_name="organismes avec lesquels il ou elle forme",
    )
    sessions_formateur = models.ManyToManyField(
        "partenaires.SessionFormation",
        blank=True,
        related_name="formateurs_jury",
        verbose_name="sessions de formation où il ou elle intervient",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membre_jury",
        verbose_name="compte",
    )
    actif = models.BooleanField("actif", default=True)

    objects = MembreJuryQuerySet.as_manager()

    class Meta:
        verbose_name = "membre du vivier de jury"
        verbose_name_plural = "vivier des membres de jury"
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(condition=~Q(nom="") & ~Q(prenom=""), name="membre_jury_nom_non_vide"),
            models.CheckConstraint(
                condition=Q(organisation_siret="") | Q(organisation_siret__regex=r"^[0-9]{14}$"),
                name="membre_jury_siret_14_chiffres",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"

    def profils_labels(self) -> list[str]:
        return [ProfilJury(code).label for code in self.profils if code in ProfilJury.values]


class Disponibilite(models.Model):
    membre = models.ForeignKey(MembreJury, on_delete=models.CASCADE, related_name="disponibilites")
    date = models.DateField("date")

    class Meta:
        verbose_name = "disponibilité"
        verbose_name_plural = "disponibilités"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["membre", "date"], name="disponibilite_unique")]

    def __str__(self) -> str:
        return f"{self.membre} le {self.date:%d/%m/%Y}"


class SessionJury(models.Model):
    """One sitting of a jury: a date, a place or a video link, its members and its candidates."""

    certification = models.ForeignKey(
        "referentiel.Certification", on_delete=models.PROTECT, related_name="sessions_jury"
    )
    regle = models.ForeignKey(
        "referentiel.RegleJury", on_delete=models.PROTECT, related_name="sessions", verbose_name="règle de composition"
    )
    intitule = models.CharField("intitulé", max_length=200)
    debut = models.DateTimeField("début")
    duree_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=240)
    lieu = models.CharField("lieu (adresse)", max_length=255, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    max_candidats = models.PositiveSmallIntegerField("nombre maximal de candidats", default=8)
    statut = models.CharField("statut", max_length=12, choices=StatutSession.choices, default=StatutSession.PREPARATION)
    origine = models.CharField(
        "origine", max_length=10, choices=OrigineSession.choices, default=OrigineSession.PLATEFORME
    )
    convoquee_le = models.DateTimeField("convoquée le", null=True, blank=True)
    membres: models.ManyToManyField[MembreJury, Siege] = models.ManyToManyField(
        MembreJury, through="Siege", related_name="sessions"
    )
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    objects = SessionJuryQuerySet.as_manager()

    class Meta:
        verbose_name = "session de jury"
        verbose_name_plural = "sessions de jury"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(lieu="") | ~Q(lien_visio=""),
                name="session_jury_lieu_ou_visio",
                violation_error_message="Indiquez un lieu ou un lien de visioconférence.",
            ),
            models.CheckConstraint(condition=Q(max_candidats__gte=1), name="session_jury_max_candidats_positif"),
            models.CheckConstraint(condition=Q(duree_minutes__gte=15), name="session_jury_duree_minimale"),
            # A session taken over from history arrives with its decisions final: it is never open.
            models.CheckConstraint(
                condition=Q(origine=OrigineSession.PLATEFORME) | Q(statut=StatutSession.VERROUILLEE),
                name="session_jury_reprise_verrouillee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intitule} ({self.debut:%d/%m/%Y})"

    @property
    def fin(self) -> datetime.datetime:
        return self.debut + datetime.timedelta(minutes=self.duree_minutes)

    @property
    def verrouillee(self) -> bool:
        return self.statut == StatutSession.VERROUILLEE

    @property
    def reprise(self) -> bool:
        """Held before the platform: decisions taken over from history, no electronic PV."""
        return self.origine == OrigineSession.REPRISE


class Siege(models.Model):
    """A member sitting on a session."""

    session = models.ForeignKey(SessionJury, on_delete=models.CASCADE, related_name="sieges")
    membre = models.ForeignKey(MembreJury, on_delete=models.PROTECT, related_name="sieges")
    present = models.BooleanField("présent", null=True, blank=True)
    # The seat of the absent member this member replaces: the PV says who replaced whom.
    remplace = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remplacant",
        verbose_name="remplace le siège de",
    )

    class Meta:
        verbose_name = "siège"
        verbose_name_plural = "sièges"
        ordering = ["membre__nom", "membre__prenom"]
        constraints = [models.UniqueConstraint(fields=["session", "membre"], name="siege_unique")]

    def __str__(self) -> str:
        return f"{self.membre} — {self.session}"

    @property
    def siege(self) -> bool:
        """Sits on the jury: not recorded absent (an unrecorded presence counts as sitting)."""
        return self.present is not False


class Passage(models.Model):
    """A candidate before a session: attendance, the decision the grids propose, the jury's decision.

    ``unites_anterieures`` are the unit codes validated by an earlier jury (carried over).
    Once the PV is signed by every member, ``verrouille`` is set and a trigger refuses any update.
    """

    session = models.ForeignKey(SessionJury, on_delete=models.CASCADE, related_name="passages")
    candidature = models.ForeignKey("candidatures.Candidature", on_delete=models.PROTECT, related_name="passages")
    presence = models.CharField("présence", max_length=8, choices=Presence.choices, blank=True)
    unites_anterieures = models.JSONField("unités validées antérieurement", default=list, blank=True)
    decision_proposee = models.CharField("décision proposée", max_length=22, choices=Decision.choices, blank=True)
    unites_proposees = models.JSONField("unités proposées", default=list, blank=True)
    decision = models.CharField("décision du jury", max_length=22, choices=Decision.choices, blank=True)
    unites_validees = models.JSONField("unités validées", default=list, blank=True)
    motif_amendement = models.TextField("motif de l'amendement", blank=True)
    observations = models.TextField("observations du jury pour le candidat", blank=True)
    deliberee_le = models.DateTimeField("délibérée le", null=True, blank=True)
    deliberee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verrouille = models.BooleanField("verrouillé", default=False)

    objects = PassageQuerySet.as_manager()

    class Meta:
        verbose_name = "passage devant le jury"
        verbose_name_plural = "passages devant le jury"
        ordering = ["session", "candidature__nom_naissance", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "candidature"], name="passage_unique_par_session"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision=F("decision_proposee")) | ~Q(motif_amendement=""),
                name="passage_amendement_motive",
                violation_error_message="Une décision qui s'écarte de la proposition doit être motivée.",
            ),
            models.CheckConstraint(
                condition=Q(verrouille=False) | ~Q(decision=""),
                name="passage_verrouille_avec_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidature.nom_complet} — {self.session}"

    @property
    def absent_ou_excuse(self) -> bool:
        """No grid for this candidate: the jury records the absence instead of judging."""
        return self.presence in PRESENCES_SANS_GRILLE


class Grille(models.Model):
    """One member's assessment of one candidate; ``version`` counts saves (optimistic locking)."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="grilles")
    membre = models.ForeignKey(MembreJury, on_delete=models.PROTECT, related_name="grilles")
    version = models.PositiveIntegerField("version", default=0)
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)

    objects = GrilleQuerySet.as_manager()

    class Meta:
        verbose_name = "grille d'évaluation"
        verbose_name_plural = "grilles d'évaluation"
        constraints = [models.UniqueConstraint(fields=["passage", "membre"], name="grille_unique_par_membre")]

    def __str__(self) -> str:
        return f"Grille de {self.membre} pour {self.passage}"

    @property
    def soumise(self) -> bool:
        return self.soumise_le is not None


class Evaluation(models.Model):
    grille = models.ForeignKey(Grille, on_delete=models.CASCADE, related_name="evaluations")
    competence = models.ForeignKey("referentiel.Competence", on_delete=models.PROTECT, related_name="+")
    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices)
    commentaire = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "évaluation d'une compétence"
        verbose_name_plural = "évaluations des compétences"
        constraints = [models.UniqueConstraint(fields=["grille", "competence"], name="evaluation_unique")]

    def __str__(self) -> str:
        return f"{self.competence.code} : {self.get_niveau_display()}"


class ProcesVerbal(models.Model):
    """One version of the PV of a session: the PDF members read and the SHA-256 they sign.

    Before signature any change to a decision renders this row anew (new ``sha256``): signatures
    given on the old text no longer count. When every sitting member has signed the current hash,
    ``verrouille_le`` is set and the final PV (``pdf_final``: decisions, signature table, PAdES seal
    of the certificateur) is stored with it, for good. An amendment after signature adds a new row
    that ``remplace`` the sealed one, which is kept as it was and is "superseded" from then on.
    """

    session = models.ForeignKey(SessionJury, on_delete=models.PROTECT, related_name="pvs")
    numero_version = models.PositiveIntegerField("version", default=1)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    pdf = models.BinaryField("PDF")
    genere_le = models.DateTimeField("généré le")
    verrouille_le = models.DateTimeField("verrouillé le", null=True, blank=True)
    pdf_final = models.BinaryField("PV final scellé (PDF/A, PAdES)", null=True, blank=True)
    sha256_final = models.CharField("empreinte SHA-256 du PV final", max_length=64, blank=True)
    remplace = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remplace_par",
        verbose_name="remplace la version",
    )

    class Meta:
        verbose_name = "procès-verbal"
        verbose_name_plural = "procès-verbaux"
        # Newest version first: ``.first()`` of a session's PVs is the one in force.
        ordering = ["-numero_version"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="pv_sha256_format"),
            models.UniqueConstraint(fields=["session", "numero_version"], name="pv_version_unique"),
            models.CheckConstraint(
                condition=Q(sha256_final="") | Q(sha256_final__regex=r"^[0-9a-f]{64}$"),
                name="pv_sha256_final_format",
            ),
        ]

    def __str__(self) -> str:
        return f"PV de {self.session} (v{self.numero_version})"

    @property
    def remplace_par_version(self) -> ProcesVerbal | None:
        return getattr(self, "remplace_par", None)


class SignaturePV(models.Model):
    """A simple electronic signature: the member re-authenticated with TOTP and signed this hash."""

    pv = models.ForeignKey(ProcesVerbal, on_delete=models.PROTECT, related_name="signatures")
    membre = models.ForeignKey(MembreJury, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("empreinte signée", max_length=64)
    signee_le = models.DateTimeField("signée le")

    class Meta:
        verbose_name = "signature du PV"
        verbose_name_plural = "signatures du PV"
        ordering = ["signee_le"]
        constraints = [models.UniqueConstraint(fields=["pv", "membre", "sha256"], name="signature_unique")]

    def __str__(self) -> str:
        return f"Signature de {self.membre} ({self.sha256[:12]}…)"


class AmendementDecision(models.Model):
    """A correction made after the PV was signed: a new record, never an edit of the locked decision."""

    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="amendements")
    decision_avant = models.CharField("décision avant", max_length=22, choices=Decision.choices)
    unites_avant = models.JSONField("unités avant", default=list)
    decision_apres = models.CharField("décision après", max_length=22, choices=Decision.choices)
    unites_apres = models.JSONField("unités après", default=list)
    motif = models.TextField("motif")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "amendement après signature"
        verbose_name_plural = "amendements après signature"
        ordering = ["cree_le", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(motif=""), name="amendement_motive")]

    def __str__(self) -> str:
        return f"Amendement de {self.passage} : {self.get_decision_apres_display()}"


class DemandePlanification(models.Model):
    """A planning request: recorded by the view, solved by a worker, then accepted once by staff.

    The solver reads the pool and the candidates when the job runs; the result is the proposal as
    JSON (see ``planification.Proposition.en_json``), ``explication`` says why there is none. Staff
    may edit the proposal before accepting it: the edited copy is ``proposition_modifiee``.
    """

    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandée par"
    )
    # SET_NULL: deleting a rule must stay possible; accepting then explains that the rule is gone.
    regle = models.ForeignKey(
        "referentiel.RegleJury",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="règle de composition",
    )
    dates = models.JSONField("dates possibles", default=list)
    heure = models.TimeField("heure de début")
    max_candidats = models.PositiveSmallIntegerField("candidats au plus par session")
    lieu = models.CharField("lieu (adresse)", max_length=255, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    temps_max_secondes = models.FloatField("temps de calcul maximal (secondes)")
    statut = models.CharField(
        "statut", max_length=10, choices=StatutPlanification.choices, default=StatutPlanification.EN_ATTENTE
    )
    resultat = models.JSONField("proposition", null=True, blank=True)
    # Staff edits go to a copy: the solver's proposal stays as it was, for the record.
    proposition_modifiee = models.JSONField("proposition modifiée par l'équipe", null=True, blank=True)
    explication = models.TextField("explication", blank=True)
    creee_le = models.DateTimeField("demandée le", auto_now_add=True)
    commencee_le = models.DateTimeField("calcul commencé le", null=True, blank=True)
    terminee_le = models.DateTimeField("calcul terminé le", null=True, blank=True)
    acceptee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    # Id of the task that solves it (Django Tasks); its state is shown to staff.
    tache = models.CharField("tâche de calcul", max_length=64, blank=True)

    objects = DemandePlanificationQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de planification"
        verbose_name_plural = "demandes de planification"
        ordering = ["-creee_le", "-pk"]
        indexes = [models.Index(fields=["statut", "creee_le"], name="planif_statut_creee")]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=StatutPlanification.values), name="planification_statut_connu"
            ),
            models.CheckConstraint(condition=Q(max_candidats__gte=1), name="planification_max_candidats_positif"),
            models.CheckConstraint(condition=~Q(lieu="") | ~Q(lien_visio=""), name="planification_lieu_ou_visio"),
            models.CheckConstraint(
                condition=Q(acceptee_le__isnull=True) | Q(statut=StatutPlanification.TERMINEE),
                name="planification_acceptee_si_terminee",
            ),
        ]

    def __str__(self) -> str:
        return f"Planification n° {self.pk} ({self.get_statut_display().lower()})"

    @property
    def en_cours(self) -> bool:
        return self.statut in (StatutPlanification.EN_ATTENTE, StatutPlanification.EN_COURS)


def decision_en_vigueur(passage: Passage, amendements: list[AmendementDecision] | None = None) -> dict[str, Any]:
    """The decision that holds today: the last post-signature amendment, else the jury's decision."""
    liste = amendements if amendements is not None else list(passage.amendements.all())
    if liste:
        dernier = liste[-1]
        return {"decision": dernier.decision_apres, "unites": list(dernier.unites_apres)}
    return {"decision": passage.decision, "unites": list(passage.unites_validees)}
