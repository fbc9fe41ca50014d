"""Back-office pages on juries: the pool, sessions (composition checked on every render), candidates,
convocations, planning with the solver, the PV and corrections after signature."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parchemin.candidatures.models import Candidature
from parchemin.comptes.acces import acces_reserve
from parchemin.comptes.enums import ROLES_EQUIPE
from parchemin.jurys import dates, planification_demandes, services
from parchemin.jurys.composition import verifier_session
from parchemin.jurys.enums import StatutPlanification
from parchemin.jurys.models import (
    AmendementDecision,
    DemandePlanification,
    MembreJury,
    Passage,
    ProcesVerbal,
    SessionJury,
)
from parchemin.jurys.planification import Proposition
from parchemin.jurys.queries import get_demande_planification_for, get_session_for
from parchemin.referentiel.models import RegleJury, Unite
from parchemin.web.commun.fichiers import reponse_pv
from parchemin.web.commun.refus import signaler_refus
from parchemin.web.commun.requetes import RequeteAuthentifiee

from .forms.jurys import (
    AmendementForm,
    CandidatsForm,
    DeplacementForm,
    MembresForm,
    PlanificationForm,
    PresencesMembresForm,
    RemplacementForm,
    SessionForm,
)
from .forms.planification import SessionProposeeForm

EQUIPE = tuple(ROLES_EQUIPE)


@acces_reserve(*EQUIPE)
@require_safe
def sessions(request: RequeteAuthentifiee) -> HttpResponse:
    liste = (
        SessionJury.objects.select_related("certification").prefetch_related("passages", "sieges").order_by("-debut")
    )
    return render(request, "backoffice/jurys/sessions.html", {"sessions": liste})


@acces_reserve(*EQUIPE)
@require_safe
def vivier(request: RequeteAuthentifiee) -> HttpResponse:
    membres = MembreJury.objects.prefetch_related(
        "disponibilites", "partenaires_formateur", "sessions_formateur"
    ).order_by("nom", "prenom")
    return render(request, "backoffice/jurys/vivier.html", {"membres": membres, "aujourdhui": timezone.localdate()})


@acces_reserve(*EQUIPE)
@require_http_methods(["GET", "POST"])
def session_nouvelle(request: RequeteAuthentifiee) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        regle = form.cleaned_data["regle"]
        with signaler_refus(request, form):
            session = services.creer_session(
                acteur=request.user,
                certification=regle.certification,
                regle=regle,
                donnees=services.DonneesSession(
                    intitule=form.cleaned_data["intitule"],
                    debut=form.cleaned_data["debut"],
                    duree_minutes=form.cleaned_data["duree_minutes"],
                    lieu=form.cleaned_data["lieu"],
                    lien_visio=form.cleaned_data["lien_visio"],
                    max_candidats=form.cleaned_data["max_candidats"],
                ),
            )
            messages.success(request, "Session créée : choisissez ses membres et ses candidats.")
            return redirect("backoffice:jurys_session", pk=session.pk)
    return render(request, "backoffice/jurys/session_nouvelle.html", {"form": form})


def _unites(session: SessionJury) -> list[tuple[str, str]]:
    versions = Passage.objects.filter(session=session).values_list("candidature__version_referentiel_id", flat=True)
    codes = sorted(set(Unite.objects.filter(version_id__in=versions).values_list("code", flat=True)))
    return [(code, f"Unité {code}") for code in codes]


@acces_reserve(*EQUIPE)
@require_safe
def session(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    passages = list(
        Passage.objects.filter(session=session)
        .select_related("candidature")
        .prefetch_related("amendements")
        .order_by("candidature__nom_naissance")
    )
    versions = list(ProcesVerbal.objects.filter(session=session).select_related("remplace").defer("pdf", "pdf_final"))
    pv = versions[0] if versions else None
    sieges = list(session.sieges.select_related("membre", "remplace__membre", "remplacant__membre"))
    contexte: dict[str, Any] = {
        "session": session,
        "calendrier": dates.calendrier(session),
        "sieges": sieges,
        "qui_siegent": [s for s in sieges if s.siege],
        "violations": verifier_session(session),
        "passages": passages,
        "pv": pv,
        "versions": versions,
        "signatures": services.signatures_valides(pv).select_related("membre") if pv else [],
        "amendements": AmendementDecision.objects.filter(passage__session=session).select_related(
            "passage__candidature", "auteur"
        ),
    }
    if session.verrouillee:
        contexte["form_amendement"] = AmendementForm(
            candidats=[(p.candidature_id, p.candidature.nom_complet) for p in passages], unites=_unites(session)
        )
    else:
        contexte["form_presences"] = PresencesMembresForm(
            membres=[(s.membre_id, str(s.membre)) for s in sieges],
            # Unknown presence counts as present: staff untick the absent ones.
            initial={"presents": [s.membre_id for s in sieges if s.present is not False]},
        )
        contexte["form_deplacement"] = DeplacementForm()
        if session.statut == "CONVOQUEE":
            contexte.update(_remplacement(session, sieges))
        else:
            contexte["form_membres"] = MembresForm(initial={"membres": [s.membre_id for s in sieges]})
        regle = RegleJury.objects.get(pk=session.regle_id)
        contexte["form_candidats"] = CandidatsForm(
            candidatures=Candidature.objects.filter(pk__in=[c.pk for c in services.candidatures_a_planifier(regle)])
        )
    return render(request, "backoffice/jurys/session.html", contexte)


def _remplacement(session: SessionJury, sieges: list[Any]) -> dict[str, Any]:
    """The replacement form: absent members first, then the planner's suggestions for the first one."""
    a_remplacer = sorted(
        (s for s in sieges if not hasattr(s, "remplacant")), key=lambda s: (s.present is not False, s.pk)
    )
    if not a_remplacer:
        return {}
    suggestions = services.suggerer_remplacants(session, a_remplacer[0].membre)
    choix = []
    for rang, r in enumerate(suggestions):
        etiquette = f"{r.membre} — {r.membre.organisation} ({', '.join(r.membre.profils_labels())})"
        if r.conforme:
            etiquette += (" — recommandé" if rang == 0 else "") + (" — disponible ce jour" if r.disponible else "")
        else:
            etiquette += " — enfreindrait : " + " ".join(v.message for v in r.violations)
        choix.append((r.membre.pk, etiquette))
    return {
        "form_remplacement": RemplacementForm(
            absents=[(s.membre_id, f"{s.membre}{' (absent·e)' if s.present is False else ''}") for s in a_remplacer],
            remplacants=choix,
        ),
        "suggestions": [r for r in suggestions if r.conforme][:3],
    }


