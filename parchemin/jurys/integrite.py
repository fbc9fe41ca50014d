"""Checks that stored PVs still prove what was signed: bytes, hashes, signatures, seal and journal.

For each version of a PV: the PDF the members read still has its SHA-256; a locked version carries
the signature of every member who sat, each with its journal entry; its final PV still has its own
SHA-256, the one the journal recorded when it was sealed, and a PAdES seal that pyHanko finds intact,
valid and made with the configured certificate; a superseded version is still there, sealed.

Per session: a locked session held on the platform has a locked, sealed PV. A session taken over
from history (``origine = REPRISE``, jurys.reprise) is the one kind of locked session without an
electronic PV: its paper PV is kept outside the platform. It is accepted by that explicit rule,
counted in the command's report, and refused if it carries an electronic PV (that would mean it
was signed here, so it is not history).
"""

from __future__ import annotations

import hashlib

from parchemin.journal.models import EntreeJournal

from .cachet import anomalies_cachet
from .enums import OrigineSession, StatutSession
from .models import ProcesVerbal, SessionJury


def _entrees(pv: ProcesVerbal, action: str) -> list[EntreeJournal]:
    return list(EntreeJournal.objects.filter(action=action, objet_type=pv._meta.label_lower, objet_id=str(pv.pk)))


def anomalies_pv(pv: ProcesVerbal) -> list[str]:
    """Every inconsistency of one PV version (empty when it is intact)."""
    anomalies = []
    if hashlib.sha256(bytes(pv.pdf)).hexdigest() != pv.sha256:
        anomalies.append("le PDF soumis à signature ne correspond plus à son empreinte")
    signatures = list(pv.signatures.select_related("membre"))
    if pv.verrouille_le is not None:
        signataires = {s.membre_id for s in signatures if s.sha256 == pv.sha256}
        sieges = pv.session.sieges.exclude(present=False).select_related("membre")
        manquants = [str(s.membre) for s in sieges if s.membre_id not in signataires]
        if manquants:
            anomalies.append(f"verrouillé sans la signature de : {', '.join(manquants)}")
        anomalies += _anomalies_final(pv)
    journal = {(e.apres or {}).get("membre"): (e.apres or {}).get("sha256") for e in _entrees(pv, "jurys.signer_pv")}
    for signature in signatures:
        if signature.sha256 == pv.sha256 and journal.get(signature.membre_id) != signature.sha256:
            anomalies.append(f"la signature de {signature.membre} n'a pas d'entrée concordante au journal")
    return anomalies


def _anomalies_final(pv: ProcesVerbal) -> list[str]:
    if not pv.pdf_final:
        return ["verrouillé sans PV final scellé"]
    final = bytes(pv.pdf_final)
    anomalies = []
    if hashlib.sha256(final).hexdigest() != pv.sha256_final:
        anomalies.append("le PV final stocké ne correspond plus à son empreinte (octets modifiés)")
    scelle = [(e.apres or {}).get("sha256_final") for e in _entrees(pv, "jurys.sceller_pv")]
    if pv.sha256_final not in scelle:
        anomalies.append("l'empreinte du PV final n'est pas celle que le journal a consignée au scellement")
    anomalies += anomalies_cachet(final)
    return anomalies


def anomalies_sessions() -> list[str]:
    """Locked sessions whose origin and PVs disagree (two queries)."""
    sans_pv = (
        SessionJury.objects.filter(statut=StatutSession.VERROUILLEE, origine=OrigineSession.PLATEFORME)
        .exclude(pvs__verrouille_le__isnull=False)
        .order_by("pk")
    )
    reprises_avec_pv = SessionJury.objects.filter(origine=OrigineSession.REPRISE, pvs__isnull=False).distinct()
    return [f"{s} (session n°{s.pk}) : verrouillée sans PV signé et scellé" for s in sans_pv] + [
        f"{s} (session n°{s.pk}) : reprise de l'historique, mais porte un PV électronique" for s in reprises_avec_pv
    ]


def nombre_reprises() -> int:
    return SessionJury.objects.filter(origine=OrigineSession.REPRISE).count()
