"""Business actions on partners, habilitations and training sessions.

Each function is one action: it locks what it changes, checks the rules, writes, and leaves an
audit entry in the journal; a refused action raises ErreurMetier with a French message and writes
nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parchemin.comptes.models import User
from parchemin.comptes.roles import administre_partenaire, est_equipe, exiger_equipe
from parchemin.dates import ajouter_mois
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.pages_publiques import signaler_changement
from parchemin.referentiel.models import Certification, Unite
from parchemin.televersements import MO, FormatFichier, verifier_fichier
from parchemin.territoires.distance import vecteur_unitaire
from parchemin.territoires.noms import texte_indexe

from .enums import MODALITES_AVEC_LIEU, EtatHabilitation, StatutSession
from .models import (
    ChangementHabilitation,
    ContactPartenaire,
    EnvoiListeFranceCompetences,
    Habilitation,
    Partenaire,
    SessionFormation,
)

TAILLE_MAX_CONVENTION = 10 * MO
# France compétences must receive the updated list within two months of any change.
DELAI_MISE_A_JOUR_LISTE = 2

CHAMPS_PARTENAIRE = (
    "nom",
    "siret",
    "numero_declaration_activite",
    "adresse",
    "commune",
    "site_web",
    "email",
    "telephone",
    "qualiopi",
    "qualiopi_echeance",
    "est_certificateur",
)
CHAMPS_CONTACT = ("nom", "fonction", "email", "telephone")
CHAMPS_HABILITATION = (
    "preparer",
    "evaluer",
    "date_debut",
    "date_fin",
    "redevance",
    "sous_traitance",
    "moyens_requis",
)
CHAMPS_SESSION = (
    "certification",
    "intitule",
    "numero",
    "saison",
    "description",
    "region",
    "modalite",
    "commune",
    "lieu",
    "date_debut",
    "date_fin",
    "duree_jours",
    "duree_heures",
    "prix",
    "financements",
    "lien_cpf",
    "capacite",
    "inscrits",
    "statut",
    "contact_inscription",
    "lien_inscription",
)


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _valider(objet: Any, exclure: Iterable[str] = ()) -> None:
    try:
        objet.full_clean(exclude=list(exclure))
    except ValidationError as exc:
        raise ErreurMetier(_message(exc)) from exc


def _instantane(objet: Any, champs: Iterable[str]) -> dict[str, Any]:
    valeurs = {}
    for champ in champs:
        valeur = getattr(objet, champ)
        valeurs[champ] = str(valeur) if hasattr(valeur, "_meta") else valeur
    return valeurs


# --- Partners -------------------------------------------------------------------------------


def enregistrer_partenaire(acteur: User, donnees: dict[str, Any], partenaire: Partenaire | None = None) -> Partenaire:
    """Create a partner, or update one; a new name is propagated to the catalogue's search text."""
    exiger_equipe(acteur)
    with transaction.atomic():
        avant = None
        if partenaire is not None:
            partenaire = Partenaire.objects.select_for_update().get(pk=partenaire.pk)
            avant = _instantane(partenaire, CHAMPS_PARTENAIRE)
        else:
            partenaire = Partenaire()
        for champ in CHAMPS_PARTENAIRE:
            if champ in donnees:
                setattr(partenaire, champ, donnees[champ])
        _valider(partenaire)
        partenaire.save()
        if avant is not None and avant["nom"] != partenaire.nom:
            for session in SessionFormation.objects.select_for_update().filter(partenaire=partenaire):
                indexer_session(session)
                session.save(update_fields=["texte_recherche"])
        enregistrer(
            action="partenaires.creer" if avant is None else "partenaires.modifier",
            acteur=acteur,
            objet=partenaire,
            resume=f"Partenaire {partenaire.nom} ({partenaire.siret})",
            avant=avant,
            apres=_instantane(partenaire, CHAMPS_PARTENAIRE),
        )
    return partenaire


