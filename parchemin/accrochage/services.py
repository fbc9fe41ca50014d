"""Business actions of the accrochage: identifiers, census of delivered passages, export.

Each action is one transaction with its journal entry; the export writes and validates its files
before touching the database, so a file that fails a schema leaves every passage as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from lxml import etree

from parchemin.candidatures.services import modifier_dossier
from parchemin.comptes.roles import est_administrateur, exiger_equipe
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.jurys.enums import Decision
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from parchemin.parchemins.services import url_verification

from . import flux, nir
from .donnees import Enregistrement, Identite, preparer
from .enums import ETATS_A_EXPORTER, ETATS_A_RETIRER, ETATS_PAR_DEFAUT, ActionFlux, EtatCDC, VersionFlux
from .models import ConfigurationCDC, Lot, PassageCDC

if TYPE_CHECKING:
    from parchemin.comptes.models import User

TAILLE_MAX_XSD = 2 * 1024 * 1024
XSD_NS = "http://www.w3.org/2001/XMLSchema"
TAILLE_LOT_REQUETE = 2000
MESSAGE_RETRAIT_1_1_2 = (
    "Le retrait de titulaires déjà acceptés (action SUPPRESSION) n'existe qu'en version 1.1.5 du flux : un "
    "administrateur peut choisir cette version dans les identifiants CDC, une fois le kit 1.1.5 de la CDC vérifié."
)


def configuration() -> ConfigurationCDC | None:
    return ConfigurationCDC.objects.filter(pk=1).first()


# --- Identifiers --------------------------------------------------------------------------------


def verifier_xsd_officiel(contenu: bytes, nom: str) -> etree.XMLSchema:
    """The file an administrator gives as the CDC's XSD, checked by what it is, not by its name."""
    if len(contenu) > TAILLE_MAX_XSD:
        raise ErreurMetier(f"« {nom} » dépasse 2 Mo : ce n'est pas le XSD du kit de la CDC.")
    analyseur = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        racine = etree.fromstring(contenu, analyseur)
    except etree.XMLSyntaxError as erreur:
        raise ErreurMetier(f"« {nom} » n'est pas un fichier XML lisible ({erreur}).") from erreur
    if racine.tag != f"{{{XSD_NS}}}schema":
        raise ErreurMetier(f"« {nom} » est un fichier XML, mais pas un schéma XSD (élément racine xs:schema attendu).")
    if racine.get("targetNamespace") != flux.NS:
        raise ErreurMetier(f"« {nom} » ne décrit pas le flux d'accrochage : son espace de noms doit être {flux.NS}.")
    try:
        return etree.XMLSchema(racine)
    except etree.XMLSchemaParseError as erreur:
        raise ErreurMetier(
            f"« {nom} » ne se compile pas comme schéma XSD ({erreur}). S'il importe d'autres fichiers du kit, "
            "chargez la version autonome du schéma."
        ) from erreur


def enregistrer_configuration(
    *,
    acteur: User,
    id_client_emetteur: str,
    id_client_certificateur: str,
    id_contrat: str,
    version_flux: str,
    xsd: tuple[str, bytes] | None = None,
    retirer_xsd: bool = False,
) -> ConfigurationCDC:
    if not est_administrateur(acteur):
        raise AccesRefuse("Seul un administrateur peut modifier les identifiants CDC du certificateur.")
    with transaction.atomic():
        existante = ConfigurationCDC.objects.select_for_update().filter(pk=1).first()
        config = existante or ConfigurationCDC(pk=1)
        avant = _resume_config(existante) if existante else {}
        config.id_client_emetteur = id_client_emetteur
        config.id_client_certificateur = id_client_certificateur
        config.id_contrat = id_contrat
        config.version_flux = version_flux
        if retirer_xsd:
            config.xsd_officiel, config.xsd_officiel_nom, config.xsd_officiel_sha256 = b"", "", ""
        if xsd is not None:
            nom, contenu = xsd
            verifier_xsd_officiel(contenu, nom)
            config.xsd_officiel = contenu
            config.xsd_officiel_nom = nom[:200]
            config.xsd_officiel_sha256 = hashlib.sha256(contenu).hexdigest()
        config.full_clean()
        config.save()
        enregistrer(
            action="accrochage.configurer",
            acteur=acteur,
            objet=config,
            resume="Identifiants CDC du certificateur enregistrés.",
            avant=avant,
            apres=_resume_config(config),
        )
    return config


def _resume_config(config: ConfigurationCDC) -> dict[str, Any]:
    return {
        "id_client_emetteur": config.id_client_emetteur,
        "id_client_certificateur": config.id_client_certificateur,
        "id_contrat": config.id_contrat,
        "version_flux": config.version_flux,
        "xsd_officiel_sha256": config.xsd_officiel_sha256,
    }


