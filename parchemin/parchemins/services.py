"""Delivery of parchemins: numbering, issuance (credential + PDF), revocation, reissue, status lists.

``preparer_parchemins`` runs when a PV becomes final (signal ``jurys.signaux.pv_verrouille``): it gives
each total or partial validation its number and verification code, once. ``emettre`` signs the
credential and renders the PDF; it is idempotent and safe when several workers run it at once (the
parchemin row is locked, and one credential at most is in force per parchemin, by constraint).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parchemin import taches
from parchemin.comptes.models import User
from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer
from parchemin.jurys.enums import Decision, OrigineSession
from parchemin.jurys.models import Passage, SessionJury, decision_en_vigueur
from parchemin.referentiel.case import uri_document, url_fiche_officielle
from parchemin.referentiel.enums import Registre
from parchemin.referentiel.models import Competence, ReferentielVersion
from parchemin.referentiel.models import Unite as UniteReferentiel
from parchemin.taches import EtatTache

from . import cles, document, openbadges, preuve, statut
from .enums import StatutParchemin
from .jsonld import CONTEXTE_VC_V2
from .models import ALPHABET_CODE, LONGUEUR_CODE, Attestation, CleSignature, Compteur, ListeStatut, Parchemin

journal = logging.getLogger("parchemin.parchemins")
DECISIONS_DELIVREES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE)
COMPTEUR_STATUT = "index-statut"


def _suivant(nom: str) -> int:
    compteur, _ = Compteur.objects.select_for_update().get_or_create(nom=nom)
    compteur.valeur += 1
    compteur.save(update_fields=["valeur"])
    return compteur.valeur


def nouveau_code() -> str:
    return "".join(secrets.choice(ALPHABET_CODE) for _ in range(LONGUEUR_CODE))


def normaliser_code(saisie: str) -> str:
    """What a person typed, as stored: spaces and dashes dropped, upper case."""
    return "".join(c for c in saisie.upper() if c not in " -\t")


def url_verification(code: str) -> str:
    return settings.SITE_URL + reverse("public:parchemin_verifier_code", kwargs={"code": code})


def url_liste_statut(numero: int) -> str:
    return settings.SITE_URL + reverse("public:parchemin_statut", kwargs={"numero": numero})


# --- Numbering -----------------------------------------------------------------------------------


def _parchemin_pour(passage: Passage) -> Parchemin | None:
    existant = Parchemin.objects.filter(passage=passage).first()
    if existant is not None:
        return existant
    if passage.session.reprise:
        # A jury taken over from history: its holders received their certificate before the platform.
        return None
    en_vigueur = decision_en_vigueur(passage)
    if en_vigueur["decision"] not in DECISIONS_DELIVREES:
        return None
    candidature = passage.candidature
    date_decision = passage.deliberee_le or passage.session.debut
    annee = timezone.localtime(date_decision).year
    code_certification = candidature.certification.code
    for _ in range(5):
        try:
            with transaction.atomic():
                rang = _suivant(f"numero:{code_certification}:{annee}")
                parchemin = Parchemin.objects.create(
                    passage=passage,
                    candidature=candidature,
                    numero=f"{code_certification}-{annee}-{rang:05d}",
                    code_verification=nouveau_code(),
                    decision=en_vigueur["decision"],
                    unites=sorted(en_vigueur["unites"]),
                    date_decision=date_decision,
                )
                enregistrer(
                    action="parchemins.numeroter",
                    objet=parchemin,
                    resume=f"Parchemin {parchemin.numero} attribué à {candidature.nom_complet}.",
                    apres={"numero": parchemin.numero, "decision": parchemin.decision, "unites": parchemin.unites},
                )
                return parchemin
        except IntegrityError:
            # Either another worker numbered this decision first, or (rarely) the code collided.
            existant = Parchemin.objects.filter(passage=passage).first()
            if existant is not None:
                return existant
    raise ErreurMetier("Impossible d'attribuer un code de vérification unique : réessayez.")


def preparer_parchemins(session: SessionJury) -> list[Parchemin]:
    """Number every total or partial validation of a final (locked) session; idempotent."""
    if not session.verrouillee:
        raise ErreurMetier("Le PV de cette session n'est pas signé : aucun parchemin ne peut être délivré.")
    passages = (
        Passage.objects.filter(session=session, verrouille=True)
        .select_related("candidature__certification", "session")
        .prefetch_related("amendements")
        .order_by("pk")
    )
    parchemins = []
    for passage in passages:
        with transaction.atomic():
            parchemin = _parchemin_pour(passage)
        if parchemin is not None:
            parchemins.append(parchemin)
    return parchemins


# --- Credential ----------------------------------------------------------------------------------


def emetteur_pour(certification: Any) -> openbadges.Emetteur:
    certificateur = certification.certificateur
    return openbadges.Emetteur(
        id=cles.did_web(),
        nom=certificateur.raison_sociale,
        url=certificateur.site_web or settings.SITE_URL,
        siret=certificateur.siret or "",
        email=certificateur.email_contact,
    )


def certification_pour(version: ReferentielVersion) -> openbadges.Certification:
    certification = version.certification
    uri_doc = uri_document(version, base_url=settings.SITE_URL)
    competences: dict[int, list[Competence]] = {}
    for competence in Competence.objects.filter(version=version).order_by("ordre"):
        competences.setdefault(competence.unite_id, []).append(competence)

    def element(objet: UniteReferentiel | Competence) -> openbadges.ElementReferentiel:
        return openbadges.ElementReferentiel(
            uuid=str(objet.uuid), code=objet.code, intitule=objet.intitule, uri_case=f"{uri_doc}#{objet.uuid}"
        )

    unites = tuple(
        openbadges.Unite(element(unite), tuple(element(c) for c in competences.get(unite.pk, [])))
        for unite in UniteReferentiel.objects.filter(version=version).order_by("ordre")
    )
    registre = "répertoire spécifique" if certification.registre == Registre.RS else "répertoire national"
    return openbadges.Certification(
        identifiant=f"urn:uuid:{version.uuid}",
        code=certification.code,
        intitule=certification.intitule,
        description=certification.objectifs
        or f"Certification professionnelle enregistrée au {registre} de France compétences sous le code "
        f"{certification.code}.",
        criteres="Délivrée par décision d'un jury de certification, au vu des épreuves prévues par le "
        f"référentiel (version {version.numero}) ; chaque unité est validée quand toutes ses compétences "
        "sont acquises.",
        cadre=f"{certification.code} — {certification.intitule}",
        unites=unites,
    )


def _credential_signe(
    parchemin: Parchemin, identifiant: uuid.UUID, index: int, maintenant: dt.datetime
) -> tuple[dict[str, Any], CleSignature]:
    candidature = parchemin.candidature
    version = candidature.version_referentiel
    numero_liste, position = statut.position(index)
    totale = parchemin.decision == Decision.VALIDATION_TOTALE
    definition = certification_pour(version)
    unites = frozenset(u.element.code for u in definition.unites) if totale else frozenset(parchemin.unites)
    document_vc = openbadges.credential(
        identifiant=f"urn:uuid:{identifiant}",
        emetteur=emetteur_pour(candidature.certification),
        certification=definition,
        titulaire=candidature.nom_complet,
        unites_validees=unites,
        totale=totale,
        valide_depuis=parchemin.date_decision,
        statut=openbadges.Statut(url_liste_statut(numero_liste), position),
    )
    cle = cles.cle_active()
    enregistree, _ = CleSignature.objects.get_or_create(multikey=cle.multikey)
    signe = preuve.signer(document_vc, cle.privee, cles.methode_verification(cle.multikey), cree_le=maintenant)
    return signe, enregistree


def contenu_pdf(parchemin: Parchemin, maintenant: dt.datetime) -> document.ContenuParchemin:
    candidature = parchemin.candidature
    certification = candidature.certification
    unites = UniteReferentiel.objects.filter(version=candidature.version_referentiel).order_by("ordre")
    totale = parchemin.decision == Decision.VALIDATION_TOTALE
    lieu = candidature.commune_naissance or candidature.pays_naissance
    return document.ContenuParchemin(
        numero=parchemin.numero,
        code=parchemin.code_verification,
        url_verification=url_verification(parchemin.code_verification),
        titulaire=candidature.nom_complet,
        date_naissance=candidature.date_naissance,
        lieu_naissance=lieu,
        totale=totale,
        unites=[{"code": u.code, "intitule": u.intitule} for u in unites if totale or u.code in parchemin.unites],
        date_decision=timezone.localtime(parchemin.date_decision),
        date_delivrance=timezone.localtime(maintenant),
        signataire=settings.PARCHEMINS_SIGNATAIRE,
        emetteur_did=cles.did_web(),
        registre="Répertoire spécifique"
        if certification.registre == Registre.RS
        else "Répertoire national des certifications professionnelles",
        fiche_officielle=url_fiche_officielle(certification),
    )


def serialiser(credential: dict[str, Any]) -> str:
    return json.dumps(credential, ensure_ascii=False, indent=2)


def _nouvelle_attestation(parchemin: Parchemin, maintenant: dt.datetime) -> Attestation:
    index = _suivant(COMPTEUR_STATUT) - 1
    identifiant = uuid.uuid4()
    signe, cle = _credential_signe(parchemin, identifiant, index, maintenant)
    texte = serialiser(signe)
    certification = parchemin.candidature.certification
    pdf = document.rendre(
        contenu_pdf(parchemin, maintenant),
        certification=certification,
        certificateur=certification.certificateur,
        credential_json=texte,
    )
    return Attestation.objects.create(
        parchemin=parchemin,
        identifiant=identifiant,
        index_statut=index,
        cle=cle,
        credential=texte,
        pdf=pdf,
        emise_le=maintenant,
    )


def emettre(parchemin: Parchemin, *, maintenant: dt.datetime | None = None) -> Attestation:
    """Sign the credential and render the PDF of a numbered parchemin; idempotent."""
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        verrouille = (
            Parchemin.objects.select_for_update(of=("self",))
            .select_related("candidature__certification__certificateur", "candidature__version_referentiel")
            .get(pk=parchemin.pk)
        )
        en_vigueur = verrouille.attestation_en_vigueur
        if en_vigueur is not None:
            return en_vigueur
        if verrouille.statut == StatutParchemin.REVOQUE:
            raise ErreurMetier("Ce parchemin est révoqué : réémettez-le pour délivrer une nouvelle attestation.")
        attestation = _nouvelle_attestation(verrouille, maintenant)
        verrouille.statut = StatutParchemin.EMIS
        verrouille.erreur = ""
        verrouille.save(update_fields=["statut", "erreur"])
        enregistrer(
            action="parchemins.emettre",
            objet=verrouille,
            resume=f"Parchemin {verrouille.numero} émis (PDF et attestation numérique signée).",
            apres={"attestation": str(attestation.identifiant), "index_statut": attestation.index_statut},
        )
    return attestation


def _noter_echec(parchemin: Parchemin, erreur: Exception) -> str:
    """Record a failed issuance on the parchemin (status and cause, shown to staff) and in the journal."""
    journal.error("Émission du parchemin %s impossible", parchemin.numero, exc_info=erreur)
    message = erreur.message if isinstance(erreur, ErreurMetier) else f"{type(erreur).__name__} : {erreur}"
    with transaction.atomic():
        Parchemin.objects.filter(pk=parchemin.pk, statut__in=[StatutParchemin.A_EMETTRE, StatutParchemin.ECHEC]).update(
            statut=StatutParchemin.ECHEC, erreur=message[:2000]
        )
        enregistrer(action="parchemins.echec", objet=parchemin, resume=f"Émission impossible : {message[:200]}")
    return message


def emettre_ou_noter_echec(parchemin: Parchemin) -> Attestation | None:
    """Issue now; a failure is recorded on the parchemin instead of raised (None)."""
    try:
        return emettre(parchemin)
    except Exception as erreur:
        _noter_echec(parchemin, erreur)
        return None


def emettre_par_tache(parchemin_pk: int) -> str:
    """Body of the task ``taches.emettre_parchemin``: issue, or record the failure and raise it again
    (the task then ends failed, with its error, and staff can retry it). Returns the credential's id."""
    parchemin = Parchemin.objects.get(pk=parchemin_pk)
    try:
        attestation = emettre(parchemin)
    except Exception as erreur:
        _noter_echec(parchemin, erreur)
        raise
    return str(attestation.identifiant)


