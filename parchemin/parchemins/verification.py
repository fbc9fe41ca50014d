"""Verification of a parchemin for anyone: by its code, or from a dropped JSON credential or PDF.

Every outcome is a ``Verdict`` with a plain French title and reason; nothing raises. A credential
is checked in this order: readable JSON, known contexts and only defined terms, a proof made with one
of this issuer's keys (current or rotated out), the signature over the content, the validity period,
and finally the revocation status (this server's register and status list).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from parchemin.erreurs import ErreurMetier

from . import cles, document, preuve
from .jsonld import ContexteRefuse, JsonLdInvalide, TermeNonDefini
from .models import ALPHABET_CODE, LONGUEUR_CODE, Attestation, CleSignature, Parchemin
from .multibase import cle_publique_depuis_multikey
from .services import normaliser_code

TAILLE_MAX_FICHIER = 5 * 1024 * 1024
journal = logging.getLogger("parchemin.parchemins")


class Issue:
    VALIDE = "valide"
    REVOQUE = "revoque"
    FALSIFIE = "falsifie"
    CODE_INCONNU = "code_inconnu"
    JSON_INVALIDE = "json_invalide"
    PDF_SANS_CREDENTIAL = "pdf_sans_credential"
    AUTRE_CLE = "autre_cle"
    PAS_ENCORE_VALIDE = "pas_encore_valide"
    EXPIRE = "expire"
    FICHIER_REFUSE = "fichier_refuse"


@dataclass
class Verdict:
    issue: str
    titre: str
    raison: str
    titulaire: str = ""
    certification: str = ""
    code_certification: str = ""
    emetteur: str = ""
    depuis: str = ""
    unites: list[str] = field(default_factory=list)
    numero: str = ""
    identifiant: str = ""

    @property
    def valide(self) -> bool:
        return self.issue == Issue.VALIDE

    def en_json(self) -> dict[str, Any]:
        return {
            "verdict": self.issue,
            "valide": self.valide,
            "titre": self.titre,
            "raison": self.raison,
            "titulaire": self.titulaire,
            "certification": self.certification,
            "code_certification": self.code_certification,
            "emetteur": self.emetteur,
            "valide_depuis": self.depuis,
            "unites": self.unites,
            "numero": self.numero,
            "identifiant": self.identifiant,
        }


def cles_publiques() -> dict[str, str]:
    """Verification method id → Multikey, for every key of this issuer (active, recorded, retired)."""
    multikeys = list(CleSignature.objects.values_list("multikey", flat=True))
    multikeys += cles.cles_retirees()
    try:
        multikeys.append(cles.cle_active().multikey)
    except ImproperlyConfigured:
        # A verifying-only server (no signing key here) still knows every key that signed.
        journal.warning("Pas de clé de signature configurée : vérification avec les clés publiques connues.")
    return {cles.methode_verification(m): m for m in dict.fromkeys(multikeys)}


def _resolveur() -> Any:
    connues = cles_publiques()

    def cle_de(methode: str) -> Ed25519PublicKey | None:
        multikey = connues.get(methode)
        return Ed25519PublicKey.from_public_bytes(cle_publique_depuis_multikey(multikey)) if multikey else None

    return cle_de


def _details(credential: dict[str, Any], verdict: Verdict) -> Verdict:
    """Fill who holds what from the (verified) credential itself."""
    sujet = credential.get("credentialSubject") or {}
    if not isinstance(sujet, dict):
        return verdict
    identites = sujet.get("identifier") or []
    noms = [i.get("identityHash", "") for i in identites if isinstance(i, dict) and i.get("identityType") == "name"]
    verdict.titulaire = noms[0] if noms else ""
    realisation = sujet.get("achievement") or {}
    if isinstance(realisation, dict):
        verdict.certification = str(realisation.get("name", ""))
        verdict.code_certification = str(realisation.get("humanCode", ""))
        descriptions = {d.get("id"): d for d in realisation.get("resultDescription", []) if isinstance(d, dict)}
        for resultat in sujet.get("result", []):
            description = descriptions.get(resultat.get("resultDescription")) if isinstance(resultat, dict) else None
            if description and str(description.get("name", "")).startswith("Unité"):
                verdict.unites.append(str(description["name"]))
    emetteur = credential.get("issuer")
    verdict.emetteur = str(emetteur.get("name", "")) if isinstance(emetteur, dict) else str(emetteur or "")
    verdict.depuis = str(credential.get("validFrom", ""))
    verdict.identifiant = str(credential.get("id", ""))
    return verdict


def _instant(valeur: Any) -> dt.datetime | None:
    if not isinstance(valeur, str):
        return None
    try:
        instant = dt.datetime.fromisoformat(valeur.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else None


def verifier_credential(credential: Any, *, maintenant: dt.datetime | None = None) -> Verdict:
    maintenant = maintenant or timezone.now()
    if not isinstance(credential, dict) or "OpenBadgeCredential" not in (credential.get("type") or []):
        return Verdict(
            Issue.JSON_INVALIDE,
            "Ce n'est pas une attestation",
            "Le fichier JSON n'est pas une attestation Open Badges (type « OpenBadgeCredential » absent).",
        )
    try:
        preuve.verifier(credential, _resolveur())
    except ContexteRefuse as erreur:
        return Verdict(Issue.JSON_INVALIDE, "Attestation illisible", erreur.message)
    except TermeNonDefini as erreur:
        return Verdict(
            Issue.FALSIFIE, "Attestation falsifiée", f"Un champ a été ajouté après la signature. {erreur.message}"
        )
    except JsonLdInvalide:
        return Verdict(Issue.JSON_INVALIDE, "Attestation illisible", "Le document n'est pas du JSON-LD valide.")
    except preuve.PreuveInvalide as erreur:
        if "n'est pas une clé de ce certificateur" in erreur.message:
            return Verdict(
                Issue.AUTRE_CLE,
                "Signée par une autre clé",
                "La signature n'a pas été faite avec une clé de ce certificateur : ce document ne vient pas de nous.",
            )
        return _details(credential, Verdict(Issue.FALSIFIE, "Attestation falsifiée", erreur.message))
    except ErreurMetier as erreur:
        return Verdict(Issue.JSON_INVALIDE, "Attestation illisible", erreur.message)
    verdict = _details(credential, Verdict(Issue.VALIDE, "", ""))
    debut = _instant(credential.get("validFrom"))
    if debut is None or debut > maintenant:
        verdict.issue, verdict.titre = Issue.PAS_ENCORE_VALIDE, "Pas encore valable"
        verdict.raison = "La date de début de validité (validFrom) est absente ou dans le futur."
        return verdict
    fin = _instant(credential.get("validUntil")) if "validUntil" in credential else None
    if fin is not None and fin < maintenant:
        verdict.issue, verdict.titre, verdict.raison = Issue.EXPIRE, "Expirée", "La période de validité est passée."
        return verdict
    identifiant = str(credential.get("id", "")).removeprefix("urn:uuid:")
    attestation = (
        Attestation.objects.filter(identifiant=identifiant).select_related("parchemin").first()
        if (len(identifiant) == 36)
        else None
    )
    if attestation is not None:
        verdict.numero = attestation.parchemin.numero
        if attestation.revoquee_le is not None:
            verdict.issue, verdict.titre = Issue.REVOQUE, "Attestation révoquée"
            verdict.raison = (
                f"Révoquée le {timezone.localtime(attestation.revoquee_le):%d/%m/%Y} : {attestation.motif_revocation}"
            )
            return verdict
    verdict.titre = "Attestation valide"
    verdict.raison = "Signature authentique du certificateur, contenu intact, non révoquée."
    return verdict


def verifier_code(saisie: str) -> Verdict:
    code = normaliser_code(saisie or "")
    # Only a code written in the code alphabet can exist: anything else (a NUL byte, which PostgreSQL
    # refuses in a text parameter, included) is unknown without asking the database.
    plausible = len(code) == LONGUEUR_CODE and all(c in ALPHABET_CODE for c in code)
    parchemin = Parchemin.objects.filter(code_verification=code).first() if plausible else None
    if parchemin is None:
        return Verdict(
            Issue.CODE_INCONNU,
            "Code inconnu",
            "Aucun parchemin ne porte ce code de vérification. "
            "Vérifiez la saisie (8 caractères, sans I, L, O, 0 ni 1).",
        )
    attestation = parchemin.attestations.order_by("-emise_le", "-pk").first()
    if attestation is None:
        return Verdict(
            Issue.CODE_INCONNU,
            "Parchemin en cours d'émission",
            "Ce parchemin est numéroté mais son attestation n'est pas encore émise : réessayez plus tard.",
            numero=parchemin.numero,
        )
    return verifier_credential(json.loads(attestation.credential))


def verifier_fichier(contenu: bytes) -> Verdict:
    if len(contenu) > TAILLE_MAX_FICHIER:
        return Verdict(Issue.FICHIER_REFUSE, "Fichier trop lourd", "Le fichier dépasse 5 Mo.")
    if contenu.lstrip()[:5] == b"%PDF-":
        for piece in document.pieces_jointes(contenu):
            try:
                candidat = json.loads(piece)
            except (ValueError, UnicodeDecodeError, RecursionError):
                continue
            if isinstance(candidat, dict) and "proof" in candidat:
                return verifier_credential(candidat)
        return Verdict(
            Issue.PDF_SANS_CREDENTIAL,
            "PDF sans attestation",
            "Ce PDF ne contient pas d'attestation "
            "numérique signée : ce n'est pas un parchemin délivré par Parchemin, ou il a été réimprimé.",
        )
    try:
        donnees = json.loads(contenu.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Verdict(Issue.JSON_INVALIDE, "Fichier illisible", "Le fichier n'est ni un PDF ni un JSON valide.")
    return verifier_credential(donnees)
