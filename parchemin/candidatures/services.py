"""Business actions of the candidate journey. Every state change goes through one of these functions:
atomic, the row locked, the transition run, an audit entry written, the candidate told by e-mail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from parchemin.comptes.models import User
from parchemin.comptes.roles import administre_partenaire, est_equipe, exiger_equipe
from parchemin.courriels.rendu import rendre
from parchemin.courriels.services import mettre_en_file
from parchemin.dates import ajouter_mois
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.identifiants import siret_valide
from parchemin.journal.services import enregistrer
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification, VoieAccesCertification
from parchemin.televersements import DOCUMENTS, FormatFichier, verifier_fichier

from . import etat_civil
from .enums import (
    ETATS_EN_COURS,
    ETATS_MODIFIABLES_PAR_CANDIDAT,
    ETATS_PIECES_OUVERTES,
    DecisionRecevabilite,
    EtatCandidature,
    TypePiece,
)
from .importation import RapportImport, lire_fichier
from .models import DELAI_RECEVABILITE_MOIS, Candidature, Piece
from .notifications import Evenement, lien_mot_de_passe, notifier
from .pieces import TAILLE_MAX_PIECE, PieceDemandee, demande_pour, pieces_demandees, types_deposes

# The holder's civil identity, as the CDC matches it (names, sex, birth date and place).
CHAMPS_ETAT_CIVIL = (
    "nom_naissance",
    "nom_usage",
    "prenom1",
    "prenom2",
    "prenom3",
    "sexe",
    "date_naissance",
    "code_commune_naissance",
    "commune_naissance",
    "code_pays_naissance",
    "pays_naissance",
)
# Fields a candidate (or staff on their behalf, or an import) fills in; anything else is set by services.
CHAMPS_DOSSIER = (
    *CHAMPS_ETAT_CIVIL,
    "email",
    "telephone",
    "adresse",
    "code_postal",
    "ville",
    "niveau_diplome",
    "annees_experience",
    "cv",
    "partenaire",
    "session_formation",
    "employeur_nom",
    "employeur_siret",
)
VOIES_AVEC_FORMATION = (VoieAcces.FORMATION_CONTINUE, VoieAcces.CONTRAT_PROFESSIONNALISATION, VoieAcces.APPRENTISSAGE)


def _etat(candidature: Candidature) -> dict[str, str]:
    return {"etat": candidature.etat}


def _verrouiller(candidature: Candidature) -> Candidature:
    return Candidature.objects.select_for_update().select_related("certification", "candidat").get(pk=candidature.pk)


def _exiger_candidat_ou_equipe(candidature: Candidature, acteur: User) -> None:
    if candidature.candidat_id != acteur.pk and not est_equipe(acteur):
        raise AccesRefuse("Ce dossier n'est pas le vôtre.")


def _exiger_transition(candidature: Candidature, methode: Any, action: str) -> None:
    if not can_proceed(methode):
        raise ErreurMetier(
            f"Impossible de {action} : la candidature n°{candidature.pk} est à l'état "
            f"« {candidature.get_etat_display()} »."
        )


# --- Route --------------------------------------------------------------------------------------


def voies_ouvertes(certification: Certification) -> list[VoieAccesCertification]:
    ordre = list(VoieAcces.values)
    voies = certification.voies_acces.filter(autorisee=True)
    return sorted(voies, key=lambda v: ordre.index(v.voie))


def verifier_voie(certification: Certification, voie: str) -> VoieAccesCertification:
    """The route as the certification's fiche declares it; refused with its reason otherwise."""
    if voie not in VoieAcces.values:
        raise ErreurMetier(f"« {voie} » n'est pas une voie d'accès connue.")
    libelle = VoieAcces(voie).label.lower()
    declaree = certification.voies_acces.filter(voie=voie).first()
    if declaree is None:
        raise ErreurMetier(
            f"La fiche de {certification.code} ne mentionne pas l'accès « {libelle} » : cette voie n'est pas ouverte."
        )
    if not declaree.autorisee:
        raise ErreurMetier(
            f"La voie « {libelle} » n'est pas autorisée pour {certification.code} : la fiche France compétences "
            "de la certification l'exclut. Voies ouvertes : "
            + ", ".join(f"« {v.get_voie_display().lower()} »" for v in voies_ouvertes(certification))
            + "."
        )
    return declaree


