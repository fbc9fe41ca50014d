"""Retention of candidates' personal data: what is purged, when, and in which order.

Three kinds of closed files (durations in ``settings``, see docs/candidatures.md, "Conservation"):

* decided by a jury: working files (pieces, grid comments) go once the appeal window and the archive
  period are over; the identity, the decision and the signed PV stay (they prove the certificate);
* not admissible or withdrawn: pieces go and the personal fields are anonymised earlier; the
  statistical fields (certification, route, year, state, dates, diploma level, partner) stay;
* drafts and incomplete files left untouched: closed (withdrawn) and anonymised the same way.

Each candidate is purged in its own transaction, re-checked under a row lock. Rows are deleted first,
files after the commit: a failed storage deletion leaves an unreferenced file, which the orphan sweep
of the next run deletes. A row never points to a missing file. Nothing left to purge means nothing
is written, so running twice is harmless.

The jury's records about a candidate (decisions, grid comments) belong to ``jurys``, which sits above
this app: ``jurys`` hands its part of the policy over from its ``AppConfig.ready()`` through
``brancher_archives_jury`` (the ``ArchivesJury`` protocol below), so this module never imports it and
the candidate's purge stays one transaction.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from parchemin.dates import ajouter_mois
from parchemin.journal.services import enregistrer

from .enums import EtatCandidature
from .models import Candidature, Piece

logger = logging.getLogger(__name__)

DOSSIER_PIECES = "candidatures"
AGE_MIN_ORPHELIN = datetime.timedelta(days=1)

DECIDEE = "decidee"
NON_ADMISE = "non_admise"
BROUILLON_ABANDONNE = "brouillon_abandonne"

# Personal fields blanked on anonymisation, with the value they get.
CHAMPS_ANONYMISES: dict[str, Any] = {
    "nom_naissance": "",
    "nom_usage": "",
    "prenom1": "",
    "prenom2": "",
    "prenom3": "",
    "sexe": "",
    "date_naissance": None,
    "code_commune_naissance": "",
    "commune_naissance": "",
    "code_pays_naissance": "",
    "pays_naissance": "",
    "email": "",
    "telephone": "",
    "adresse": "",
    "code_postal": "",
    "ville": "",
    "annees_experience": None,
    "cv": "",
    "employeur_nom": "",
    "employeur_siret": "",
    "motif_decision": "",
    "pieces_manquantes": "",
}
# A granted derogation must keep a reason (database constraint): its text is replaced, not blanked.
MOTIF_DEROGATION_EFFACE = "Motif effacé (durée de conservation écoulée)."


class ArchivesJury(Protocol):
    """What the policy reads and erases in the jury's records about one candidate."""

    def a_une_decision(self, candidature_id: int) -> bool: ...

    def date_derniere_decision(self, candidature_id: int) -> datetime.datetime | None: ...

    def commentaires_a_effacer(self, candidature_id: int) -> list[int]: ...

    def effacer_commentaires(self, candidature_id: int) -> list[int]: ...


class _SansJury:
    """Until an app that keeps jury records plugs in: nobody has been decided by a jury."""

    def a_une_decision(self, candidature_id: int) -> bool:
        return False

    def date_derniere_decision(self, candidature_id: int) -> datetime.datetime | None:
        return None

    def commentaires_a_effacer(self, candidature_id: int) -> list[int]:
        return []

    def effacer_commentaires(self, candidature_id: int) -> list[int]:
        return []


_archives_jury: ArchivesJury = _SansJury()


def brancher_archives_jury(archives: ArchivesJury) -> None:
    """Called once by ``jurys`` when the apps are ready."""
    global _archives_jury
    _archives_jury = archives


@dataclass(frozen=True)
class Durees:
    recours_mois: int
    archive_mois: int
    non_admis_mois: int
    brouillon_mois: int

    @classmethod
    def depuis_settings(cls) -> Durees:
        return cls(
            recours_mois=settings.CONSERVATION_RECOURS_MOIS,
            archive_mois=settings.CONSERVATION_ARCHIVE_MOIS,
            non_admis_mois=settings.CONSERVATION_NON_ADMIS_MOIS,
            brouillon_mois=settings.CONSERVATION_BROUILLON_MOIS,
        )


@dataclass
class Purge:
    """What the policy removes from one application (ids and storage names only, no personal data)."""

    candidature_id: int
    categorie: str
    echeance: datetime.date
    pieces: list[int] = field(default_factory=list)
    fichiers: list[str] = field(default_factory=list)
    evaluations: list[int] = field(default_factory=list)
    anonymiser: bool = False
    clore: bool = False

    @property
    def vide(self) -> bool:
        return not (self.pieces or self.evaluations or self.anonymiser or self.clore)

    def en_json(self) -> dict[str, Any]:
        return {
            "categorie": self.categorie,
            "echeance": self.echeance.isoformat(),
            "pieces_supprimees": self.pieces,
            "fichiers_supprimes": self.fichiers,
            "commentaires_effaces": self.evaluations,
            "anonymisee": self.anonymiser,
            "close": self.clore,
        }


