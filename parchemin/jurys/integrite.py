"""Checks that stored PVs still prove what was signed: bytes, hash, signatures and journal agree."""

from __future__ import annotations

import hashlib

from parchemin.journal.models import EntreeJournal

from .models import ProcesVerbal


def anomalies_pv(pv: ProcesVerbal) -> list[str]:
    """Every inconsistency of one PV (empty when it is intact)."""
    anomalies = []
    if hashlib.sha256(bytes(pv.pdf)).hexdigest() != pv.sha256:
        anomalies.append("le PDF stocké ne correspond plus à son empreinte")
    signatures = list(pv.signatures.select_related("membre"))
    if pv.verrouille_le is not None:
        signataires = {s.membre_id for s in signatures if s.sha256 == pv.sha256}
        manquants = [
            str(s.membre) for s in pv.session.sieges.select_related("membre") if s.membre_id not in signataires
        ]
        if manquants:
            anomalies.append(f"verrouillé sans la signature de : {', '.join(manquants)}")
    journal = {
        (e.apres or {}).get("membre"): (e.apres or {}).get("sha256")
        for e in EntreeJournal.objects.filter(
            action="jurys.signer_pv", objet_type=pv._meta.label_lower, objet_id=str(pv.pk)
        )
    }
    for signature in signatures:
        if signature.sha256 == pv.sha256 and journal.get(signature.membre_id) != signature.sha256:
            anomalies.append(f"la signature de {signature.membre} n'a pas d'entrée concordante au journal")
    return anomalies