def schema_officiel(config: ConfigurationCDC) -> etree.XMLSchema | None:
    if not config.xsd_officiel:
        return None
    return verifier_xsd_officiel(bytes(config.xsd_officiel), config.xsd_officiel_nom or "XSD officiel")


# --- Census -------------------------------------------------------------------------------------


def id_technique_pour(parchemin: Parchemin) -> str:
    """Stable for good: the certificate number never changes, and a resent record keeps it."""
    return f"PARCHEMIN-{parchemin.numero}"


def recenser() -> int:
    """One PassageCDC for each delivered full certification that has none yet; returns how many.

    Partial validations are not holders: the format's dictionary says how to report them, and
    until that is checked they are not sent (docs/accrochage.md)."""
    nouveaux = (
        Parchemin.objects.filter(
            decision=Decision.VALIDATION_TOTALE, statut=StatutParchemin.EMIS, passage_cdc__isnull=True
        )
        .annotate(premiere_emission=Min("attestations__emise_le"))
        .order_by("pk")
    )
    crees = 0
    for lot in _par_paquets(nouveaux):
        with transaction.atomic():
            PassageCDC.objects.bulk_create(
                [
                    PassageCDC(
                        parchemin=p,
                        id_technique=id_technique_pour(p),
                        livre_le=timezone.localdate(p.premiere_emission or p.date_decision),
                    )
                    for p in lot
                ],
                ignore_conflicts=True,
            )
        crees += len(lot)
    return crees


def _par_paquets(qs: QuerySet[Any]) -> Iterator[list[Any]]:
    paquet: list[Any] = []
    for objet in qs.iterator(chunk_size=TAILLE_LOT_REQUETE):
        paquet.append(objet)
        if len(paquet) >= TAILLE_LOT_REQUETE:
            yield paquet
            paquet = []
    if paquet:
        yield paquet


# --- Export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retenue:
    passage: PassageCDC
    raisons: list[str]


@dataclass
class ResultatExport:
    lots: list[Lot] = field(default_factory=list)
    retenues: list[Retenue] = field(default_factory=list)


def selection_par_defaut() -> QuerySet[PassageCDC]:
    """Every delivered passage the CDC has not accepted, except the rejected ones whose identity has
    not been corrected since (``renvoyer_apres_correction``); an accepted one is never sent again."""
    return selection_creation().filter(etat__in=ETATS_PAR_DEFAUT)


def selection_creation() -> QuerySet[PassageCDC]:
    """What a creation file may carry when passages are chosen one by one: rejected ones included."""
    return PassageCDC.objects.filter(
        etat__in=ETATS_A_EXPORTER,
        parchemin__statut=StatutParchemin.EMIS,
        parchemin__decision=Decision.VALIDATION_TOTALE,
    )


def corriger_titulaire(passage: PassageCDC, champs: dict[str, Any], *, acteur: User) -> PassageCDC:
    """The holder's identity as staff saved it on « Corriger l'identité »: the changed fields go to the
    application file (its own service and journal entry), and a rejected passage leaves again, in the
    same transaction. Saved unchanged, it means "checked, it is right": a rejection the CDC should not
    have made is sent again as it was."""
    with transaction.atomic():
        if champs:
            modifier_dossier(passage.parchemin.candidature, acteur=acteur, champs=champs)
        return renvoyer_apres_correction(passage, acteur=acteur)


def renvoyer_apres_correction(passage: PassageCDC, *, acteur: User) -> PassageCDC:
    """A rejected passage whose holder's identity was corrected (or checked and found right) goes back
    to « à envoyer »: it leaves in the next file, with the same idTechnique. The CDC's message and the
    date of the rejection stay on the passage; the journal says who sent it back."""
    exiger_equipe(acteur)
    with transaction.atomic():
        passage = PassageCDC.objects.select_for_update().get(pk=passage.pk)
        if passage.etat != EtatCDC.REJETE:
            return passage
        passage.etat, passage.etat_le = EtatCDC.A_ENVOYER, timezone.now()
        passage.save(update_fields=["etat", "etat_le"])
        enregistrer(
            action="accrochage.renvoyer",
            acteur=acteur,
            objet=passage,
            resume=f"Passage {passage.id_technique} corrigé après le rejet de la CDC : il repart au prochain export.",
            avant={"etat": EtatCDC.REJETE},
            apres={"etat": EtatCDC.A_ENVOYER},
        )
    return passage


def selection_a_retirer() -> QuerySet[PassageCDC]:
    """Accepted by the CDC while the certificate no longer stands: revoked, or no longer a full
    certification after an amended decision (the CDC lists holders only)."""
    return PassageCDC.objects.filter(etat__in=ETATS_A_RETIRER).filter(
        Q(parchemin__statut=StatutParchemin.REVOQUE) | ~Q(parchemin__decision=Decision.VALIDATION_TOTALE)
    )


