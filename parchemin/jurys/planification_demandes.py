"""Planning requests as recorded jobs: staff ask, a worker solves, staff accept the stored proposal.

The solver can take a minute, longer than a proxy lets an HTTP request live. ``demander`` records the
request and hands it to the executor chosen by ``settings.PLANIFICATION_EXECUTION``; ``traiter``
claims a request (never twice: a conditional update, or ``SKIP LOCKED`` on PostgreSQL), solves it
and stores the proposal or the explanation. Every start and end is in the audit journal.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from parchemin.comptes.models import User
from parchemin.comptes.roles import est_equipe
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.referentiel.models import RegleJury

from . import services
from .enums import StatutPlanification
from .models import DemandePlanification, SessionJury
from .planification import PlanificationImpossible, Proposition, planifier

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
    """Record a planning request and start it the way this deployment runs jobs."""
    if not est_equipe(acteur):
        raise AccesRefuse("La planification des jurys est réservée à l'équipe du certificateur.")
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
        if settings.PLANIFICATION_EXECUTION == "thread":
            pk = demande.pk
            transaction.on_commit(lambda: threading.Thread(target=_traiter_en_fond, args=(pk,), daemon=True).start())
    if settings.PLANIFICATION_EXECUTION == "synchrone":
        traiter(demande.pk)
        demande.refresh_from_db()
    return demande


def _traiter_en_fond(pk: int) -> None:
    """Body of the development thread: its own database connection, closed at the end."""
    try:
        traiter(pk)
    except Exception:  # a thread has nobody to report to but the log
        journal.exception("Planification %s : échec du calcul en arrière-plan", pk)
    finally:
        connections.close_all()


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


# --- Accepting ------------------------------------------------------------------------------------


def accepter(demande: DemandePlanification, *, acteur: User) -> list[SessionJury]:
    """Create the stored proposal's sessions, once. ``services.accepter_proposition`` checks every
    proposed jury again against today's data (pool, candidates, rule) and refuses as a whole."""
    if not est_equipe(acteur):
        raise AccesRefuse("La planification des jurys est réservée à l'équipe du certificateur.")
    with transaction.atomic():
        demande = DemandePlanification.objects.select_for_update().get(pk=demande.pk)
        if demande.acceptee_le is not None:
            raise ErreurMetier("Cette proposition a déjà été acceptée : ses sessions existent.")
        if demande.statut != StatutPlanification.TERMINEE or not demande.resultat:
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
        sessions = services.accepter_proposition(
            Proposition.depuis_json(demande.resultat),
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
            resume=f"Proposition acceptée : {len(sessions)} session(s) créée(s).",
            apres={"sessions": [s.pk for s in sessions]},
        )
    return sessions