@dataclass
class Bilan:
    purges: list[Purge] = field(default_factory=list)
    orphelins: list[str] = field(default_factory=list)

    @property
    def vide(self) -> bool:
        return not self.purges and not self.orphelins


def stockage_pieces() -> Storage:
    return Piece._meta.get_field("fichier").storage


def _jour(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _derniere_activite(candidature: Candidature) -> datetime.date:
    derniere_piece = candidature.pieces.aggregate(d=Max("deposee_le"))["d"]
    moments = [m for m in (candidature.modifiee_le, derniere_piece) if m is not None]
    return _jour(max(moments))


def _a_des_donnees_personnelles(candidature: Candidature) -> bool:
    if any(getattr(candidature, nom) != vide for nom, vide in CHAMPS_ANONYMISES.items()):
        return True
    return candidature.derogation_prerequis and candidature.derogation_motif != MOTIF_DEROGATION_EFFACE


def categorie_et_echeance(candidature: Candidature, durees: Durees) -> tuple[str, datetime.date] | None:
    """The kind of closed file and the first day its data may be purged; None for a live file.

    A candidate who appears with a decision on a jury's record is treated as decided, whatever
    happened next: the PV names them, so their identity stays with it."""
    if candidature.etat == EtatCandidature.DECIDEE or _archives_jury.a_une_decision(candidature.pk):
        decidee_le = _archives_jury.date_derniere_decision(candidature.pk) or candidature.modifiee_le
        return DECIDEE, ajouter_mois(_jour(decidee_le), durees.recours_mois + durees.archive_mois)
    if candidature.etat == EtatCandidature.NON_RECEVABLE:
        close_le = candidature.decision_le or candidature.modifiee_le
        return NON_ADMISE, ajouter_mois(_jour(close_le), durees.non_admis_mois)
    if candidature.etat == EtatCandidature.ABANDONNEE:
        # The withdrawal is the last change a closed file receives (nothing edits it afterwards).
        return NON_ADMISE, ajouter_mois(_jour(candidature.modifiee_le), durees.non_admis_mois)
    if candidature.etat in (EtatCandidature.BROUILLON, EtatCandidature.INCOMPLETE):
        return BROUILLON_ABANDONNE, ajouter_mois(_derniere_activite(candidature), durees.brouillon_mois)
    return None


def evaluer(candidature: Candidature, aujourd_hui: datetime.date, durees: Durees) -> Purge | None:
    """What is due for purge on this application today (None if nothing is)."""
    resultat = categorie_et_echeance(candidature, durees)
    if resultat is None:
        return None
    categorie, echeance = resultat
    if aujourd_hui < echeance:
        return None
    pieces = list(candidature.pieces.order_by("pk").values_list("pk", "fichier"))
    purge = Purge(
        candidature_id=candidature.pk,
        categorie=categorie,
        echeance=echeance,
        pieces=[pk for pk, _ in pieces],
        fichiers=[nom for _, nom in pieces if nom],
        evaluations=_archives_jury.commentaires_a_effacer(candidature.pk),
    )
    if categorie != DECIDEE:
        purge.anonymiser = _a_des_donnees_personnelles(candidature)
        purge.clore = categorie == BROUILLON_ABANDONNE
    return None if purge.vide else purge


def _candidates() -> Any:
    """Applications that may hold something to purge: a prefilter, ``evaluer`` decides."""
    closes = Q(etat__in=[EtatCandidature.NON_RECEVABLE, EtatCandidature.ABANDONNEE, EtatCandidature.DECIDEE])
    brouillons = Q(etat__in=[EtatCandidature.BROUILLON, EtatCandidature.INCOMPLETE])
    decidees_ailleurs = Q(passages__decision__gt="")
    return Candidature.objects.filter(closes | brouillons | decidees_ailleurs).distinct().order_by("pk")


def a_purger(aujourd_hui: datetime.date, durees: Durees | None = None) -> list[Purge]:
    """Everything due today, computed without writing anything (the simulation shows this)."""
    durees = durees or Durees.depuis_settings()
    purges = []
    for candidature in _candidates().iterator(chunk_size=500):
        purge = evaluer(candidature, aujourd_hui, durees)
        if purge is not None:
            purges.append(purge)
    return purges


def _supprimer_fichiers(noms: list[str]) -> None:
    """After the commit: a failure is logged, the file is then an orphan the next sweep removes."""
    stockage = stockage_pieces()
    for nom in noms:
        try:
            stockage.delete(nom)
        except Exception:
            logger.exception("Conservation : fichier %s non supprimé, il sera repris au prochain passage", nom)


def _anonymiser(candidature: Candidature) -> list[str]:
    champs = []
    for nom, vide in CHAMPS_ANONYMISES.items():
        if getattr(candidature, nom) != vide:
            setattr(candidature, nom, vide)
            champs.append(nom)
    if candidature.derogation_prerequis and candidature.derogation_motif != MOTIF_DEROGATION_EFFACE:
        candidature.derogation_motif = MOTIF_DEROGATION_EFFACE
        champs.append("derogation_motif")
    return champs


def purger_candidature(candidature_id: int, aujourd_hui: datetime.date, durees: Durees | None = None) -> Purge | None:
    """Purge one application if something is due: one transaction, re-evaluated under the row lock."""
    durees = durees or Durees.depuis_settings()
    with transaction.atomic():
        candidature = Candidature.objects.select_for_update().get(pk=candidature_id)
        purge = evaluer(candidature, aujourd_hui, durees)
        if purge is None:
            return None
        etat_avant = candidature.etat
        Piece.objects.filter(pk__in=purge.pieces).delete()
        _archives_jury.effacer_commentaires(candidature.pk)
        champs: list[str] = []
        if purge.anonymiser or purge.clore:
            if purge.clore:
                candidature.retirer()
            champs = _anonymiser(candidature)
            candidature.save()
        enregistrer(
            action="candidatures.purge_conservation",
            objet=candidature,
            resume=(
                f"Durée de conservation écoulée le {purge.echeance:%d/%m/%Y} : {len(purge.pieces)} pièce(s) "
                f"supprimée(s), {len(purge.evaluations)} commentaire(s) de grille effacé(s)"
                + (f", {len(champs)} champ(s) personnel(s) anonymisé(s)" if champs else "")
                + (", dossier clos (inactif)" if purge.clore else "")
                + "."
            ),
            avant={"etat": etat_avant},
            apres={"etat": candidature.etat, "champs_anonymises": champs, **purge.en_json()},
        )
        fichiers = list(purge.fichiers)
        transaction.on_commit(lambda: _supprimer_fichiers(fichiers))
    return purge


def fichiers_orphelins(maintenant: datetime.datetime) -> list[str]:
    """Files under the pieces' folder that no row references, older than a day (a younger one may
    belong to an upload whose row is not committed yet)."""
    stockage = stockage_pieces()
    references = set(Piece.objects.values_list("fichier", flat=True))
    limite = maintenant - AGE_MIN_ORPHELIN
    orphelins = []
    for nom in _lister(stockage, DOSSIER_PIECES):
        if nom in references:
            continue
        try:
            modifie_le = stockage.get_modified_time(nom)
        except (FileNotFoundError, NotImplementedError):
            continue
        if modifie_le <= limite:
            orphelins.append(nom)
    return sorted(orphelins)


def _lister(stockage: Storage, dossier: str) -> list[str]:
    try:
        sous_dossiers, fichiers = stockage.listdir(dossier)
    except FileNotFoundError:
        return []
    noms = [f"{dossier}/{nom}" for nom in fichiers]
    for sous_dossier in sous_dossiers:
        noms.extend(_lister(stockage, f"{dossier}/{sous_dossier}"))
    return noms


def purger(
    aujourd_hui: datetime.date | None = None,
    maintenant: datetime.datetime | None = None,
    durees: Durees | None = None,
) -> Bilan:
    """The daily run: every due application, then the orphan sweep, then one summary entry."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    maintenant = maintenant or timezone.now()
    durees = durees or Durees.depuis_settings()
    bilan = Bilan()
    for prevue in a_purger(aujourd_hui, durees):
        faite = purger_candidature(prevue.candidature_id, aujourd_hui, durees)
        if faite is not None:
            bilan.purges.append(faite)
    # The sweep reads the rows after the purges committed: their files are no longer referenced.
    bilan.orphelins = fichiers_orphelins(maintenant)
    _supprimer_fichiers(bilan.orphelins)
    if not bilan.vide:
        enregistrer(
            action="conservation.purge",
            resume=(
                f"Purge des données personnelles au {aujourd_hui:%d/%m/%Y} : {len(bilan.purges)} candidature(s), "
                f"{sum(len(p.pieces) for p in bilan.purges)} pièce(s), "
                f"{len(bilan.orphelins)} fichier(s) orphelin(s)."
            ),
            apres={
                "date": aujourd_hui.isoformat(),
                "candidatures": [p.candidature_id for p in bilan.purges],
                "fichiers_orphelins": bilan.orphelins,
            },
        )
    return bilan