def ajouter_contact(acteur: User, partenaire: Partenaire, donnees: dict[str, Any]) -> ContactPartenaire:
    exiger_equipe(acteur)
    with transaction.atomic():
        contact = ContactPartenaire(partenaire=partenaire, **{c: donnees.get(c, "") for c in CHAMPS_CONTACT})
        _valider(contact)
        contact.save()
        enregistrer(
            action="partenaires.ajouter_contact",
            acteur=acteur,
            objet=partenaire,
            resume=f"Contact {contact.nom} ajouté",
            apres=_instantane(contact, CHAMPS_CONTACT),
        )
    return contact


def retirer_contact(acteur: User, contact: ContactPartenaire) -> None:
    exiger_equipe(acteur)
    with transaction.atomic():
        avant = _instantane(contact, CHAMPS_CONTACT)
        partenaire = contact.partenaire
        ContactPartenaire.objects.filter(pk=contact.pk).delete()
        enregistrer(
            action="partenaires.retirer_contact",
            acteur=acteur,
            objet=partenaire,
            resume=f"Contact {avant['nom']} retiré",
            avant=avant,
        )


# --- Habilitations --------------------------------------------------------------------------


def _changement(habilitation: Habilitation, acteur: User, nature: str, avant: str, motif: str) -> None:
    if not motif.strip():
        raise ErreurMetier("Indiquez le motif du changement : il est transmis à France compétences.")
    ChangementHabilitation.objects.create(
        habilitation=habilitation,
        acteur=acteur,
        nature=nature,
        etat_avant=avant,
        etat_apres=habilitation.etat,
        motif=motif.strip(),
    )
    Habilitation.objects.filter(pk=habilitation.pk).update(modifiee_le=timezone.now())


def enregistrer_habilitation(
    acteur: User,
    *,
    partenaire: Partenaire,
    certification: Certification,
    donnees: dict[str, Any],
    unites: Iterable[Unite] = (),
    motif: str,
    habilitation: Habilitation | None = None,
) -> Habilitation:
    """Grant a habilitation, or change its terms; both are changes France compétences must hear about.

    Terms saved unchanged are no change: nothing is written and no reason is asked for."""
    exiger_equipe(acteur)
    unites = list(unites)
    if any(u.version.certification_id != certification.pk for u in unites):
        raise ErreurMetier("Les unités choisies n'appartiennent pas à cette certification.")
    with transaction.atomic():
        avant = None
        if habilitation is None:
            habilitation = Habilitation(partenaire=partenaire, certification=certification)
        else:
            habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
            avant = _instantane(habilitation, CHAMPS_HABILITATION)
            nouvelles = {c: donnees[c] for c in CHAMPS_HABILITATION if c in donnees}
            if all(getattr(habilitation, c) == v for c, v in nouvelles.items()) and set(
                habilitation.unites.values_list("pk", flat=True)
            ) == {u.pk for u in unites}:
                return habilitation
        for champ in CHAMPS_HABILITATION:
            if champ in donnees:
                setattr(habilitation, champ, donnees[champ])
        _valider(habilitation, exclure=["convention", "etat"])
        try:
            with transaction.atomic():
                habilitation.save()
        except IntegrityError as exc:
            raise ErreurMetier("Ce partenaire a déjà une habilitation en cours pour cette certification.") from exc
        habilitation.unites.set(unites)
        _changement(
            habilitation, acteur, "habilitation accordée" if avant is None else "conditions modifiées", "", motif
        )
        # New terms may no longer allow preparing (assessing only, validity ended): same rule as a withdrawal.
        retirees = _depublier_sessions_futures(habilitation) if avant is not None else 0
        apres = _instantane(habilitation, CHAMPS_HABILITATION) | {"unites": sorted(u.code for u in unites)}
        enregistrer(
            action="partenaires.habiliter" if avant is None else "partenaires.modifier_habilitation",
            acteur=acteur,
            objet=habilitation,
            resume=motif.strip() + _retirees(retirees),
            avant=avant,
            apres=apres,
        )
    return habilitation