def mettre_en_file(parchemin: Parchemin) -> Parchemin:
    """Enqueue the issuance task of a numbered parchemin and keep its id (to show its state).

    With the database backend the task row is written in the caller's transaction: a worker sees it
    exactly when the parchemin's data is committed, and never when it is rolled back."""
    from .taches import emettre_parchemin  # the task's body imports this module

    with transaction.atomic():
        resultat = emettre_parchemin.enqueue(parchemin.pk)
        Parchemin.objects.filter(pk=parchemin.pk).update(tache=resultat.id)
    parchemin.tache = resultat.id
    return parchemin


def etat_emission(parchemin: Parchemin) -> EtatTache | None:
    """Where the parchemin's last issuance task stands (None: no task known to the backend)."""
    return taches.etat(parchemin.tache)


def etats_emission(parchemins: Iterable[Parchemin]) -> dict[int, EtatTache]:
    """The issuance task of each parchemin (by pk) that has one known to the backend; one query."""
    parchemins = list(parchemins)
    connus = taches.etats(p.tache for p in parchemins)
    return {p.pk: connus[p.tache] for p in parchemins if p.tache in connus}


def rattraper(maintenant: dt.datetime | None = None) -> int:
    """Catch-up (``manage.py emettre_parchemins``, cron): number the validations of final PVs that
    the signal missed, and enqueue again every parchemin waiting without a live task (process stopped
    between the PV's commit and the enqueue, or a worker stopped mid-task). Failures are left to staff
    ("Relancer"). Returns how many tasks were enqueued; enqueuing twice is harmless."""
    maintenant = maintenant or timezone.now()
    preparer_sessions_oubliees()
    attente = list(Parchemin.objects.filter(statut=StatutParchemin.A_EMETTRE).order_by("pk"))
    connus = taches.etats(p.tache for p in attente)
    relances = 0
    for parchemin in attente:
        etat = connus.get(parchemin.tache)
        if etat is None or not etat.vivante(maintenant):
            mettre_en_file(parchemin)
            relances += 1
    return relances


