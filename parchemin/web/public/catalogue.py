"""Public catalogue "Où suivre cette certification ?": search, session page, LHÉO export."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from dataclasses import dataclass, replace
from typing import Any

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from parchemin.pages_publiques import Memoire
from parchemin.partenaires.catalogue import (
    RAYON_MAX_KM,
    Criteres,
    partenaires_exclus,
    plus_proches_au_dela,
    rechercher,
    termes,
)
from parchemin.partenaires.enums import Financement, Modalite, StatutSession
from parchemin.partenaires.lheo import exportables, flux_lheo
from parchemin.partenaires.models import SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.queries import fiche_catalogue
from parchemin.territoires.distance import haversine_km
from parchemin.territoires.models import CodePostal, Commune

from .cache import en_cache_pour_les_visiteurs
from .forms import RAYONS, RechercheForm

PAR_PAGE = 20


def _json_ld(donnees: dict[str, Any]) -> SafeString:
    """Inside a <script> element, "<", ">" and "&" must not appear raw (same escapes as json_script).
    Three ``replace`` calls: ``str.translate`` with a mapping costs a Python call per character."""
    texte = json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(texte.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))  # noqa: S308


def _course_instance(session: SessionFormation, request: HttpRequest, aujourd_hui: datetime.date) -> dict[str, Any]:
    """One session as a schema.org CourseInstance (an Event: status and capacity are Event properties)."""
    url = request.build_absolute_uri(getattr(session, "lien", None) or session.get_absolute_url())
    annulee = session.statut == StatutSession.ANNULEE
    ouverte = session.inscriptions_ouvertes(aujourd_hui)
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": f"{session.intitule} — {session.libelle_numero}",
        "url": url,
        "courseMode": {"PRESENTIEL": "onsite", "DISTANCE": "online", "HYBRIDE": "blended"}[session.modalite],
        "startDate": session.date_debut.isoformat(),
        "endDate": session.date_fin.isoformat(),
        "courseWorkload": f"PT{session.duree_heures}H",
        "inLanguage": "fr",
        "eventStatus": "https://schema.org/EventCancelled" if annulee else "https://schema.org/EventScheduled",
        "maximumAttendeeCapacity": session.capacite,
        "remainingAttendeeCapacity": 0 if annulee else session.places_restantes,
        "organizer": {"@type": "Organization", "name": session.partenaire.nom, "identifier": session.partenaire.siret},
        "offers": {
            "@type": "Offer",
            "price": f"{session.prix:.2f}",
            "priceCurrency": "EUR",
            "category": "Paid" if session.prix > 0 else "Free",
            "availability": "https://schema.org/InStock"
            if ouverte
            else (
                "https://schema.org/SoldOut"
                if not annulee and session.date_debut >= aujourd_hui
                else "https://schema.org/Discontinued"
            ),
            "url": (session.lien_inscription or url) if ouverte else url,
        },
    }
    lieux: list[dict[str, Any]] = []
    if session.commune is not None:
        adresse = {
            "@type": "PostalAddress",
            "addressLocality": session.commune.nom,
            "addressRegion": _libelle_region(session.region),
            "addressCountry": "FR",
            **({"streetAddress": session.lieu} if session.lieu else {}),
        }
        lieu: dict[str, Any] = {"@type": "Place", "name": session.lieu or session.commune.nom, "address": adresse}
        if session.latitude is not None and session.longitude is not None:
            lieu["geo"] = {"@type": "GeoCoordinates", "latitude": session.latitude, "longitude": session.longitude}
        lieux.append(lieu)
    if session.modalite != Modalite.PRESENTIEL:
        lieux.append({"@type": "VirtualLocation", "url": url})
    if lieux:
        instance["location"] = lieux[0] if len(lieux) == 1 else lieux
    return instance


def _course(fiche: Any, request: HttpRequest, instances: list[dict[str, Any]]) -> dict[str, Any]:
    certification = fiche.certification
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": certification.intitule,
        "courseCode": certification.code,
        "description": certification.objectifs or certification.intitule,
        "url": request.build_absolute_uri(certification.get_absolute_url()),
        "provider": {"@type": "Organization", "name": certification.certificateur.raison_sociale},
        "educationalCredentialAwarded": f"Certification {certification.code} (France compétences)",
        "hasCourseInstance": instances,
    }


# What get_region_display() reads, built once: Django rebuilds this dict from the choices at each call.
_LIBELLES_REGION = dict(SessionFormation._meta.get_field("region").flatchoices)


def _libelle_region(region: str) -> str:
    """The same as ``session.get_region_display()``."""
    return str(_LIBELLES_REGION.get(region, region))


def _entrees_par_voie(fiche: Any) -> list[dict[str, str]]:
    """One entry point per allowed access route: training here, the others on the certification page."""
    libelles = {
        VoieAcces.FORMATION_CONTINUE: ("Suivre une formation", "Trouvez une session près de chez vous ci-dessous."),
        VoieAcces.CANDIDATURE_INDIVIDUELLE: (
            "Candidater individuellement",
            "Sans formation préalable, présentez-vous directement à la certification.",
        ),
        VoieAcces.EXPERIENCE: (
            "Faire reconnaître son expérience",
            "Votre expérience professionnelle peut valoir la certification.",
        ),
    }
    entrees = []
    for voie in fiche.voies:
        if voie.autorisee and voie.voie in libelles:
            titre, texte = libelles[VoieAcces(voie.voie)]
            entrees.append({"voie": voie.voie, "titre": titre, "texte": texte})
    return entrees


def _distances(sessions: list[SessionFormation], commune: Commune | None) -> None:
    """The haversine distance shown next to each place (None without a reference commune)."""
    for session in sessions:
        session.distance_km = (  # type: ignore[attr-defined]
            haversine_km(commune.latitude, commune.longitude, session.latitude, session.longitude)
            if commune is not None
            and commune.latitude is not None
            and commune.longitude is not None
            and session.latitude is not None
            and session.longitude is not None
            else None
        )


# What the page shows of each session (its result card and its JSON-LD), kept by the process: a search
# shows sessions other searches showed before. It depends on the session (the version of the public data),
# the day (registrations open or closed), the distance shown and the site's address (absolute URLs in
# the JSON-LD), nothing else (≈ 3 KB each).
RESULTATS_GARDES = Memoire(taille=4000)


def _resultats(
    sessions: list[SessionFormation], request: HttpRequest, aujourd_hui: datetime.date
) -> list[tuple[str, dict[str, Any]]]:
    """(HTML of the result card, schema.org CourseInstance) of each session, computed once per session,
    day, distance and site address."""
    racine = request.build_absolute_uri("/")
    cles = [
        (session.pk, aujourd_hui, None if session.distance_km is None else floatformat(session.distance_km, 0), racine)  # type: ignore[attr-defined]
        for session in sessions
    ]
    par_cle = dict(zip(cles, sessions, strict=True))

    def calculer(manquantes: list[Any]) -> dict[Any, tuple[str, dict[str, Any]]]:
        calcules: dict[Any, tuple[str, dict[str, Any]]] = {}
        for cle in manquantes:
            session = par_cle[cle]
            session.lien = session.get_absolute_url()  # type: ignore[attr-defined]  # card and JSON-LD: one reverse()
            session.inscriptions = session.etat_inscriptions(aujourd_hui)  # type: ignore[attr-defined]
            session.ouverte = session.inscriptions_ouvertes(aujourd_hui)  # type: ignore[attr-defined]
            session.libelle_region = _libelle_region(session.region)  # type: ignore[attr-defined]
            carte = render_to_string("public/_resultat.html", {"session": session})
            calcules[cle] = (carte, _course_instance(session, request, aujourd_hui))
        return calcules

    trouves = RESULTATS_GARDES.valeurs(cles, calculer)
    return [trouves[cle] for cle in cles]


def nommer_commune(commune: Commune) -> str:
    """What to type to mean exactly this commune (the search reads "Nom (département)")."""
    return f"{commune.nom} ({commune.departement})"


def _parametres(parametres: QueryDict, **changements: str | None) -> str:
    """The current search's query string with some parameters changed (None removes one), from page 1."""
    copie = parametres.copy()
    copie.pop("page", None)
    for cle, valeur in changements.items():
        copie.pop(cle, None)
        if valeur is not None:
            copie[cle] = valeur
    return copie.urlencode()


