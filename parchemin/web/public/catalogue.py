"""Public catalogue "Où suivre cette certification ?": search, session page, LHÉO export."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from parchemin.partenaires.catalogue import RAYON_MAX_KM, Criteres, Tri, partenaires_exclus, rechercher
from parchemin.partenaires.enums import Financement, Modalite, StatutSession
from parchemin.partenaires.lheo import document_lheo, serialiser
from parchemin.partenaires.models import SessionFormation
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.queries import fiche_publique
from parchemin.territoires.distance import haversine_km
from parchemin.territoires.enums import Region
from parchemin.territoires.models import CodePostal, Commune
from parchemin.territoires.queries import trouver_commune

PAR_PAGE = 20
RAYONS = [(10, "10 km"), (25, "25 km"), (50, "50 km"), (100, "100 km"), (200, "200 km")]
# Inside a <script> element, "<", ">" and "&" must not appear raw (same escapes as json_script).
_ECHAPPEMENTS_JSON = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class RechercheForm(forms.Form):
    q = forms.CharField(label="Je cherche à faire…", required=False, strip=True)
    commune = forms.CharField(
        label="Commune ou code postal", required=False, help_text="Par exemple Bordeaux ou 33000."
    )
    rayon = forms.TypedChoiceField(label="Dans un rayon de", choices=RAYONS, coerce=int, initial=50, required=False)
    region = forms.ChoiceField(label="Région", choices=[("", "Toutes les régions"), *Region.choices], required=False)
    debut_min = forms.DateField(
        label="Commence après le", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    debut_max = forms.DateField(
        label="Commence avant le", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    modalite = forms.ChoiceField(label="Modalité", choices=[("", "Toutes"), *Modalite.choices], required=False)
    prix_max = forms.DecimalField(label="Prix maximum (€)", required=False, min_value=0, max_digits=8, decimal_places=2)
    places = forms.BooleanField(label="Seulement les sessions avec des places", required=False)
    tri = forms.ChoiceField(
        label="Trier par",
        choices=[("", "Pertinence"), (Tri.DISTANCE, "Distance"), (Tri.DATE, "Date de début")],
        required=False,
    )

    def clean_commune(self) -> Commune | None:
        saisie = self.cleaned_data["commune"]
        if not saisie:
            return None
        commune = trouver_commune(saisie)
        if commune is None:
            raise forms.ValidationError(
                "Commune inconnue : vérifiez l'orthographe ou indiquez son code postal.", code="commune_inconnue"
            )
        return commune

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        debut_min, debut_max = donnees.get("debut_min"), donnees.get("debut_max")
        if debut_min and debut_max and debut_max < debut_min:
            self.add_error("debut_max", "Cette date doit suivre la première.")
        return donnees

    def criteres(self) -> Criteres:
        d = self.cleaned_data
        return Criteres(
            texte=d.get("q") or "",
            commune=d.get("commune"),
            rayon_km=min(d.get("rayon") or 50, RAYON_MAX_KM),
            region=d.get("region") or "",
            debut_min=d.get("debut_min"),
            debut_max=d.get("debut_max"),
            modalite=d.get("modalite") or "",
            prix_max=d.get("prix_max"),
            places_disponibles=bool(d.get("places")),
            tri=d.get("tri") or "",
        )


def _json_ld(donnees: dict[str, Any]) -> SafeString:
    return mark_safe(json.dumps(donnees, ensure_ascii=False).translate(_ECHAPPEMENTS_JSON))  # noqa: S308


def _course_instance(session: SessionFormation, request: HttpRequest) -> dict[str, Any]:
    """One session as a schema.org CourseInstance (an Event: status and capacity are Event properties)."""
    url = request.build_absolute_uri(session.get_absolute_url())
    annulee = session.statut == StatutSession.ANNULEE
    ouverte = session.statut == StatutSession.OUVERTE and session.places_restantes > 0
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
            "availability": "https://schema.org/Discontinued"
            if annulee
            else ("https://schema.org/InStock" if ouverte else "https://schema.org/SoldOut"),
            "url": session.lien_inscription or url,
        },
    }
    lieux: list[dict[str, Any]] = []
    if session.commune is not None:
        adresse = {
            "@type": "PostalAddress",
            "addressLocality": session.commune.nom,
            "addressRegion": session.get_region_display(),
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


def _course(fiche: Any, request: HttpRequest, sessions: list[SessionFormation]) -> dict[str, Any]:
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
        "hasCourseInstance": [_course_instance(s, request) for s in sessions],
    }


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


@require_safe
def catalogue(request: HttpRequest, code: str) -> HttpResponse:
    fiche = fiche_publique(code)
    form = RechercheForm(request.GET or None)
    page: Page[SessionFormation] | None = None
    criteres = form.criteres() if form.is_bound and form.is_valid() else Criteres()
    if not form.is_bound or form.is_valid():
        resultats = rechercher(fiche.certification, criteres, timezone.localdate())
        paginateur: Paginator[SessionFormation] = Paginator(resultats, PAR_PAGE)
        page = paginateur.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)  # fetched once: the template and the JSON-LD share it
        _distances(page.object_list, criteres.commune)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "public/catalogue.html",
        {
            "fiche": fiche,
            "certification": fiche.certification,
            "form": form,
            "page": page,
            "criteres": criteres,
            "parametres": parametres.urlencode(),
            "entrees": _entrees_par_voie(fiche),
            "json_ld": _json_ld(_course(fiche, request, list(page.object_list) if page else [])),
            "financements": dict(Financement.choices),
        },
    )


@require_safe
def catalogue_session(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    fiche = fiche_publique(code)
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
            "json_ld": _json_ld(_course(fiche, request, [session])),
        },
    )


@require_safe
def catalogue_lheo(request: HttpRequest, code: str) -> HttpResponse:
    """Every published, upcoming session of the certification, in LHÉO 2.2."""
    fiche = fiche_publique(code)
    sessions = (
        SessionFormation.objects.publiees()
        .pour_liste()
        .filter(certification=fiche.certification, date_fin__gte=timezone.localdate())
        .exclude(partenaire_id__in=partenaires_exclus(fiche.certification, timezone.localdate()))
        .select_related("partenaire__commune")
        .prefetch_related(
            Prefetch("commune__codes_postaux", queryset=CodePostal.objects.order_by("code")),
            Prefetch("partenaire__commune__codes_postaux", queryset=CodePostal.objects.order_by("code")),
        )
    )
    document = document_lheo(sessions, base_url=settings.SITE_URL)
    if document is None:
        # LHÉO has no empty catalogue: an offer holds at least one training.
        raise Http404(f"Aucune session à venir de {fiche.certification.code} n'est exportable en LHÉO.")
    reponse = HttpResponse(serialiser(document), content_type="application/xml; charset=utf-8")
    reponse["Content-Disposition"] = f'inline; filename="catalogue-{fiche.certification.code.lower()}-lheo.xml"'
    return reponse
