"""Check every stored PV both ways: bytes against hash, signatures against the locked PV, the journal's
signature entries against the PV (integrite) and the journal's versions, signatures and locking
against what is stored (integrite_journal), then the journal against its signed checkpoints."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from parchemin.erreurs import ErreurMetier
from parchemin.journal.ancrage import verifier_points_de_controle
from parchemin.jurys.integrite import anomalies_pv, anomalies_sessions, nombre_reprises
from parchemin.jurys.integrite_journal import ancrage_pv, anomalies_journal_pv
from parchemin.jurys.models import ProcesVerbal


def _anomalies(pv: ProcesVerbal) -> list[str]:
    """Every check of one PV; malformed data (a column altered, a type changed) is an anomaly named
    after the record, never a traceback."""
    try:
        return anomalies_pv(pv) + anomalies_journal_pv(pv)
    except (TypeError, ValueError, AttributeError, KeyError, DatabaseError) as erreur:
        return [f"données illisibles ou altérées ({type(erreur).__name__}) : vérification impossible"]


class Command(BaseCommand):
    help = (
        "Vérifie que chaque PV stocké correspond à son empreinte, à ses signatures et au journal d'audit, et que "
        "le journal concorde avec ses points de contrôle signés."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problemes: list[str] = []
        remarques: list[str] = []
        total = 0
        try:
            cles = list(ProcesVerbal.objects.order_by("pk").values_list("pk", flat=True))
        except DatabaseError as erreur:
            raise CommandError(f"Lecture des PV impossible : {erreur}") from erreur
        for pk in cles:
            total += 1
            try:
                pv = ProcesVerbal.objects.select_related("session").get(pk=pk)
            except (DatabaseError, TypeError, ValueError) as erreur:
                problemes.append(f"PV n°{pk} : enregistrement illisible ({type(erreur).__name__})")
                continue
            nom = f"PV n°{pk}"
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                nom = f"{pv} (n°{pk})"
            problemes += [f"{nom} : {anomalie}" for anomalie in _anomalies(pv)]
            try:
                remarque = ancrage_pv(pv)
            except ErreurMetier as erreur:
                remarque = erreur.message
            if remarque:
                remarques.append(f"{nom} : {remarque}")
        try:
            problemes += [f"Session : {anomalie}" for anomalie in anomalies_sessions()]
            reprises = nombre_reprises()
        except DatabaseError as erreur:
            raise CommandError(f"Lecture des sessions impossible : {erreur}") from erreur
        try:
            _, ecarts = verifier_points_de_controle()
        except ErreurMetier as erreur:
            ecarts = [erreur.message]
        problemes += [f"Journal : {ecart}" for ecart in ecarts]
        for remarque in remarques:
            self.stdout.write(self.style.WARNING(remarque))
        if problemes:
            raise CommandError("PV non intègre(s) :\n" + "\n".join(problemes))
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} PV vérifié(s) : empreintes, signatures, journal et points de contrôle concordent."
            )
        )
        if reprises:
            self.stdout.write(
                f"{reprises} session(s) reprise(s) de l'historique, antérieures à la plateforme : sans PV "
                "électronique (PV papier conservé hors de la plateforme), comme la règle le prévoit."
            )
