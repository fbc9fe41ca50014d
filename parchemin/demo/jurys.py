"""Demo jury data: a pool of twelve members, a past session whose signed PV holds two full validations,
a partial one and an absence, and a convened session to come. Everything goes through the jury services, like real use.

Idempotent: members are found again by e-mail and sessions by title; nothing is created twice.
Convocations are recorded without sending e-mails.
"""

from __future__ import annotations

import base64
import datetime
import random

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.utils import timezone
from faker import Faker

from parchemin.candidatures.enums import DecisionRecevabilite, NiveauDiplome, Sexe
from parchemin.candidatures.models import Candidature
from parchemin.comptes.double_facteur import code_totp, secret_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.comptes.services import attribuer_role
from parchemin.demo.services import MOT_DE_PASSE_DEMO, CompteDemo
from parchemin.jurys import services
from parchemin.jurys.enums import Niveau, Presence, Representation
from parchemin.jurys.models import Disponibilite, MembreJury, SessionJury
from parchemin.referentiel.enums import ProfilJury, VoieAcces
from parchemin.referentiel.models import Certification, RegleJury

# (organisation, function, profiles, representation): plausible, fictitious organisations.
POOL: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("Coopérative Bois & Communs (SCIC)", "Co-gérante", (ProfilJury.ESS,), Representation.EMPLOYEUR),
    (
        "Laboratoire Territoires & Coopérations, université de Poitiers",
        "Maîtresse de conférences",
        (ProfilJury.RECHERCHE_TERRITOIRES,),
        Representation.SALARIE,
    ),
    (
        "Agence numérique solidaire du Limousin",
        "Chef de projet inclusion numérique",
        (ProfilJury.NUMERIQUE, ProfilJury.ESS),
        Representation.SALARIE,
    ),
    ("Coworking La Filature, Angoulême", "Fondateur", (ProfilJury.COWORKING,), Representation.EMPLOYEUR),
    ("FabLab des Landes", "Fabmanager", (ProfilJury.FABLAB,), Representation.SALARIE),
    ("La Grange Hybride, Périgord", "Coordinatrice", (ProfilJury.LIEU_HYBRIDE,), Representation.SALARIE),
    ("Coworking Les Bassins, La Rochelle", "Animatrice de communauté", (ProfilJury.COWORKING,), Representation.SALARIE),
    ("Atelier partagé Makers du Béarn", "Président (bénévole)", (ProfilJury.FABLAB,), Representation.EMPLOYEUR),
    (
        "Tiers-lieu nourricier Le Champ Commun",
        "Directrice",
        (ProfilJury.LIEU_HYBRIDE, ProfilJury.ESS),
        Representation.EMPLOYEUR,
    ),
    ("Chambre régionale de l'ESS (démonstration)", "Chargé de mission", (ProfilJury.ESS,), Representation.SALARIE),
    (
        "Institut d'études urbaines de Bordeaux",
        "Chercheuse",
        (ProfilJury.RECHERCHE_TERRITOIRES,),
        Representation.SALARIE,
    ),
    (
        "Friche culturelle La Manufacture",
        "Régisseur et fabmanager",
        (ProfilJury.FABLAB, ProfilJury.LIEU_HYBRIDE),
        Representation.SALARIE,
    ),
)
# Pool members (by index) with a demo login, and the session each one sits on. In the past session,
# member 6 (coworking) was convened, was absent on the day and was replaced by member 3 (coworking).
AVEC_COMPTE = (0, 3, 4)
SESSION_PASSEE = (0, 6, 4)
ABSENT, REMPLACANT = 6, 3
OBSERVATIONS = {
    0: "Dossier et soutenance convaincants : la stratégie de pérennisation est construite avec les parties prenantes.",
    1: "Projet stratégique et animation du collectif maîtrisés. Le pilotage financier (prévisionnel, évaluation de "
    "la situation) reste à consolider avant de présenter à nouveau l'unité 2.",
    3: "Pilotage économique solide et dynamique de coopération bien installée avec les collectivités du territoire.",
}
# The second full certification of the past session (a second holder for the CDC accrochage demo).
# Drawn from a Faker of its own so the names of the other demo candidates stay as they were.
NUMERO_SECOND_TITULAIRE = 6
SESSION_A_VENIR = (0, 6, 7)
TITRE_PASSEE = "Jury RS5142 — printemps (démonstration)"
TITRE_A_VENIR = "Jury RS5142 — automne (démonstration)"


