"""The CDC's acknowledgements of a flux file, read and applied in one transaction.

The official shape of these reports is in the CDC kit, not in the documented format: Parchemin
accepts the XML shape described in docs/accrochage.md ("Accusés de la CDC"), which must be checked
against the kit before relying on it. The reading is tolerant only where it cannot change meaning
(any namespace, surrounding spaces, OK/ok); anything else refuses the whole file with its reason and
changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from lxml import etree

from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer

from .enums import EtatCDC, TypeAccuse
from .models import Accuse, Lot, PassageCDC

if TYPE_CHECKING:
    from parchemin.comptes.models import User

TAILLE_MAX_ACCUSE = 50 * 1024 * 1024
RACINES = {"accuseReception": TypeAccuse.RECEPTION, "accuseTraitement": TypeAccuse.TRAITEMENT}
MESSAGE_KO_VIDE = "(la CDC n'a pas donné de message)"


class AccuseRefuse(ErreurMetier):
    """The acknowledgement file cannot be applied; nothing was changed."""


@dataclass(frozen=True)
class LigneAccuse:
    id_technique: str
    ok: bool
    message: str


@dataclass(frozen=True)
class AccuseLu:
    type: str
    id_flux: str
    id_client: str
    ok: bool
    message: str
    lignes: list[LigneAccuse]


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _enfants(element: Any, nom: str) -> list[Any]:
    return [e for e in element if _local(e) == nom]


def _texte(element: Any, nom: str, *, obligatoire: bool, contexte: str) -> str:
    trouves = _enfants(element, nom)
    if len(trouves) > 1:
        raise AccuseRefuse(f"{contexte} : l'élément {nom} apparaît {len(trouves)} fois.")
    valeur = (trouves[0].text or "").strip() if trouves else ""
    if obligatoire and not valeur:
        raise AccuseRefuse(f"{contexte} : l'élément {nom} manque ou est vide.")
    return valeur


def _statut(element: Any, contexte: str) -> bool:
    valeur = _texte(element, "statut", obligatoire=True, contexte=contexte).upper()
    if valeur not in ("OK", "KO"):
        raise AccuseRefuse(f"{contexte} : statut « {valeur[:20]} » inconnu (OK ou KO attendu).")
    return valeur == "OK"


def lire(contenu: bytes) -> AccuseLu:
    """Parse an acknowledgement; every refusal names what is wrong."""
    if not contenu.strip():
        raise AccuseRefuse("Le fichier est vide.")
    if len(contenu) > TAILLE_MAX_ACCUSE:
        raise AccuseRefuse("Le fichier dépasse 50 Mo : ce n'est pas un accusé de la CDC.")
    analyseur = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        racine = etree.fromstring(contenu, analyseur)
    except etree.XMLSyntaxError as erreur:
        raise AccuseRefuse(f"Le fichier n'est pas un XML bien formé ({erreur}).") from erreur
    type_accuse = RACINES.get(_local(racine))
    if type_accuse is None:
        raise AccuseRefuse(
            f"Élément racine « {_local(racine)[:50]} » inattendu : accuseReception ou accuseTraitement attendu."
        )
    contexte = "Accusé"
    id_flux = _texte(racine, "idFlux", obligatoire=True, contexte=contexte)
    id_client = _texte(racine, "idClient", obligatoire=True, contexte=contexte)
    if type_accuse == TypeAccuse.RECEPTION:
        ok = _statut(racine, contexte)
        message = _texte(racine, "message", obligatoire=False, contexte=contexte)
        return AccuseLu(type_accuse, id_flux, id_client, ok, message, [])
    lignes: list[LigneAccuse] = []
    vus: set[str] = set()
    for rang, element in enumerate(_enfants(racine, "passage"), start=1):
        ctx = f"Passage n° {rang}"
        id_technique = _texte(element, "idTechnique", obligatoire=True, contexte=ctx)
        if id_technique in vus:
            raise AccuseRefuse(f"{ctx} : idTechnique {id_technique[:60]} figure deux fois dans l'accusé.")
        vus.add(id_technique)
        ok = _statut(element, ctx)
        message = _texte(element, "message", obligatoire=False, contexte=ctx)
        lignes.append(LigneAccuse(id_technique, ok, message if message or ok else MESSAGE_KO_VIDE))
    if not lignes:
        raise AccuseRefuse("L'accusé de traitement ne liste aucun passage (éléments passage attendus).")
    return AccuseLu(type_accuse, id_flux, id_client, True, "", lignes)


def appliquer(*, acteur: User, contenu: bytes, nom_fichier: str) -> Accuse:
    """Read the file, check it belongs to one of our lots, apply every line, or change nothing."""
    exiger_equipe(acteur)
    lu = lire(contenu)
    maintenant = timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_for_update().filter(id_flux=lu.id_flux).first()
        if lot is None:
            raise AccuseRefuse(
                f"Aucun fichier envoyé n'a l'idFlux « {lu.id_flux[:60]} » : cet accusé concerne un autre flux."
            )
        if lu.id_client != lot.id_client_certificateur:
            raise AccuseRefuse(
                f"L'accusé est adressé au client CDC « {lu.id_client[:20]} », le fichier {lot.id_flux} a été "
                f"envoyé pour « {lot.id_client_certificateur} » : il concerne un autre certificateur."
            )
        accuse = Accuse(
            lot=lot,
            type=lu.type,
            contenu=contenu,
            nom_fichier=nom_fichier[:200],
            empreinte_sha256=hashlib.sha256(contenu).hexdigest(),
            depose_par=acteur,
        )
        if lu.type == TypeAccuse.RECEPTION:
            _reception(lot, lu, maintenant)
        else:
            accuse.acceptes, accuse.rejetes = _traitement(lot, lu, maintenant)
        accuse.save()
        enregistrer(
            action="accrochage.accuse_reception" if lu.type == TypeAccuse.RECEPTION else "accrochage.accuse_traitement",
            acteur=acteur,
            objet=lot,
            resume=_resume(lot, lu, accuse),
            apres={"sha256": accuse.empreinte_sha256, "acceptes": accuse.acceptes, "rejetes": accuse.rejetes},
        )
    return accuse


def _resume(lot: Lot, lu: AccuseLu, accuse: Accuse) -> str:
    if lu.type == TypeAccuse.RECEPTION:
        etat = "fichier reçu" if lu.ok else f"fichier refusé ({lu.message[:150] or 'sans motif'})"
        return f"Accusé de réception du lot {lot.id_flux} : {etat}."
    if lot.est_retrait:
        return (
            f"Accusé de traitement du retrait {lot.id_flux} : {accuse.acceptes} retiré(s), "
            f"{accuse.rejetes} retrait(s) refusé(s)."
        )
    return f"Accusé de traitement du lot {lot.id_flux} : {accuse.acceptes} accepté(s), {accuse.rejetes} rejeté(s)."


def _reception(lot: Lot, lu: AccuseLu, maintenant: Any) -> None:
    lot.accuse_reception_le = maintenant
    lot.refuse_par_cdc = "" if lu.ok else (lu.message or "Fichier refusé par la CDC (sans motif).")
    lot.save(update_fields=["accuse_reception_le", "refuse_par_cdc"])
    if not lu.ok:
        # The file was not taken: its passages go back to where they were, with the same idTechnique
        # (to be sent; or, for a withdrawal, still accepted and to be withdrawn).
        envoye, avant = (
            (EtatCDC.RETRAIT_ENVOYE, EtatCDC.ACCEPTE) if lot.est_retrait else (EtatCDC.ENVOYE, EtatCDC.A_ENVOYER)
        )
        PassageCDC.objects.filter(dernier_lot=lot, etat=envoye).update(
            etat=avant, etat_le=maintenant, message_cdc=lot.refuse_par_cdc
        )


def _traitement(lot: Lot, lu: AccuseLu, maintenant: Any) -> tuple[int, int]:
    ids = [ligne.id_technique for ligne in lu.lignes]
    passages: dict[str, PassageCDC] = {}
    for debut in range(0, len(ids), 2000):
        tranche = ids[debut : debut + 2000]
        for passage in PassageCDC.objects.select_for_update().filter(lots=lot, id_technique__in=tranche):
            passages[passage.id_technique] = passage
    inconnus = [i for i in ids if i not in passages]
    if inconnus:
        exemples = ", ".join(i[:60] for i in inconnus[:3])
        raise AccuseRefuse(
            f"{len(inconnus)} idTechnique de l'accusé ne figure{'nt' if len(inconnus) > 1 else ''} pas dans le fichier "
            f"{lot.id_flux} ({exemples}{'…' if len(inconnus) > 3 else ''}) : aucun passage n'a été modifié."
        )
    aujourd_hui = timezone.localdate(maintenant)
    acceptes, rejetes = 0, 0
    for ligne in lu.lignes:
        passage = passages[ligne.id_technique]
        if lot.est_retrait:
            if passage.dernier_lot_id == lot.pk and passage.etat == EtatCDC.RETRAIT_ENVOYE:
                _retrait(passage, ligne, maintenant)
                if ligne.ok:
                    acceptes += 1
                else:
                    rejetes += 1
            continue
        if passage.dernier_lot_id != lot.pk or passage.etat == EtatCDC.ACCEPTE:
            # Resent since in a newer file, or already accepted: that answer decides, not this one.
            continue
        if ligne.ok:
            passage.etat, passage.message_cdc, passage.nir_chiffre = EtatCDC.ACCEPTE, "", ""
            acceptes += 1
        else:
            passage.etat, passage.message_cdc, passage.rejete_le = EtatCDC.REJETE, ligne.message[:2000], aujourd_hui
            rejetes += 1
        passage.etat_le = maintenant
        passage.save(update_fields=["etat", "message_cdc", "rejete_le", "nir_chiffre", "etat_le"])
    lot.accuse_traitement_le = maintenant
    lot.save(update_fields=["accuse_traitement_le"])
    return acceptes, rejetes


def _retrait(passage: PassageCDC, ligne: LigneAccuse, maintenant: Any) -> None:
    """OK: the CDC no longer lists the holder (final). KO: still listed, offered for withdrawal again."""
    if ligne.ok:
        passage.etat, passage.message_cdc = EtatCDC.RETIRE, ""
    else:
        passage.etat, passage.message_cdc = EtatCDC.RETRAIT_REJETE, ligne.message[:2000]
    passage.etat_le = maintenant
    passage.save(update_fields=["etat", "message_cdc", "etat_le"])
