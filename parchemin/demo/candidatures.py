"""Demo applications covering every allowed route of RS5142 and every state of the journey.

Built through the real services (so each file has its audit history and the candidate got their
e-mails), with dates moved back where the legal clock matters. Idempotent: a candidate already
present is left as it is; seeded Faker fr_FR, so two instances show the same people.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from faker import Faker

from parchemin.candidatures import services
from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, NiveauDiplome, Sexe, TypePiece
from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.partenaires.services import indexer_session
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Certification
from parchemin.territoires.enums import Region

PDF_DEMO = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COMMUNES = (("33063", "Bordeaux"), ("64445", "Pau"), ("86194", "Poitiers"), ("2A004", "Ajaccio"), ("35238", "Rennes"))
EMPLOYEURS = ("La Fabrique du Bourg", "Coworking des Chartrons", "Tiers-lieu La Quincaillerie", "Mairie de Melle")

# (route, state to reach, prerequisites met, days since the file was deposited)
PARCOURS: tuple[tuple[str, str, bool, int], ...] = (
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.BROUILLON, True, 0),
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.DEPOSEE, True, 3),
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.RECEVABLE, True, 20),
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.PRETE_POUR_JURY, True, 40),
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.DECIDEE, True, 90),
    (VoieAcces.FORMATION_CONTINUE, EtatCandidature.ABANDONNEE, True, 10),
    (VoieAcces.CANDIDATURE_INDIVIDUELLE, EtatCandidature.DEPOSEE, True, 5),
    (VoieAcces.CANDIDATURE_INDIVIDUELLE, EtatCandidature.RECEVABLE, False, 15),
    (VoieAcces.CANDIDATURE_INDIVIDUELLE, EtatCandidature.NON_RECEVABLE, False, 25),
    (VoieAcces.EXPERIENCE, EtatCandidature.BROUILLON, False, 0),
    (VoieAcces.EXPERIENCE, EtatCandidature.DEPOSEE, True, 50),
    (VoieAcces.EXPERIENCE, EtatCandidature.DEPOSEE, True, 70),
    (VoieAcces.EXPERIENCE, EtatCandidature.INCOMPLETE, True, 12),
    (VoieAcces.EXPERIENCE, EtatCandidature.RECEVABLE, True, 30),
    (VoieAcces.EXPERIENCE, EtatCandidature.NON_RECEVABLE, False, 35),
    (VoieAcces.EXPERIENCE, EtatCandidature.PRETE_POUR_JURY, True, 45),
    # Past the two-month deadline: admissible by silence, recorded as the daily command would.
    (VoieAcces.EXPERIENCE, EtatCandidature.RECEVABLE, True, 80),
)


def _session_demo(certification: Certification) -> SessionFormation | None:
    partenaire = Partenaire.objects.order_by("pk").first()
    if partenaire is None:
        return None
    session, creee = SessionFormation.objects.get_or_create(
        partenaire=partenaire,
        certification=certification,
        numero=12,
        saison="2025-2026",
        defaults={
            "intitule": "Piloter un tiers-lieu — formation certifiante, 20 jours, Nouvelle-Aquitaine",
            "date_debut": datetime.date(2025, 9, 15),
            "date_fin": datetime.date(2026, 3, 20),
            # A remote session names the region that runs it (the partner's session form asks for it).
            "region": Region.NOUVELLE_AQUITAINE,
        },
    )
    if creee:
        # Every write of a session folds its search text; the demo's first write too.
        indexer_session(session)
        session.save()
    return session


def _piece(candidature: Candidature, acteur: User, type_piece: str, nom: str) -> None:
    services.deposer_piece(candidature, acteur=acteur, type_piece=type_piece, fichier=ContentFile(PDF_DEMO, name=nom))


def _faire_parcours(
    candidature: Candidature, etat: str, recul: int, gestionnaire: User, aujourd_hui: datetime.date
) -> None:
    candidat = candidature.candidat
    if candidature.voie == VoieAcces.EXPERIENCE:
        _piece(candidature, candidat, TypePiece.DOSSIER_RECEVABILITE, "dossier-recevabilite.pdf")
        _piece(candidature, candidat, TypePiece.JUSTIFICATIF_EXPERIENCE, "attestations-employeurs.pdf")
    if etat == EtatCandidature.BROUILLON:
        return
    if etat == EtatCandidature.ABANDONNEE:
        services.retirer(candidature, acteur=candidat, motif="Changement de projet professionnel.")
        return
    candidature = services.deposer(
        candidature, acteur=candidat, aujourd_hui=aujourd_hui - datetime.timedelta(days=recul)
    )
    if etat == EtatCandidature.RECEVABLE and candidature.acceptation_tacite_a_constater(aujourd_hui):
        services.constater_recevabilite_tacite(candidature, aujourd_hui=aujourd_hui)
        return
    if not candidature.prerequis_remplis and etat in (EtatCandidature.RECEVABLE, EtatCandidature.PRETE_POUR_JURY):
        services.accorder_derogation(
            candidature, acteur=gestionnaire, motif="Neuf ans de coordination d'un réseau de tiers-lieux ruraux."
        )
    if etat == EtatCandidature.INCOMPLETE:
        services.decider_recevabilite(
            candidature,
            acteur=gestionnaire,
            decision=DecisionRecevabilite.INCOMPLETE,
            pieces_manquantes="Attestations d'emploi couvrant 2018 à 2021.",
        )
    elif etat == EtatCandidature.NON_RECEVABLE:
        services.decider_recevabilite(
            candidature,
            acteur=gestionnaire,
            decision=DecisionRecevabilite.NON_RECEVABLE,
            motif="L'expérience décrite ne relève pas du pilotage d'un lieu ou d'un collectif.",
        )
    elif etat in (EtatCandidature.RECEVABLE, EtatCandidature.PRETE_POUR_JURY, EtatCandidature.DECIDEE):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
        if etat != EtatCandidature.RECEVABLE:
            _piece(candidature, candidat, TypePiece.PRESENTATION_PROJET, "presentation-projet.pdf")
            services.marquer_pretes_pour_jury([candidature.pk], acteur=gestionnaire)
        if etat == EtatCandidature.DECIDEE:
            services.enregistrer_decision_jury(candidature, acteur=gestionnaire)


def charger_candidatures_demo(*, graine: int) -> int:
    """Create the demo applications that do not exist yet; return how many were created."""
    certification = Certification.objects.filter(code="RS5142").first()
    gestion = RoleUtilisateur.objects.filter(role=Role.GESTIONNAIRE).select_related("user").order_by("pk").first()
    if certification is None or gestion is None:
        return 0
    gestionnaire = gestion.user
    session = _session_demo(certification)
    faux = Faker("fr_FR")
    faux.seed_instance(graine)
    alea = random.Random(graine)  # noqa: S311 - demo data, not secrets
    aujourd_hui = timezone.localdate()
    domaine = settings.DEMO_EMAIL_DOMAINE
    creees = 0
    parcours = [(f"candidat@{domaine}", VoieAcces.FORMATION_CONTINUE, EtatCandidature.BROUILLON, True, 0)] + [
        (f"candidat-{n:02d}@{domaine}", voie, etat, prerequis, recul)
        for n, (voie, etat, prerequis, recul) in enumerate(PARCOURS, start=1)
    ]
    for email, voie, etat, prerequis, recul in parcours:
        sexe = alea.choice([Sexe.F, Sexe.M])
        prenom = faux.first_name_female() if sexe == Sexe.F else faux.first_name_male()
        nom = faux.last_name()
        code, commune = alea.choice(COMMUNES)
        naissance = faux.date_of_birth(minimum_age=28, maximum_age=58)
        employeur = alea.choice(EMPLOYEURS)
        candidat = User.objects.filter(email=email).first()
        if candidat is None:
            candidat = User.objects.create_user(email=email, password=None, first_name=prenom, last_name=nom)
        if Candidature.objects.filter(candidat=candidat).exists():
            continue
        formation = voie == VoieAcces.FORMATION_CONTINUE and session is not None
        candidature = services.creer_candidature(
            candidat=candidat,
            certification=certification,
            voie=voie,
            champs={
                "nom_naissance": nom,
                "prenom1": prenom,
                "sexe": sexe,
                "date_naissance": naissance,
                "code_commune_naissance": code,
                "commune_naissance": commune,
                "email": email,
                "telephone": "05 56 00 00 00",
                "niveau_diplome": NiveauDiplome.NIVEAU_7 if prerequis else NiveauDiplome.NIVEAU_5,
                "annees_experience": alea.randint(11, 20) if prerequis and voie == VoieAcces.EXPERIENCE else 6,
                "cv": f"{faux.job()} chez {employeur} depuis {aujourd_hui.year - alea.randint(2, 9)}.",
                "employeur_nom": employeur,
                "session_formation": session if formation else None,
            },
        )
        _faire_parcours(candidature, etat, recul, gestionnaire, aujourd_hui)
        creees += 1
    return creees