def _verifier_unicite_annuelle(
    candidat: User, certification: Certification, voie: str, annee: int, pk: int | None
) -> None:
    if voie != VoieAcces.EXPERIENCE:
        return
    autres = Candidature.objects.filter(
        candidat=candidat, certification=certification, voie=VoieAcces.EXPERIENCE, annee=annee
    ).exclude(etat=EtatCandidature.ABANDONNEE)
    if pk is not None:
        autres = autres.exclude(pk=pk)
    if autres.exists():
        raise ErreurMetier(
            f"Vous avez déjà une candidature à {certification.code} par la voie de l'expérience en {annee} : "
            "une seule est possible par certification et par année civile."
        )


def _verifier_aucune_en_cours(candidat: User, certification: Certification, voie: str) -> None:
    en_cours = (
        Candidature.objects.filter(candidat=candidat, certification=certification, voie=voie, etat__in=ETATS_EN_COURS)
        .order_by("pk")
        .first()
    )
    if en_cours is not None:
        raise ErreurMetier(
            f"Vous avez déjà une candidature en cours à {certification.code} ({en_cours.get_voie_display().lower()}, "
            f"n°{en_cours.pk}, état « {en_cours.get_etat_display()} ») : "
            "poursuivez-la, ou retirez-la avant d'en ouvrir une autre."
        )


# --- The file -----------------------------------------------------------------------------------


def _valider_champs(champs: dict[str, Any], voie: str) -> dict[str, Any]:
    """Keep the allowed fields, check the ones whose format the CDC or the jury depends on."""
    inconnus = set(champs) - set(CHAMPS_DOSSIER)
    if inconnus:
        raise ErreurMetier(f"Champs non modifiables : {', '.join(sorted(inconnus))}.")
    propres = dict(champs)
    erreurs: list[str] = []
    for champ, validateur in (
        ("code_commune_naissance", etat_civil.valider_code_commune),
        ("code_pays_naissance", etat_civil.valider_code_pays),
    ):
        valeur = propres.get(champ)
        if valeur:
            propres[champ] = etat_civil.normaliser_code(valeur)
            try:
                validateur(propres[champ])
            except ValidationError as erreur:
                erreurs.extend(erreur.messages)
    if propres.get("code_commune_naissance") and propres.get("code_pays_naissance"):
        erreurs.append("Indiquez la commune de naissance (en France) ou le pays de naissance, pas les deux.")
    if propres.get("date_naissance"):
        try:
            etat_civil.valider_date_naissance(propres["date_naissance"])
        except ValidationError as erreur:
            erreurs.extend(erreur.messages)
    siret = propres.get("employeur_siret")
    if siret and not siret_valide(siret):
        erreurs.append("Le SIRET de l'employeur n'est pas valide (14 chiffres, clé de contrôle).")
    session: SessionFormation | None = propres.get("session_formation")
    partenaire: Partenaire | None = propres.get("partenaire")
    if session is not None:
        if partenaire is None:
            propres["partenaire"] = session.partenaire
        elif session.partenaire_id != partenaire.pk:
            erreurs.append("La session de formation choisie n'est pas organisée par cet organisme.")
    if voie not in VOIES_AVEC_FORMATION and ("partenaire" in propres or "session_formation" in propres):
        propres["partenaire"] = None
        propres["session_formation"] = None
    if erreurs:
        raise ErreurMetier(" ".join(erreurs))
    return propres


def creer_candidature(
    *,
    candidat: User,
    certification: Certification,
    voie: str,
    acteur: User | None = None,
    champs: dict[str, Any] | None = None,
    aujourd_hui: datetime.date | None = None,
) -> Candidature:
    """A draft application on an allowed route, on the référentiel version in force today."""
    acteur = acteur or candidat
    if acteur.pk != candidat.pk:
        exiger_equipe(acteur)
    annee = (aujourd_hui or timezone.localdate()).year
    with transaction.atomic():
        verifier_voie(certification, voie)
        version = certification.version_en_vigueur()
        if version is None:
            raise ErreurMetier(f"{certification.code} n'a pas encore de référentiel publié : candidature impossible.")
        _verifier_unicite_annuelle(candidat, certification, voie, annee, None)
        _verifier_aucune_en_cours(candidat, certification, voie)
        propres = _valider_champs(champs or {}, voie)
        if (session := propres.get("session_formation")) and session.certification_id != certification.pk:
            raise ErreurMetier("Cette session de formation prépare une autre certification.")
        candidature = Candidature(
            candidat=candidat, certification=certification, version_referentiel=version, voie=voie, annee=annee
        )
        for champ, valeur in propres.items():
            setattr(candidature, champ, valeur)
        if not candidature.email:
            candidature.email = candidat.email
        try:
            # Two requests at once both pass the check above; the database constraint lets one through.
            with transaction.atomic():
                candidature.save()
        except IntegrityError:
            _verifier_aucune_en_cours(candidat, certification, voie)
            _verifier_unicite_annuelle(candidat, certification, voie, annee, None)
            raise
        enregistrer(
            action="candidatures.creer",
            acteur=acteur,
            objet=candidature,
            resume=f"Candidature à {certification.code} créée ({candidature.get_voie_display()}).",
            apres={"etat": candidature.etat, "voie": voie, "version": version.numero},
        )
    return candidature