def selection_pour(action: str, *, explicite: bool = False) -> QuerySet[PassageCDC]:
    if action == ActionFlux.SUPPRESSION:
        return selection_a_retirer()
    return selection_creation() if explicite else selection_par_defaut()


def identite_de(candidature: Any) -> Identite:
    return Identite(
        nom_naissance=candidature.nom_naissance,
        nom_usage=candidature.nom_usage,
        prenom1=candidature.prenom1,
        prenom2=candidature.prenom2,
        prenom3=candidature.prenom3,
        sexe=candidature.sexe,
        date_naissance=candidature.date_naissance,
        code_commune_naissance=candidature.code_commune_naissance,
        commune_naissance=candidature.commune_naissance,
        code_pays_naissance=candidature.code_pays_naissance,
        pays_naissance=candidature.pays_naissance,
    )


# Any code of the alphabet: the verification URL is reversed once per export, then the code replaced.
CODE_MODELE = "ZZZZZZZZ"


def url_preuve(code: str, modele: str | None = None) -> str:
    return (modele or url_verification(CODE_MODELE)).replace(CODE_MODELE, code)


def preparer_passage(
    passage: PassageCDC, version: str, modele_url: str | None = None
) -> tuple[Enregistrement | None, list[str]]:
    parchemin = passage.parchemin
    candidature = parchemin.candidature
    return preparer(
        identite_de(candidature),
        id_technique=passage.id_technique,
        url_preuve=url_preuve(parchemin.code_verification, modele_url),
        date_debut_validite=timezone.localdate(parchemin.date_decision),
        voie=candidature.voie,
        nir=nir.pour_export(passage, version),
    )


# The columns a record is built from: an application has some forty, and building every one into a
# model for each of 200,000 rows was the export's largest avoidable cost (bench/bench_accrochage.py).
COLONNES_EXPORT = (
    "id_technique",
    "nir_chiffre",
    "parchemin__code_verification",
    "parchemin__date_decision",
    *(f"parchemin__candidature__{champ.name}" for champ in fields(Identite)),
    "parchemin__candidature__voie",
    "parchemin__candidature__certification__registre",
    "parchemin__candidature__certification__code",
)


def _requete_export(qs: QuerySet[PassageCDC]) -> QuerySet[PassageCDC]:
    return (
        qs.select_related("parchemin__candidature__certification")
        .only(*COLONNES_EXPORT)
        .order_by("parchemin__candidature__certification__code", "pk")
    )


def retenues(qs: QuerySet[PassageCDC] | None = None, version: str = VersionFlux.V1_1_2) -> list[Retenue]:
    """Passages the format cannot carry as the holder's data stands, with every reason."""
    resultat = []
    modele = url_verification(CODE_MODELE)
    for passage in _requete_export(qs if qs is not None else selection_par_defaut()).iterator(chunk_size=2000):
        enregistrement, raisons = preparer_passage(passage, version, modele)
        if enregistrement is None:
            resultat.append(Retenue(passage, raisons))
    return resultat


