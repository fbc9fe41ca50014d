"""Queueing and sending outgoing e-mails through the outbox.

``mettre_en_file`` writes the e-mail inside the caller's transaction, then makes one attempt once it
commits; any failure of that attempt is recorded on the row and logged, never raised. The cron
command ``envoyer_courriels`` retries what is still to send, with a growing delay and a maximum
number of attempts. Delivery is at least once: a worker killed between the server's acceptance and
the recording of it sends that e-mail again when its reservation expires.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from parchemin.comptes.models import User
from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.journal.services import enregistrer

from .enums import StatutCourriel
from .models import Courriel, PieceJointe

journal = logging.getLogger(__name__)

TENTATIVES_MAX = 10
# Delay before attempt n+1 after n failures: 5 min, 10, 20… capped at 6 h (about a day in all).
DELAI_INITIAL = datetime.timedelta(minutes=5)
DELAI_MAX = datetime.timedelta(hours=6)
# How long a worker keeps a row it is sending; longer than any SMTP exchange (see DELAI_SMTP).
RESERVATION = datetime.timedelta(minutes=10)
# SMTP timeout in seconds when EMAIL_TIMEOUT is not set: a silent server must not hang a request.
DELAI_SMTP = 30


@dataclass(frozen=True)
class Piece:
    nom: str
    contenu: bytes | str
    type_mime: str


@dataclass
class Bilan:
    envoyes: int = 0
    echecs: int = 0


def mettre_en_file(
    destinataires: Sequence[str],
    sujet: str,
    corps: str,
    *,
    html: str = "",
    pieces_jointes: Sequence[Piece] = (),
    repondre_a: Sequence[str] = (),
    expediteur: str = "",
    objet: models.Model | None = None,
    essayer: bool = True,
) -> Courriel:
    """Record one e-mail in the caller's transaction; with ``essayer``, try it once after the commit.

    ``html`` is the same message as HTML (see ``rendu.rendre``), sent as the alternative part.
    ``essayer=False`` lets a caller queue several e-mails and try them together with ``programmer_envoi``.
    """
    with transaction.atomic():
        courriel = Courriel.objects.create(
            destinataires=[a for a in destinataires if a],
            repondre_a=list(repondre_a),
            expediteur=expediteur,
            sujet=sujet,
            corps=corps,
            corps_html=html,
            objet_type=objet._meta.label_lower if objet is not None else "",
            objet_id=str(objet.pk) if objet is not None else "",
            prochain_essai_le=timezone.now(),
        )
        PieceJointe.objects.bulk_create(
            PieceJointe(
                courriel=courriel,
                nom=p.nom,
                type_mime=p.type_mime,
                contenu=p.contenu.encode() if isinstance(p.contenu, str) else p.contenu,
            )
            for p in pieces_jointes
        )
    if essayer:
        programmer_envoi([courriel])
    return courriel


def programmer_envoi(courriels: Sequence[Courriel]) -> None:
    """After the commit, try these e-mails in order; stop at the first failure (the server is likely
    down: the rest wait for the cron command rather than each waiting for a timeout)."""
    pks = [c.pk for c in courriels]
    transaction.on_commit(lambda: _essayer_sans_lever(pks))


def _essayer_sans_lever(pks: Sequence[int]) -> None:
    try:
        for pk in pks:
            bilan = envoyer(pk=pk)
            if bilan.echecs:
                break
    except Exception:  # the action is committed: its e-mail waits in the outbox, the user sees no error
        journal.exception(
            "Courriels %s : échec de l'essai d'envoi immédiat, la commande envoyer_courriels réessaiera", pks
        )


def a_envoyer(maintenant: datetime.datetime) -> QuerySet[Courriel]:
    """Rows due for an attempt now and not held by another worker."""
    return Courriel.objects.filter(
        Q(reserve_jusqu_a__isnull=True) | Q(reserve_jusqu_a__lt=maintenant),
        statut__in=(StatutCourriel.A_ENVOYER, StatutCourriel.EN_ECHEC),
        tentatives__lt=TENTATIVES_MAX,
        prochain_essai_le__lte=maintenant,
    )


def reserver(maintenant: datetime.datetime, pk: int | None = None) -> Courriel | None:
    """Take one due e-mail (this one, or the oldest due) for this worker, counting the attempt.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets concurrent workers pass over a row being taken.
    Everywhere: the reservation is a conditional UPDATE, so of two workers taking the same row
    exactly one changes it.
    """
    with transaction.atomic():
        dus = a_envoyer(maintenant)
        if pk is not None:
            dus = dus.filter(pk=pk)
        if connection.features.has_select_for_update_skip_locked:
            dus = dus.select_for_update(skip_locked=True)
        for candidat in dus.order_by("prochain_essai_le", "pk").values_list("pk", flat=True)[:1]:
            pris = (
                a_envoyer(maintenant)
                .filter(pk=candidat)
                .update(
                    reserve_jusqu_a=maintenant + RESERVATION,
                    tentatives=F("tentatives") + 1,
                    dernier_essai_le=maintenant,
                )
            )
            if pris:
                return Courriel.objects.prefetch_related("pieces_jointes").get(pk=candidat)
    return None


def message(courriel: Courriel, connexion: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    """The Django message of a stored e-mail: text, HTML alternative if any, attachments."""
    email = EmailMultiAlternatives(
        courriel.sujet,
        courriel.corps,
        courriel.expediteur or None,
        list(courriel.destinataires),
        reply_to=list(courriel.repondre_a) or None,
        connection=connexion,
    )
    if courriel.corps_html:
        email.attach_alternative(courriel.corps_html, "text/html")
    for piece in courriel.pieces_jointes.all():
        email.attach(piece.nom, bytes(piece.contenu), piece.type_mime)
    return email


def delai_apres(tentatives: int) -> datetime.timedelta:
    return min(DELAI_INITIAL * 2 ** max(tentatives - 1, 0), DELAI_MAX)


def _tenter(courriel: Courriel, connexion: BaseEmailBackend, maintenant: datetime.datetime) -> bool:
    try:
        if not connexion.send_messages([message(courriel, connexion)]):
            raise RuntimeError("Le serveur de messagerie n'a accepté aucun destinataire.")
    except Exception as erreur:
        texte = f"{type(erreur).__name__} : {erreur}"[:2000]
        Courriel.objects.filter(pk=courriel.pk).update(
            statut=StatutCourriel.EN_ECHEC,
            derniere_erreur=texte,
            prochain_essai_le=maintenant + delai_apres(courriel.tentatives),
            reserve_jusqu_a=None,
        )
        niveau = logging.ERROR if courriel.tentatives >= TENTATIVES_MAX else logging.WARNING
        journal.log(
            niveau,
            "Courriel %s (%s) : tentative %s/%s échouée : %s",
            courriel.pk,
            courriel.sujet,
            courriel.tentatives,
            TENTATIVES_MAX,
            texte,
            exc_info=True,
        )
        return False
    Courriel.objects.filter(pk=courriel.pk).update(
        statut=StatutCourriel.ENVOYE, envoye_le=timezone.now(), reserve_jusqu_a=None
    )
    return True


def _connexion() -> BaseEmailBackend:
    return get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT or DELAI_SMTP)


def envoyer(*, pk: int | None = None, limite: int = 500, maintenant: datetime.datetime | None = None) -> Bilan:
    """Send due e-mails one by one (only ``pk`` if given), up to ``limite``; failures are recorded."""
    bilan = Bilan()
    connexion = _connexion()
    for _ in range(limite):
        instant = maintenant or timezone.now()
        courriel = reserver(instant, pk)
        if courriel is None:
            break
        if _tenter(courriel, connexion, instant):
            bilan.envoyes += 1
        else:
            bilan.echecs += 1
        if pk is not None:
            break
    return bilan


def renvoyer(courriel: Courriel, *, acteur: User) -> Courriel:
    """Staff ask for a fresh round of attempts (after a long outage, a corrected address…): the
    counter restarts and one attempt is made after the commit."""
    exiger_equipe(acteur, "Seule l'équipe du certificateur peut renvoyer un courriel.")
    maintenant = timezone.now()
    with transaction.atomic():
        courriel = Courriel.objects.select_for_update().get(pk=courriel.pk)
        if courriel.statut == StatutCourriel.ENVOYE:
            raise ErreurMetier("Ce courriel a déjà été envoyé.")
        if courriel.reserve_jusqu_a is not None and courriel.reserve_jusqu_a > maintenant:
            raise ErreurMetier("Ce courriel est en cours d'envoi : réessayez dans quelques minutes.")
        avant = {"statut": courriel.statut, "tentatives": courriel.tentatives}
        courriel.statut = StatutCourriel.A_ENVOYER
        courriel.tentatives = 0
        courriel.prochain_essai_le = maintenant
        courriel.save(update_fields=["statut", "tentatives", "prochain_essai_le"])
        enregistrer(
            action="courriels.renvoyer",
            acteur=acteur,
            objet=courriel,
            resume=f"Nouvel envoi demandé pour « {courriel.sujet} » ({', '.join(courriel.destinataires)}).",
            avant=avant,
            apres={"statut": courriel.statut, "tentatives": 0},
        )
        programmer_envoi([courriel])
    return courriel