def modifier_dossier(candidature: Candidature, *, acteur: User, champs: dict[str, Any]) -> Candidature:
    _exiger_candidat_ou_equipe(candidature, acteur)
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        if candidature.etat not in ETATS_MODIFIABLES_PAR_CANDIDAT and not est_equipe(acteur):
            raise ErreurMetier(f"Le dossier n'est plus modifiable à l'état « {candidature.get_etat_display()} ».")
        propres = _valider_champs(champs, candidature.voie)
        if (session := propres.get("session_formation")) and session.certification_id != candidature.certification_id:
            raise ErreurMetier("Cette session de formation prépare une autre certification.")
        avant = {champ: getattr(candidature, champ) for champ in propres}
        for champ, valeur in propres.items():
            setattr(candidature, champ, valeur)
        candidature.save()
        changes = {c: v for c, v in propres.items() if avant[c] != v}
        enregistrer(
            action="candidatures.modifier",
            acteur=acteur,
            objet=candidature,
            resume="Dossier modifié : " + (", ".join(sorted(changes)) or "aucun changement"),
            avant={c: _journalisable(avant[c]) for c in changes},
            apres={c: _journalisable(v) for c, v in changes.items()},
        )
    return candidature


def _journalisable(valeur: Any) -> Any:
    return getattr(valeur, "pk", valeur)


# Fields the deposit needs, in the words the candidate reads (the dossier form marks them too); the
# birth place (commune or country), the experience and the training session are checked below.
OBLIGATOIRES_DEPOT = {
    "nom_naissance": "nom de naissance",
    "prenom1": "premier prénom",
    "sexe": "sexe",
    "date_naissance": "date de naissance",
    "email": "e-mail de contact",
    "niveau_diplome": "diplôme le plus élevé",
}


def elements_manquants(candidature: Candidature) -> list[str]:
    """What still prevents the deposit, in the words the candidate reads."""
    manquants: list[str] = []
    for champ, libelle in OBLIGATOIRES_DEPOT.items():
        if not getattr(candidature, champ):
            manquants.append(libelle)
    if not candidature.code_commune_naissance and not candidature.code_pays_naissance:
        manquants.append("commune (code INSEE) ou pays de naissance")
    if candidature.annees_experience is None:
        manquants.append("années d'expérience")
    if candidature.voie in VOIES_AVEC_FORMATION and candidature.session_formation_id is None:
        manquants.append("organisme et session de formation suivie")
    deposes = types_deposes(candidature)
    for demande in pieces_demandees(candidature):
        if demande.pour_depot and demande.type_piece not in deposes:
            manquants.append(f"pièce : {demande.libelle.lower()}")
    return manquants


def deposer_piece(candidature: Candidature, *, acteur: User, type_piece: str, fichier: File) -> Piece:
    """Add a version of a piece of evidence; earlier versions stay untouched in storage."""
    _exiger_candidat_ou_equipe(candidature, acteur)
    demande = demande_pour(candidature, type_piece)
    if demande is None:
        raise ErreurMetier("Ce type de pièce n'est pas demandé pour cette candidature.")
    return _ajouter_version(
        candidature, acteur=acteur, type_piece=type_piece, fichier=fichier, formats=demande.formats, demande=demande
    )


def peut_gerer_stagiaires(acteur: User, partenaire_id: int | None) -> bool:
    """Staff, or an administrator of the training organisation (its assessors only read)."""
    return est_equipe(acteur) or administre_partenaire(acteur, partenaire_id)


