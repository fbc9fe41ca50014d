"""Demo history: the four years before the current one, so that the statistics pages show trends.

About thirty applications a year, growing, on the three allowed routes and through two training
organisations; admissibility decisions, withdrawals, two juries a year with total and partial
validations, refusals, absences (some sit again in the autumn, the others withdraw), and the holders'
insertion surveys of the waves already closed, with answers, refusals to answer and silences.

Those juries were held before the platform: they are taken over with ``jurys.reprise`` (origin
"reprise d'historique": locked from the start, no electronic PV, no parchemin issued again, one
journal entry per jury and per decision; docs/statistiques.md). Applications are written as an import
of the certificateur's records would write them: states and dates set directly, no e-mail. The
current year is left to the other demo modules (the signed PV, the convened session).

Reproducible (seeded) and idempotent: nothing is added once a reprise session exists.
"""

from __future__ import annotations

import datetime
import random
from datetime import date

from django.conf import settings
from django.utils import timezone
from faker import Faker

from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, NiveauDiplome, Sexe
from parchemin.candidatures.models import Candidature, normaliser_recherche
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.dates import ajouter_mois
from parchemin.jurys.enums import DECISIONS_AVEC_UNITES, DECISIONS_D_ABSENCE, Decision, OrigineSession
from parchemin.jurys.models import MembreJury, SessionJury
from parchemin.jurys.reprise import DecisionReprise, reprendre_session
from parchemin.partenaires.enums import Modalite, StatutSession
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification, RegleJury
from parchemin.statistiques.enums import MOIS_PAR_VAGUE, LienCertification, Situation
from parchemin.statistiques.models import Enquete

NOMBRE_D_ANNEES = 4
CANDIDATURES_PAR_AN = (22, 28, 34, 40)  # oldest year first: the field grows
SIRET_COOPERATIVE = "79384756100008"
SIRET_BRETAGNE = "81234567800005"
# Pool members (demo/jurys.POOL, by index) of each year's June and November juries: one ESS,
# digital or research member and two of the tiers-lieux family, all external.
COMPOSITIONS = ((0, 6, 4), (1, 3, 5), (9, 7, 11), (2, 3, 8))
UNITES = ("1", "2", "3")
PARTIELLES = (("1", "3"), ("1",), ("1", "2"), ("3",))
EMPLOIS = (
    "Coordinatrice de tiers-lieu",
    "Gérant de coworking",
    "Fabmanager",
    "Animatrice de communauté",
    "Chargé de développement territorial",
    "Directrice d'un lieu hybride",
)
OBSERVATIONS: dict[str, str] = {
    Decision.VALIDATION_TOTALE: "Projet solide, présenté avec clarté ; pilotage et coopération maîtrisés.",
    Decision.VALIDATION_PARTIELLE: "Les unités non validées restent à consolider avant un nouveau passage.",
    Decision.REFUS: "Le dossier ne démontre pas encore les compétences attendues ; un accompagnement est conseillé.",
}