TRANSITIONS = {
    "suspendre": ("suspension", Habilitation.suspendre),
    "reactiver": ("réactivation", Habilitation.reactiver),
    "retirer": ("retrait", Habilitation.retirer),
    "terminer": ("fin", Habilitation.terminer),
}


def changer_etat_habilitation(acteur: User, habilitation: Habilitation, action: str, motif: str) -> Habilitation:
    """Suspend, reactivate, withdraw or end a habilitation. Once it no longer allows preparing,
    the partner's future sessions of that certification leave the catalogue."""
    exiger_equipe(acteur)
    if action not in TRANSITIONS:
        raise ErreurMetier("Changement d'état inconnu.")
    nature, methode = TRANSITIONS[action]
    with transaction.atomic():
        habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
        avant = habilitation.etat
        if not any(t.name == methode.__name__ for t in habilitation.get_available_etat_transitions()):  # type: ignore[attr-defined]
            raise ErreurMetier(f"Impossible : l'habilitation est {habilitation.get_etat_display().lower()}.")
        methode(habilitation)
        try:
            with transaction.atomic():
                habilitation.save()
        except IntegrityError as exc:
            raise ErreurMetier(
                "Ce partenaire a déjà une autre habilitation en cours pour cette certification."
            ) from exc
        _changement(habilitation, acteur, nature, avant, motif)
        retirees = 0
        if habilitation.etat != EtatHabilitation.ACTIVE:
            retirees = _depublier_sessions_futures(habilitation)
        enregistrer(
            action=f"partenaires.habilitation_{action}",
            acteur=acteur,
            objet=habilitation,
            resume=motif.strip() + _retirees(retirees),
            avant={"etat": avant},
            apres={"etat": habilitation.etat},
        )
    return habilitation