def deposer_attestation_formation(candidature: Candidature, *, acteur: User, fichier: File) -> Piece:
    """The training organisation uploads its trainee's completion certificate (a new version each time)."""
    if not peut_gerer_stagiaires(acteur, candidature.partenaire_id):
        raise AccesRefuse("Seul l'administrateur de l'organisme de formation peut déposer cette attestation.")
    if candidature.voie not in VOIES_AVEC_FORMATION or candidature.session_formation_id is None:
        raise ErreurMetier("Cette candidature ne suit pas une session de formation : pas d'attestation à déposer.")
    return _ajouter_version(
        candidature, acteur=acteur, type_piece=TypePiece.ATTESTATION_FORMATION, fichier=fichier, formats=DOCUMENTS
    )


def _ajouter_version(
    candidature: Candidature,
    *,
    acteur: User,
    type_piece: str,
    fichier: File,
    formats: frozenset[FormatFichier],
    demande: PieceDemandee | None = None,
) -> Piece:
    """Check the content (real format, size), then store it as the next version, audited."""
    try:
        verifie = verifier_fichier(fichier, formats=formats, taille_max=TAILLE_MAX_PIECE)
    except ValidationError as erreur:
        raise ErreurMetier(" ".join(erreur.messages)) from erreur
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        if candidature.etat not in ETATS_PIECES_OUVERTES:
            raise ErreurMetier(
                f"Les pièces ne peuvent plus être modifiées à l'état « {candidature.get_etat_display()} »."
            )
        derniere = Piece.objects.filter(candidature=candidature, type_piece=type_piece).aggregate(v=Max("version"))
        piece = Piece(
            candidature=candidature,
            type_piece=type_piece,
            competence=demande.competence if demande else None,
            version=(derniere["v"] or 0) + 1,
            nom_original=verifie.nom[:255],
            format=verifie.format.value,
            taille=verifie.taille,
            empreinte_sha256=verifie.empreinte_sha256,
            deposee_par=acteur,
        )
        piece.fichier.save(verifie.nom, fichier, save=False)
        try:
            piece.save()
        except Exception:
            piece.fichier.delete(save=False)
            raise
        enregistrer(
            action="candidatures.deposer_piece",
            acteur=acteur,
            objet=candidature,
            resume=f"Pièce déposée : {piece}",
            apres={"piece": piece.pk, "type": type_piece, "version": piece.version, "sha256": verifie.empreinte_sha256},
        )
    return piece


# --- Transitions --------------------------------------------------------------------------------


def deposer(candidature: Candidature, *, acteur: User, aujourd_hui: datetime.date | None = None) -> Candidature:
    """The candidate sends the file. On the experience route a complete file starts the two-month clock."""
    _exiger_candidat_ou_equipe(candidature, acteur)
    aujourd_hui = aujourd_hui or timezone.localdate()
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_transition(candidature, candidature.deposer, "déposer le dossier")
        verifier_voie(candidature.certification, candidature.voie)
        manquants = elements_manquants(candidature)
        if manquants:
            raise ErreurMetier("Le dossier est incomplet ; il manque : " + ", ".join(manquants) + ".")
        if candidature.annee != aujourd_hui.year:
            _verifier_unicite_annuelle(
                candidature.candidat, candidature.certification, candidature.voie, aujourd_hui.year, candidature.pk
            )
            candidature.annee = aujourd_hui.year
        avant = _etat(candidature)
        candidature.deposer()
        candidature.deposee_le = timezone.now()
        if candidature.est_voie_experience:
            candidature.dossier_complet_le = aujourd_hui
            candidature.echeance_recevabilite = ajouter_mois(aujourd_hui, DELAI_RECEVABILITE_MOIS)
        candidature.save()
        enregistrer(
            action="candidatures.deposer",
            acteur=acteur,
            objet=candidature,
            resume="Dossier déposé.",
            avant=avant,
            apres={**_etat(candidature), "echeance_recevabilite": candidature.echeance_recevabilite},
        )
        notifier(candidature, "depot", echeance=candidature.echeance_recevabilite)
    return candidature


