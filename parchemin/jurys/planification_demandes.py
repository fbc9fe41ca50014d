"""Planning requests as recorded jobs: staff ask, a worker solves, staff accept the stored proposal.

The solver can take a minute, longer than a proxy lets an HTTP request live. ``demander`` records the
request and enqueues the task ``taches.traiter_demande`` (Django Tasks, run by ``manage.py
db_worker``); ``traiter`` claims a request (never twice: a conditional update, or ``SKIP LOCKED`` on
PostgreSQL), solves it and stores the proposal or the explanation. Every start and end is in the
audit journal.

Before accepting, staff may edit the proposal session by session (date, members, where each candidate
sits); the edits go to a copy, checked against the composition rules on every render and again, as a
whole and atomically, when the edited proposal is accepted.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from parchemin import taches
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.referentiel.models import RegleJury
from parchemin.taches import EtatTache

from . import composition, services
from .enums import StatutPlanification
from .models import DemandePlanification, MembreJury, SessionJury
from .planification import PlanificationImpossible, Proposition, SessionProposee, planifier
from .regles import Violation

journal = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parametres:
    regle: RegleJury
    dates: Sequence[datetime.date]
    heure: datetime.time
    max_candidats: int
    lieu: str = ""
    lien_visio: str = ""


def demander(parametres: Parametres, *, acteur: User) -> DemandePlanification:
    """Record a planning request and enqueue the task that solves it.

    With the database backend the task row is written in the request's transaction: a worker sees it
    exactly when the request is committed, never for a request rolled back."""
    from .taches import traiter_demande  # the task's body imports this module

    exiger_equipe(acteur, "La planification des jurys est réservée à l'équipe du certificateur.")
    if not parametres.lieu.strip() and not parametres.lien_visio.strip():
        raise ErreurMetier("Indiquez un lieu ou un lien de visioconférence.")
    if not parametres.dates:
        raise ErreurMetier("Indiquez au moins une date de session.")
    marquer_abandonnees()
    with transaction.atomic():
        demande = DemandePlanification.objects.create(
            demandeur=acteur,
            regle=parametres.regle,
            dates=[d.isoformat() for d in sorted(parametres.dates)],
            heure=parametres.heure,
            max_candidats=parametres.max_candidats,
            lieu=parametres.lieu.strip(),
            lien_visio=parametres.lien_visio.strip(),
            temps_max_secondes=float(settings.PLANIFICATION_TEMPS_MAX_SECONDES),
        )
        enregistrer(
            action="jurys.demander_planification",
            acteur=acteur,
            objet=demande,
            resume=f"Planification demandée : {len(parametres.dates)} date(s), "
            f"{parametres.max_candidats} candidats au plus par session.",
            apres={"regle": parametres.regle.code, "dates": demande.dates, "max_candidats": demande.max_candidats},
        )
        resultat = traiter_demande.enqueue(demande.pk)
        DemandePlanification.objects.filter(pk=demande.pk).update(tache=resultat.id)
    demande.refresh_from_db()
    return demande


def etat_calcul(demande: DemandePlanification) -> EtatTache | None:
    """Where the request's task stands (None: no task known to the backend)."""
    return taches.etat(demande.tache)


def rattraper(maintenant: datetime.datetime | None = None) -> tuple[int, int]:
    """Catch-up (``manage.py traiter_planifications``, cron): mark failed the requests whose worker
    stopped mid-calculation, and enqueue again the waiting ones without a live task. Returns
    (requests marked failed, tasks enqueued)."""
    from .taches import traiter_demande

    maintenant = maintenant or timezone.now()
    abandonnees = marquer_abandonnees(maintenant)
    attente = list(DemandePlanification.objects.filter(statut=StatutPlanification.EN_ATTENTE).order_by("pk"))
    connus = taches.etats(d.tache for d in attente)
    relances = 0
    for demande in attente:
        etat = connus.get(demande.tache)
        if etat is None or not etat.vivante(maintenant):
            with transaction.atomic():
                resultat = traiter_demande.enqueue(demande.pk)
                DemandePlanification.objects.filter(pk=demande.pk).update(tache=resultat.id)
            relances += 1
    return abandonnees, relances


# --- Claiming -------------------------------------------------------------------------------------