@dataclass(frozen=True)
class Piste:
    """One way to widen a search that found nothing: what it would find and the link that does it."""

    texte: str
    lien: str
    libelle_lien: str
    sessions: tuple[SessionFormation, ...] = ()


def _pluriel(nombre: int, mot: str) -> str:
    return f"{nombre} {mot}{'s' if nombre > 1 else ''}"


def _pistes(
    certification: Any, criteres: Criteres, parametres: QueryDict, aujourd_hui: datetime.date
) -> tuple[list[Piste], int]:
    """Which criterion to widen when a search finds nothing, each with what it would find; and the
    number of upcoming sessions with no criterion at all. Runs only for an empty answer."""

    def nombre(**changements: Any) -> int:
        return rechercher(certification, replace(criteres, tri="", **changements), aujourd_hui).compteur.count()

    pistes: list[Piste] = []
    commune = criteres.commune
    proches = plus_proches_au_dela(certification, criteres, aujourd_hui)
    if proches and commune is not None:
        _distances(proches, commune)
        # The smallest radius offered that reaches the nearest one: widening finds at least it.
        plus_proche = math.ceil(getattr(proches[0], "distance_km", None) or 0)
        rayon = next((r for r, _ in RAYONS if r >= plus_proche), RAYON_MAX_KM)
        pistes.append(
            Piste(
                texte=f"Aucune session à moins de {criteres.rayon_km} km de {nommer_commune(commune)}. "
                "Les plus proches au-delà :",
                lien=_parametres(parametres, rayon=str(rayon)),
                libelle_lien=f"Élargir la recherche à {rayon} km",
                sessions=tuple(proches),
            )
        )
    elif commune is not None and criteres.rayon_km < RAYON_MAX_KM:
        pistes.append(
            Piste(
                texte=f"Aucune session sur place à moins de {RAYON_MAX_KM} km de {nommer_commune(commune)} "
                "avec ces critères.",
                lien="",
                libelle_lien="",
            )
        )
    if commune is not None and criteres.modalite != Modalite.DISTANCE:
        a_distance = nombre(commune=None, modalite=Modalite.DISTANCE)
        if a_distance:
            pistes.append(
                Piste(
                    texte=f"{_pluriel(a_distance, 'session')} entièrement à distance, sans lieu à rejoindre.",
                    lien=_parametres(parametres, commune=None, rayon=None, modalite=Modalite.DISTANCE),
                    libelle_lien="Voir les sessions à distance",
                )
            )
    if criteres.debut_min or criteres.debut_max:
        autres_dates = nombre(debut_min=None, debut_max=None)
        if autres_dates:
            pistes.append(
                Piste(
                    texte=f"{_pluriel(autres_dates, 'session')} à d'autres dates.",
                    lien=_parametres(parametres, debut_min=None, debut_max=None),
                    libelle_lien="Chercher à toutes les dates",
                )
            )
    if termes(criteres.texte):
        sans_mots = nombre(texte="")
        if sans_mots:
            pistes.append(
                Piste(
                    texte=f"{_pluriel(sans_mots, 'session')} sans les mots « {criteres.texte[:80]} ».",
                    lien=_parametres(parametres, q=None),
                    libelle_lien="Chercher sans ces mots",
                )
            )
    filtres = [
        libelle
        for libelle, actif in (
            ("région", criteres.region),
            ("modalité", criteres.modalite),
            ("prix maximum", criteres.prix_max is not None),
            ("places disponibles", criteres.places_disponibles),
        )
        if actif
    ]
    if filtres:
        sans_filtres = nombre(region="", modalite="", prix_max=None, places_disponibles=False)
        if sans_filtres:
            pistes.append(
                Piste(
                    texte=f"{_pluriel(sans_filtres, 'session')} sans les filtres {', '.join(filtres)}.",
                    lien=_parametres(parametres, region=None, modalite=None, prix_max=None, places=None),
                    libelle_lien="Retirer ces filtres",
                )
            )
    toutes = rechercher(certification, Criteres(), aujourd_hui).count()
    return pistes, toutes