def decider_recevabilite(
    candidature: Candidature,
    *,
    acteur: User,
    decision: str,
    motif: str = "",
    pieces_manquantes: str = "",
    aujourd_hui: datetime.date | None = None,
) -> Candidature:
    """Staff decision on a deposited file: admissible, not admissible (with reason), or incomplete
    (with the missing items; the legal clock stops until the file is sent again). Past the
    experience-route deadline only "admissible" remains, recorded as the tacit acceptance it is."""
    exiger_equipe(acteur)
    motif, pieces_manquantes = motif.strip(), pieces_manquantes.strip()
    aujourd_hui = aujourd_hui or timezone.localdate()
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        echeance = candidature.echeance_recevabilite
        if echeance is not None and candidature.acceptation_tacite_a_constater(aujourd_hui):
            # The deadline is past: silence has already made the file admissible. Recording
            # "recevable" records that tacit acceptance; any other decision comes too late.
            if decision not in DecisionRecevabilite.values:
                raise ErreurMetier(f"Décision inconnue : « {decision} ».")
            if decision != DecisionRecevabilite.RECEVABLE:
                raise ErreurMetier(
                    f"Le délai de décision a expiré le {echeance:%d/%m/%Y} : la candidature est recevable par "
                    f"acceptation tacite depuis le {date_acceptation_tacite(echeance):%d/%m/%Y} et ne peut plus "
                    "être déclarée non recevable ou incomplète."
                )
            _acceptation_tacite(candidature, acteur=acteur, echeance=echeance)
            return candidature
        avant = _etat(candidature)
        if decision == DecisionRecevabilite.RECEVABLE:
            _exiger_transition(candidature, candidature.declarer_recevable, "déclarer le dossier recevable")
            if not candidature.prerequis_admis:
                raise ErreurMetier(
                    "Les prérequis ne sont pas remplis (bac+5, ou plus de 10 ans d'expérience) : accordez d'abord "
                    "une dérogation motivée, ou déclarez le dossier non recevable."
                )
            candidature.declarer_recevable()
            evenement: Evenement = "recevable"
        elif decision == DecisionRecevabilite.NON_RECEVABLE:
            _exiger_transition(candidature, candidature.declarer_non_recevable, "déclarer le dossier non recevable")
            if not motif:
                raise ErreurMetier("Une décision de non-recevabilité doit être motivée : indiquez le motif.")
            candidature.declarer_non_recevable()
            evenement = "non_recevable"
        elif decision == DecisionRecevabilite.INCOMPLETE:
            _exiger_transition(candidature, candidature.declarer_incomplete, "déclarer le dossier incomplet")
            if not pieces_manquantes:
                raise ErreurMetier(
                    "Indiquez les pièces ou informations manquantes pour que le candidat puisse compléter."
                )
            candidature.declarer_incomplete()
            candidature.dossier_complet_le = None
            candidature.echeance_recevabilite = None
            evenement = "incomplete"
        else:
            raise ErreurMetier(f"Décision inconnue : « {decision} ».")
        candidature.decision_recevabilite = decision
        candidature.decision_le = timezone.now()
        candidature.motif_decision = motif
        candidature.pieces_manquantes = pieces_manquantes
        candidature.save()
        enregistrer(
            action="candidatures.decider_recevabilite",
            acteur=acteur,
            objet=candidature,
            resume=f"Décision : {DecisionRecevabilite(decision).label}." + (f" Motif : {motif}" if motif else ""),
            avant=avant,
            apres={**_etat(candidature), "motif": motif, "pieces_manquantes": pieces_manquantes},
        )
        notifier(candidature, evenement, motif=motif, pieces_manquantes=pieces_manquantes)
    return candidature


def date_acceptation_tacite(echeance: datetime.date) -> datetime.date:
    """The deadline day still belongs to the certificateur; silence is acceptance from the next day."""
    return echeance + datetime.timedelta(days=1)


def a_constater_tacitement(aujourd_hui: datetime.date) -> list[Candidature]:
    """Files whose recevabilité is acquired by silence and not yet recorded, oldest deadline first."""
    return list(Candidature.objects.pour_liste().en_retard(aujourd_hui).order_by("echeance_recevabilite", "pk"))