def _reclamer(pk: int | None) -> DemandePlanification | None:
    """Move one pending request (this one, or the oldest) to "en cours", unless another worker got it.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` lets concurrent workers pass over a row being
    claimed. Everywhere: the status change is a conditional UPDATE, so of two claims on the same row
    exactly one changes it (SQLite serialises writers; its IMMEDIATE transactions do the rest).
    """
    maintenant = timezone.now()
    with transaction.atomic():
        attente = DemandePlanification.objects.filter(statut=StatutPlanification.EN_ATTENTE)
        if pk is not None:
            attente = attente.filter(pk=pk)
        if connection.features.has_select_for_update_skip_locked:
            attente = attente.select_for_update(skip_locked=True)
        for candidate in attente.order_by("creee_le", "pk").values_list("pk", flat=True)[:1]:
            prise = DemandePlanification.objects.filter(pk=candidate, statut=StatutPlanification.EN_ATTENTE).update(
                statut=StatutPlanification.EN_COURS, commencee_le=maintenant
            )
            if prise:
                demande = DemandePlanification.objects.select_related("regle", "demandeur").get(pk=candidate)
                enregistrer(
                    action="jurys.planification_commencee",
                    objet=demande,
                    resume=f"Calcul de la planification n° {demande.pk} commencé.",
                    avant={"statut": StatutPlanification.EN_ATTENTE},
                    apres={"statut": StatutPlanification.EN_COURS},
                )
                return demande
    return None


def _terminer(
    demande: DemandePlanification, statut: str, *, resultat: dict[str, Any] | None = None, explication: str = ""
) -> None:
    with transaction.atomic():
        mises_a_jour = DemandePlanification.objects.filter(pk=demande.pk, statut=StatutPlanification.EN_COURS).update(
            statut=statut, resultat=resultat, explication=explication, terminee_le=timezone.now()
        )
        if not mises_a_jour:
            # Marked abandoned meanwhile (it ran longer than PLANIFICATION_ABANDON_SECONDES): keep that.
            return
        demande.refresh_from_db()
        enregistrer(
            action="jurys.planification_terminee",
            objet=demande,
            resume=f"Planification n° {demande.pk} : {demande.get_statut_display().lower()}"
            + (f" — {explication}" if explication else "."),
            avant={"statut": StatutPlanification.EN_COURS},
            apres={
                "statut": statut,
                "sessions": len((resultat or {}).get("sessions", [])),
                "duree_secondes": (resultat or {}).get("duree_secondes"),
            },
        )


def traiter(pk: int | None = None) -> DemandePlanification | None:
    """Claim one pending request (``pk``, or the oldest), solve it, store the outcome. ``None`` when
    there was nothing to claim. The solver reads the pool and candidates as they are now."""
    demande = _reclamer(pk)
    if demande is None:
        return None
    try:
        if demande.regle is None:
            raise PlanificationImpossible("La règle de composition de cette demande a été supprimée.")
        probleme = services.demande_planification(
            demande.regle,
            [datetime.date.fromisoformat(d) for d in demande.dates],
            demande.max_candidats,
            temps_max_secondes=demande.temps_max_secondes,
        )
        proposition = planifier(probleme)
    except PlanificationImpossible as refus:
        _terminer(demande, StatutPlanification.INFAISABLE, explication=refus.message)
    except Exception:
        journal.exception("Planification %s : erreur pendant le calcul", demande.pk)
        _terminer(
            demande,
            StatutPlanification.ECHOUEE,
            explication="Le calcul a échoué sur une erreur inattendue : relancez la planification ; "
            "le détail est dans les journaux du serveur.",
        )
    else:
        _terminer(demande, StatutPlanification.TERMINEE, resultat=proposition.en_json())
    demande.refresh_from_db()
    return demande


def marquer_abandonnees(maintenant: datetime.datetime | None = None) -> int:
    """Requests "en cours" for longer than PLANIFICATION_ABANDON_SECONDES lost their worker: failed."""
    maintenant = maintenant or timezone.now()
    limite = maintenant - datetime.timedelta(seconds=settings.PLANIFICATION_ABANDON_SECONDES)
    nombre = 0
    with transaction.atomic():
        bloquees = DemandePlanification.objects.filter(statut=StatutPlanification.EN_COURS, commencee_le__lt=limite)
        for pk in bloquees.order_by("pk").values_list("pk", flat=True):
            explication = (
                f"Calcul interrompu : toujours en cours après {settings.PLANIFICATION_ABANDON_SECONDES} s "
                "(processus arrêté ?). Relancez la planification."
            )
            if DemandePlanification.objects.filter(pk=pk, statut=StatutPlanification.EN_COURS).update(
                statut=StatutPlanification.ECHOUEE, explication=explication, terminee_le=maintenant
            ):
                nombre += 1
                enregistrer(
                    action="jurys.planification_abandonnee",
                    objet=DemandePlanification.objects.get(pk=pk),
                    resume=f"Planification n° {pk} marquée échouée : {explication}",
                    avant={"statut": StatutPlanification.EN_COURS},
                    apres={"statut": StatutPlanification.ECHOUEE},
                )
    return nombre