# --- Revocation and reissue ----------------------------------------------------------------------


def _revoquer_attestation(attestation: Attestation, motif: str, maintenant: dt.datetime) -> None:
    attestation.revoquee_le = maintenant
    attestation.motif_revocation = motif
    attestation.save(update_fields=["revoquee_le", "motif_revocation"])


def _motif(motif: str) -> str:
    motif = motif.strip()
    if not motif:
        raise ErreurMetier("Indiquez le motif : il est conservé au journal et dit pourquoi l'attestation ne vaut plus.")
    return motif


def revoquer(parchemin: Parchemin, *, acteur: User, motif: str, maintenant: dt.datetime | None = None) -> Parchemin:
    exiger_equipe(acteur)
    motif = _motif(motif)
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        verrouille = Parchemin.objects.select_for_update().get(pk=parchemin.pk)
        attestation = verrouille.attestation_en_vigueur
        if verrouille.statut == StatutParchemin.REVOQUE:
            raise ErreurMetier("Ce parchemin est déjà révoqué.")
        if attestation is None:
            raise ErreurMetier("Ce parchemin n'a pas encore d'attestation émise.")
        _revoquer_attestation(attestation, motif, maintenant)
        verrouille.statut = StatutParchemin.REVOQUE
        verrouille.save(update_fields=["statut"])
        signer_liste(statut.position(attestation.index_statut)[0], maintenant=maintenant)
        enregistrer(
            action="parchemins.revoquer",
            acteur=acteur,
            objet=verrouille,
            resume=f"Parchemin {verrouille.numero} révoqué : {motif}",
            avant={"statut": StatutParchemin.EMIS},
            apres={"statut": StatutParchemin.REVOQUE, "attestation": str(attestation.identifiant), "motif": motif},
        )
    return verrouille