def exporter(
    *,
    acteur: User,
    passages: QuerySet[PassageCDC] | None = None,
    maintenant: datetime.datetime | None = None,
    max_passages: int = flux.MAX_PASSAGES_PAR_FICHIER,
    action: str = ActionFlux.CREATION,
) -> ResultatExport:
    """Write, validate and store the flux files of the selection; mark their passages as sent.

    ``action`` SUPPRESSION (flux 1.1.5 only) withdraws accepted passages whose certificate was
    revoked since: the same records, with their idTechnique, in files of their own (one action per
    file). A passage is in one pending file at a time: its state says which."""
    exiger_equipe(acteur)
    config = configuration()
    if config is None:
        raise ErreurMetier(
            "Les identifiants CDC du certificateur ne sont pas renseignés : un administrateur doit les saisir "
            "avant le premier export."
        )
    if action == ActionFlux.SUPPRESSION and config.version_flux != VersionFlux.V1_1_5:
        raise ErreurMetier(MESSAGE_RETRAIT_1_1_2)
    maintenant = maintenant or timezone.now()
    recenser()
    officiel = schema_officiel(config)
    # An explicit selection is narrowed to what the action may carry (never an accepted passage in a
    # creation, never a standing certificate in a withdrawal).
    selection = selection_pour(action, explicite=passages is not None)
    if passages is not None:
        selection = selection.filter(pk__in=passages.values("pk"))
    resultat = ResultatExport()
    modele = url_verification(CODE_MODELE)

    def enregistrements() -> Iterator[tuple[flux.Certification, Enregistrement]]:
        for passage in _requete_export(selection).iterator(chunk_size=TAILLE_LOT_REQUETE):
            enregistrement, raisons = preparer_passage(passage, config.version_flux, modele)
            if enregistrement is None:
                resultat.retenues.append(Retenue(passage, raisons))
                continue
            certification = passage.parchemin.candidature.certification
            yield flux.Certification(certification.registre, certification.code), enregistrement

    suite = flux.Suite(enregistrements())
    fichiers: list[tuple[Path, str, list[str]]] = []
    with tempfile.TemporaryDirectory(prefix="accrochage-") as dossier:
        while suite.tete is not None:
            id_flux = f"PARCHEMIN-{timezone.localtime(maintenant):%Y%m%d%H%M%S}-{secrets.token_hex(4).upper()}"
            chemin = Path(dossier) / f"{id_flux}.xml"
            en_tete = flux.EnTete(
                id_flux=id_flux,
                horodatage=timezone.localtime(maintenant),
                id_client_emetteur=config.id_client_emetteur,
                id_client_certificateur=config.id_client_certificateur,
                id_contrat=config.id_contrat,
                version=config.version_flux,
                action=action,
            )
            with chemin.open("wb") as sortie:
                ids = flux.ecrire(sortie, en_tete, suite, max_passages=max_passages)
            for nom_schema, schema in (
                ("schéma de Parchemin", flux.schema_parchemin(config.version_flux)),
                ("XSD officiel de la CDC", officiel),
            ):
                if schema is None:
                    continue
                erreur = flux.valider(chemin, schema)
                if erreur is not None:
                    raise ErreurMetier(
                        f"Le fichier généré ne respecte pas le {nom_schema} ({erreur}). Aucun passage n'a été marqué "
                        "envoyé ; signalez ce message à l'équipe technique."
                    )
            fichiers.append((chemin, id_flux, ids))
        with transaction.atomic():
            for chemin, id_flux, ids in fichiers:
                resultat.lots.append(
                    _enregistrer_lot(chemin, id_flux, ids, config, acteur, officiel=officiel is not None, action=action)
                )
    return resultat


def _empreinte(chemin: Path) -> str:
    h = hashlib.sha256()
    with chemin.open("rb") as entree:
        for bloc in iter(lambda: entree.read(1024 * 1024), b""):
            h.update(bloc)
    return h.hexdigest()


def _enregistrer_lot(
    chemin: Path, id_flux: str, ids: list[str], config: ConfigurationCDC, acteur: User, *, officiel: bool, action: str
) -> Lot:
    retrait = action == ActionFlux.SUPPRESSION
    lot = Lot(
        id_flux=id_flux,
        version_flux=config.version_flux,
        action=action,
        id_client_certificateur=config.id_client_certificateur,
        taille=chemin.stat().st_size,
        empreinte_sha256=_empreinte(chemin),
        nombre_passages=len(ids),
        valide_xsd_officiel=officiel,
        cree_par=acteur,
    )
    with chemin.open("rb") as entree:
        lot.fichier.save(chemin.name, File(entree), save=False)
    lot.save()
    maintenant = timezone.now()
    lien = PassageCDC.lots.through
    # The file was written outside this transaction: a passage whose state changed meanwhile (an
    # acknowledgement applied, another file generated) would end up in two pending files at once.
    attendus = ETATS_A_RETIRER if retrait else ETATS_A_EXPORTER
    for debut in range(0, len(ids), TAILLE_LOT_REQUETE):
        tranche = ids[debut : debut + TAILLE_LOT_REQUETE]
        pks = list(
            PassageCDC.objects.select_for_update()
            .filter(id_technique__in=tranche, etat__in=attendus)
            .values_list("pk", flat=True)
        )
        if len(pks) != len(tranche):
            raise ErreurMetier(
                "Des passages ont changé d'état pendant la génération du fichier (un accusé déposé ou un autre "
                "fichier généré en même temps) : aucun fichier n'a été enregistré, relancez la génération."
            )
        lien.objects.bulk_create([lien(passagecdc_id=pk, lot_id=lot.pk) for pk in pks])
        PassageCDC.objects.filter(pk__in=pks).update(
            etat=EtatCDC.RETRAIT_ENVOYE if retrait else EtatCDC.ENVOYE, etat_le=maintenant, dernier_lot=lot
        )
    nombre = f"{len(ids)} passage{'s' if len(ids) > 1 else ''}"
    enregistrer(
        action="accrochage.retirer" if retrait else "accrochage.exporter",
        acteur=acteur,
        objet=lot,
        resume=(
            f"Fichier de retrait {id_flux} généré (SUPPRESSION) : {nombre}."
            if retrait
            else f"Fichier d'accrochage {id_flux} généré : {nombre}."
        ),
        apres={
            "id_flux": id_flux,
            "passages": len(ids),
            "sha256": lot.empreinte_sha256,
            "version": lot.version_flux,
            "action": action,
        },
    )
    return lot