# --- Editing the proposal -------------------------------------------------------------------------


def proposition_en_vigueur(demande: DemandePlanification) -> Proposition | None:
    """The proposal accepting would create: staff's edited copy if any, else the solver's."""
    donnees = demande.proposition_modifiee or demande.resultat
    return Proposition.depuis_json(donnees) if donnees else None


def candidats_non_planifies(demande: DemandePlanification) -> list[int]:
    """Candidates of the solver's proposal that staff dropped from every session."""
    if not demande.resultat:
        return []
    places = {k for s in (proposition_en_vigueur(demande) or Proposition(())).sessions for k in s.candidats}
    origine = Proposition.depuis_json(demande.resultat)
    return [k for s in origine.sessions for k in s.candidats if k not in places]


@dataclass
class SessionVerifiee:
    """A proposed session with what the rules say of it today."""

    numero: int  # position in the proposal, from 1
    date: datetime.date
    membres: list[MembreJury]
    candidatures: list[Candidature]
    violations: list[Violation] = field(default_factory=list)  # composition rules, members named
    problemes: list[str] = field(default_factory=list)  # other blocking problems
    avertissements: list[str] = field(default_factory=list)  # worth a look, not blocking

    @property
    def a_creer(self) -> bool:
        """A session left without candidates is not created on acceptance."""
        return bool(self.candidatures)

    @property
    def bloquante(self) -> bool:
        return self.a_creer and bool(self.violations or self.problemes)

    def motifs(self) -> list[str]:
        return [*self.problemes, *(v.message for v in self.violations)]


def verifier_proposition(
    demande: DemandePlanification, proposition: Proposition | None = None
) -> list[SessionVerifiee]:
    """Check every proposed session against today's pool, candidates and rule, in a fixed number of
    queries. Shown on the request's page and run again, under lock, when accepting."""
    proposition = proposition if proposition is not None else proposition_en_vigueur(demande)
    if proposition is None:
        return []
    regle = (
        RegleJury.objects.prefetch_related("quotas").filter(pk=demande.regle_id).first()
        if demande.regle_id is not None
        else None
    )
    membres = {
        m.pk: m
        for m in MembreJury.objects.filter(
            pk__in={k for s in proposition.sessions for k in s.membres}
        ).prefetch_related("partenaires_formateur", "sessions_formateur", "disponibilites")
    }
    candidatures = {
        c.pk: c
        for c in Candidature.objects.filter(
            pk__in={k for s in proposition.sessions for k in s.candidats}
        ).select_related("partenaire")
    }
    # Every proposed session starts at the same hour: a member cannot sit in two on the same day.
    numeros_par_membre_et_date: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    for numero, proposee in enumerate(proposition.sessions, start=1):
        if proposee.candidats:
            for cle in proposee.membres:
                numeros_par_membre_et_date[(cle, proposee.date)].append(numero)
    verifiees = []
    for numero, proposee in enumerate(proposition.sessions, start=1):
        presents = [membres[k] for k in proposee.membres if k in membres]
        candidats = [candidatures[k] for k in proposee.candidats if k in candidatures]
        verifiee = SessionVerifiee(numero, proposee.date, presents, candidats)
        if len(presents) < len(proposee.membres):
            verifiee.problemes.append("Un membre proposé n'existe plus dans le vivier.")
        if len(candidats) < len(proposee.candidats):
            verifiee.problemes.append("Une candidature proposée n'existe plus.")
        inactifs = [str(m) for m in presents if not m.actif]
        if inactifs:
            verifiee.problemes.append(f"Membre(s) retiré(s) du vivier : {', '.join(inactifs)}.")
        if len(candidats) > demande.max_candidats:
            verifiee.problemes.append(
                f"Une session accueille au plus {demande.max_candidats} candidats ; "
                f"celle-ci en compte {len(candidats)}."
            )
        for membre in presents:
            autres = [n for n in numeros_par_membre_et_date[(membre.pk, proposee.date)] if n != numero]
            if proposee.candidats and autres:
                verifiee.problemes.append(
                    f"{membre} siège aussi dans la session n° {autres[0]} du même jour, à la même heure."
                )
            if not any(d.date == proposee.date for d in membre.disponibilites.all()):
                verifiee.avertissements.append(
                    f"{membre} n'a pas déclaré de disponibilité le {proposee.date:%d/%m/%Y}."
                )
        if regle is None:
            verifiee.problemes.append("La règle de composition de cette demande n'existe plus.")
        else:
            verifiee.violations = composition.verifier(regle, presents, candidats)
        verifiees.append(verifiee)
    return verifiees