def reemettre(parchemin: Parchemin, *, acteur: User, motif: str, maintenant: dt.datetime | None = None) -> Attestation:
    """Same number, new credential and PDF (e.g. after a civil-status correction); the old one is revoked."""
    exiger_equipe(acteur)
    motif = _motif(motif)
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        verrouille = (
            Parchemin.objects.select_for_update(of=("self",))
            .select_related("candidature__certification__certificateur", "candidature__version_referentiel")
            .get(pk=parchemin.pk)
        )
        ancienne = verrouille.attestation_en_vigueur
        if ancienne is not None:
            _revoquer_attestation(ancienne, f"Remplacée par une réémission : {motif}", maintenant)
        nouvelle = _nouvelle_attestation(verrouille, maintenant)
        avant = verrouille.statut
        verrouille.statut = StatutParchemin.EMIS
        verrouille.erreur = ""
        verrouille.save(update_fields=["statut", "erreur"])
        if ancienne is not None:
            signer_liste(statut.position(ancienne.index_statut)[0], maintenant=maintenant)
        enregistrer(
            action="parchemins.reemettre",
            acteur=acteur,
            objet=verrouille,
            resume=f"Parchemin {verrouille.numero} réémis : {motif}",
            avant={"statut": avant, "attestation": str(ancienne.identifiant) if ancienne else None},
            apres={"statut": StatutParchemin.EMIS, "attestation": str(nouvelle.identifiant), "motif": motif},
        )
    return nouvelle