def _compte(email: str, prenom: str, nom: str, alea: random.Random) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=MOT_DE_PASSE_DEMO, first_name=prenom, last_name=nom)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if not RoleUtilisateur.objects.filter(user=user, role=Role.MEMBRE_JURY).exists():
        attribuer_role(acteur=None, user=user, role=Role.MEMBRE_JURY)
    if secret_totp(user) is None:
        TOTP.activate(user, base64.b32encode(alea.randbytes(20)).decode("ascii"))
        RecoveryCodes.activate(user)
    return user


def _vivier(faux: Faker, alea: random.Random) -> tuple[list[MembreJury], list[CompteDemo]]:
    domaine = settings.DEMO_EMAIL_DOMAINE
    membres, comptes = [], []
    aujourd_hui = timezone.localdate()
    for i, (organisation, fonction, profils, representation) in enumerate(POOL):
        prenom, nom = faux.first_name(), faux.last_name()
        email = f"jury@{domaine}" if i == 0 else f"jury-{i + 1:02d}@{domaine}"
        user = _compte(email, prenom, nom, alea) if i in AVEC_COMPTE else None
        if user is not None and i != 0:  # jury@ is printed by the accounts demo already
            comptes.append(
                CompteDemo(
                    role=f"Membre de jury n°{i + 1}",
                    email=email,
                    mot_de_passe=MOT_DE_PASSE_DEMO,
                    totp=secret_totp(user) or "",
                )
            )
        membre = MembreJury.objects.filter(email=email).first()
        if membre is None:
            membre = MembreJury.objects.create(
                prenom=user.first_name if user and user.first_name else prenom,
                nom=user.last_name if user and user.last_name else nom,
                email=email,
                organisation=organisation,
                fonction=fonction,
                profils=list(profils),
                representation=representation,
                user=user,
            )
            for semaine in range(1, 13):
                if alea.random() < 0.6:
                    Disponibilite.objects.get_or_create(
                        membre=membre, date=aujourd_hui + datetime.timedelta(weeks=semaine, days=alea.randrange(5))
                    )
        membres.append(membre)
    return membres, comptes


def candidat_jury_email(numero: int) -> str:
    return f"candidat-jury-{numero:02d}@{settings.DEMO_EMAIL_DOMAINE}"


def _candidature(certification: Certification, faux: Faker, numero: int, *, connexion: bool = False) -> Candidature:
    """``connexion``: the candidate gets the demo password, to read their result in their space."""
    email = candidat_jury_email(numero)
    candidat = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=MOT_DE_PASSE_DEMO if connexion else None
    )
    if connexion:
        EmailAddress.objects.get_or_create(user=candidat, email=email, defaults={"verified": True, "primary": True})
    existante = Candidature.objects.filter(candidat=candidat).first()
    if existante is not None:
        return existante
    version = certification.version_en_vigueur()
    assert version is not None  # the référentiel is loaded before the demo
    candidature = Candidature.objects.create(
        candidat=candidat,
        certification=certification,
        version_referentiel=version,
        voie=VoieAcces.CANDIDATURE_INDIVIDUELLE,
        annee=timezone.localdate().year,
        nom_naissance=faux.last_name(),
        prenom1=faux.first_name(),
        sexe=Sexe.F if numero % 2 else Sexe.M,
        date_naissance=faux.date_of_birth(minimum_age=30, maximum_age=55),
        email=email,
        niveau_diplome=NiveauDiplome.NIVEAU_7,
        employeur_nom=faux.company(),
    )
    # Demo shortcut: the application journey itself is shown by the candidatures demo. The dates the
    # services would have written are set too, so that this year's jury outcomes reach the statistics
    # (an application counts from its deposit) and the delays have a start.
    candidature.deposer()
    candidature.declarer_recevable()
    candidature.marquer_prete_pour_jury()
    candidature.deposee_le = timezone.now() - datetime.timedelta(days=75)
    candidature.decision_recevabilite = DecisionRecevabilite.RECEVABLE
    candidature.decision_le = timezone.now() - datetime.timedelta(days=60)
    candidature.save()
    return candidature