def _decrire(proposee: SessionProposee, noms: Mapping[int, str]) -> dict[str, Any]:
    return {
        "date": proposee.date.isoformat(),
        "membres": [noms.get(k, f"n° {k}") for k in proposee.membres],
        "candidats": [noms.get(-k, f"n° {k}") for k in proposee.candidats],
    }


def _modifiable(pk: int) -> tuple[DemandePlanification, Proposition]:
    """Lock the request and return it with the proposal in force; refuse once accepted."""
    demande = DemandePlanification.objects.select_for_update().get(pk=pk)
    if demande.acceptee_le is not None:
        raise ErreurMetier("Cette proposition a déjà été acceptée : modifiez désormais les sessions créées.")
    proposition = proposition_en_vigueur(demande)
    if demande.statut != StatutPlanification.TERMINEE or proposition is None:
        raise ErreurMetier("Cette demande n'a pas de proposition à modifier.")
    return demande, proposition


def modifier_session(
    demande: DemandePlanification,
    numero: int,
    *,
    date: datetime.date,
    membres: Sequence[int],
    affectations: Mapping[int, int | None],
    acteur: User,
) -> DemandePlanification:
    """Edit proposed session ``numero`` (from 1): its date (one of the request's), its members (from
    the active pool) and, for each candidate of this session or left unplanned, the proposed session
    where they sit (``None``: dropped). Stored in the edited copy even when a rule is broken, so
    the page can show it; accepting refuses while a rule is broken. Saved unchanged, nothing is
    stored."""
    exiger_equipe(acteur, "La planification des jurys est réservée à l'équipe du certificateur.")
    with transaction.atomic():
        demande, proposition = _modifiable(demande.pk)
        sessions = list(proposition.sessions)
        if not 1 <= numero <= len(sessions):
            raise ErreurMetier("Cette session proposée n'existe pas.")
        if date.isoformat() not in demande.dates:
            raise ErreurMetier("Choisissez une date parmi celles de la demande.")
        if len(set(membres)) != len(membres):
            raise ErreurMetier("Un membre ne siège qu'une fois dans un jury.")
        pool = {m.pk: m for m in MembreJury.objects.actifs().filter(pk__in=membres)}
        if len(pool) != len(membres):
            raise ErreurMetier("Choisissez les membres parmi ceux du vivier.")
        actuelle = sessions[numero - 1]
        deplacables = [*actuelle.candidats, *candidats_non_planifies(demande)]
        inconnus = set(affectations) - set(deplacables)
        if inconnus:
            raise ErreurMetier("Seuls les candidats de cette session ou non planifiés peuvent être déplacés d'ici.")
        if any(cible is not None and not 1 <= cible <= len(sessions) for cible in affectations.values()):
            raise ErreurMetier("Choisissez une session de la proposition pour chaque candidat.")
        # Unlisted candidates of this session stay; unlisted unplanned ones stay unplanned.
        cibles = {k: affectations.get(k, numero if k in actuelle.candidats else None) for k in deplacables}
        nouvelles = []
        for position, proposee in enumerate(sessions, start=1):
            restants = [k for k in proposee.candidats if k not in cibles]
            arrivants = [k for k in deplacables if cibles[k] == position]
            if position == numero:
                nouvelles.append(SessionProposee(date, tuple(membres), tuple(arrivants)))
            else:
                nouvelles.append(SessionProposee(proposee.date, proposee.membres, tuple([*restants, *arrivants])))
        if nouvelles == sessions:
            # Saved as shown: the proposal stays the solver's (still optimal), nothing to record.
            return demande
        charges: dict[int, int] = defaultdict(int)
        for proposee in nouvelles:
            for cle in proposee.membres:
                charges[cle] += len(proposee.candidats)
        modifiee = Proposition(
            tuple(nouvelles), dict(charges), optimale=False, duree_secondes=proposition.duree_secondes
        )
        cles_membres = {k for s in [*sessions, *nouvelles] for k in s.membres}
        cles_candidats = {k for s in [*sessions, *nouvelles] for k in s.candidats} | set(deplacables)
        noms: dict[int, str] = {m.pk: str(m) for m in MembreJury.objects.filter(pk__in=cles_membres)}
        noms.update(
            {
                -c.pk: c.nom_complet or f"candidature n° {c.pk}"
                for c in Candidature.objects.filter(pk__in=cles_candidats)
            }
        )
        deplaces = {
            noms.get(-k, f"n° {k}"): (f"session n° {c}" if c is not None else "retiré de la proposition")
            for k, c in cibles.items()
            if c != (numero if k in actuelle.candidats else None)
        }
        demande.proposition_modifiee = modifiee.en_json()
        demande.save(update_fields=["proposition_modifiee"])
        enregistrer(
            action="jurys.modifier_proposition",
            acteur=acteur,
            objet=demande,
            resume=f"Proposition de planification modifiée : session n° {numero} ({date:%d/%m/%Y})"
            + (f", {len(deplaces)} candidat(s) déplacé(s) ou retiré(s)" if deplaces else "")
            + ".",
            avant={"session": numero, **_decrire(actuelle, noms)},
            apres={"session": numero, **_decrire(nouvelles[numero - 1], noms), "deplacements": deplaces},
        )
    return demande