@require_safe
@en_cache_pour_les_visiteurs
def catalogue(request: HttpRequest, code: str) -> HttpResponse:
    fiche = fiche_catalogue(code)
    form = RechercheForm(request.GET or None)
    page: Page[SessionFormation] | None = None
    valide = not form.is_bound or form.is_valid()
    criteres = form.criteres() if form.is_bound and valide else Criteres()
    aujourd_hui = timezone.localdate()
    pistes: list[Piste] = []
    cartes: list[str] = []
    instances: list[dict[str, Any]] = []
    toutes = 0
    au_dela = ""
    if valide:
        numero = request.GET.get("page")
        premiere = PAR_PAGE if numero in (None, "", "1") else 0
        resultats = rechercher(fiche.certification, criteres, aujourd_hui, premiere_page=premiere)
        paginateur: Paginator[SessionFormation] = Paginator(resultats, PAR_PAGE)
        page = paginateur.get_page(numero)
        if resultats.au_dela:  # a bounded count: "plus de 1 000 sessions"
            au_dela = f"{paginateur.count:,}".replace(",", "\u202f")
        page.object_list = list(page.object_list)  # fetched once: distances, cards and JSON-LD share it
        _distances(page.object_list, criteres.commune)
        resultats_montres = _resultats(page.object_list, request, aujourd_hui)
        cartes = [carte for carte, _ in resultats_montres]
        instances = [instance for _, instance in resultats_montres]
        if not page.object_list:
            pistes, toutes = _pistes(fiche.certification, criteres, request.GET, aujourd_hui)
    homonymes = [
        {"commune": commune, "lien": _parametres(request.GET, commune=nommer_commune(commune))}
        for commune in form.homonymes
    ]
    return render(
        request,
        "public/catalogue.html",
        {
            "fiche": fiche,
            "certification": fiche.certification,
            "form": form,
            "page": page,
            "cartes": cartes,
            "criteres": criteres,
            "parametres": _parametres(request.GET),
            "homonymes": homonymes,
            "pistes": pistes,
            "toutes": toutes,
            "au_dela": au_dela,
            "entrees": _entrees_par_voie(fiche),
            "json_ld": _json_ld(_course(fiche, request, instances)),
            "financements": dict(Financement.choices),
        },
    )