def _acceptation_tacite(candidature: Candidature, *, acteur: User | None, echeance: datetime.date) -> None:
    """On a locked DEPOSEE file past ``echeance``: the transition, the tacit marker, the audit entry
    and the e-mail. ``acteur`` is None for the daily command (the system), or the staff member who
    recorded it from the file's page."""
    acquise_le = date_acceptation_tacite(echeance)
    avant = _etat(candidature)
    candidature.declarer_recevable()
    candidature.decision_recevabilite = DecisionRecevabilite.RECEVABLE
    candidature.decision_le = timezone.now()
    candidature.acceptation_tacite_le = acquise_le
    candidature.motif_decision = ""
    candidature.pieces_manquantes = ""
    candidature.save()
    resume = (
        f"Recevable par acceptation tacite le {acquise_le:%d/%m/%Y} : aucune décision dans les deux mois "
        f"suivant le dossier complet du {candidature.dossier_complet_le:%d/%m/%Y} (échéance le "
        f"{echeance:%d/%m/%Y}), le silence vaut acceptation."
    )
    if not candidature.prerequis_admis:
        resume += " Les prérequis n'étaient ni remplis ni couverts par une dérogation."
    enregistrer(
        action="candidatures.acceptation_tacite",
        acteur=acteur,
        objet=candidature,
        resume=resume,
        avant=avant,
        apres={
            **_etat(candidature),
            "acceptation_tacite_le": acquise_le,
            "echeance_recevabilite": echeance,
            "prerequis_admis": candidature.prerequis_admis,
        },
    )
    notifier(
        candidature,
        "recevable_tacite",
        dossier_complet_le=candidature.dossier_complet_le,
        echeance=echeance,
        acquise_le=acquise_le,
    )


def constater_recevabilite_tacite(candidature: Candidature, *, aujourd_hui: datetime.date) -> Candidature | None:
    """Record, as the system, that silence past the legal deadline made this file admissible.
    Returns None, changing nothing, when there is nothing (left) to record: the file was decided
    meanwhile, or its deadline is not past on ``aujourd_hui``."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        echeance = candidature.echeance_recevabilite
        if echeance is None or not candidature.acceptation_tacite_a_constater(aujourd_hui):
            return None
        _acceptation_tacite(candidature, acteur=None, echeance=echeance)
    return candidature


def constater_recevabilites_tacites(aujourd_hui: datetime.date | None = None) -> list[Candidature]:
    """Record every tacit acceptance due on ``aujourd_hui``, one transaction per file, so a file
    decided by staff in the meantime is left alone and a failure keeps the files already recorded.
    Running it again changes nothing."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    constatees: list[Candidature] = []
    for candidature in a_constater_tacitement(aujourd_hui):
        resultat = constater_recevabilite_tacite(candidature, aujourd_hui=aujourd_hui)
        if resultat is not None:
            constatees.append(resultat)
    return constatees


def accorder_derogation(candidature: Candidature, *, acteur: User, motif: str) -> Candidature:
    """Staff admit a candidate who does not meet the prerequisites, for a written reason."""
    exiger_equipe(acteur)
    motif = motif.strip()
    if not motif:
        raise ErreurMetier("Une dérogation aux prérequis doit être motivée par écrit.")
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        if candidature.etat not in (EtatCandidature.BROUILLON, EtatCandidature.DEPOSEE, EtatCandidature.INCOMPLETE):
            raise ErreurMetier("La dérogation se décide avant la recevabilité du dossier.")
        if candidature.derogation_prerequis:
            if candidature.derogation_motif == motif:
                # The same request again (double click, second tab): already done, nothing to record.
                return candidature
            raise ErreurMetier(
                f"Une dérogation est déjà accordée pour ce dossier (motif : « {candidature.derogation_motif} »)."
            )
        if candidature.prerequis_remplis:
            raise ErreurMetier("Les prérequis sont remplis : aucune dérogation n'est nécessaire.")
        candidature.derogation_prerequis = True
        candidature.derogation_motif = motif
        candidature.derogation_par = acteur
        candidature.save()
        enregistrer(
            action="candidatures.deroger_prerequis",
            acteur=acteur,
            objet=candidature,
            resume=f"Dérogation aux prérequis accordée : {motif}",
            avant={"derogation_prerequis": False},
            apres={"derogation_prerequis": True, "motif": motif},
        )
    return candidature


def _refus_pret_pour_jury(candidature: Candidature) -> str | None:
    if not can_proceed(candidature.marquer_prete_pour_jury):
        return f"n°{candidature.pk} ({candidature.nom_complet}) est à l'état « {candidature.get_etat_display()} »"
    deposes = types_deposes(candidature)
    manquantes = [
        d.libelle.lower() for d in pieces_demandees(candidature) if d.pour_jury and d.type_piece not in deposes
    ]
    if manquantes:
        return f"n°{candidature.pk} ({candidature.nom_complet}) : il manque {', '.join(manquantes)}"
    return None


