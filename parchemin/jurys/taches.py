"""Background tasks of the jury app (Django Tasks API; run by ``manage.py db_worker``).

``traiter_demande`` solves one planning request. It is enqueued by ``planification_demandes.demander``
in the request's own transaction, so the task exists exactly when the request does. Running it twice
is harmless: the request is claimed by a conditional update, so only one run solves it.
"""

from __future__ import annotations

from django_tasks import task


@task
def traiter_demande(demande_pk: int) -> str:
    """Claim and solve the request; returns its status afterwards (``EN_COURS`` or a final one if
    another run had claimed it already)."""
    from .models import DemandePlanification
    from .planification_demandes import traiter

    traitee = traiter(demande_pk)
    if traitee is not None:
        return str(traitee.statut)
    return str(DemandePlanification.objects.values_list("statut", flat=True).get(pk=demande_pk))