def retablir_proposition(demande: DemandePlanification, *, acteur: User) -> DemandePlanification:
    """Drop staff's edits: the solver's proposal is in force again."""
    exiger_equipe(acteur, "La planification des jurys est réservée à l'équipe du certificateur.")
    with transaction.atomic():
        demande, _ = _modifiable(demande.pk)
        if demande.proposition_modifiee is None:
            raise ErreurMetier("La proposition n'a pas été modifiée.")
        avant = demande.proposition_modifiee
        demande.proposition_modifiee = None
        demande.save(update_fields=["proposition_modifiee"])
        enregistrer(
            action="jurys.retablir_proposition",
            acteur=acteur,
            objet=demande,
            resume="Modifications de la proposition abandonnées : la proposition du calcul est rétablie.",
            avant={"proposition_modifiee": avant},
            apres={"proposition_modifiee": None},
        )
    return demande


# --- Accepting ------------------------------------------------------------------------------------


def accepter(demande: DemandePlanification, *, acteur: User) -> list[SessionJury]:
    """Create the sessions of the proposal in force (staff's edited copy, else the solver's), once.
    Every session is checked first against today's data and refused as a whole with every reason;
    ``services.accepter_proposition`` checks each created jury again in the same transaction."""
    exiger_equipe(acteur, "La planification des jurys est réservée à l'équipe du certificateur.")
    with transaction.atomic():
        demande = DemandePlanification.objects.select_for_update().get(pk=demande.pk)
        if demande.acceptee_le is not None:
            raise ErreurMetier("Cette proposition a déjà été acceptée : ses sessions existent.")
        proposition = proposition_en_vigueur(demande)
        if demande.statut != StatutPlanification.TERMINEE or proposition is None:
            raise ErreurMetier("Cette demande n'a pas de proposition à accepter.")
        regle = (
            RegleJury.objects.select_related("certification").filter(pk=demande.regle_id).first()
            if demande.regle_id is not None
            else None
        )
        if regle is None:
            raise ErreurMetier(
                "La règle de composition de cette proposition n'existe plus : relancez la planification."
            )
        verifiees = verifier_proposition(demande, proposition)
        bloquantes = [v for v in verifiees if v.bloquante]
        if bloquantes:
            raise ErreurMetier(
                "La proposition n'est pas conforme : "
                + " ".join(f"Session n° {v.numero} du {v.date:%d/%m/%Y} : {' '.join(v.motifs())}" for v in bloquantes)
            )
        a_creer = tuple(s for s, v in zip(proposition.sessions, verifiees, strict=True) if v.a_creer)
        if not a_creer:
            raise ErreurMetier("Aucune session proposée n'a de candidat : rien à créer.")
        sessions = services.accepter_proposition(
            Proposition(a_creer, proposition.charges),
            acteur=acteur,
            regle=regle,
            heure=demande.heure,
            lieu=demande.lieu,
            lien_visio=demande.lien_visio,
            max_candidats=demande.max_candidats,
        )
        demande.acceptee_le = timezone.now()
        demande.save(update_fields=["acceptee_le"])
        enregistrer(
            action="jurys.accepter_planification",
            acteur=acteur,
            objet=demande,
            resume=f"Proposition {'modifiée ' if demande.proposition_modifiee else ''}acceptée : "
            f"{len(sessions)} session(s) créée(s).",
            apres={"sessions": [s.pk for s in sessions], "modifiee": demande.proposition_modifiee is not None},
        )
    return sessions
