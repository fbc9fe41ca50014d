"""Writing to and checking the audit journal. Every service that changes state calls ``enregistrer``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import HASH_INITIAL, EntreeJournal, TeteJournal

if TYPE_CHECKING:
    # The journal sits below the accounts app: the user type is needed by annotations only.
    from parchemin.comptes.models import User

Acteur: TypeAlias = "User | AnonymousUser | None"

ACTEUR_SYSTEME = "Système"


def _json_safe(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Round-trip through JSON so the hash is computed on exactly what the database will return."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def enregistrer(
    *,
    action: str,
    acteur: Acteur = None,
    objet: models.Model | None = None,
    resume: str = "",
    avant: dict[str, Any] | None = None,
    apres: dict[str, Any] | None = None,
) -> EntreeJournal:
    """Append one entry. Must run inside the caller's transaction so the entry and the change it
    describes are committed together or not at all."""
    acteur_reel = acteur if acteur is not None and acteur.is_authenticated else None
    with transaction.atomic():
        tete, _ = TeteJournal.objects.select_for_update().get_or_create(pk=1)
        entree = EntreeJournal(
            sequence=tete.derniere_sequence + 1,
            horodatage=timezone.now(),
            acteur=acteur_reel,
            acteur_libelle=str(acteur_reel) if acteur_reel is not None else ACTEUR_SYSTEME,
            action=action,
            objet_type=objet._meta.label_lower if objet is not None else "",
            objet_id=str(objet.pk) if objet is not None else "",
            objet_libelle=str(objet)[:255] if objet is not None else "",
            resume=resume,
            avant=_json_safe(avant),
            apres=_json_safe(apres),
            hash_precedent=tete.dernier_hash,
        )
        entree.hash = entree.calculer_hash()
        entree.save(force_insert=True)
        TeteJournal.objects.filter(pk=1).update(derniere_sequence=entree.sequence, dernier_hash=entree.hash)
    return entree


@dataclass(frozen=True)
class Rupture:
    sequence: int
    raison: str


def _par_ordre() -> Iterator[EntreeJournal]:
    return EntreeJournal.objects.order_by("sequence").iterator(chunk_size=2000)


def verifier_chaine() -> tuple[int, Rupture | None]:
    """Walk the whole chain; return the number of entries checked and the first break, if any."""
    precedent = HASH_INITIAL
    attendu = 1
    compte = 0
    for entree in _par_ordre():
        if entree.sequence != attendu:
            return compte, Rupture(attendu, f"l'entrée n°{attendu} manque (suivante trouvée : n°{entree.sequence})")
        if entree.hash_precedent != precedent:
            return compte, Rupture(entree.sequence, "l'empreinte précédente ne correspond pas à l'entrée d'avant")
        if entree.calculer_hash() != entree.hash:
            return compte, Rupture(entree.sequence, "le contenu ne correspond plus à son empreinte (entrée modifiée)")
        precedent = entree.hash
        attendu += 1
        compte += 1
    tete = TeteJournal.objects.filter(pk=1).first()
    if tete is not None and (tete.derniere_sequence != compte or tete.dernier_hash != precedent):
        return compte, Rupture(compte + 1, "des entrées ont été supprimées en fin de journal")
    return compte, None