def marquer_pretes_pour_jury(pks: Iterable[int], *, acteur: User) -> list[Candidature]:
    """Bulk action, all or nothing: if one file cannot go to the jury, none is changed."""
    exiger_equipe(acteur)
    ids = sorted(set(pks))
    if not ids:
        raise ErreurMetier("Sélectionnez au moins une candidature.")
    with transaction.atomic():
        candidatures = list(
            Candidature.objects.select_for_update().select_related("certification", "candidat").filter(pk__in=ids)
        )
        if len(candidatures) != len(ids):
            raise ErreurMetier("Une des candidatures sélectionnées n'existe plus.")
        refus = [r for c in candidatures if (r := _refus_pret_pour_jury(c))]
        if refus:
            raise ErreurMetier("Aucune candidature n'a été modifiée. " + " ; ".join(refus) + ".")
        for candidature in candidatures:
            avant = _etat(candidature)
            candidature.marquer_prete_pour_jury()
            candidature.save()
            enregistrer(
                action="candidatures.prete_pour_jury",
                acteur=acteur,
                objet=candidature,
                resume="Dossier prêt pour le jury.",
                avant=avant,
                apres=_etat(candidature),
            )
            notifier(candidature, "pret_pour_jury")
    return candidatures


def enregistrer_decision_jury(
    candidature: Candidature, *, acteur: User, resume: str = "", prevenir: bool = True
) -> Candidature:
    """The jury has decided: called by the jurys service when the last member signs the PV (that
    service is the one to check who may do it) and by staff recording an earlier decision. The
    decision itself lives with the jury; here the file moves on and the candidate is told, unless
    ``prevenir`` is false: a decision taken over from history was announced years ago."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_transition(candidature, candidature.enregistrer_decision_jury, "enregistrer la décision du jury")
        avant = _etat(candidature)
        candidature.enregistrer_decision_jury()
        candidature.save()
        enregistrer(
            action="candidatures.decision_jury",
            acteur=acteur,
            objet=candidature,
            resume=resume or "Décision du jury rendue.",
            avant=avant,
            apres=_etat(candidature),
        )
        if prevenir:
            notifier(candidature, "decision_jury")
    return candidature


def retirer(candidature: Candidature, *, acteur: User, motif: str = "") -> Candidature:
    _exiger_candidat_ou_equipe(candidature, acteur)
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_transition(candidature, candidature.retirer, "retirer la candidature")
        avant = _etat(candidature)
        candidature.retirer()
        candidature.save()
        enregistrer(
            action="candidatures.retirer",
            acteur=acteur,
            objet=candidature,
            resume="Candidature retirée." + (f" Motif : {motif.strip()}" if motif.strip() else ""),
            avant=avant,
            apres=_etat(candidature),
        )
        notifier(candidature, "retrait")
    return candidature


# --- Import of a partner's trainees ----------------------------------------------------------------


def analyser_import(nom_fichier: str, contenu: bytes, session: SessionFormation) -> RapportImport:
    """Every row checked, including against the trainees already registered on the session; writes nothing."""
    rapport = lire_fichier(nom_fichier, contenu)
    emails = [ligne.valeurs["email"] for ligne in rapport.lignes if ligne.valeurs.get("email")]
    deja = set(
        Candidature.objects.filter(session_formation=session, candidat__email__in=emails)
        .exclude(etat=EtatCandidature.ABANDONNEE)
        .values_list("candidat__email", flat=True)
    )
    for ligne in rapport.lignes:
        if ligne.valeurs.get("email") in deja:
            ligne.erreur("email", "cette personne a déjà une candidature pour cette session")
    return rapport


@dataclass
class BilanImport:
    """What an import did, row by row: the applications it created for new people, the people who
    already had an account and were only invited, and the rows it held back (with the reason)."""

    creees: list[Candidature] = field(default_factory=list)
    invitees: list[int] = field(default_factory=list)
    retenues: list[tuple[int, str]] = field(default_factory=list)


MOTIF_COMPTE_EQUIPE = "adresse d'un compte de l'équipe du certificateur : aucune candidature ne peut y être importée"


def _inviter(
    *, email: str, session: SessionFormation, certification: Certification, acteur: User, nom_fichier: str, numero: int
) -> None:
    """The person already has an account: nothing is written in it. They are told who wants to
    enrol them, and how to apply themselves if they agree."""
    contenu = rendre(
        "candidatures/courriels/invitation_stagiaire",
        {
            "code": certification.code,
            "intitule": certification.intitule,
            "partenaire": session.partenaire.nom,
            "session_formation": session,
            "lien_candidater": settings.SITE_URL + reverse("candidat:nouvelle", kwargs={"code": certification.code}),
        },
    )
    mettre_en_file([email], contenu.sujet, contenu.texte, html=contenu.html, objet=session)
    enregistrer(
        action="candidatures.inviter_stagiaire",
        acteur=acteur,
        objet=session,
        resume=f"Ligne {numero} de « {nom_fichier} » : compte existant, invitation envoyée, aucune candidature créée.",
        apres={"ligne": numero, "email": email},
    )


def importer_stagiaires(
    *,
    nom_fichier: str,
    contenu: bytes,
    session: SessionFormation,
    acteur: User,
    seulement_valides: bool = False,
) -> BilanImport:
    """Draft applications (continuing-education route) for the trainees of ``session``, imported by staff
    or by an administrator of the session's own organisation.

    Every row is checked first. Unless ``seulement_valides`` (an explicit choice after a preview),
    one bad row refuses the whole file and nothing is written; either way it is one transaction.
    An import never writes into an account that already exists: that person is invited by e-mail
    to apply themselves, and a staff account is held back altogether.
    """
    if not peut_gerer_stagiaires(acteur, session.partenaire_id):
        raise AccesRefuse("Vous ne pouvez importer des stagiaires que sur les sessions de votre organisme.")
    certification = session.certification
    voie = VoieAcces.FORMATION_CONTINUE
    bilan = BilanImport()
    with transaction.atomic():
        # Lock the session so two imports of the same list cannot both pass the duplicate check.
        session = SessionFormation.objects.select_for_update().get(pk=session.pk)
        rapport = analyser_import(nom_fichier, contenu, session)
        if rapport.erreurs_fichier:
            raise ErreurMetier(" ".join(rapport.erreurs_fichier))
        if rapport.erreurs and not seulement_valides:
            raise ErreurMetier(
                f"{len(rapport.erreurs)} erreur(s) dans le fichier : rien n'a été importé. "
                + " ; ".join(str(e) for e in rapport.erreurs[:20])
            )
        if not rapport.valides:
            raise ErreurMetier("Aucune ligne valide à importer.")
        verifier_voie(certification, voie)
        version = certification.version_en_vigueur()
        if version is None:
            raise ErreurMetier(f"{certification.code} n'a pas encore de référentiel publié.")
        annee = timezone.localdate().year
        existants = User.objects.par_adresses([ligne.valeurs["email"] for ligne in rapport.valides])
        for ligne in rapport.valides:
            valeurs = dict(ligne.valeurs)
            existant = existants.get(valeurs["email"])
            if existant is not None:
                if existant.is_staff or existant.is_superuser or est_equipe(existant):
                    bilan.retenues.append((ligne.numero, MOTIF_COMPTE_EQUIPE))
                    enregistrer(
                        action="candidatures.import_ligne_retenue",
                        acteur=acteur,
                        objet=session,
                        resume=f"Ligne {ligne.numero} de « {nom_fichier} » retenue : {MOTIF_COMPTE_EQUIPE}.",
                        apres={"ligne": ligne.numero},
                    )
                else:
                    _inviter(
                        email=valeurs["email"],
                        session=session,
                        certification=certification,
                        acteur=acteur,
                        nom_fichier=nom_fichier,
                        numero=ligne.numero,
                    )
                    bilan.invitees.append(ligne.numero)
                continue
            candidat = User.objects.create_user(email=valeurs["email"], password=None)
            candidature = Candidature(
                candidat=candidat,
                certification=certification,
                version_referentiel=version,
                voie=voie,
                annee=annee,
                partenaire=session.partenaire,
                session_formation=session,
                **valeurs,
            )
            candidature.save()
            bilan.creees.append(candidature)
            enregistrer(
                action="candidatures.importer",
                acteur=acteur,
                objet=candidature,
                resume=f"Importée de « {nom_fichier} », ligne {ligne.numero} ({session}).",
                apres={"etat": candidature.etat, "session": session.pk, "ligne": ligne.numero},
            )
            # Without this the trainee would never learn that a file waits for them to complete it.
            notifier(
                candidature,
                "inscription_stagiaire",
                partenaire=session.partenaire.nom,
                intitule=certification.intitule,
                session_formation=session,
                lien_mot_de_passe=lien_mot_de_passe(),
            )
    return bilan