def cloturer_habilitations_echues(aujourd_hui: datetime.date | None = None) -> list[Habilitation]:
    """End every habilitation whose validity ran out, as staff would (run daily by cron): the change
    goes into the France compétences history and the journal, and the partner's future sessions leave
    the catalogue. Until this has run, the catalogue already hides them (``partenaires_exclus``).
    One transaction per habilitation; running it twice changes nothing."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    cloturees = []
    for pk in Habilitation.objects.echues(aujourd_hui).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            habilitation = Habilitation.objects.echues(aujourd_hui).select_for_update().filter(pk=pk).first()
            if habilitation is None:
                continue
            avant = habilitation.etat
            assert habilitation.date_fin is not None
            motif = f"Fin de la période de validité le {habilitation.date_fin:%d/%m/%Y}."
            habilitation.terminer()
            habilitation.save()
            ChangementHabilitation.objects.create(
                habilitation=habilitation, acteur=None, nature="fin de validité", etat_avant=avant,
                etat_apres=habilitation.etat, motif=motif,
            )  # fmt: skip
            Habilitation.objects.filter(pk=habilitation.pk).update(modifiee_le=timezone.now())
            retirees = _depublier_sessions_futures(habilitation, aujourd_hui)
            enregistrer(
                action="partenaires.habilitation_echue",
                objet=habilitation,
                resume=motif + _retirees(retirees),
                avant={"etat": avant},
                apres={"etat": habilitation.etat},
            )
            cloturees.append(habilitation)
    return cloturees


def _retirees(nombre: int) -> str:
    return f" ({nombre} session(s) future(s) retirée(s) du catalogue)" if nombre else ""


def _depublier_sessions_futures(habilitation: Habilitation, aujourd_hui: datetime.date | None = None) -> int:
    aujourd_hui = aujourd_hui or timezone.localdate()
    if (
        Habilitation.objects.permettant_de_preparer(aujourd_hui)
        .filter(partenaire_id=habilitation.partenaire_id, certification_id=habilitation.certification_id)
        .exists()
    ):
        return 0
    depubliees = SessionFormation.objects.filter(
        partenaire_id=habilitation.partenaire_id,
        certification_id=habilitation.certification_id,
        publiee=True,
        date_debut__gt=aujourd_hui,
    ).update(publiee=False)
    if depubliees:
        signaler_changement()  # an update sends no signal; these sessions leave the catalogue
    return depubliees


def deposer_convention(acteur: User, habilitation: Habilitation, fichier: UploadedFile) -> Habilitation:
    """Attach the signed convention: a real PDF (checked by content) of at most 10 Mo."""
    exiger_equipe(acteur)
    try:
        verifie = verifier_fichier(fichier, formats={FormatFichier.PDF}, taille_max=TAILLE_MAX_CONVENTION)
    except ValidationError as exc:
        raise ErreurMetier(_message(exc)) from exc
    with transaction.atomic():
        habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
        habilitation.convention.save(verifie.nom, fichier, save=False)
        habilitation.save(update_fields=["convention"])
        _changement(habilitation, acteur, "convention signée déposée", habilitation.etat, f"Convention {verifie.nom}")
        enregistrer(
            action="partenaires.deposer_convention",
            acteur=acteur,
            objet=habilitation,
            resume=f"Convention signée déposée ({verifie.nom}, SHA-256 {verifie.empreinte_sha256})",
            apres={"fichier": habilitation.convention.name, "sha256": verifie.empreinte_sha256},
        )
    return habilitation


# --- The list sent to France compétences ----------------------------------------------------


@dataclass(frozen=True)
class EtatListe:
    dernier_envoi: datetime.date | None
    dernier_changement: datetime.datetime | None
    a_envoyer: bool
    echeance: datetime.date | None
    # Past the legal deadline on the day asked (a field: templates cannot pass it a date).
    en_retard: bool


def etat_liste_france_competences(aujourd_hui: datetime.date | None = None) -> EtatListe:
    """Whether the list France compétences holds misses a change, and by when it must be sent.

    A change is in the list sent if it happened before the sending day, or on that day before the
    sending was recorded; the oldest change left out sets the two-month deadline."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    envoi = EnvoiListeFranceCompetences.objects.order_by("-envoye_le", "-enregistre_le").first()
    changement = ChangementHabilitation.objects.order_by("-horodatage").first()
    non_transmis = ChangementHabilitation.objects.order_by("horodatage")
    if envoi is not None:
        non_transmis = non_transmis.filter(
            Q(horodatage__date__gt=envoi.envoye_le)
            | Q(horodatage__date=envoi.envoye_le, horodatage__gt=envoi.enregistre_le)
        )
    plus_ancien = non_transmis.first()
    echeance = (
        ajouter_mois(timezone.localdate(plus_ancien.horodatage), DELAI_MISE_A_JOUR_LISTE) if plus_ancien else None
    )
    return EtatListe(
        dernier_envoi=envoi.envoye_le if envoi else None,
        dernier_changement=changement.horodatage if changement else None,
        a_envoyer=plus_ancien is not None,
        echeance=echeance,
        en_retard=echeance is not None and aujourd_hui > echeance,
    )


def enregistrer_envoi_liste(acteur: User, envoye_le: datetime.date) -> EnvoiListeFranceCompetences:
    exiger_equipe(acteur)
    if envoye_le > timezone.localdate():
        raise ErreurMetier("La date d'envoi ne peut pas être dans le futur.")
    with transaction.atomic():
        envoi = EnvoiListeFranceCompetences.objects.create(envoye_le=envoye_le, acteur=acteur)
        enregistrer(
            action="partenaires.envoyer_liste",
            acteur=acteur,
            objet=envoi,
            resume=f"Liste des habilitations envoyée à France compétences le {envoye_le:%d/%m/%Y}",
        )
    return envoi


# --- Sessions -------------------------------------------------------------------------------


def peut_gerer_sessions(acteur: User, partenaire_id: int) -> bool:
    """Staff, or an administrator of the organisation (its assessors only read)."""
    return est_equipe(acteur) or administre_partenaire(acteur, partenaire_id)


