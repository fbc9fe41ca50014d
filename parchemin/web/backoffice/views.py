"""Back-office of the certificateur's staff: the home page shows the day's work as counts with links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Min
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from parchemin.accrochage import echeances as echeances_cdc
from parchemin.accrochage.services import recenser as recenser_cdc
from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.comptes.roles import est_administrateur
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.jurys.enums import StatutSession
from parchemin.jurys.models import ProcesVerbal, SessionJury
from parchemin.referentiel.models import Certification
from parchemin.web.commun.requetes import RequeteAuthentifiee

# Objects named under each count: enough to start the day, the list behind the link has the rest.
EXEMPLES_MAX = 5


@dataclass(frozen=True)
class Lien:
    texte: str
    url: str


@dataclass(frozen=True)
class Travail:
    """One kind of work waiting: how many, where to see them all, and the first ones."""

    titre: str
    nombre: int
    lien: Lien
    precision: str = ""
    urgent: bool = False
    exemples: list[Lien] = field(default_factory=list)


def _date(jour: datetime.date) -> str:
    return f"{jour:%d/%m/%Y}"


def _recevabilite(aujourd_hui: datetime.date) -> Travail:
    en_attente = Candidature.objects.filter(etat=EtatCandidature.DEPOSEE)
    nombre = en_attente.count()
    echeance = en_attente.aggregate(premiere=Min("echeance_recevabilite"))["premiere"]
    en_retard = en_attente.filter(echeance_recevabilite__lt=aujourd_hui).count()
    precision = ""
    if echeance is not None:
        precision = f"Échéance la plus proche : {_date(echeance)}"
        if en_retard:
            precision += f" ; {en_retard} dossier{'s' if en_retard > 1 else ''} en retard (acceptation tacite)"
        precision += "."
    liste = reverse("backoffice:candidatures")
    premiers = en_attente.select_related("certification").order_by(
        F("echeance_recevabilite").asc(nulls_last=True), "pk"
    )[:EXEMPLES_MAX]
    return Travail(
        titre="dossiers en attente d'une décision de recevabilité",
        nombre=nombre,
        lien=Lien("Voir ces dossiers, échéance la plus proche d'abord", f"{liste}?etat=DEPOSEE&tri=echeance"),
        precision=precision,
        urgent=bool(en_retard),
        exemples=[
            Lien(
                f"{c.nom_complet or f'Candidature n°{c.pk}'} — {c.certification.code}"
                + (f", échéance {_date(c.echeance_recevabilite)}" if c.echeance_recevabilite else ""),
                reverse("backoffice:candidature", kwargs={"pk": c.pk}),
            )
            for c in premiers
        ],
    )


def _sessions_a_convoquer() -> Travail:
    a_convoquer = SessionJury.objects.filter(statut=StatutSession.PREPARATION).order_by("debut", "pk")
    premiere = a_convoquer.first()
    return Travail(
        titre="sessions de jury à convoquer",
        nombre=a_convoquer.count(),
        lien=Lien("Voir les sessions de jury", reverse("backoffice:jurys_sessions")),
        precision=f"La première se tient le {timezone.localtime(premiere.debut):%d/%m/%Y à %H:%M}." if premiere else "",
        exemples=[
            Lien(str(s), reverse("backoffice:jurys_session", kwargs={"pk": s.pk})) for s in a_convoquer[:EXEMPLES_MAX]
        ],
    )


def _pv_a_signer() -> Travail:
    a_signer = ProcesVerbal.objects.filter(verrouille_le__isnull=True).select_related("session").order_by("genere_le")
    return Travail(
        titre="PV en attente de signatures",
        nombre=a_signer.count(),
        lien=Lien("Voir les sessions de jury", reverse("backoffice:jurys_sessions")),
        precision="Chaque membre du jury signe le PV depuis son espace ; le dernier à signer le verrouille.",
        exemples=[
            Lien(f"PV de {pv.session}", reverse("backoffice:jurys_session", kwargs={"pk": pv.session_id}))
            for pv in a_signer[:EXEMPLES_MAX]
        ],
    )


def _courriels_en_echec() -> Travail:
    nombre = Courriel.objects.filter(statut=StatutCourriel.EN_ECHEC).count()
    return Travail(
        titre="courriels en échec",
        nombre=nombre,
        lien=Lien("Voir les courriels en échec", f"{reverse('backoffice:courriels')}?statut={StatutCourriel.EN_ECHEC}"),
        precision="La tâche d'envoi les réessaie ; vous pouvez aussi les renvoyer." if nombre else "",
        urgent=bool(nombre),
    )


def _accrochage(aujourd_hui: datetime.date) -> Travail:
    """Holders to send to the CDC within 3 months of delivery, and the CDC's correction requests."""
    # Parchemins delivered since the last look get their passage first (idempotent, one query when none).
    recenser_cdc()
    envois_retard, corrections_retard = echeances_cdc.nombre_en_retard(aujourd_hui)
    a_envoyer = echeances_cdc.non_acceptes().count()
    a_corriger = echeances_cdc.a_corriger().count()
    pluriel = "s" if a_corriger > 1 else ""
    precision = f"{a_corriger} passage{pluriel} rejeté{pluriel} par la CDC à corriger."
    if envois_retard or corrections_retard:
        precision += f" En retard (plus de 3 mois) : {envois_retard} envoi(s), {corrections_retard} correction(s)."
    return Travail(
        titre="titulaires pas encore acceptés par la CDC (accrochage)",
        nombre=a_envoyer + a_corriger,
        lien=Lien("Voir les échéances de l'accrochage", reverse("backoffice:accrochage_echeances")),
        precision=precision,
        urgent=bool(envois_retard or corrections_retard),
        exemples=[
            Lien(
                f"{e.passage.parchemin.candidature.nom_complet} — dû le {_date(e.due_le)}"
                + (" (en retard)" if e.en_retard else ""),
                reverse("backoffice:accrochage_titulaire", kwargs={"pk": e.passage.pk}),
            )
            for e in echeances_cdc.envois(aujourd_hui, limite=EXEMPLES_MAX)
        ],
    )


@acces_reserve(*ROLES_EQUIPE)
@require_safe
def tableau_de_bord(request: RequeteAuthentifiee) -> HttpResponse:
    aujourd_hui = timezone.localdate()
    certifications = Certification.objects.select_related("certificateur").order_by("code")
    return render(
        request,
        "backoffice/tableau_de_bord.html",
        {
            "aujourd_hui": aujourd_hui,
            "travaux": [
                _recevabilite(aujourd_hui),
                _sessions_a_convoquer(),
                _pv_a_signer(),
                _accrochage(aujourd_hui),
                _courriels_en_echec(),
            ],
            "certifications": certifications,
            "est_administrateur": est_administrateur(request.user),
        },
    )
