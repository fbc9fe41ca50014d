"""The audit journal in French: a label for each action code and for each field of a before/after.

The journal stores codes (``candidatures.decider_recevabilite``, ``{"etat": "DEPOSEE"}``) so that
entries stay stable and verifiable; this module only reads them for people. The codes themselves
stay visible on an entry's detail page."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

ACTIONS = {
    "accrochage.accuse_reception": "Accusé de réception de la CDC déposé",
    "accrochage.accuse_traitement": "Accusé de traitement de la CDC appliqué",
    "accrochage.configurer": "Identifiants CDC du certificateur enregistrés",
    "accrochage.exporter": "Fichier d'accrochage CDC généré",
    "accrochage.nir": "NIR d'un titulaire enregistré ou effacé (chiffré)",
    "accrochage.renvoyer": "Passage rejeté par la CDC remis à envoyer après correction",
    "accrochage.retirer": "Fichier de retrait CDC (SUPPRESSION) généré",
    "candidatures.acceptation_tacite": "Recevabilité acquise par acceptation tacite",
    "candidatures.creer": "Candidature créée",
    "candidatures.decider_recevabilite": "Décision de recevabilité",
    "candidatures.decision_jury": "Décision du jury reportée sur la candidature",
    "candidatures.deposer": "Dossier déposé",
    "candidatures.deposer_piece": "Pièce déposée",
    "candidatures.deroger_prerequis": "Dérogation aux prérequis",
    "candidatures.import_ligne_retenue": "Ligne d'import retenue",
    "candidatures.importer": "Stagiaires importés",
    "candidatures.inviter_stagiaire": "Stagiaire invité à candidater",
    "candidatures.modifier": "Dossier modifié",
    "candidatures.prete_pour_jury": "Candidature prête pour le jury",
    "candidatures.purge_conservation": "Candidatures purgées (durée de conservation)",
    "candidatures.retirer": "Candidature retirée",
    "comptes.activer_double_facteur": "Double authentification activée",
    "comptes.attribuer_role": "Rôle attribué",
    "comptes.changer_mot_de_passe": "Mot de passe changé",
    "comptes.confirmer_adresse": "Adresse e-mail confirmée",
    "comptes.connexion": "Connexion",
    "comptes.deconnexion": "Déconnexion",
    "comptes.desactiver_double_facteur": "Double authentification désactivée",
    "comptes.echec_connexion": "Échec de connexion",
    "comptes.echec_double_facteur": "Échec de la double authentification",
    "comptes.inscription": "Inscription",
    "comptes.rechiffrer_secrets_double_facteur": "Secrets de double authentification rechiffrés",
    "comptes.regenerer_codes_secours": "Codes de secours régénérés",
    "comptes.reinitialiser_mot_de_passe": "Mot de passe réinitialisé",
    "comptes.retirer_role": "Rôle retiré",
    "comptes.utiliser_code_secours": "Code de secours utilisé",
    "conservation.purge": "Purge des données (durée de conservation)",
    "courriels.purge_conservation": "Courriels purgés (durée de conservation)",
    "courriels.renvoyer": "Courriel renvoyé",
    "jurys.accepter_planification": "Planification des jurys acceptée",
    "jurys.ajouter_candidats": "Candidats ajoutés à une session de jury",
    "jurys.ajouter_membre": "Membre du vivier ajouté",
    "jurys.amender_apres_signature": "Décision amendée après signature du PV",
    "jurys.amender_decision": "Décision du jury amendée",
    "jurys.confirmer_decision": "Décision du jury confirmée",
    "jurys.convoquer": "Session de jury convoquée",
    "jurys.corriger_decision_en_vigueur": "Décision comptée par les statistiques corrigée (vérification)",
    "jurys.creer_session": "Session de jury créée",
    "jurys.definir_membres": "Membres de la session de jury définis",
    "jurys.deplacer_session": "Session de jury déplacée ou reportée",
    "jurys.demander_planification": "Planification des jurys demandée",
    "jurys.enregistrer_grille": "Grille d'évaluation enregistrée (brouillon)",
    "jurys.etablir_pv": "PV établi",
    "jurys.modifier_membre": "Membre du vivier modifié",
    "jurys.modifier_proposition": "Proposition de planification modifiée",
    "jurys.nouvelle_version_pv": "Nouvelle version du PV à signer après un amendement",
    "jurys.planification_abandonnee": "Planification abandonnée",
    "jurys.planification_commencee": "Planification commencée",
    "jurys.planification_terminee": "Planification terminée",
    "jurys.presence": "Présence d'un candidat relevée",
    "jurys.presences_membres": "Présence des membres relevée (composition revérifiée)",
    "jurys.remplacer_membre": "Membre absent remplacé",
    "jurys.rendre_pv": "PV rendu à nouveau (nouvelle version)",
    "jurys.reprendre_session": "Jury antérieur à la plateforme repris de l'historique",
    "jurys.retablir_proposition": "Proposition de planification rétablie",
    "jurys.retirer_candidat": "Candidat retiré d'une session de jury",
    "jurys.sceller_pv": "PV final produit et scellé (cachet PAdES du certificateur)",
    "jurys.signer_pv": "PV signé",
    "jurys.soumettre_grille": "Grille d'évaluation soumise",
    "jurys.verrouiller_pv": "PV verrouillé",
    "partenaires.ajouter_contact": "Contact d'un partenaire ajouté",
    "partenaires.creer": "Partenaire créé",
    "partenaires.creer_session": "Session de formation créée",
    "partenaires.depublier_session": "Session de formation retirée du catalogue",
    "partenaires.deposer_convention": "Convention d'habilitation déposée",
    "partenaires.envoyer_liste": "Liste des habilitations envoyée à France compétences",
    "partenaires.habilitation_echue": "Habilitation arrivée à échéance",
    "partenaires.habilitation_reactiver": "Habilitation réactivée",
    "partenaires.habilitation_retirer": "Habilitation retirée",
    "partenaires.habilitation_suspendre": "Habilitation suspendue",
    "partenaires.habilitation_terminer": "Habilitation terminée",
    "partenaires.habiliter": "Habilitation accordée",
    "partenaires.modifier": "Partenaire modifié",
    "partenaires.modifier_habilitation": "Habilitation modifiée",
    "partenaires.modifier_session": "Session de formation modifiée",
    "partenaires.publier_session": "Session de formation publiée",
    "partenaires.retirer_contact": "Contact d'un partenaire retiré",
    "parchemins.echec": "Émission d'un parchemin impossible",
    "parchemins.emettre": "Parchemin émis",
    "parchemins.numeroter": "Numéro de parchemin attribué",
    "parchemins.reemettre": "Parchemin réémis",
    "parchemins.relancer": "Émission du parchemin relancée",
    "parchemins.revoquer": "Parchemin révoqué",
    "referentiel.import": "Référentiel importé",
}

# Keys of before/after dicts that name no model field of the object, or name it differently.
CHAMPS = {
    "etat": "état",
    "statut": "statut",
    "motif": "motif",
    "role": "rôle",
    "partenaire": "organisme partenaire",
    "publiee": "publiée au catalogue",
    "nombre": "nombre",
    "lignes": "lignes",
    "fichier": "fichier",
    "sha256": "empreinte SHA-256",
    "sha256_signe": "empreinte SHA-256 signée par les membres",
    "sha256_final": "empreinte SHA-256 du PV final scellé",
    "signataires": "signataires",
    "remplace": "version remplacée",
    "remplacant": "remplaçant",
    "remplacant_id": "remplaçant (identifiant)",
    "absent_id": "membre absent (identifiant)",
    "membre": "membre",
    "present": "présent",
    "violations": "règles de composition enfreintes",
    "observations": "observations pour le candidat",
    "debut": "début",
    "version": "version",
    "membres": "membres",
    "candidats": "candidats",
    "decision": "décision",
    "unites": "unités",
    "tentatives": "tentatives",
    "passages": "passages",
    "acceptes": "passages acceptés",
    "rejetes": "passages rejetés",
}
_DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def libelle_action(code: str) -> str:
    """The French label of an action; an unknown code (a new action) is shown readably, never hidden."""
    if code in ACTIONS:
        return ACTIONS[code]
    _, _, verbe = code.partition(".")
    return (verbe or code).replace("_", " ").capitalize()


def libelle_type_objet(code: str) -> str:
    modele = _modele(code)
    return str(modele._meta.verbose_name).capitalize() if modele is not None else code


def _modele(objet_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(objet_type) if objet_type else None
    except (LookupError, ValueError):
        return None


def _champ(modele: type[models.Model] | None, cle: str) -> models.Field[Any, Any] | None:
    if modele is None:
        return None
    try:
        champ = modele._meta.get_field(cle)
    except FieldDoesNotExist:
        return None
    return champ if isinstance(champ, models.Field) else None


def _valeur(valeur: Any, champ: models.Field[Any, Any] | None) -> str:
    if valeur is None or valeur == "" or valeur == []:
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, list):
        return ", ".join(_valeur(v, champ) for v in valeur)
    if isinstance(valeur, dict):
        return ", ".join(f"{cle} : {_valeur(v, None)}" for cle, v in valeur.items())
    if champ is not None and champ.choices:
        libelles = {str(code): str(libelle) for code, libelle in champ.flatchoices}
        if str(valeur) in libelles:
            return libelles[str(valeur)]
    if isinstance(valeur, str) and _DATE_ISO.match(valeur):
        try:
            return f"{datetime.date.fromisoformat(valeur):%d/%m/%Y}"
        except ValueError:
            return valeur
    return str(valeur)


@dataclass(frozen=True)
class Changement:
    """One field of an entry, as people read it: its label, the value before and the value after."""

    cle: str
    libelle: str
    avant: str
    apres: str


def changements(objet_type: str, avant: Any, apres: Any) -> list[Changement]:
    """The before/after of an entry, field by field, with labels and readable values."""
    avant = avant if isinstance(avant, dict) else ({} if avant in (None, "") else {"valeur": avant})
    apres = apres if isinstance(apres, dict) else ({} if apres in (None, "") else {"valeur": apres})
    modele = _modele(objet_type)
    resultat = []
    for cle in [*avant, *(c for c in apres if c not in avant)]:
        champ = _champ(modele, cle)
        libelle = str(champ.verbose_name) if champ is not None else CHAMPS.get(cle, cle.replace("_", " "))
        resultat.append(
            Changement(
                cle=cle,
                libelle=libelle[:1].upper() + libelle[1:],
                avant=_valeur(avant.get(cle), champ) if cle in avant else "—",
                apres=_valeur(apres.get(cle), champ) if cle in apres else "—",
            )
        )
    return resultat
