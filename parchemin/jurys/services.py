"""Business actions of the jury: sessions, convocations, grids, deliberation, PV signatures.

Each function is one action: one transaction, rows locked, the rule checked, an audit entry written.
A refusal raises ``ErreurMetier`` with a French message and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from parchemin.candidatures import services as services_candidatures
from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.comptes.roles import est_equipe, exiger_equipe
from parchemin.courriels.rendu import Contenu, rendre
from parchemin.courriels.services import Piece, mettre_en_file, programmer_envoi
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import enregistrer
from parchemin.referentiel.models import Certification, Competence, RegleJury, Unite

from . import composition, dates
from .ancrage_pv import ancrer_apres_verrouillage
from .deliberation import Proposition, UniteGrille, proposer
from .en_vigueur import recalculer_decisions_en_vigueur
from .enums import DECISIONS_AVEC_UNITES, DECISIONS_D_ABSENCE, Decision, Niveau, Presence, StatutSession
from .ics import Evenement, calendrier
from .models import (
    AmendementDecision,
    Evaluation,
    Grille,
    MembreJury,
    Passage,
    ProcesVerbal,
    SessionJury,
    Siege,
    SignaturePV,
    decision_en_vigueur,
)
from .planification import ProblemePlanification
from .planification import Proposition as PropositionPlanning
from .pv import rendre_pv, rendre_pv_final
from .regles import Violation
from .signaux import decision_amendee, pv_verrouille

# Decisions after which the application leaves the jury queue (absent or excused candidates stay
# "prête pour le jury" and can be put before a later session).
DECISIONS_DEFINITIVES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE, Decision.REFUS)


# --- Guards ---------------------------------------------------------------------------------------


def _verrouiller_session(session: SessionJury) -> SessionJury:
    return (
        SessionJury.objects.select_for_update(of=("self",)).select_related("certification", "regle").get(pk=session.pk)
    )


def _exiger_modifiable(session: SessionJury) -> None:
    if session.statut == StatutSession.VERROUILLEE:
        raise ErreurMetier("Le PV de cette session est signé : la session ne peut plus être modifiée.")


def _membre_siegeant(session: SessionJury, user: User) -> MembreJury:
    """The acting member, seated and not recorded absent (an absent member no longer acts)."""
    siege = Siege.objects.filter(membre__user=user, session=session).select_related("membre").first()
    if siege is None:
        raise AccesRefuse("Vous ne siégez pas dans cette session de jury.")
    if not siege.siege:
        raise ErreurMetier(
            "Vous êtes enregistré(e) absent(e) de cette session : vous n'y évaluez plus et ne signez pas son PV."
        )
    return siege.membre


def _refus_composition(violations: Sequence[Violation], prefixe: str) -> ErreurMetier:
    return ErreurMetier(prefixe + " " + " ".join(v.message for v in violations))


# --- Sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DonneesSession:
    intitule: str
    debut: datetime.datetime
    duree_minutes: int = 240
    lieu: str = ""
    lien_visio: str = ""
    max_candidats: int = 8


def creer_session(
    *, acteur: User, certification: Certification, regle: RegleJury, donnees: DonneesSession
) -> SessionJury:
    exiger_equipe(acteur)
    if regle.certification_id != certification.pk:
        raise ErreurMetier("La règle de composition choisie n'est pas celle de cette certification.")
    if not donnees.lieu.strip() and not donnees.lien_visio.strip():
        raise ErreurMetier("Indiquez un lieu ou un lien de visioconférence.")
    with transaction.atomic():
        session = SessionJury.objects.create(
            certification=certification,
            regle=regle,
            intitule=donnees.intitule,
            debut=donnees.debut,
            duree_minutes=donnees.duree_minutes,
            lieu=donnees.lieu.strip(),
            lien_visio=donnees.lien_visio.strip(),
            max_candidats=donnees.max_candidats,
        )
        enregistrer(
            action="jurys.creer_session",
            acteur=acteur,
            objet=session,
            resume=f"Session de jury créée pour le {donnees.debut:%d/%m/%Y}.",
            apres={"intitule": session.intitule, "debut": session.debut, "regle": regle.code},
        )
    return session


def _violations_apres(
    session: SessionJury, membres: Iterable[MembreJury], candidatures: Iterable[Candidature]
) -> list[Violation]:
    regle = RegleJury.objects.prefetch_related("quotas").get(pk=session.regle_id)
    return composition.verifier(regle, membres, candidatures)


def _membres_de(session: SessionJury) -> list[MembreJury]:
    """The members who sit: every seat but those recorded absent."""
    return list(
        MembreJury.objects.filter(pk__in=ids_membres_qui_siegent(session)).prefetch_related(
            "partenaires_formateur", "sessions_formateur"
        )
    )


def ids_membres_qui_siegent(session: SessionJury) -> list[int]:
    return list(Siege.objects.filter(session=session).exclude(present=False).values_list("membre_id", flat=True))


def _exiger_composition_conforme(session: SessionJury) -> None:
    """Deliberating and the PV need a jury that is within the rules with the members who sit."""
    violations = _violations_apres(session, _membres_de(session), _candidatures_de(session))
    if violations:
        raise _refus_composition(
            violations,
            "Le jury qui siège n'est pas conforme : remplacez le membre absent depuis le back-office, "
            "ou reportez la session.",
        )


def _candidatures_de(session: SessionJury) -> list[Candidature]:
    return list(Candidature.objects.filter(passages__session=session).select_related("partenaire"))


def definir_membres(session: SessionJury, membres: Sequence[MembreJury], *, acteur: User) -> SessionJury:
    """Set who sits. Allowed in preparation; once convened, only a composition that passes every rule."""
    exiger_equipe(acteur)
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        inactifs = [str(m) for m in membres if not m.actif]
        if inactifs:
            raise ErreurMetier(f"Membre(s) retiré(s) du vivier : {', '.join(inactifs)}.")
        nouveaux = list(
            MembreJury.objects.filter(pk__in=[m.pk for m in membres]).prefetch_related(
                "partenaires_formateur", "sessions_formateur"
            )
        )
        if session.statut == StatutSession.CONVOQUEE:
            raise ErreurMetier(
                "La session est convoquée : pour changer un membre, enregistrez son absence puis remplacez-le "
                "(le remplaçant reçoit sa convocation, le membre remplacé en est informé)."
            )
        avant = sorted(str(m) for m in _membres_de(session))
        Siege.objects.filter(session=session).exclude(membre__in=nouveaux).delete()
        for membre in nouveaux:
            Siege.objects.get_or_create(session=session, membre=membre)
        enregistrer(
            action="jurys.definir_membres",
            acteur=acteur,
            objet=session,
            resume="Composition du jury modifiée.",
            avant={"membres": avant},
            apres={"membres": sorted(str(m) for m in nouveaux)},
        )
    return session


def unites_anterieures(candidature: Candidature) -> list[str]:
    """Units this person already holds for this certification from earlier juries (after amendments)."""
    anterieurs = (
        Passage.objects.filter(
            candidature__candidat_id=candidature.candidat_id,
            candidature__certification_id=candidature.certification_id,
            verrouille=True,
        )
        .exclude(candidature=candidature)
        .prefetch_related("amendements")
    )
    codes: set[str] = set()
    for passage in anterieurs:
        en_vigueur = decision_en_vigueur(passage, list(passage.amendements.all()))
        if en_vigueur["decision"] in DECISIONS_AVEC_UNITES:
            codes.update(en_vigueur["unites"])
    return sorted(codes)


def ajouter_candidats(session: SessionJury, candidatures: Sequence[Candidature], *, acteur: User) -> list[Passage]:
    """Put applications before the session; the composition is checked again with them."""
    exiger_equipe(acteur)
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        verrouillees = list(
            Candidature.objects.select_for_update(of=("self",))
            .select_related("partenaire")
            .filter(pk__in=[c.pk for c in candidatures])
            .order_by("pk")
        )
        refus = []
        for candidature in verrouillees:
            if candidature.etat != EtatCandidature.PRETE_POUR_JURY:
                refus.append(
                    f"{candidature.nom_complet} n'est pas prête pour le jury ({candidature.get_etat_display()})"
                )
            elif candidature.certification_id != session.certification_id:
                refus.append(f"{candidature.nom_complet} ne vise pas la certification de cette session")
            elif Passage.objects.filter(candidature=candidature, verrouille=False).exclude(session=session).exists():
                refus.append(f"{candidature.nom_complet} est déjà inscrite dans une autre session ouverte")
        if refus:
            raise ErreurMetier("Aucun candidat n'a été ajouté : " + " ; ".join(refus) + ".")
        actuelles = _candidatures_de(session)
        deja = {c.pk for c in actuelles}
        ajout = [c for c in verrouillees if c.pk not in deja]
        if len(actuelles) + len(ajout) > session.max_candidats:
            raise ErreurMetier(
                f"La session accueille au plus {session.max_candidats} candidats "
                f"({len(actuelles)} déjà inscrits, {len(ajout)} demandés)."
            )
        violations = _violations_apres(session, _membres_de(session), [*actuelles, *ajout])
        liens = [v for v in violations if v.code.startswith("LIEN_")]
        if liens or (session.statut == StatutSession.CONVOQUEE and violations):
            raise _refus_composition(liens or violations, "Ces candidats ne peuvent pas passer devant ce jury.")
        passages = [
            Passage.objects.create(session=session, candidature=c, unites_anterieures=unites_anterieures(c))
            for c in ajout
        ]
        enregistrer(
            action="jurys.ajouter_candidats",
            acteur=acteur,
            objet=session,
            resume=f"{len(passages)} candidat(s) ajouté(s) à la session.",
            apres={"candidatures": [c.pk for c in ajout]},
        )
    return passages


def retirer_candidat(session: SessionJury, candidature: Candidature, *, acteur: User) -> None:
    exiger_equipe(acteur)
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        passage = Passage.objects.select_for_update().filter(session=session, candidature=candidature).first()
        if passage is None:
            raise ErreurMetier("Ce candidat n'est pas inscrit dans cette session.")
        if Grille.objects.filter(passage=passage).exists() or passage.decision:
            raise ErreurMetier(
                "Des grilles ou une décision existent déjà pour ce candidat : il ne peut plus être retiré."
            )
        passage.delete()
        enregistrer(
            action="jurys.retirer_candidat",
            acteur=acteur,
            objet=session,
            resume=f"{candidature.nom_complet} retiré(e) de la session.",
            avant={"candidature": candidature.pk},
        )


# --- Convocation --------------------------------------------------------------------------------


def _evenement(session: SessionJury, pour: str) -> Evenement:
    description = f"{session.certification.code} — {session.certification.intitule}. {pour}"
    return Evenement(
        uid=f"session-jury-{session.pk}@{settings.SITE_URL.split('://')[-1]}",
        debut=session.debut,
        fin=session.fin,
        resume=f"Jury {session.certification.code} — {session.intitule}",
        description=description + (f" Visioconférence : {session.lien_visio}" if session.lien_visio else ""),
        lieu=session.lieu or session.lien_visio,
        url=session.lien_visio,
    )


@dataclass(frozen=True)
class Convocation:
    adresse: str
    contenu: Contenu
    invitation: bytes


def _convocation(
    session: SessionJury, adresse: str, salutation: str, pour: str, maintenant: datetime.datetime
) -> Convocation:
    contenu = rendre(
        "jurys/courriels/convocation",
        {
            "session": session,
            "code": session.certification.code,
            "debut": timezone.localtime(session.debut),
            "salutation": salutation,
            "pour": pour,
        },
    )
    return Convocation(adresse, contenu, calendrier(_evenement(session, pour), maintenant=maintenant))


def _mettre_en_file(session: SessionJury, convocations: Sequence[Convocation]) -> None:
    """Queue the convocations in the outbox (inside the action's transaction), tried after the commit."""
    courriels = [
        mettre_en_file(
            [c.adresse],
            c.contenu.sujet,
            c.contenu.texte,
            html=c.contenu.html,
            pieces_jointes=[Piece("convocation.ics", c.invitation, "text/calendar")],
            objet=session,
            essayer=False,
        )
        for c in convocations
    ]
    programmer_envoi(courriels)


def _composition(
    session: SessionJury, membres: Sequence[MembreJury], candidatures: Sequence[Candidature]
) -> dict[str, Any]:
    """What a convocation announces: who sits, who is heard, when and where."""
    return {
        "membres": sorted(m.pk for m in membres),
        "candidatures": sorted(c.pk for c in candidatures),
        "debut": session.debut.isoformat(),
        "lieu": session.lieu,
        "lien_visio": session.lien_visio,
    }


def _derniere_composition_convoquee(session: SessionJury) -> dict[str, Any] | None:
    derniere = (
        EntreeJournal.objects.filter(
            action="jurys.convoquer", objet_type=session._meta.label_lower, objet_id=str(session.pk)
        )
        .order_by("-sequence")
        .values_list("apres", flat=True)
        .first()
    )
    return (derniere or {}).get("composition")


def convoquer(
    session: SessionJury, *, acteur: User, maintenant: datetime.datetime | None = None, envoyer: bool = True
) -> SessionJury:
    """Convene members and candidates; refused while the composition breaks a rule.

    ``envoyer=False`` records the convocation without mailing it (demo data, a session convened by phone).
    """
    exiger_equipe(acteur)
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        membres = _membres_de(session)
        candidatures = _candidatures_de(session)
        violations = _violations_apres(session, membres, candidatures)
        if violations:
            raise _refus_composition(violations, "La session ne peut pas être convoquée.")
        if not candidatures:
            raise ErreurMetier("Ajoutez au moins un candidat avant de convoquer la session.")
        composition = _composition(session, membres, candidatures)
        if session.statut == StatutSession.CONVOQUEE and _derniere_composition_convoquee(session) == composition:
            # A double click or a second tab: the same people were already convened for the same time.
            raise ErreurMetier(
                f"La session est déjà convoquée (le {timezone.localtime(session.convoquee_le):%d/%m/%Y à %H:%M}) "
                "et sa composition n'a pas changé depuis : aucune convocation n'est renvoyée."
            )
        convocations = [
            _convocation(session, m.email, str(m), "Vous êtes convoqué(e) en qualité de membre du jury.", maintenant)
            for m in membres
        ]
        convocations += [
            _convocation(
                session,
                c.email or c.candidat.email,
                c.nom_complet,
                "Vous êtes convoqué(e) devant le jury pour présenter votre candidature.",
                maintenant,
            )
            for c in Candidature.objects.filter(pk__in=[c.pk for c in candidatures]).select_related("candidat")
        ]
        avant = session.statut
        session.statut = StatutSession.CONVOQUEE
        session.convoquee_le = maintenant
        session.save(update_fields=["statut", "convoquee_le"])
        enregistrer(
            action="jurys.convoquer",
            acteur=acteur,
            objet=session,
            resume=f"Session convoquée : {len(membres)} membre(s) et {len(candidatures)} candidat(s)"
            + (" (convocations envoyées par e-mail)." if envoyer else " (sans envoi d'e-mail)."),
            avant={"statut": avant},
            apres={"statut": session.statut, "composition": composition},
        )
        if envoyer:
            _mettre_en_file(session, convocations)
    return session


def enregistrer_presence(session: SessionJury, candidature: Candidature, presence: str, *, acteur: User) -> Passage:
    if presence not in Presence.values:
        raise ErreurMetier("Présence inconnue.")
    with transaction.atomic():
        session = _verrouiller_session(session)
        if not est_equipe(acteur):
            _membre_siegeant(session, acteur)
        _exiger_modifiable(session)
        dates.exiger_jour_venu(session, dates.CONSTATER_PRESENCE)
        passage = _passage(session, candidature)
        avant = passage.presence
        passage.presence = presence
        passage.save(update_fields=["presence"])
        enregistrer(
            action="jurys.presence",
            acteur=acteur,
            objet=passage,
            resume=f"Présence de {candidature.nom_complet} : {passage.get_presence_display()}.",
            avant={"presence": avant},
            apres={"presence": presence},
        )
    return passage


def enregistrer_presences_membres(session: SessionJury, presents: Iterable[int], *, acteur: User) -> list[Violation]:
    """Record which seated members attended (shown on the PV), on the session's day.

    The composition is checked again at once with the members who sit: the violations are returned
    (and journaled) so that staff see straight away whether a replacement is needed.
    """
    exiger_equipe(acteur)
    ids = set(presents)
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        dates.exiger_jour_venu(session, dates.CONSTATER_PRESENCE)
        if ProcesVerbal.objects.filter(session=session).exists():
            raise ErreurMetier("Le PV est établi : la présence des membres ne peut plus changer.")
        sieges = list(
            Siege.objects.select_for_update(of=("self",))
            .filter(session=session)
            .select_related("membre")
            .order_by("pk")
        )
        inconnus = ids - {s.membre_id for s in sieges}
        if inconnus:
            raise ErreurMetier("Seuls les membres qui siègent dans la session peuvent être déclarés présents.")
        remplacants = {s.remplace_id: s.membre for s in sieges if s.remplace_id is not None}
        remplaces = [
            f"{s.membre} a été remplacé(e) par {remplacants[s.pk]}"
            for s in sieges
            if s.membre_id in ids and s.pk in remplacants
        ]
        if remplaces:
            raise ErreurMetier("Présences non enregistrées : " + " ; ".join(remplaces) + ".")
        avant = {str(s.membre): s.present for s in sieges}
        for siege in sieges:
            siege.present = siege.membre_id in ids
            siege.save(update_fields=["present"])
        violations = _violations_apres(session, _membres_de(session), _candidatures_de(session))
        enregistrer(
            action="jurys.presences_membres",
            acteur=acteur,
            objet=session,
            resume=f"Présence des membres : {len(ids)} présent(s) sur {len(sieges)}. "
            + ("Composition conforme." if not violations else "Composition non conforme : remplacement à prévoir."),
            avant=avant,
            apres={
                **{str(s.membre): s.present for s in sieges},
                "violations": [v.message for v in violations],
            },
        )
    return violations


# --- Absences, replacements, postponement ---------------------------------------------------------


@dataclass(frozen=True)
class Remplacant:
    """A pool member considered to replace an absent one, with every rule the session would break."""

    membre: MembreJury
    violations: tuple[Violation, ...]
    disponible: bool
    charge: int

    @property
    def conforme(self) -> bool:
        return not self.violations


def suggerer_remplacants(session: SessionJury, absent: MembreJury) -> list[Remplacant]:
    """Every active pool member who could take the absent member's seat, best first: within the rules,
    then available on the session's day, then with the fewest seats already (spreading the load)."""
    jour = dates.jour_de(session)
    regle = RegleJury.objects.prefetch_related("quotas").get(pk=session.regle_id)
    restants = [m for m in _membres_de(session) if m.pk != absent.pk]
    candidatures = _candidatures_de(session)
    deja = set(Siege.objects.filter(session=session).values_list("membre_id", flat=True))
    pool = list(
        MembreJury.objects.actifs()
        .exclude(pk__in=deja)
        .prefetch_related("partenaires_formateur", "sessions_formateur", "disponibilites", "sieges")
    )
    suggestions = [
        Remplacant(
            membre=m,
            violations=tuple(composition.verifier(regle, [*restants, m], candidatures)),
            disponible=any(d.date == jour for d in m.disponibilites.all()),
            charge=len(m.sieges.all()),
        )
        for m in pool
    ]
    return sorted(suggestions, key=lambda r: (not r.conforme, not r.disponible, r.charge, r.membre.nom, r.membre.pk))


def _avis_remplacement(session: SessionJury, absent: MembreJury, remplacant: MembreJury) -> None:
    """Tell the replaced member they no longer sit (no invitation: nothing to add to a calendar)."""
    contenu = rendre(
        "jurys/courriels/remplacement",
        {
            "session": session,
            "code": session.certification.code,
            "debut": timezone.localtime(session.debut),
            "absent": str(absent),
            "remplacant": str(remplacant),
        },
    )
    courriel = mettre_en_file(
        [absent.email], contenu.sujet, contenu.texte, html=contenu.html, objet=session, essayer=False
    )
    programmer_envoi([courriel])


def remplacer_membre(
    session: SessionJury,
    absent: MembreJury,
    remplacant: MembreJury,
    *,
    acteur: User,
    maintenant: datetime.datetime | None = None,
    envoyer: bool = True,
) -> Siege:
    """Seat ``remplacant`` in place of ``absent`` (recorded absent if not yet), within the rules.

    The replacement is convened (e-mail with the .ics invitation), the absent member told; the PV
    will say who replaced whom. Refused, with nothing written, once deliberation has begun.
    ``envoyer=False`` records it without mailing (demo data, a replacement arranged by phone)."""
    exiger_equipe(acteur)
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        session = _verrouiller_session(session)
        if session.statut == StatutSession.VERROUILLEE:
            raise ErreurMetier("Le PV de cette session est signé et final : un membre ne peut plus y être remplacé.")
        if session.statut != StatutSession.CONVOQUEE:
            raise ErreurMetier(
                "La session n'est pas encore convoquée : modifiez simplement sa composition (« Choisir les membres »)."
            )
        if ProcesVerbal.objects.filter(session=session).exists() or session.passages.exclude(decision="").exists():
            raise ErreurMetier(
                "La délibération a commencé : un membre ne peut plus être remplacé. Reportez la session si le jury "
                "ne peut pas siéger au complet."
            )
        siege = (
            Siege.objects.select_for_update(of=("self",))
            .select_related("membre")
            .filter(session=session, membre_id=absent.pk)
            .first()
        )
        if siege is None:
            raise ErreurMetier(f"{absent} ne siège pas dans cette session.")
        if Siege.objects.filter(remplace=siege).exists():
            raise ErreurMetier(f"{absent} a déjà été remplacé(e).")
        if Siege.objects.filter(session=session, membre_id=remplacant.pk).exists():
            raise ErreurMetier(f"{remplacant} siège déjà dans cette session : choisissez un autre membre du vivier.")
        remplacant = (
            MembreJury.objects.prefetch_related("partenaires_formateur", "sessions_formateur")
            .filter(pk=remplacant.pk)
            .get()
        )
        if not remplacant.actif:
            raise ErreurMetier(f"{remplacant} a été retiré(e) du vivier.")
        restants = [m for m in _membres_de(session) if m.pk != absent.pk]
        violations = _violations_apres(session, [*restants, remplacant], _candidatures_de(session))
        if violations:
            raise _refus_composition(
                violations, f"{remplacant} ne peut pas remplacer {absent} : le jury ne serait pas conforme."
            )
        presence_avant = siege.present
        siege.present = False
        siege.save(update_fields=["present"])
        nouveau = Siege.objects.create(session=session, membre=remplacant, remplace=siege)
        enregistrer(
            action="jurys.remplacer_membre",
            acteur=acteur,
            objet=session,
            resume=f"{absent} (absent·e) remplacé·e par {remplacant}"
            + (" ; convocation envoyée au remplaçant, avis envoyé au membre remplacé." if envoyer else "."),
            avant={"membre": str(absent), "present": presence_avant},
            apres={"remplacant": str(remplacant), "remplacant_id": remplacant.pk, "absent_id": absent.pk},
        )
        if not envoyer:
            return nouveau
        _mettre_en_file(
            session,
            [
                _convocation(
                    session,
                    remplacant.email,
                    str(remplacant),
                    f"Vous êtes convoqué(e) en qualité de membre du jury, en remplacement de {absent}.",
                    maintenant,
                )
            ],
        )
        _avis_remplacement(session, absent, remplacant)
    return nouveau


def deplacer_session(
    session: SessionJury, nouveau_debut: datetime.datetime, *, acteur: User, motif: str
) -> SessionJury:
    """Move (postpone) a session: drafts, submitted grids and seats are kept; presences recorded on
    the old day are cleared (an absent member not replaced is expected again); a convened session's
    members and candidates receive the new date with an updated invitation."""
    exiger_equipe(acteur)
    if not motif.strip():
        raise ErreurMetier("Indiquez le motif du report : il figure dans le message envoyé à chacun.")
    if timezone.localtime(nouveau_debut).date() < timezone.localdate():
        raise ErreurMetier("La nouvelle date est déjà passée : choisissez aujourd'hui ou une date à venir.")
    with transaction.atomic():
        session = _verrouiller_session(session)
        _exiger_modifiable(session)
        if ProcesVerbal.objects.filter(session=session).exists() or session.passages.exclude(decision="").exists():
            raise ErreurMetier("La délibération a commencé : la session ne peut plus être reportée.")
        avant = session.debut
        session.debut = nouveau_debut
        session.save(update_fields=["debut"])
        Siege.objects.filter(session=session, present=True).update(present=None)
        Siege.objects.filter(session=session, present=False, remplacant__isnull=True).update(present=None)
        Passage.objects.filter(session=session).update(presence="")
        enregistrer(
            action="jurys.deplacer_session",
            acteur=acteur,
            objet=session,
            resume=f"Session déplacée du {timezone.localtime(avant):%d/%m/%Y %H:%M} au "
            f"{timezone.localtime(nouveau_debut):%d/%m/%Y %H:%M} : {motif.strip()}",
            avant={"debut": avant},
            apres={"debut": nouveau_debut, "motif": motif.strip()},
        )
        if session.statut == StatutSession.CONVOQUEE:
            maintenant = timezone.now()
            pour = f"La session est reportée ({motif.strip()}) : voici la nouvelle date. Vos travaux sont conservés."
            _mettre_en_file(
                session,
                [_convocation(session, m.email, str(m), pour, maintenant) for m in _membres_de(session)]
                + [
                    _convocation(session, c.email or c.candidat.email, c.nom_complet, pour, maintenant)
                    for c in Candidature.objects.filter(passages__session=session).select_related("candidat")
                ],
            )
    return session


def _passage(session: SessionJury, candidature: Candidature) -> Passage:
    passage = (
        Passage.objects.select_for_update(of=("self",))
        .select_related("candidature", "candidature__version_referentiel")
        .filter(session=session, candidature_id=candidature.pk)
        .first()
    )
    if passage is None:
        raise ErreurMetier(f"{candidature.nom_complet} n'est pas inscrit(e) dans cette session de jury.")
    return passage


# --- Grids --------------------------------------------------------------------------------------


def competences_a_evaluer(passage: Passage) -> list[Competence]:
    """The grid is derived from the candidate's référentiel version, minus units held already."""
    return list(
        Competence.objects.filter(version_id=passage.candidature.version_referentiel_id)
        .exclude(unite__code__in=passage.unites_anterieures)
        .select_related("unite")
        .order_by("unite__ordre", "ordre")
    )


@dataclass(frozen=True)
class Saisie:
    niveau: str
    commentaire: str = ""


def grille_de(passage: Passage, membre: MembreJury) -> Grille:
    grille, _ = Grille.objects.get_or_create(passage=passage, membre=membre)
    return grille


def enregistrer_grille(
    session: SessionJury,
    candidature: Candidature,
    *,
    acteur: User,
    saisies: Mapping[int, Saisie],
    version_lue: int,
    soumettre: bool = False,
) -> Grille:
    """Save (and optionally submit) the acting member's grid.

    ``version_lue`` is the grid version the member's form was built from: if another save happened
    since (same member in two tabs), the save is refused instead of overwriting it. A grid saved
    unchanged writes nothing (no empty grid is created, its version stays): the version says
    that the content changed.
    """
    with transaction.atomic():
        session = _verrouiller_session(session)
        membre = _membre_siegeant(session, acteur)
        _exiger_modifiable(session)
        if soumettre:
            dates.exiger_jour_venu(session, dates.SOUMETTRE_GRILLE)
        passage = _passage(session, candidature)
        if passage.absent_ou_excuse:
            raise ErreurMetier(
                f"{candidature.nom_complet} est {passage.get_presence_display().lower()} : pas de grille."
            )
        grille = Grille.objects.select_for_update().filter(passage=passage, membre=membre).first()
        if grille is None:
            if not saisies and not soumettre:
                return Grille(passage=passage, membre=membre)
            grille_de(passage, membre)
            grille = Grille.objects.select_for_update().get(passage=passage, membre=membre)
        if grille.soumise:
            raise ErreurMetier("Cette grille a déjà été soumise : elle ne peut plus être modifiée.")
        if grille.version != version_lue:
            raise ErreurMetier(
                "La grille a été modifiée depuis que vous l'avez ouverte : rechargez-la pour voir la dernière version."
            )
        competences = {c.pk: c for c in competences_a_evaluer(passage)}
        inconnues = set(saisies) - set(competences)
        if inconnues:
            raise ErreurMetier("La grille contient des compétences qui ne sont pas évaluées pour ce candidat.")
        for saisie in saisies.values():
            if saisie.niveau not in Niveau.values:
                raise ErreurMetier("Niveau inconnu : choisissez acquis, en cours d'acquisition ou non acquis.")
        actuelles = {e.competence_id: (e.niveau, e.commentaire) for e in Evaluation.objects.filter(grille=grille)}
        if not soumettre and all(actuelles.get(pk) == (s.niveau, s.commentaire.strip()) for pk, s in saisies.items()):
            return grille
        for pk, saisie in saisies.items():
            Evaluation.objects.update_or_create(
                grille=grille,
                competence_id=pk,
                defaults={"niveau": saisie.niveau, "commentaire": saisie.commentaire.strip()},
            )
        if soumettre:
            evaluees = set(Evaluation.objects.filter(grille=grille).values_list("competence_id", flat=True))
            manquantes = [competences[pk].code for pk in competences if pk not in evaluees]
            if manquantes:
                raise ErreurMetier(
                    f"Évaluez toutes les compétences avant de soumettre (manquantes : {', '.join(manquantes)})."
                )
            grille.soumise_le = timezone.now()
        grille.version += 1
        grille.save(update_fields=["version", "soumise_le"])
        enregistrer(
            action="jurys.soumettre_grille" if soumettre else "jurys.enregistrer_grille",
            acteur=acteur,
            objet=grille,
            resume=("Grille soumise" if soumettre else "Grille enregistrée") + f" pour {candidature.nom_complet}.",
            apres={"version": grille.version, "niveaux": {competences[pk].code: s.niveau for pk, s in saisies.items()}},
        )
    return grille


# --- Deliberation ---------------------------------------------------------------------------------


def unites_de(passage: Passage) -> list[UniteGrille]:
    unites = Unite.objects.filter(version_id=passage.candidature.version_referentiel_id).prefetch_related("competences")
    return [UniteGrille(u.code, tuple(c.code for c in u.competences.all())) for u in unites.order_by("ordre")]


def proposition(passage: Passage) -> Proposition:
    """Combine the submitted grids of the members who sit (an absent member's grid does not count)."""
    grilles = [
        {e.competence.code: e.niveau for e in g.evaluations.all()}
        for g in passage.grilles.filter(
            soumise_le__isnull=False, membre_id__in=ids_membres_qui_siegent(passage.session)
        ).prefetch_related("evaluations__competence")
    ]
    return proposer(unites_de(passage), grilles, passage.unites_anterieures, passage.presence or Presence.PRESENT)


def grilles_manquantes(passage: Passage, sieges: Iterable[Siege] | None = None) -> list[str]:
    """The members seated on the session whose grid for this candidate is not submitted yet (none for
    an absent or excused candidate). A page listing every candidate passes the session's ``sieges``
    (with their members) and prefetches ``grilles``, so this costs no query there."""
    if passage.absent_ou_excuse:
        return []
    if sieges is None:
        sieges = passage.session.sieges.select_related("membre")
    soumis = {grille.membre_id for grille in passage.grilles.all() if grille.soumise}
    # Only the members who sit: a member recorded absent is not waited for.
    return [str(siege.membre) for siege in sieges if siege.siege and siege.membre_id not in soumis]


def obstacle_a_la_deliberation(passage: Passage, sieges: Iterable[Siege] | None = None) -> str | None:
    """Why the jury cannot deliberate on this candidate yet, in French, or None when it can: the one
    definition of "ready to deliberate" (presence recorded, the grid of every member who sits submitted),
    read by ``deliberer`` and by the session page."""
    if not passage.presence:
        return f"Indiquez d'abord si {passage.candidature.nom_complet} est présent(e), absent(e) ou excusé(e)."
    manquantes = grilles_manquantes(passage, sieges)
    if manquantes:
        return f"Grilles non soumises pour {passage.candidature.nom_complet} : {', '.join(manquantes)}."
    return None


def pret_a_deliberer(passage: Passage, sieges: Iterable[Siege] | None = None) -> bool:
    return obstacle_a_la_deliberation(passage, sieges) is None


def deliberer(
    session: SessionJury,
    candidature: Candidature,
    *,
    acteur: User,
    decision: str,
    unites: Sequence[str] | None = None,
    motif: str = "",
    observations: str = "",
) -> Passage:
    """Confirm the proposed decision, or amend it with a reason. Any change renders the PV anew.

    ``observations`` are the jury's words meant for the candidate, shown with their result."""
    with transaction.atomic():
        session = _verrouiller_session(session)
        _membre_siegeant(session, acteur)
        _exiger_modifiable(session)
        if session.statut != StatutSession.CONVOQUEE:
            raise ErreurMetier("La session doit être convoquée avant de délibérer.")
        dates.exiger_jour_venu(session, dates.DELIBERER)
        _exiger_composition_conforme(session)
        passage = _passage(session, candidature)
        obstacle = obstacle_a_la_deliberation(passage)
        if obstacle is not None:
            raise ErreurMetier(obstacle)
        if decision not in Decision.values:
            raise ErreurMetier("Décision inconnue.")
        absent = passage.absent_ou_excuse
        if absent != (decision in DECISIONS_D_ABSENCE):
            raise ErreurMetier(
                f"{candidature.nom_complet} est {passage.get_presence_display().lower()} : "
                + ("le jury ne peut que constater son absence." if absent else "décidez sur ses grilles.")
            )
        proposee = proposition(passage)
        codes_unites = {u.code for u in unites_de(passage)}
        retenues = sorted(proposee.unites if unites is None else set(unites))
        if set(retenues) - codes_unites:
            raise ErreurMetier("Une unité choisie n'appartient pas au référentiel du candidat.")
        if decision == Decision.VALIDATION_TOTALE:
            retenues = sorted(codes_unites)
        elif decision == Decision.VALIDATION_PARTIELLE and not retenues:
            raise ErreurMetier("Une validation partielle indique les unités validées.")
        elif decision not in DECISIONS_AVEC_UNITES:
            retenues = sorted(passage.unites_anterieures)
        amendee = decision != proposee.decision or retenues != sorted(proposee.unites)
        if amendee and not motif.strip():
            raise ErreurMetier("La décision s'écarte de la proposition issue des grilles : indiquez le motif.")
        avant = {"decision": passage.decision, "unites": passage.unites_validees, "observations": passage.observations}
        passage.observations = observations.strip()
        passage.decision_proposee = proposee.decision
        passage.unites_proposees = sorted(proposee.unites)
        passage.decision = decision
        passage.unites_validees = retenues
        passage.motif_amendement = motif.strip() if amendee else ""
        passage.deliberee_le = timezone.now()
        passage.deliberee_par = acteur
        passage.save()
        enregistrer(
            action="jurys.amender_decision" if amendee else "jurys.confirmer_decision",
            acteur=acteur,
            objet=passage,
            resume=f"Décision pour {candidature.nom_complet} : {passage.get_decision_display()}"
            + (f" (amendée : {passage.motif_amendement})" if amendee else " (proposition confirmée)."),
            avant=avant,
            apres={
                "decision": decision,
                "unites": retenues,
                "proposee": proposee.decision,
                "observations": passage.observations,
            },
        )
        pv = ProcesVerbal.objects.select_for_update().filter(session=session).first()
        if pv is not None:
            _rendre(session, pv)
    return passage


def pv_en_vigueur(session: SessionJury) -> ProcesVerbal | None:
    """The newest version of the session's PV (older ones are sealed and superseded)."""
    return ProcesVerbal.objects.filter(session=session).select_related("remplace").first()


def _rendre(session: SessionJury, pv: ProcesVerbal) -> ProcesVerbal:
    """Render an unsigned version anew (a decision changed): signatures given on the old text lapse."""
    pdf, empreinte = rendre_pv(session, numero_version=pv.numero_version + 1, remplace=pv.remplace)
    pv.numero_version += 1
    pv.pdf = pdf
    pv.sha256 = empreinte
    pv.genere_le = timezone.now()
    pv.save()
    # Each version's hash goes to the journal: verifier_pv checks the stored PV against the last one.
    enregistrer(
        action="jurys.rendre_pv",
        objet=pv,
        resume=f"PV rendu à nouveau (version {pv.numero_version}) après un changement de décision.",
        apres={"sha256": pv.sha256, "version": pv.numero_version},
    )
    return pv


def etablir_pv(session: SessionJury, *, acteur: User) -> ProcesVerbal:
    """Render the first PV once every candidate has a decision; members then sign its SHA-256.
    Later deliberations render it anew (``deliberer``), so signatures always bind the current text."""
    with transaction.atomic():
        session = _verrouiller_session(session)
        if not est_equipe(acteur):
            _membre_siegeant(session, acteur)
        _exiger_modifiable(session)
        dates.exiger_jour_venu(session, dates.ETABLIR_PV)
        _exiger_composition_conforme(session)
        sans_decision = [
            p.candidature.nom_complet for p in session.passages.select_related("candidature") if not p.decision
        ]
        if sans_decision:
            raise ErreurMetier(f"Délibérez d'abord sur : {', '.join(sans_decision)}.")
        if not session.passages.exists():
            raise ErreurMetier("La session n'a aucun candidat.")
        if ProcesVerbal.objects.filter(session=session).exists():
            raise ErreurMetier(
                "Le PV est déjà établi ; il est rendu à nouveau automatiquement à chaque changement de décision."
            )
        pdf, empreinte = rendre_pv(session, numero_version=1)
        pv = ProcesVerbal.objects.create(session=session, pdf=pdf, sha256=empreinte, genere_le=timezone.now())
        enregistrer(
            action="jurys.etablir_pv",
            acteur=acteur,
            objet=pv,
            resume=f"PV établi (version {pv.numero_version}).",
            apres={"sha256": pv.sha256, "version": pv.numero_version},
        )
    return pv


def signatures_valides(pv: ProcesVerbal) -> QuerySet[SignaturePV]:
    return pv.signatures.filter(sha256=pv.sha256)


def _code_totp_valide(user: User, code: str) -> bool:
    authentificateur = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authentificateur is not None and bool(authentificateur.wrap().validate_code(code.strip()))


class CodeTotpInvalide(ErreurMetier):
    """The signature's TOTP code was wrong (counted against the attempts allowed)."""


# A signature re-authenticates: like a login, wrong codes are limited (per account, sliding window).
ESSAIS_SIGNATURE = 5
FENETRE_ESSAIS_SECONDES = 300


def _cle_essais(user: User) -> str:
    return f"jurys.signature.echecs.{user.pk}"


def signer_pv(
    session: SessionJury, *, acteur: User, code_totp: str, sha256_lu: str, maintenant: datetime.datetime | None = None
) -> SignaturePV:
    """Sign the PV as read: the member re-authenticates with a TOTP code and posts the hash they saw."""
    if cache.get(_cle_essais(acteur), 0) >= ESSAIS_SIGNATURE:
        raise ErreurMetier("Trop de codes erronés : attendez quelques minutes avant de signer à nouveau.")
    try:
        return _signer(session, acteur=acteur, code_totp=code_totp, sha256_lu=sha256_lu, maintenant=maintenant)
    except CodeTotpInvalide:
        # Counted outside the rolled-back transaction (the cache may live in the database).
        cache.add(_cle_essais(acteur), 0, FENETRE_ESSAIS_SECONDES)
        cache.incr(_cle_essais(acteur))
        raise


def _signer(
    session: SessionJury, *, acteur: User, code_totp: str, sha256_lu: str, maintenant: datetime.datetime | None
) -> SignaturePV:
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        session = _verrouiller_session(session)
        membre = _membre_siegeant(session, acteur)
        dates.exiger_jour_venu(session, dates.SIGNER_PV)
        pv = ProcesVerbal.objects.select_for_update().filter(session=session).first()
        if pv is None:
            raise ErreurMetier("Le PV n'est pas encore établi.")
        lu = sha256_lu.strip().lower()
        remplacee = ProcesVerbal.objects.filter(session=session, sha256=lu).exclude(pk=pv.pk).first()
        if remplacee is not None:
            raise ErreurMetier(
                f"La version {remplacee.numero_version} du PV a été remplacée par la version {pv.numero_version} : "
                "elle ne se signe plus. Relisez la nouvelle version avant de signer."
            )
        if pv.verrouille_le is not None:
            raise ErreurMetier("Le PV est déjà signé par tous les membres et verrouillé.")
        if lu != pv.sha256:
            raise ErreurMetier(
                "Le PV a changé depuis que vous l'avez lu : relisez la nouvelle version avant de signer."
            )
        if signatures_valides(pv).filter(membre=membre).exists():
            raise ErreurMetier("Vous avez déjà signé cette version du PV.")
        if not _code_totp_valide(acteur, code_totp):
            raise CodeTotpInvalide("Code de vérification invalide : saisissez le code actuel de votre application.")
        signature = SignaturePV.objects.create(
            pv=pv, membre=membre, user=acteur, sha256=pv.sha256, signee_le=maintenant
        )
        enregistrer(
            action="jurys.signer_pv",
            acteur=acteur,
            objet=pv,
            resume=f"PV signé par {membre} (signature électronique simple, code TOTP vérifié).",
            apres={"sha256": pv.sha256, "version": pv.numero_version, "membre": membre.pk, "horodatage": maintenant},
        )
        signataires = set(signatures_valides(pv).values_list("membre_id", flat=True))
        if signataires >= set(ids_membres_qui_siegent(session)):
            _verrouiller(session, pv, acteur, maintenant)
    return signature


def _sceller(pv: ProcesVerbal, acteur: User, maintenant: datetime.datetime) -> None:
    """Produce the final PV (signature table, PAdES seal) and lock this version with it, for good."""
    signatures = list(signatures_valides(pv).select_related("membre").order_by("signee_le", "pk"))
    pdf_final, empreinte_finale = rendre_pv_final(pv, signatures, maintenant)
    pv.verrouille_le = maintenant
    pv.pdf_final = pdf_final
    pv.sha256_final = empreinte_finale
    pv.save(update_fields=["verrouille_le", "pdf_final", "sha256_final"])
    enregistrer(
        action="jurys.sceller_pv",
        acteur=acteur,
        objet=pv,
        resume=f"PV final (version {pv.numero_version}) produit et scellé par le cachet du certificateur.",
        apres={
            "sha256_signe": pv.sha256,
            "sha256_final": empreinte_finale,
            "version": pv.numero_version,
            "signataires": [s.membre_id for s in signatures],
            "remplace": pv.remplace.numero_version if pv.remplace else None,
        },
    )


def _verrouiller(session: SessionJury, pv: ProcesVerbal, acteur: User, maintenant: datetime.datetime) -> None:
    _sceller(pv, acteur, maintenant)
    if pv.remplace_id is not None:
        # A version after an amendment: decisions and applications were locked with the first one.
        enregistrer(
            action="jurys.verrouiller_pv",
            acteur=acteur,
            objet=pv,
            resume=f"Version {pv.numero_version} du PV signée par tous les membres : verrouillée.",
            apres={"sha256": pv.sha256, "verrouille_le": maintenant},
        )
        return
    session.statut = StatutSession.VERROUILLEE
    session.save(update_fields=["statut"])
    passages = list(Passage.objects.select_for_update().filter(session=session).order_by("pk"))
    Passage.objects.filter(pk__in=[p.pk for p in passages]).update(verrouille=True)
    recalculer_decisions_en_vigueur(p.candidature_id for p in passages)
    candidatures = Candidature.objects.filter(
        pk__in=[p.candidature_id for p in passages if p.decision in DECISIONS_DEFINITIVES]
    )
    for candidature in candidatures.order_by("pk"):
        services_candidatures.enregistrer_decision_jury(
            candidature, acteur=acteur, resume=f"Décision du jury rendue (PV de la session {session.pk} signé)."
        )
    enregistrer(
        action="jurys.verrouiller_pv",
        acteur=acteur,
        objet=pv,
        resume="PV signé par tous les membres : PV et décisions verrouillés.",
        apres={"sha256": pv.sha256, "verrouille_le": maintenant},
    )
    transaction.on_commit(lambda: ancrer_apres_verrouillage(pv))
    transaction.on_commit(lambda: pv_verrouille.send(sender=SessionJury, session=session))


def amender_apres_signature(
    session: SessionJury,
    candidature: Candidature,
    *,
    acteur: User,
    decision: str,
    unites: Sequence[str],
    motif: str,
) -> AmendementDecision:
    """A correction after signature: a new audited record; the signed decision stays as it was."""
    exiger_equipe(acteur)
    if not motif.strip():
        raise ErreurMetier("Un amendement après signature doit être motivé.")
    if decision not in Decision.values:
        raise ErreurMetier("Décision inconnue.")
    with transaction.atomic():
        session = _verrouiller_session(session)
        if session.statut != StatutSession.VERROUILLEE:
            raise ErreurMetier("Le PV n'est pas encore signé : modifiez la délibération elle-même.")
        if session.reprise:
            raise ErreurMetier(
                "Ce jury est repris de l'historique : son PV papier fait foi et n'a pas de version électronique "
                "à amender ici."
            )
        passage = _passage(session, candidature)
        codes = {u.code for u in unites_de(passage)}
        if set(unites) - codes:
            raise ErreurMetier("Une unité choisie n'appartient pas au référentiel du candidat.")
        avant = decision_en_vigueur(passage)
        amendement = AmendementDecision.objects.create(
            passage=passage,
            decision_avant=avant["decision"],
            unites_avant=avant["unites"],
            decision_apres=decision,
            unites_apres=sorted(codes if decision == Decision.VALIDATION_TOTALE else set(unites)),
            motif=motif.strip(),
            auteur=acteur,
        )
        recalculer_decisions_en_vigueur([passage.candidature_id])
        enregistrer(
            action="jurys.amender_apres_signature",
            acteur=acteur,
            objet=passage,
            resume=f"Amendement après signature pour {candidature.nom_complet} : {motif.strip()}",
            avant=avant,
            apres={"decision": amendement.decision_apres, "unites": amendement.unites_apres},
        )
        _nouvelle_version_apres_amendement(session, acteur)
        transaction.on_commit(lambda: decision_amendee.send(sender=Passage, passage=passage, acteur=acteur))
    return amendement


def _nouvelle_version_apres_amendement(session: SessionJury, acteur: User) -> ProcesVerbal | None:
    """A new PV version to sign again; the sealed one stays as it was, superseded by this one.

    If a version is already waiting for signatures (two amendments in a row), it is rendered anew.
    A session locked without a PV here (decisions recorded from an earlier, paper PV) gets none."""
    actuel = ProcesVerbal.objects.select_for_update().filter(session=session).first()
    if actuel is None:
        return None
    if actuel.verrouille_le is None:
        return _rendre(session, actuel)
    numero = actuel.numero_version + 1
    pdf, empreinte = rendre_pv(session, numero_version=numero, remplace=actuel)
    nouveau = ProcesVerbal.objects.create(
        session=session, numero_version=numero, pdf=pdf, sha256=empreinte, genere_le=timezone.now(), remplace=actuel
    )
    enregistrer(
        action="jurys.nouvelle_version_pv",
        acteur=acteur,
        objet=nouveau,
        resume=f"Version {numero} du PV établie après amendement : elle remplace la version "
        f"{actuel.numero_version}, qui reste conservée, et doit être signée à nouveau par les membres.",
        avant={"version": actuel.numero_version, "sha256_final": actuel.sha256_final},
        apres={"version": numero, "sha256": empreinte},
    )
    return nouveau


# --- Planning -----------------------------------------------------------------------------------


def candidatures_a_planifier(regle: RegleJury) -> list[Candidature]:
    """Applications ready for a jury under this rule, not already in an open session."""
    voies = list(regle.voies_acces.filter(autorisee=True).values_list("voie", flat=True))
    return list(
        Candidature.objects.filter(
            certification_id=regle.certification_id, voie__in=voies, etat=EtatCandidature.PRETE_POUR_JURY
        )
        .exclude(passages__verrouille=False)
        .select_related("partenaire")
        .order_by("pk")
    )


def demande_planification(
    regle: RegleJury, dates: Sequence[datetime.date], max_candidats: int, *, temps_max_secondes: float = 20.0
) -> ProblemePlanification:
    membres = list(
        MembreJury.objects.actifs().prefetch_related("partenaires_formateur", "sessions_formateur", "disponibilites")
    )
    regle = RegleJury.objects.prefetch_related("quotas").get(pk=regle.pk)
    return ProblemePlanification(
        regle=composition.regle_composition(regle),
        membres=[composition.profil_membre(m) for m in membres],
        disponibilites={m.pk: frozenset(d.date for d in m.disponibilites.all()) for m in membres},
        candidats=[composition.profil_candidat(c) for c in candidatures_a_planifier(regle)],
        dates=sorted(dates),
        max_candidats=max_candidats,
        temps_max_secondes=temps_max_secondes,
    )


def accepter_proposition(
    proposition: PropositionPlanning,
    *,
    acteur: User,
    regle: RegleJury,
    heure: datetime.time,
    lieu: str = "",
    lien_visio: str = "",
    max_candidats: int,
) -> list[SessionJury]:
    """Create the proposed sessions in one transaction; staff may then edit them before convening."""
    exiger_equipe(acteur)
    with transaction.atomic():
        sessions = []
        for proposee in proposition.sessions:
            debut = timezone.make_aware(datetime.datetime.combine(proposee.date, heure))
            session = creer_session(
                acteur=acteur,
                certification=regle.certification,
                regle=regle,
                donnees=DonneesSession(
                    intitule=f"Jury {regle.certification.code} du {proposee.date:%d/%m/%Y}",
                    debut=debut,
                    lieu=lieu,
                    lien_visio=lien_visio,
                    max_candidats=max_candidats,
                ),
            )
            membres = list(MembreJury.objects.filter(pk__in=proposee.membres))
            if len(membres) != len(set(proposee.membres)):
                raise ErreurMetier(
                    f"Un membre proposé le {proposee.date:%d/%m/%Y} a quitté le vivier : relancez la planification."
                )
            definir_membres(session, membres, acteur=acteur)
            candidatures = list(Candidature.objects.filter(pk__in=proposee.candidats))
            if len(candidatures) != len(set(proposee.candidats)):
                raise ErreurMetier(
                    f"Une candidature proposée le {proposee.date:%d/%m/%Y} n'existe plus : relancez la planification."
                )
            ajouter_candidats(session, candidatures, acteur=acteur)
            # The pool may have changed since the solver ran (a member now internal, a new link…).
            violations = _violations_apres(session, _membres_de(session), _candidatures_de(session))
            if violations:
                raise _refus_composition(
                    violations, f"La proposition n'est plus conforme pour le jury du {proposee.date:%d/%m/%Y} :"
                )
            sessions.append(session)
    return sessions
