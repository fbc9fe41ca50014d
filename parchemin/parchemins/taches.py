"""Background tasks of delivery (Django Tasks API; run by ``manage.py db_worker``).

``emettre_parchemin`` signs the credential and renders the PDF of one numbered parchemin. It is
enqueued once per parchemin when a PV becomes final, when staff retry a failure, and by the catch-up
``manage.py emettre_parchemins``. Running it twice is harmless: ``services.emettre`` locks the row and
returns the credential already in force, so a second run never makes a second number or credential.
"""

from __future__ import annotations

from django_tasks import task


@task
def emettre_parchemin(parchemin_pk: int) -> str:
    """Issue one parchemin; returns the credential's id. A failure is recorded on the parchemin (its
    status and cause, shown to staff) and raised again, so the task itself ends failed with its error."""
    from .services import emettre_par_tache

    return emettre_par_tache(parchemin_pk)