def _exiger_gestion(acteur: User, partenaire_id: int) -> None:
    if not peut_gerer_sessions(acteur, partenaire_id):
        raise AccesRefuse("Vous ne pouvez pas gérer les sessions de cet organisme.")


def indexer_session(session: SessionFormation) -> None:
    """Copy the commune's coordinates and fold the searchable text (every write of a session calls this)."""
    commune = session.commune
    if commune is not None and commune.latitude is not None and commune.longitude is not None:
        session.latitude, session.longitude = commune.latitude, commune.longitude
        session.vecteur_x, session.vecteur_y, session.vecteur_z = vecteur_unitaire(commune.latitude, commune.longitude)
    else:
        session.latitude = session.longitude = None
        session.vecteur_x = session.vecteur_y = session.vecteur_z = None
    morceaux = [
        session.intitule,
        session.description,
        session.partenaire.nom,
        session.lieu,
        session.commune.nom if session.commune else "",
        session.get_region_display() if session.region else "",
    ]
    session.texte_recherche = texte_indexe(" ".join(morceaux))


def _exiger_habilitation(session: SessionFormation) -> None:
    if not (
        Habilitation.objects.permettant_de_preparer(timezone.localdate())
        .filter(partenaire_id=session.partenaire_id, certification_id=session.certification_id)
        .exists()
    ):
        raise ErreurMetier(
            "Publication impossible : l'organisme n'a pas d'habilitation active à préparer à "
            f"{session.certification.code}."
        )


def enregistrer_session(
    acteur: User, partenaire: Partenaire, donnees: dict[str, Any], session: SessionFormation | None = None
) -> SessionFormation:
    """Create or update a session of ``partenaire``; a published session stays publishable."""
    _exiger_gestion(acteur, partenaire.pk)
    with transaction.atomic():
        avant = None
        if session is None:
            session = SessionFormation(partenaire=partenaire)
        else:
            session = SessionFormation.objects.select_for_update().select_related("partenaire").get(pk=session.pk)
            if session.partenaire_id != partenaire.pk:
                raise AccesRefuse("Cette session appartient à un autre organisme.")
            avant = _instantane(session, CHAMPS_SESSION)
        for champ in CHAMPS_SESSION:
            if champ in donnees:
                setattr(session, champ, donnees[champ])
        if session.modalite not in MODALITES_AVEC_LIEU:
            session.commune = None
        if not session.region and session.commune is not None:
            session.region = session.commune.region
        if session.capacite is not None and session.inscrits is not None and session.inscrits > session.capacite:
            raise ErreurMetier(
                f"La capacité ({session.capacite}) ne peut pas être inférieure "
                f"au nombre d'inscrits ({session.inscrits})."
            )
        if session.statut == StatutSession.OUVERTE and session.inscrits >= session.capacite:
            session.statut = StatutSession.COMPLETE
        indexer_session(session)
        _valider(session)
        if session.publiee:
            _exiger_habilitation(session)
        session.save()
        enregistrer(
            action="partenaires.creer_session" if avant is None else "partenaires.modifier_session",
            acteur=acteur,
            objet=session,
            resume=str(session),
            avant=avant,
            apres=_instantane(session, CHAMPS_SESSION),
        )
    return session


def publier_session(acteur: User, session: SessionFormation, publiee: bool = True) -> SessionFormation:
    """Put a session in the public catalogue (only with an active habilitation to prepare), or take it out."""
    _exiger_gestion(acteur, session.partenaire_id)
    with transaction.atomic():
        session = SessionFormation.objects.select_for_update().select_related("certification").get(pk=session.pk)
        if publiee:
            if not session.region:
                raise ErreurMetier("Indiquez la région de la session avant de la publier.")
            _exiger_habilitation(session)
        session.publiee = publiee
        session.save(update_fields=["publiee", "modifiee_le"])
        enregistrer(
            action="partenaires.publier_session" if publiee else "partenaires.depublier_session",
            acteur=acteur,
            objet=session,
            resume=str(session),
            apres={"publiee": publiee},
        )
    return session