def _session_passee(
    regle: RegleJury,
    membres: list[MembreJury],
    remplacant: MembreJury,
    candidatures: list[Candidature],
    gestionnaire: User,
) -> None:
    debut = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=60), datetime.time(9, 30))
    )
    session = services.creer_session(
        acteur=gestionnaire,
        certification=regle.certification,
        regle=regle,
        donnees=services.DonneesSession(intitule=TITRE_PASSEE, debut=debut, lieu="La Grange Hybride, Périgord"),
    )
    services.definir_membres(session, membres, acteur=gestionnaire)
    services.ajouter_candidats(session, candidatures, acteur=gestionnaire)
    services.convoquer(session, acteur=gestionnaire, envoyer=False)
    absent = membres[SESSION_PASSEE.index(ABSENT)]
    services.enregistrer_presences_membres(session, [m.pk for m in membres if m != absent], acteur=gestionnaire)
    services.remplacer_membre(session, absent, remplacant, acteur=gestionnaire, envoyer=False)
    comptes = [m.user for m in [*membres, remplacant] if m.user is not None and m != absent]
    # First candidate: everything acquired. Second: unit 2 not yet (partial validation). Third: absent.
    # Fourth: everything acquired.
    for rang, (candidature, presence, sauf) in enumerate(
        (
            (candidatures[0], Presence.PRESENT, set()),
            (candidatures[1], Presence.PRESENT, {"2.2", "2.4"}),
            (candidatures[2], Presence.ABSENT, set()),
            (candidatures[3], Presence.PRESENT, set()),
        )
    ):
        services.enregistrer_presence(session, candidature, presence, acteur=comptes[0])
        if presence == Presence.PRESENT:
            passage = session.passages.get(candidature=candidature)
            for compte in comptes:
                saisies = {
                    c.pk: services.Saisie(
                        Niveau.EN_COURS if c.code in sauf else Niveau.ACQUIS,
                        "Preuves solides à l'écrit comme à l'oral." if c.code not in sauf else "À consolider.",
                    )
                    for c in services.competences_a_evaluer(passage)
                }
                services.enregistrer_grille(
                    session, candidature, acteur=compte, saisies=saisies, version_lue=0, soumettre=True
                )
            decision = services.proposition(passage).decision
        else:
            decision = "ABSENT"
        services.deliberer(
            session, candidature, acteur=comptes[0], decision=decision, observations=OBSERVATIONS.get(rang, "")
        )
    pv = services.etablir_pv(session, acteur=comptes[0])
    for compte in comptes:
        secret = secret_totp(compte)
        assert secret is not None
        services.signer_pv(session, acteur=compte, code_totp=code_totp(secret), sha256_lu=pv.sha256)


def _session_a_venir(
    regle: RegleJury, membres: list[MembreJury], candidatures: list[Candidature], gestionnaire: User
) -> None:
    debut = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=21), datetime.time(14, 0))
    )
    session = services.creer_session(
        acteur=gestionnaire,
        certification=regle.certification,
        regle=regle,
        donnees=services.DonneesSession(
            intitule=TITRE_A_VENIR, debut=debut, lien_visio="https://visio.example.org/jury-rs5142-automne"
        ),
    )
    services.definir_membres(session, membres, acteur=gestionnaire)
    services.ajouter_candidats(session, candidatures, acteur=gestionnaire)
    services.convoquer(session, acteur=gestionnaire, envoyer=False)


def charger_jurys_demo(*, graine: int) -> list[CompteDemo]:
    faux = Faker("fr_FR")
    faux.seed_instance(graine + 5)
    alea = random.Random(graine + 5)  # noqa: S311 - demo data, printed on screen by design
    membres, comptes = _vivier(faux, alea)
    certification = Certification.objects.filter(code="RS5142").first()
    gestion = RoleUtilisateur.objects.filter(role=Role.GESTIONNAIRE).select_related("user").order_by("pk").first()
    if certification is None or gestion is None:
        return comptes
    regle = RegleJury.objects.get(certification=certification)
    if not SessionJury.objects.filter(intitule=TITRE_PASSEE).exists():
        candidatures = [_candidature(certification, faux, n, connexion=n in (1, 2)) for n in (1, 2, 3)]
        faux_second = Faker("fr_FR")
        faux_second.seed_instance(graine + NUMERO_SECOND_TITULAIRE)
        candidatures.append(_candidature(certification, faux_second, NUMERO_SECOND_TITULAIRE))
        _session_passee(regle, [membres[i] for i in SESSION_PASSEE], membres[REMPLACANT], candidatures, gestion.user)
    if not SessionJury.objects.filter(intitule=TITRE_A_VENIR).exists():
        for numero in (4, 5):
            _candidature(certification, faux, numero)
        attente = services.candidatures_a_planifier(regle)[:6]
        _session_a_venir(regle, [membres[i] for i in SESSION_A_VENIR], attente, gestion.user)
    for numero, role in ((1, "Candidat, validation totale"), (2, "Candidat, validation partielle")):
        comptes.append(CompteDemo(role=role, email=candidat_jury_email(numero), mot_de_passe=MOT_DE_PASSE_DEMO))
    return comptes
