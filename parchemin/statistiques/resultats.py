"""Outcome figures of the certifications: applications, admissibility, jury decisions and delays.

Every count comes from one aggregate query (``values().annotate(Count(filter=Q))``); the same ``Q``
selects the files behind a figure (``dossiers``), so a number and its list can never disagree.
Delays (median, 90th percentile) are computed by the database too, with window functions
(``delais_par_groupe``): no page reads the files one by one to summarise them.

Conventions (docs/statistiques.md):
- an application counts once it has been deposited (``deposee_le`` set);
- its jury outcome is the decision in force (last post-signature amendment, else the jury's
  decision) of its latest passage on a signed PV (``verrouille``); unsigned deliberations do not count;
  the jurys app stores it on the application (``jurys.en_vigueur``);
- a withdrawn application counts as a withdrawal only, even after an absence before a jury;
- "year of application" is the application's civil year (``annee``); "year of decision" is the
  year of the jury session of that passage.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.jurys.enums import Decision, StatutSession
from parchemin.jurys.models import Passage, SessionJury
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import VoieAccesCertification

AXE_CANDIDATURE = "candidature"
AXE_DECISION = "decision"
AXES = {AXE_CANDIDATURE: "Année de candidature", AXE_DECISION: "Année de décision du jury"}

# Grouping beside the year; the value is the list of fields each row is keyed on.
REGROUPEMENTS: dict[str, tuple[str, list[str]]] = {
    "aucun": ("Année seulement", []),
    "voie": ("Voie d'accès", ["voie"]),
    "partenaire": ("Organisme de formation", ["partenaire_id", "partenaire__nom"]),
    "session": (
        "Session de formation",
        ["partenaire_id", "partenaire__nom", "session_formation_id", "session_formation__intitule"],
    ),
}

DECISIONS_EVALUEES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE, Decision.REFUS)


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    condition: Q


INDICATEURS: tuple[Indicateur, ...] = (
    Indicateur("candidatures", "Candidatures déposées", Q()),
    Indicateur("recevables", "Recevables", Q(decision_recevabilite=DecisionRecevabilite.RECEVABLE)),
    Indicateur("non_recevables", "Non recevables", Q(decision_recevabilite=DecisionRecevabilite.NON_RECEVABLE)),
    Indicateur("evalues", "Évalués par un jury", Q(decision_finale__in=DECISIONS_EVALUEES)),
    Indicateur("validations_totales", "Validations totales", Q(decision_finale=Decision.VALIDATION_TOTALE)),
    Indicateur("validations_partielles", "Validations partielles", Q(decision_finale=Decision.VALIDATION_PARTIELLE)),
    Indicateur("refus", "Refus", Q(decision_finale=Decision.REFUS)),
    # A candidate absent or excused who then withdrew counts once, as a withdrawal.
    Indicateur(
        "absents",
        "Absents ou excusés",
        Q(decision_finale__in=(Decision.ABSENT, Decision.EXCUSE)) & ~Q(etat=EtatCandidature.ABANDONNEE),
    ),
    Indicateur("retraits", "Retraits", Q(etat=EtatCandidature.ABANDONNEE)),
)
INDICATEURS_PAR_CODE = {i.code: i for i in INDICATEURS}


def candidatures_annotees() -> QuerySet[Candidature]:
    """Deposited applications, with their jury outcome as the jurys app stores it on each one
    (``jurys.en_vigueur``): ``decision_finale`` (empty), ``decide_le`` and ``annee_decision``
    (NULL) while no signed PV carries a decision. Every figure is a GROUP BY on these columns."""
    return Candidature.objects.filter(deposee_le__isnull=False)


def champ_annee(axe: str) -> str:
    return "annee_decision" if axe == AXE_DECISION else "annee"


@dataclass(frozen=True)
class Filtres:
    """What a table or a drill-down list is restricted to; ``None`` means no restriction.
    ``partenaire`` and ``session`` take 0 for "no training organisation" (individual routes)."""

    axe: str = AXE_CANDIDATURE
    annee: int | None = None
    voie: str | None = None
    partenaire: int | None = None
    session: int | None = None

    def appliquer(self, qs: QuerySet[Candidature]) -> QuerySet[Candidature]:
        champ = champ_annee(self.axe)
        qs = qs.filter(**{f"{champ}__isnull": False})
        if self.annee is not None:
            qs = qs.filter(**{champ: self.annee})
        if self.voie is not None:
            qs = qs.filter(voie=self.voie)
        if self.partenaire is not None:
            qs = (
                qs.filter(partenaire__isnull=True) if self.partenaire == 0 else qs.filter(partenaire_id=self.partenaire)
            )
        if self.session is not None:
            qs = (
                qs.filter(session_formation__isnull=True)
                if self.session == 0
                else qs.filter(session_formation_id=self.session)
            )
        return qs

    def parametres(self) -> dict[str, str]:
        """The query string that selects the same files (drill-down links)."""
        valeurs = {"axe": self.axe, "annee": self.annee, "voie": self.voie}
        valeurs |= {"partenaire": self.partenaire, "session": self.session}
        return {cle: str(v) for cle, v in valeurs.items() if v is not None}


@dataclass
class Taux:
    numerateur: int
    denominateur: int

    @property
    def pourcentage(self) -> float | None:
        return None if self.denominateur == 0 else round(100 * self.numerateur / self.denominateur, 1)

    def __str__(self) -> str:
        """French display: "66,7 % (4/6)", or a dash when nobody is in the denominator."""
        if self.pourcentage is None:
            return "—"
        return f"{self.pourcentage:.1f}".replace(".", ",") + f" % ({self.numerateur}/{self.denominateur})"


@dataclass
class Delais:
    """Days between two events of a group of files: how many, median and 90th percentile."""

    nombre: int = 0
    mediane: float | None = None
    p90: float | None = None

    @classmethod
    def depuis(cls, jours: list[float]) -> Delais:
        if not jours:
            return cls()
        jours = sorted(jours)
        # Nearest-rank percentile: a delay that 90 % of the files did not exceed.
        rang = max(math.ceil(0.9 * len(jours)), 1)
        return cls(len(jours), round(statistics.median(jours), 1), round(jours[rang - 1], 1))


@dataclass
class Ligne:
    """One row of the outcome table: a year and, if grouped, a route, organisation or session."""

    annee: int
    filtres: Filtres
    libelle: str = ""
    chiffres: dict[str, int] = field(default_factory=dict)
    delai_recevabilite: Delais = field(default_factory=Delais)
    delai_jury: Delais = field(default_factory=Delais)

    @property
    def chiffres_ordonnes(self) -> list[int]:
        """The counts in the order of ``INDICATEURS`` (table columns)."""
        return [self.chiffres.get(i.code, 0) for i in INDICATEURS]

    @property
    def taux_reussite(self) -> Taux:
        """Total or partial validations among the candidates the jury assessed."""
        valides = self.chiffres.get("validations_totales", 0) + self.chiffres.get("validations_partielles", 0)
        return Taux(valides, self.chiffres.get("evalues", 0))

    @property
    def taux_validation_totale(self) -> Taux:
        return Taux(self.chiffres.get("validations_totales", 0), self.chiffres.get("evalues", 0))

    @property
    def taux_recevabilite(self) -> Taux:
        decides = self.chiffres.get("recevables", 0) + self.chiffres.get("non_recevables", 0)
        return Taux(self.chiffres.get("recevables", 0), decides)


def _cle(valeurs: dict[str, Any], champs: list[str]) -> tuple[Any, ...]:
    return tuple(valeurs[c] for c in champs)


def _libelle(regroupement: str, valeurs: dict[str, Any]) -> str:
    if regroupement == "voie":
        return str(VoieAcces(valeurs["voie"]).label) if valeurs["voie"] in VoieAcces.values else valeurs["voie"]
    if regroupement == "partenaire":
        return valeurs["partenaire__nom"] or "Sans organisme de formation"
    if regroupement == "session":
        if valeurs["session_formation_id"] is None:
            return f"{valeurs['partenaire__nom']} — hors session" if valeurs["partenaire__nom"] else "Hors session"
        return f"{valeurs['partenaire__nom']} — {valeurs['session_formation__intitule']}"
    return "Ensemble"


def _filtres_de_ligne(base: Filtres, annee: int, regroupement: str, valeurs: dict[str, Any]) -> Filtres:
    voie, partenaire, session = base.voie, base.partenaire, base.session
    if regroupement == "voie":
        voie = valeurs["voie"]
    if regroupement in ("partenaire", "session"):
        partenaire = valeurs["partenaire_id"] or 0
    if regroupement == "session":
        session = valeurs["session_formation_id"] or 0
    return Filtres(axe=base.axe, annee=annee, voie=voie, partenaire=partenaire, session=session)


def _jours(duree: Any) -> float:
    """Days in a duration as the database returns it: a timedelta (PostgreSQL) or microseconds (SQLite)."""
    secondes = duree.total_seconds() if isinstance(duree, datetime.timedelta) else duree / 1_000_000
    return secondes / 86400


def tableau_resultats(filtres: Filtres, regroupement: str = "aucun") -> list[Ligne]:
    """The outcome table: three queries whatever the number of files (counts, two delays).

    Without grouping, years with no file between the first and the last are listed with zeros;
    grouped by route, every route open on some certification is listed each year, even empty."""
    champs = REGROUPEMENTS[regroupement][1]
    champ = champ_annee(filtres.axe)
    base = filtres.appliquer(candidatures_annotees())
    agregats = {i.code: Count("pk", filter=i.condition) for i in INDICATEURS}
    lignes: dict[tuple[Any, ...], Ligne] = {}
    for valeurs in base.values(champ, *champs).annotate(**agregats).order_by():
        annee = valeurs[champ]
        cle = (annee, *_cle(valeurs, champs))
        lignes[cle] = Ligne(
            annee=annee,
            filtres=_filtres_de_ligne(filtres, annee, regroupement, valeurs),
            libelle=_libelle(regroupement, valeurs),
            chiffres={i.code: valeurs[i.code] for i in INDICATEURS},
        )
    _completer(lignes, filtres, regroupement)
    _ajouter_delais(lignes, base, champ, champs)
    return [lignes[c] for c in sorted(lignes, key=lambda c: (c[0], lignes[c].libelle))]


def _completer(lignes: dict[tuple[Any, ...], Ligne], filtres: Filtres, regroupement: str) -> None:
    """Zero rows where a reader expects a line: empty years, routes with no file."""
    annees = {cle[0] for cle in lignes}
    if filtres.annee is not None:
        annees.add(filtres.annee)
    if not annees:
        return
    vides = {i.code: 0 for i in INDICATEURS}
    if regroupement == "aucun":
        for annee in range(min(annees), max(annees) + 1):
            if (annee,) not in lignes:
                lignes[(annee,)] = Ligne(
                    annee, _filtres_de_ligne(filtres, annee, regroupement, {}), "Ensemble", dict(vides)
                )
    elif regroupement == "voie":
        voies = (
            {filtres.voie}
            if filtres.voie
            else set(VoieAccesCertification.objects.filter(autorisee=True).values_list("voie", flat=True))
        )
        for annee in annees:
            for voie in voies:
                if (annee, voie) not in lignes:
                    valeurs = {"voie": voie}
                    lignes[(annee, voie)] = Ligne(
                        annee,
                        _filtres_de_ligne(filtres, annee, regroupement, valeurs),
                        _libelle(regroupement, valeurs),
                        dict(vides),
                    )


def _ajouter_delais(
    lignes: dict[tuple[Any, ...], Ligne], base: QuerySet[Candidature], champ: str, champs: list[str]
) -> None:
    recevabilite = base.filter(
        decision_le__isnull=False,
        decision_recevabilite__in=(DecisionRecevabilite.RECEVABLE, DecisionRecevabilite.NON_RECEVABLE),
    )
    jury = base.filter(Q(decide_le__isnull=False))
    for qs, fin, attribut in ((recevabilite, "decision_le", "delai_recevabilite"), (jury, "decide_le", "delai_jury")):
        duree = ExpressionWrapper(F(fin) - F("deposee_le"), output_field=DurationField())
        for cle, delais in delais_par_groupe(qs, [champ, *champs], duree).items():
            if cle in lignes:
                setattr(lignes[cle], attribut, delais)


def delais_par_groupe(qs: QuerySet[Any], champs: list[str], duree: Any) -> dict[tuple[Any, ...], Delais]:
    """Median and 90th percentile of ``duree`` for each group of ``champs`` (the key of the result,
    in that order), computed by the database: one query that returns at most three rows per
    group, never the files themselves (window functions, on SQLite and PostgreSQL alike).

    The ranks are those of ``Delais.depuis``: the median is the mean of the two middle values
    (one when the count is odd), the 90th percentile the nearest rank ``ceil(0.9 n)``."""
    cles = {f"k{i}": F(c) for i, c in enumerate(champs)}
    # Keys then the duration, all annotations: the SQL columns come in exactly this order.
    valeurs = qs.annotate(**cles).annotate(d=duree).values_list(*cles, "d").order_by()
    sql, parametres = valeurs.query.sql_with_params()
    groupe = ", ".join(cles) or "1"
    selection = ", ".join([*cles, ""])
    requete = f"""
        WITH t({", ".join([*cles, "d"])}) AS ({sql}),
        r AS (
            SELECT {selection} d,
                   ROW_NUMBER() OVER (PARTITION BY {groupe} ORDER BY d) AS rang,
                   COUNT(*) OVER (PARTITION BY {groupe}) AS n
            FROM t WHERE d IS NOT NULL
        )
        SELECT {selection} n, rang, d FROM r
        WHERE rang = (n + 1) / 2 OR rang = (n + 2) / 2 OR rang = (9 * n + 9) / 10
    """  # noqa: S608 - the only interpolated text is the ORM's own SQL and generated column names
    rangs: dict[tuple[Any, ...], tuple[int, dict[int, float]]] = {}
    with connection.cursor() as curseur:
        curseur.execute(requete, parametres)
        for *cle, n, rang, duree in curseur.fetchall():
            rangs.setdefault(tuple(cle), (n, {}))[1][rang] = max(_jours(duree), 0.0)
    resultat = {}
    for cle, (n, jours) in rangs.items():
        mediane = (jours[(n + 1) // 2] + jours[(n + 2) // 2]) / 2
        resultat[cle] = Delais(n, round(mediane, 1), round(jours[(9 * n + 9) // 10], 1))
    return resultat


def dossiers(filtres: Filtres, indicateur: str) -> QuerySet[Candidature]:
    """The files behind one figure: the same filters and the same condition as its count."""
    condition = INDICATEURS_PAR_CODE[indicateur].condition
    return filtres.appliquer(candidatures_annotees()).filter(condition)


@dataclass
class ActiviteJury:
    annee: int
    sessions: int
    pv_signes: int
    membres: int
    passages: int

    @property
    def candidats_par_session(self) -> float | None:
        return None if self.sessions == 0 else round(self.passages / self.sessions, 1)


def activite_jurys(annees: Iterable[int] | None = None) -> list[ActiviteJury]:
    """Sessions held (convened or signed), distinct members who sat, candidates heard: one query."""
    qs = SessionJury.objects.exclude(statut=StatutSession.PREPARATION).annotate(an=ExtractYear("debut"))
    if annees is not None:
        qs = qs.filter(an__in=list(annees))
    lignes = (
        qs.values("an")
        .annotate(
            nb_sessions=Count("pk", distinct=True),
            nb_pv_signes=Count("pk", distinct=True, filter=Q(statut=StatutSession.VERROUILLEE)),
            nb_membres=Count("sieges__membre", distinct=True),
            nb_passages=Count("passages", distinct=True),
        )
        .order_by("an")
    )
    return [
        ActiviteJury(v["an"], v["nb_sessions"], v["nb_pv_signes"], v["nb_membres"], v["nb_passages"]) for v in lignes
    ]


def annees_disponibles() -> list[int]:
    """Years that have at least one deposited application or one jury decision, most recent first."""
    # order_by(): the model's default ordering would join DISTINCT and return one row per file.
    candidatures = set(
        Candidature.objects.filter(deposee_le__isnull=False).values_list("annee", flat=True).order_by().distinct()
    )
    # Read from the sessions (a few per year), not from every signed passage.
    decisions = set(
        SessionJury.objects.filter(Exists(Passage.objects.filter(session=OuterRef("pk"), verrouille=True)))
        .annotate(an=ExtractYear("debut"))
        .values_list("an", flat=True)
        .distinct()
    )
    return sorted(candidatures | decisions, reverse=True)
