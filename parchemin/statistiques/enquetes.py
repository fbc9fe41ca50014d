"""Insertion surveys of holders: created when due, sent and reminded through the outbox, answered
or declined once through their link, and aggregated with small groups hidden.

Holders are the applications whose decision in force, on a signed PV, validates all or part of the
certification (``resultats.candidatures_annotees``). Sending is idempotent: a survey is invited
once, reminded at most ``RELANCES_MAX`` times at least ``JOURS_ENTRE_ENVOIS`` days apart, and a
second run on the same day sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from parchemin.courriels.rendu import rendre
from parchemin.courriels.services import mettre_en_file
from parchemin.dates import ajouter_mois
from parchemin.erreurs import ErreurMetier
from parchemin.jurys.enums import DECISIONS_AVEC_UNITES

from .enums import MOIS_PAR_VAGUE, Situation, Vague
from .models import Enquete
from .ouvertes import Cellule, masquer
from .resultats import candidatures_annotees

VALIDITE_JOURS = 90
RELANCES_MAX = 2
JOURS_ENTRE_ENVOIS = 14


def creer_enquetes_dues(aujourd_hui: datetime.date) -> int:
    """One survey per holder and wave whose date has come and whose link would still be valid."""
    existantes = set(Enquete.objects.values_list("candidature_id", "vague"))
    titulaires = candidatures_annotees().filter(decision_finale__in=DECISIONS_AVEC_UNITES)
    nouvelles = []
    for pk, decide_le in titulaires.values_list("pk", "decide_le"):
        certifie_le = timezone.localdate(decide_le)
        for vague, mois in MOIS_PAR_VAGUE.items():
            due_le = ajouter_mois(certifie_le, mois)
            expire_le = due_le + datetime.timedelta(days=VALIDITE_JOURS)
            if (pk, vague) not in existantes and due_le <= aujourd_hui <= expire_le:
                nouvelles.append(
                    Enquete(candidature_id=pk, vague=vague, certifie_le=certifie_le, due_le=due_le, expire_le=expire_le)
                )
    Enquete.objects.bulk_create(nouvelles, ignore_conflicts=True)
    return len(nouvelles)


def lien(enquete: Enquete) -> str:
    return settings.SITE_URL + reverse("public:enquete", kwargs={"jeton": enquete.jeton})


def _evenement(enquete: Enquete, aujourd_hui: datetime.date) -> str | None:
    if enquete.close or not (enquete.due_le <= aujourd_hui <= enquete.expire_le):
        return None
    if enquete.envoyee_le is None or enquete.dernier_envoi_le is None:
        return "enquete"
    prochain = enquete.dernier_envoi_le + datetime.timedelta(days=JOURS_ENTRE_ENVOIS)
    if enquete.relances < RELANCES_MAX and aujourd_hui >= prochain:
        return "enquete_relance"
    return None


def envoyer_enquetes(aujourd_hui: datetime.date) -> tuple[int, int]:
    """Invitations and reminders due today, each queued in the transaction that records it."""
    invitations = relances = 0
    a_traiter = Enquete.objects.filter(
        repondue_le__isnull=True, declinee_le__isnull=True, due_le__lte=aujourd_hui, expire_le__gte=aujourd_hui
    ).values_list("pk", flat=True)
    for pk in list(a_traiter):
        with transaction.atomic():
            enquete = (
                Enquete.objects.select_for_update()
                .select_related("candidature__candidat", "candidature__certification")
                .get(pk=pk)
            )
            evenement = _evenement(enquete, aujourd_hui)
            if evenement is None:
                continue
            candidature = enquete.candidature
            contenu = rendre(
                f"statistiques/courriels/{evenement}",
                {
                    "nom": candidature.nom_complet,
                    "code": candidature.certification.code,
                    "intitule": candidature.certification.intitule,
                    "vague": enquete.get_vague_display(),
                    "lien": lien(enquete),
                    "expire_le": enquete.expire_le,
                },
            )
            destinataire = candidature.email or candidature.candidat.email
            mettre_en_file([destinataire], contenu.sujet, contenu.texte, html=contenu.html, objet=enquete)
            if evenement == "enquete":
                enquete.envoyee_le = timezone.now()
                invitations += 1
            else:
                enquete.relances += 1
                relances += 1
            enquete.dernier_envoi_le = aujourd_hui
            enquete.save(update_fields=["envoyee_le", "relances", "dernier_envoi_le"])
    return invitations, relances


def etat_du_lien(enquete: Enquete | None, aujourd_hui: datetime.date) -> str:
    """Why a link cannot be answered any more, in French; "" while it can."""
    if enquete is None:
        return "Ce lien d'enquête n'existe pas. Vérifiez que l'adresse a été copiée en entier depuis l'e-mail reçu."
    if enquete.repondue_le is not None:
        return (
            f"Vous avez déjà répondu à cette enquête le {timezone.localdate(enquete.repondue_le):%d/%m/%Y}. "
            "Merci ! Une réponse ne peut pas être modifiée."
        )
    if enquete.declinee_le is not None:
        return (
            f"Vous avez choisi le {timezone.localdate(enquete.declinee_le):%d/%m/%Y} de ne pas répondre à cette "
            "enquête : vous ne recevrez plus de relance."
        )
    if aujourd_hui > enquete.expire_le:
        return f"Cette enquête est close depuis le {enquete.expire_le:%d/%m/%Y}. Merci de votre attention."
    return ""


def _ouvrir(jeton: str, aujourd_hui: datetime.date) -> Enquete:
    enquete = Enquete.objects.select_for_update().filter(jeton=jeton).first()
    refus = etat_du_lien(enquete, aujourd_hui)
    if refus or enquete is None:
        raise ErreurMetier(refus)
    return enquete


def repondre(
    jeton: str, *, situation: str, emploi: str, lien_certification: str, aujourd_hui: datetime.date
) -> Enquete:
    if situation not in Situation.values:
        raise ErreurMetier("Indiquez votre situation actuelle.")
    with transaction.atomic():
        enquete = _ouvrir(jeton, aujourd_hui)
        enquete.situation = situation
        enquete.emploi = emploi.strip()[:200]
        enquete.lien_certification = lien_certification
        enquete.repondue_le = timezone.now()
        enquete.save(update_fields=["situation", "emploi", "lien_certification", "repondue_le"])
    return enquete


def decliner(jeton: str, *, aujourd_hui: datetime.date) -> Enquete:
    with transaction.atomic():
        enquete = _ouvrir(jeton, aujourd_hui)
        enquete.declinee_le = timezone.now()
        enquete.save(update_fields=["declinee_le"])
    return enquete


@dataclass
class LigneInsertion:
    annee: int
    vague: str
    interroges: int
    repondants: int
    declins: int
    situations: list[Cellule]
    total: Cellule


def insertion_par_annee() -> list[LigneInsertion]:
    """Answers by year of certification and wave, one aggregate query; situations under the
    open-data secrecy rule (``ouvertes.masquer``), as a handful of answers could name a person."""
    agregats = {s: Count("pk", filter=Q(repondue_le__isnull=False, situation=s)) for s in Situation.values}
    lignes = []
    for v in (
        Enquete.objects.annotate(an=ExtractYear("certifie_le"))
        .values("an", "vague")
        .annotate(
            nb_interroges=Count("pk", filter=Q(envoyee_le__isnull=False)),
            nb_repondants=Count("pk", filter=Q(repondue_le__isnull=False)),
            nb_declins=Count("pk", filter=Q(declinee_le__isnull=False)),
            **agregats,
        )
        .order_by("an", "vague")
    ):
        cellules, total = masquer([v[s] for s in Situation.values])
        lignes.append(
            LigneInsertion(
                v["an"],
                Vague(v["vague"]).label,
                v["nb_interroges"],
                v["nb_repondants"],
                v["nb_declins"],
                cellules,
                total,
            )
        )
    return lignes