@acces_reserve(*EQUIPE)
@require_POST
def session_membres(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    form = MembresForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez au moins un membre.")
        return redirect("backoffice:jurys_session", pk=pk)
    with signaler_refus(request):
        services.definir_membres(session, list(form.cleaned_data["membres"]), acteur=request.user)
        messages.success(request, "Composition enregistrée.")
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_candidats(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    regle = RegleJury.objects.get(pk=session.regle_id)
    form = CandidatsForm(
        request.POST,
        candidatures=Candidature.objects.filter(pk__in=[c.pk for c in services.candidatures_a_planifier(regle)]),
    )
    if not form.is_valid():
        messages.error(request, "Choisissez au moins un candidat prêt pour le jury.")
        return redirect("backoffice:jurys_session", pk=pk)
    candidatures = list(form.cleaned_data["candidatures"])
    with signaler_refus(request):
        services.ajouter_candidats(session, candidatures, acteur=request.user)
        messages.success(request, f"{len(candidatures)} candidat(s) ajouté(s).")
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_presences(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    form = PresencesMembresForm(
        request.POST, membres=[(s.membre_id, str(s.membre)) for s in session.sieges.select_related("membre")]
    )
    if not form.is_valid():
        messages.error(request, "Présences illisibles.")
        return redirect("backoffice:jurys_session", pk=pk)
    presents = [int(v) for v in form.cleaned_data["presents"]]
    with signaler_refus(request):
        violations = services.enregistrer_presences_membres(session, presents, acteur=request.user)
        if violations:
            messages.warning(
                request,
                "Présence des membres enregistrée. Avec les membres présents, le jury n'est plus conforme : "
                + " ".join(v.message for v in violations)
                + " Remplacez le membre absent ci-dessous, ou reportez la session.",
            )
        else:
            messages.success(request, "Présence des membres enregistrée. Le jury qui siège est conforme.")
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_remplacer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    pool = list(MembreJury.objects.actifs().values_list("pk", flat=True))
    sieges = [(s.membre_id, str(s.membre_id)) for s in session.sieges.all()]
    form = RemplacementForm(request.POST, absents=sieges, remplacants=[(k, str(k)) for k in pool])
    if not form.is_valid():
        messages.error(request, "Choisissez le membre absent et son remplaçant parmi les membres actifs du vivier.")
        return redirect("backoffice:jurys_session", pk=pk)
    absent = MembreJury.objects.get(pk=form.cleaned_data["absent"])
    remplacant = MembreJury.objects.get(pk=form.cleaned_data["remplacant"])
    with signaler_refus(request):
        services.remplacer_membre(session, absent, remplacant, acteur=request.user)
        messages.success(
            request,
            f"{remplacant} remplace {absent} : convocation envoyée au remplaçant (invitation .ics jointe), "
            "le membre remplacé est informé.",
        )
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_deplacer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    form = DeplacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la nouvelle date et heure, et le motif du report.")
        return redirect("backoffice:jurys_session", pk=pk)
    with signaler_refus(request):
        services.deplacer_session(
            session, form.cleaned_data["debut"], acteur=request.user, motif=form.cleaned_data["motif"]
        )
        messages.success(
            request,
            "Session déplacée : grilles et brouillons conservés ; "
            "membres et candidats convoqués reçoivent la nouvelle date.",
        )
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_convoquer(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    with signaler_refus(request):
        services.convoquer(session, acteur=request.user)
        messages.success(request, "Convocations envoyées aux membres et aux candidats (invitation .ics jointe).")
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def session_amender(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    passages = Passage.objects.filter(session=session).select_related("candidature")
    form = AmendementForm(
        request.POST,
        candidats=[(p.candidature_id, p.candidature.nom_complet) for p in passages],
        unites=_unites(session),
    )
    if not form.is_valid():
        messages.error(request, "Correction incomplète : candidat, décision et motif sont obligatoires.")
        return redirect("backoffice:jurys_session", pk=pk)
    candidature = Candidature.objects.get(pk=form.cleaned_data["candidature"])
    with signaler_refus(request):
        services.amender_apres_signature(
            session,
            candidature,
            acteur=request.user,
            decision=form.cleaned_data["decision"],
            unites=form.cleaned_data["unites"],
            motif=form.cleaned_data["motif"],
        )
        messages.success(
            request,
            "Amendement enregistré et journalisé : une nouvelle version du PV est à signer par les membres ; "
            "la version signée est conservée et marquée remplacée.",
        )
    return redirect("backoffice:jurys_session", pk=pk)


@acces_reserve(*EQUIPE)
@require_safe
def session_pv_pdf(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    return reponse_pv(get_session_for(request.user, pk))


@acces_reserve(*EQUIPE)
@require_safe
def session_pv_version_pdf(request: RequeteAuthentifiee, pk: int, numero: int) -> HttpResponse:
    """Any version of the PV, superseded ones included (they stay as they were sealed)."""
    return reponse_pv(get_session_for(request.user, pk), numero_version=numero)


@acces_reserve(*EQUIPE)
@require_http_methods(["GET", "POST"])
def planification(request: RequeteAuthentifiee) -> HttpResponse:
    """Record a planning request; the solver runs outside this request (see planification_demandes)."""
    form = PlanificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with signaler_refus(request, form):
            demande = planification_demandes.demander(
                planification_demandes.Parametres(
                    regle=form.cleaned_data["regle"],
                    dates=form.cleaned_data["dates"],
                    heure=form.cleaned_data["heure"],
                    max_candidats=form.cleaned_data["max_candidats"],
                    lieu=form.cleaned_data["lieu"],
                    lien_visio=form.cleaned_data["lien_visio"],
                ),
                acteur=request.user,
            )
            return redirect("backoffice:jurys_planification_demande", pk=demande.pk)
    demandes = DemandePlanification.objects.visible_to(request.user).select_related("regle__certification", "demandeur")
    return render(request, "backoffice/jurys/planification.html", {"form": form, "demandes": demandes[:10]})


def _message_statut(demande: DemandePlanification) -> str:
    if demande.statut == StatutPlanification.EN_ATTENTE:
        return "Calcul en attente d'un processus de calcul."
    if demande.en_cours:
        return f"Calcul en cours (au plus {demande.temps_max_secondes:.0f} s de recherche)."
    fins: dict[str, str] = {
        StatutPlanification.TERMINEE: "Calcul terminé : la proposition est prête.",
        StatutPlanification.INFAISABLE: "Calcul terminé : aucune planification ne respecte les règles.",
    }
    return fins.get(demande.statut, "Le calcul a échoué.")


def _contexte_demande(demande: DemandePlanification, lie: SessionProposeeForm | None = None) -> dict[str, Any]:
    """The request's page: its status, the proposal in force checked against the rules, and one edit
    form per proposed session (``lie``: a submitted form to show with its errors)."""
    contexte: dict[str, Any] = {
        "demande": demande,
        "message_statut": _message_statut(demande),
        "tache": planification_demandes.etat_calcul(demande),
        "dates": [datetime.date.fromisoformat(d) for d in demande.dates],
    }
    proposition = planification_demandes.proposition_en_vigueur(demande)
    if demande.statut != StatutPlanification.TERMINEE or proposition is None:
        return contexte
    verifiees = planification_demandes.verifier_proposition(demande, proposition)
    contexte["proposition"] = proposition
    contexte["origine"] = Proposition.depuis_json(demande.resultat) if demande.resultat else proposition
    contexte["bloquee"] = any(v.bloquante for v in verifiees)
    if demande.acceptee_le is not None:
        contexte["sessions_proposees"] = [(v, None) for v in verifiees]
        return contexte
    non_planifies = planification_demandes.candidats_non_planifies(demande)
    candidatures = {
        c.pk: c
        for c in Candidature.objects.filter(
            pk__in={k for s in proposition.sessions for k in s.candidats} | set(non_planifies)
        )
    }
    pool = list(MembreJury.objects.actifs().order_by("nom", "prenom"))
    formulaires = [
        lie
        if lie is not None and lie.numero == v.numero
        else SessionProposeeForm(
            numero=v.numero,
            dates=demande.dates,
            sessions=proposition.sessions,
            pool=pool,
            candidatures=candidatures,
            non_planifies=non_planifies,
        )
        for v in verifiees
    ]
    contexte["sessions_proposees"] = list(zip(verifiees, formulaires, strict=True))
    contexte["non_planifies"] = [candidatures[k] for k in non_planifies if k in candidatures]
    return contexte


@acces_reserve(*EQUIPE)
@require_safe
def planification_demande(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    """Where a request stands. While the solver works, static/js/suivi-planification.js asks this same
    URL for JSON (``Accept: application/json``) and announces the end in a live region, without reloading."""
    demande = get_demande_planification_for(request.user, pk)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"statut": demande.statut, "en_cours": demande.en_cours, "message": _message_statut(demande)}
        )
    return render(request, "backoffice/jurys/planification_demande.html", _contexte_demande(demande))


@acces_reserve(*EQUIPE)
@require_POST
def planification_modifier_session(request: RequeteAuthentifiee, pk: int, numero: int) -> HttpResponse:
    """Store one proposed session as staff edited it; the page then shows every rule it breaks."""
    demande = get_demande_planification_for(request.user, pk)
    proposition = planification_demandes.proposition_en_vigueur(demande)
    if (
        demande.statut != StatutPlanification.TERMINEE
        or proposition is None
        or demande.acceptee_le is not None
        or not 1 <= numero <= len(proposition.sessions)
    ):
        messages.error(request, "Cette proposition ne peut plus être modifiée.")
        return redirect("backoffice:jurys_planification_demande", pk=pk)
    non_planifies = planification_demandes.candidats_non_planifies(demande)
    cles = {k for s in proposition.sessions for k in s.candidats} | set(non_planifies)
    form = SessionProposeeForm(
        request.POST,
        numero=numero,
        dates=demande.dates,
        sessions=proposition.sessions,
        pool=list(MembreJury.objects.actifs().order_by("nom", "prenom")),
        candidatures={c.pk: c for c in Candidature.objects.filter(pk__in=cles)},
        non_planifies=non_planifies,
    )
    if form.is_valid():
        with signaler_refus(request, form):
            planification_demandes.modifier_session(
                demande,
                numero,
                date=form.cleaned_data["date"],
                membres=form.cleaned_data["membres"],
                affectations=form.affectations(),
                acteur=request.user,
            )
            messages.success(request, f"Session proposée n° {numero} modifiée : vérifiez les règles ci-dessous.")
            return redirect(reverse("backoffice:jurys_planification_demande", kwargs={"pk": pk}) + f"#session-{numero}")
    return render(
        request, "backoffice/jurys/planification_demande.html", _contexte_demande(demande, lie=form), status=400
    )


@acces_reserve(*EQUIPE)
@require_POST
def planification_retablir(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    demande = get_demande_planification_for(request.user, pk)
    with signaler_refus(request):
        planification_demandes.retablir_proposition(demande, acteur=request.user)
        messages.success(request, "La proposition du calcul est rétablie.")
    return redirect("backoffice:jurys_planification_demande", pk=pk)


@acces_reserve(*EQUIPE)
@require_POST
def planification_accepter(request: RequeteAuthentifiee, pk: int) -> HttpResponse:
    demande = get_demande_planification_for(request.user, pk)
    with signaler_refus(request):
        sessions = planification_demandes.accepter(demande, acteur=request.user)
        messages.success(request, f"{len(sessions)} session(s) créée(s) : vérifiez-les puis convoquez-les.")
        return redirect("backoffice:jurys_sessions")
    return redirect("backoffice:jurys_planification_demande", pk=pk)