@require_safe
@en_cache_pour_les_visiteurs
def catalogue_session(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    fiche = fiche_catalogue(code)
    session = SessionFormation.objects.publiees().pour_liste().filter(certification=fiche.certification, pk=pk).first()
    aujourd_hui = timezone.localdate()
    if session is None or (
        session.date_debut > aujourd_hui
        and session.partenaire_id in partenaires_exclus(fiche.certification, aujourd_hui)
    ):
        raise Http404("Session inconnue")
    return render(
        request,
        "public/catalogue_session.html",
        {
            "fiche": fiche,
            "certification": fiche.certification,
            "session": session,
            "financements": [Financement(f).label for f in session.financements if f in Financement.values],
            "inscriptions_ouvertes": session.inscriptions_ouvertes(aujourd_hui),
            "etat_inscriptions": session.etat_inscriptions(aujourd_hui),
            "json_ld": _json_ld(_course(fiche, request, [_course_instance(session, request, aujourd_hui)])),
        },
    )


# Anonymous and heavy (the whole offer of a certification): a few exports per anonymous visitor and minute.
LIMITE_EXPORT_LHEO = "6/m/ip"


@require_safe
def catalogue_lheo(request: HttpRequest, code: str) -> HttpResponse | StreamingHttpResponse:
    """Every published, upcoming session of the certification, in LHÉO 2.2: filtered by the database,
    written as a stream one formation at a time, revalidated by ETag and limited per visitor."""
    fiche = fiche_catalogue(code)
    sessions = exportables(
        SessionFormation.objects.publiees()
        .pour_liste()
        .filter(certification=fiche.certification, date_fin__gte=timezone.localdate())
        .exclude(partenaire_id__in=partenaires_exclus(fiche.certification, timezone.localdate()))
    )
    etat = sessions.aggregate(nombre=Count("pk"), modifiee=Max("modifiee_le"))
    if not etat["nombre"]:
        # LHÉO has no empty catalogue: an offer holds at least one training.
        raise Http404(f"Aucune session à venir de {fiche.certification.code} n'est exportable en LHÉO.")
    etiquette = '"{}"'.format(
        hashlib.sha256(
            f"{etat['nombre']}|{etat['modifiee']}|{timezone.localdate()}|{settings.SITE_URL}".encode()
        ).hexdigest()[:32]
    )
    if etiquette in request.headers.get("If-None-Match", ""):
        reponse_304 = HttpResponse(status=304)
        reponse_304["ETag"] = etiquette
        return reponse_304
    # Anonymous visitors only: a signed-in person is known and accountable.
    if not request.user.is_authenticated and not ratelimit.consume(
        request, app="parchemin.lheo", action="export", config={"export": LIMITE_EXPORT_LHEO}, limit_get=True
    ):
        return render(request, "429.html", status=429)
    flux = flux_lheo(
        sessions.select_related("partenaire__commune").prefetch_related(
            Prefetch("commune__codes_postaux", queryset=CodePostal.objects.order_by("code")),
            Prefetch("partenaire__commune__codes_postaux", queryset=CodePostal.objects.order_by("code")),
        ),
        base_url=settings.SITE_URL,
    )
    reponse = StreamingHttpResponse(flux, content_type="application/xml; charset=utf-8")
    reponse["Content-Disposition"] = f'inline; filename="catalogue-{fiche.certification.code.lower()}-lheo.xml"'
    reponse["ETag"] = etiquette
    reponse["Cache-Control"] = "public, max-age=300"
    return reponse