def _moment(jour: datetime.date, heure: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def _sessions_formation(certification: Certification, annees: list[int]) -> dict[tuple[str, int], SessionFormation]:
    """The training runs that prepared the historic candidates: the certificateur's own course each
    year, and Bretagne's first season under its habilitation the last year. Past: not published."""
    sessions = {}
    for rang, annee in enumerate(annees):
        plan = [(SIRET_COOPERATIVE, 8 + rang, str(annee), datetime.date(annee - 1, 10, 3))]
        if rang == len(annees) - 1:
            plan.append((SIRET_BRETAGNE, 3, f"{annee - 1}-{annee}", datetime.date(annee - 1, 10, 7)))
        for siret, numero, saison, debut in plan:
            partenaire = Partenaire.objects.filter(siret=siret).first()
            if partenaire is None:
                continue
            session, _ = SessionFormation.objects.get_or_create(
                partenaire=partenaire,
                certification=certification,
                numero=numero,
                saison=saison,
                defaults={
                    "intitule": "Piloter un tiers-lieu — formation certifiante, 20 jours",
                    "region": partenaire.commune.region if partenaire.commune else "",
                    "modalite": Modalite.PRESENTIEL,
                    "commune": partenaire.commune,
                    "lieu": partenaire.adresse,
                    "date_debut": debut,
                    "date_fin": debut + datetime.timedelta(days=150),
                    "duree_jours": 20,
                    "duree_heures": 140,
                    "capacite": 14,
                    "inscrits": 12,
                    "statut": StatutSession.COMPLETE,
                    "publiee": False,
                },
            )
            sessions[(siret, annee)] = session
    return sessions


def _candidatures(
    certification: Certification,
    annee: int,
    nombre: int,
    formations: dict[tuple[str, int], SessionFormation],
    faux: Faker,
    alea: random.Random,
) -> list[Candidature]:
    version = certification.version_en_vigueur()
    assert version is not None  # the référentiel is loaded before the demo
    domaine = settings.DEMO_EMAIL_DOMAINE
    users = []
    for numero in range(1, nombre + 1):
        user = User(
            email=f"historique-{annee}-{numero:02d}@{domaine}", first_name=faux.first_name(), last_name=faux.last_name()
        )
        user.set_unusable_password()  # no login: these people applied before the platform
        users.append(user)
    User.objects.bulk_create(users)
    candidatures = []
    for user in users:
        tirage = alea.random()
        voie = (VoieAcces.FORMATION_CONTINUE, VoieAcces.CANDIDATURE_INDIVIDUELLE, VoieAcces.EXPERIENCE)[
            0 if tirage < 0.5 else 1 if tirage < 0.75 else 2
        ]
        formation = None
        if voie == VoieAcces.FORMATION_CONTINUE:
            bretagne = formations.get((SIRET_BRETAGNE, annee))
            formation = bretagne if bretagne and alea.random() < 0.4 else formations.get((SIRET_COOPERATIVE, annee))
        depose = datetime.date(annee, 1, 10) + datetime.timedelta(days=alea.randrange(230))
        issue = alea.random()
        champs: dict[str, object] = {"etat": EtatCandidature.PRETE_POUR_JURY}
        delai = alea.randrange(20, 65) if voie == VoieAcces.EXPERIENCE else alea.randrange(4, 30)
        decision = _moment(depose + datetime.timedelta(days=delai), 15)
        if issue < 0.08:
            champs = {"etat": EtatCandidature.NON_RECEVABLE, "motif_decision": "Prérequis non réunis."}
            champs |= {"decision_recevabilite": DecisionRecevabilite.NON_RECEVABLE, "decision_le": decision}
        elif issue < 0.14:
            champs = {"etat": EtatCandidature.ABANDONNEE}  # withdrawn before any decision
        else:
            champs |= {"decision_recevabilite": DecisionRecevabilite.RECEVABLE, "decision_le": decision}
        candidature = Candidature(
            candidat=user,
            certification=certification,
            version_referentiel=version,
            voie=voie,
            annee=annee,
            nom_naissance=user.last_name,
            prenom1=user.first_name,
            sexe=Sexe.F if alea.random() < 0.55 else Sexe.M,
            date_naissance=faux.date_of_birth(minimum_age=28, maximum_age=58),
            email=user.email,
            niveau_diplome=NiveauDiplome.NIVEAU_7 if alea.random() < 0.7 else NiveauDiplome.NIVEAU_6,
            annees_experience=alea.randrange(3, 22),
            employeur_nom=faux.company(),
            partenaire=formation.partenaire if formation else None,
            session_formation=formation,
            deposee_le=_moment(depose),
            **champs,
        )
        candidature.nom_recherche = normaliser_recherche(f"{user.last_name} {user.first_name} {user.email}")
        candidatures.append(candidature)
    return Candidature.objects.bulk_create(candidatures)


def _decision(rang_annee: int, alea: random.Random) -> tuple[str, tuple[str, ...]]:
    """Success grows with the years (the course and the preparation of the files improved)."""
    tirage = alea.random()
    totale = 0.52 + 0.05 * rang_annee
    seuils = [(totale, Decision.VALIDATION_TOTALE), (totale + 0.18, Decision.VALIDATION_PARTIELLE)]
    seuils.append((totale + 0.28, Decision.REFUS))
    seuils += [(totale + 0.37, Decision.ABSENT), (1.0, Decision.EXCUSE)]
    decision = next((d for seuil, d in seuils if tirage < seuil), Decision.EXCUSE)
    if decision == Decision.VALIDATION_TOTALE:
        return decision, UNITES
    if decision == Decision.VALIDATION_PARTIELLE:
        return decision, alea.choice(PARTIELLES)
    return decision, ()


def _juries(
    annee: int,
    rang: int,
    candidatures: list[Candidature],
    regle: RegleJury,
    membres: list[MembreJury],
    gestionnaire: User,
    alea: random.Random,
) -> list[tuple[Candidature, date]]:
    """The June and November juries of one year; returns the holders with the day of their jury."""
    juin, novembre = datetime.date(annee, 6, 16), datetime.date(annee, 11, 24)
    prets = [c for c in candidatures if c.etat == EtatCandidature.PRETE_POUR_JURY]
    a_juin = [c for c in prets if c.decision_le is not None and timezone.localdate(c.decision_le) < juin]
    groupes = [a_juin, [c for c in prets if c not in a_juin]]
    titulaires = []
    for numero, jour in enumerate((juin, novembre)):
        lignes = []
        for candidature in groupes[numero]:
            decision, unites = _decision(rang, alea)
            lignes.append(DecisionReprise(candidature, decision, unites, OBSERVATIONS.get(decision, "")))
        if numero == 0:
            # Half of June's absentees sit again in November; the others withdraw (below).
            absents = [ligne.candidature for ligne in lignes if ligne.decision in DECISIONS_D_ABSENCE]
            groupes[1] = absents[::2] + groupes[1]
        if not lignes:
            continue
        reprendre_session(
            acteur=gestionnaire,
            regle=regle,
            intitule=f"Jury RS5142 — {'juin' if numero == 0 else 'novembre'} {annee} (reprise d'historique)",
            debut=_moment(jour, 9),
            lieu="La Grange Hybride, Périgord" if numero == 0 else "Darwin, Bordeaux",
            membres=[membres[i] for i in COMPOSITIONS[(2 * rang + numero) % len(COMPOSITIONS)]],
            decisions=lignes,
        )
        titulaires += [(ligne.candidature, jour) for ligne in lignes if ligne.decision in DECISIONS_AVEC_UNITES]
    # Still waiting for a jury after their last absence: these applications were withdrawn.
    Candidature.objects.filter(pk__in=[c.pk for c in prets], etat=EtatCandidature.PRETE_POUR_JURY).update(
        etat=EtatCandidature.ABANDONNEE
    )
    return titulaires


def _enquetes(titulaires: list[tuple[Candidature, date]], alea: random.Random) -> None:
    """The survey waves already closed (link expired), as the holders left them."""
    aujourd_hui = timezone.localdate()
    enquetes = []
    for candidature, certifie_le in titulaires:
        for vague, mois in MOIS_PAR_VAGUE.items():
            due_le = ajouter_mois(certifie_le, mois)
            expire_le = due_le + datetime.timedelta(days=90)
            if expire_le >= aujourd_hui:
                continue  # still open or to come: the daily command creates and sends it
            tirage = alea.random()
            enquete = Enquete(
                candidature=candidature,
                vague=vague,
                certifie_le=certifie_le,
                due_le=due_le,
                expire_le=expire_le,
                envoyee_le=_moment(due_le, 8),
                dernier_envoi_le=due_le,
            )
            if tirage < 0.6:
                enquete.repondue_le = _moment(due_le + datetime.timedelta(days=alea.randrange(1, 30)), 18)
                enquete.situation = alea.choices(list(Situation), weights=(45, 20, 8, 12, 5, 10))[0]
                enquete.lien_certification = alea.choices(list(LienCertification), weights=(50, 35, 15))[0]
                if enquete.situation in (Situation.SALARIE, Situation.INDEPENDANT, Situation.BENEVOLE):
                    enquete.emploi = alea.choice(EMPLOIS)
            elif tirage < 0.7:
                enquete.declinee_le = _moment(due_le + datetime.timedelta(days=alea.randrange(1, 10)), 12)
            else:
                enquete.relances = 2
                enquete.dernier_envoi_le = due_le + datetime.timedelta(days=28)
            enquetes.append(enquete)
    Enquete.objects.bulk_create(enquetes)


def charger_historique_demo(*, graine: int) -> None:
    certification = Certification.objects.filter(code="RS5142").first()
    gestion = RoleUtilisateur.objects.filter(role=Role.GESTIONNAIRE).select_related("user").order_by("pk").first()
    regle = RegleJury.objects.filter(certification=certification).first() if certification else None
    if certification is None or gestion is None or regle is None:
        return
    if SessionJury.objects.filter(origine=OrigineSession.REPRISE).exists():
        return
    from parchemin.demo.jurys import POOL

    domaine = settings.DEMO_EMAIL_DOMAINE
    emails = [f"jury@{domaine}" if i == 0 else f"jury-{i + 1:02d}@{domaine}" for i in range(len(POOL))]
    par_email = {m.email: m for m in MembreJury.objects.filter(email__in=emails)}
    if len(par_email) != len(POOL):
        return
    membres = [par_email[e] for e in emails]
    faux = Faker("fr_FR")
    faux.seed_instance(graine + 15)
    alea = random.Random(graine + 15)  # noqa: S311 - demo data
    premiere = timezone.localdate().year - NOMBRE_D_ANNEES
    annees = list(range(premiere, premiere + NOMBRE_D_ANNEES))
    formations = _sessions_formation(certification, annees)
    titulaires = []
    for rang, (annee, nombre) in enumerate(zip(annees, CANDIDATURES_PAR_AN, strict=True)):
        candidatures = _candidatures(certification, annee, nombre, formations, faux, alea)
        titulaires += _juries(annee, rang, candidatures, regle, membres, gestion.user, alea)
    _enquetes(titulaires, alea)