# --- Status lists --------------------------------------------------------------------------------


def signer_liste(numero: int, *, maintenant: dt.datetime | None = None) -> ListeStatut:
    """(Re)sign list ``numero`` from the revoked credentials it covers."""
    maintenant = maintenant or timezone.now()
    debut = (numero - 1) * statut.TAILLE_LISTE
    revoques = Attestation.objects.filter(
        revoquee_le__isnull=False, index_statut__gte=debut, index_statut__lt=debut + statut.TAILLE_LISTE
    ).values_list("index_statut", flat=True)
    url = url_liste_statut(numero)
    document_vc = {
        "@context": [CONTEXTE_VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": cles.did_web(),
        "validFrom": preuve.horodatage(maintenant),
        "credentialSubject": {
            "id": f"{url}#liste",
            "type": "BitstringStatusList",
            "statusPurpose": statut.FINALITE,
            "encodedList": statut.encoder(index - debut for index in revoques),
        },
    }
    cle = cles.cle_active()
    CleSignature.objects.get_or_create(multikey=cle.multikey)
    signe = preuve.signer(document_vc, cle.privee, cles.methode_verification(cle.multikey), cree_le=maintenant)
    liste, _ = ListeStatut.objects.update_or_create(
        numero=numero, defaults={"credential": serialiser(signe), "signee_le": maintenant}
    )
    return liste


def liste_statut(numero: int) -> ListeStatut | None:
    """The signed list, signed on first request; None for a list no credential points into yet."""
    existante = ListeStatut.objects.filter(numero=numero).first()
    if existante is not None:
        return existante
    if numero < 1 or not Attestation.objects.filter(index_statut__gte=(numero - 1) * statut.TAILLE_LISTE).exists():
        return None
    with transaction.atomic():
        return signer_liste(numero)


def preparer_sessions_oubliees() -> int:
    """Number validations of final PVs that the signal missed (crash after commit); returns the count."""
    sessions = (
        SessionJury.objects.filter(
            passages__verrouille=True, passages__decision__in=DECISIONS_DELIVREES, passages__parchemin__isnull=True
        )
        .exclude(origine=OrigineSession.REPRISE)
        .distinct()
    )
    return sum(len(preparer_parchemins(session)) for session in sessions.order_by("pk"))


def relancer(parchemin: Parchemin, *, acteur: User, maintenant: dt.datetime | None = None) -> Parchemin:
    """Staff retry of a failed (or still waiting) issuance, from the back-office: a new task is
    enqueued (audited); the page then follows its state."""
    exiger_equipe(acteur)
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        verrouille = Parchemin.objects.select_for_update().get(pk=parchemin.pk)
        if verrouille.statut not in (StatutParchemin.A_EMETTRE, StatutParchemin.ECHEC):
            raise ErreurMetier("Ce parchemin n'attend pas d'émission : rien à relancer.")
        etat = taches.etat(verrouille.tache)
        if etat is not None and etat.vivante(maintenant):
            raise ErreurMetier(f"L'émission est déjà {etat.libelle} : attendez qu'elle se termine.")
        avant = {"statut": verrouille.statut, "erreur": verrouille.erreur}
        verrouille.statut = StatutParchemin.A_EMETTRE
        verrouille.erreur = ""
        verrouille.save(update_fields=["statut", "erreur"])
        enregistrer(
            action="parchemins.relancer",
            acteur=acteur,
            objet=verrouille,
            resume=f"Émission du parchemin {verrouille.numero} relancée.",
            avant=avant,
            apres={"statut": StatutParchemin.A_EMETTRE},
        )
        mettre_en_file(verrouille)
    verrouille.refresh_from_db()
    return verrouille


def suivre_amendement(passage: Passage, *, acteur: User) -> Parchemin | None:
    """Make the parchemin follow a decision amended after signature (staff only, audited).

    A validation that appears gets its number; one that disappears revokes the credential; a change
    of units reissues it (same number, the old credential revoked). Returns the parchemin, if any.
    """
    exiger_equipe(acteur)
    passage = Passage.objects.select_related("candidature__certification", "session").get(pk=passage.pk)
    en_vigueur = decision_en_vigueur(passage)
    parchemin = Parchemin.objects.filter(passage=passage).first()
    if parchemin is None:
        with transaction.atomic():
            parchemin = _parchemin_pour(passage)
        if parchemin is not None:
            mettre_en_file(parchemin)
        return parchemin
    decision, unites = en_vigueur["decision"], sorted(en_vigueur["unites"])
    if (decision, unites) == (parchemin.decision, parchemin.unites):
        return parchemin
    motif = f"Décision du jury amendée après signature ({decision})."
    with transaction.atomic():
        Parchemin.objects.filter(pk=parchemin.pk).update(decision=decision, unites=unites)
        parchemin.refresh_from_db()
        if decision not in DECISIONS_DELIVREES:
            if parchemin.statut != StatutParchemin.REVOQUE and parchemin.attestation_en_vigueur is not None:
                revoquer(parchemin, acteur=acteur, motif=motif)
            return parchemin
        if parchemin.attestation_en_vigueur is not None or parchemin.statut == StatutParchemin.REVOQUE:
            reemettre(parchemin, acteur=acteur, motif=motif)
    return parchemin
