"""The PV checked from the journal's side: the journal (anchored outside the database by signed
checkpoints) says which hash each version had, who signed it and when it was locked; the stored PV and
its signatures must say the same. Complements ``integrite.anomalies_pv``, which checks the other way."""

from __future__ import annotations

from typing import Any

from parchemin.journal.ancrage import points_de_controle
from parchemin.journal.models import EntreeJournal

from .models import ProcesVerbal

# A version is journaled when established, rendered anew, or opened after an amendment (a new row).
ACTIONS_VERSION = ("jurys.etablir_pv", "jurys.rendre_pv", "jurys.nouvelle_version_pv")


def _entrees(pv: ProcesVerbal, *actions: str) -> list[EntreeJournal]:
    return list(
        EntreeJournal.objects.filter(action__in=actions, objet_type=pv._meta.label_lower, objet_id=str(pv.pk)).order_by(
            "sequence"
        )
    )


def _apres(entree: EntreeJournal) -> dict[str, Any]:
    return entree.apres if isinstance(entree.apres, dict) else {}


def anomalies_journal_pv(pv: ProcesVerbal) -> list[str]:
    """What the journal holds about ``pv`` that the stored PV or its signatures contradict."""
    anomalies = []
    versions = _entrees(pv, *ACTIONS_VERSION)
    if not versions:
        anomalies.append("aucune entrée du journal n'atteste l'établissement de ce PV")
    else:
        derniere = _apres(versions[-1])
        if derniere.get("sha256") != pv.sha256 or derniere.get("version") != pv.numero_version:
            anomalies.append(
                f"le PV stocké (version {pv.numero_version}, empreinte {pv.sha256[:12]}…) n'est pas la dernière "
                f"version journalisée (version {derniere.get('version')}, empreinte "
                f"{str(derniere.get('sha256'))[:12]}…)"
            )
    signees = {(s.membre_id, s.sha256) for s in pv.signatures.all().only("membre_id", "sha256")}
    for entree in _entrees(pv, "jurys.signer_pv"):
        apres = _apres(entree)
        if apres.get("sha256") == pv.sha256 and (apres.get("membre"), pv.sha256) not in signees:
            anomalies.append(
                f"la signature journalisée du membre n°{apres.get('membre')} (entrée n°{entree.sequence}) "
                "n'existe plus en base"
            )
    verrouillages = _entrees(pv, "jurys.verrouiller_pv")
    if pv.verrouille_le is None and verrouillages:
        anomalies.append(
            f"le journal atteste le verrouillage (entrée n°{verrouillages[-1].sequence}) "
            "mais le PV n'est plus verrouillé"
        )
    if pv.verrouille_le is not None:
        if not verrouillages:
            anomalies.append("verrouillé sans entrée de verrouillage au journal")
        elif _apres(verrouillages[-1]).get("sha256") != pv.sha256:
            anomalies.append(
                f"l'empreinte verrouillée au journal (entrée n°{verrouillages[-1].sequence}) "
                "n'est pas celle du PV stocké"
            )
    return anomalies


def ancrage_pv(pv: ProcesVerbal) -> str | None:
    """For a locked PV: whether a signed checkpoint already covers its locking (None when it does, or when
    there is nothing to cover yet), said in French for the report."""
    verrouillages = _entrees(pv, "jurys.verrouiller_pv")
    if pv.verrouille_le is None or not verrouillages:
        return None
    points, _ = points_de_controle()
    if any(p.sequence >= verrouillages[-1].sequence for p in points):
        return None
    return "verrouillage pas encore couvert par un point de contrôle du journal (lancer manage.py ancrer_journal)"
