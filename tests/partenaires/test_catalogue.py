"""The public catalogue "Où suivre cette certification ?": what a person looking for a training finds."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.partenaires.catalogue import Criteres, Tri, partenaires_exclus, rechercher
from parchemin.partenaires.enums import Modalite, StatutSession
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db

URL = "/certifications/rs5142/ou-suivre/"


def _intitules(reponse: Any) -> list[str]:
    return [f"{s.intitule} {s.libelle_numero}" for s in reponse.context["page"].object_list]


@pytest.fixture
def sessions(rs5142: Any) -> dict[str, Any]:
    aujourd_hui = timezone.localdate()
    return {
        "bordeaux": SessionFormationFactory(
            intitule="Piloter un tiers-lieu — formation certifiante", numero=12, commune=commune("bordeaux")
        ),
        "libourne": SessionFormationFactory(
            intitule="Animer une communauté de tiers-lieux",
            numero=3,
            commune=commune("libourne"),
            prix=Decimal("1200"),
            date_debut=aujourd_hui + datetime.timedelta(days=10),
        ),
        "rennes": SessionFormationFactory(intitule="Piloter un tiers-lieu", numero=4, commune=commune("rennes")),
        "complete": SessionFormationFactory(
            intitule="Piloter un tiers-lieu", numero=5, commune=commune("merignac"), inscrits=12, capacite=12,
            statut=StatutSession.COMPLETE,
        ),
        "distance": SessionFormationFactory(
            intitule="Piloter un tiers-lieu à distance", numero=6, commune=None, modalite=Modalite.DISTANCE,
            region="75",
        ),
        "non_publiee": SessionFormationFactory(intitule="Piloter un tiers-lieu brouillon", numero=7, publiee=False),
        "passee": SessionFormationFactory(
            intitule="Piloter un tiers-lieu", numero=8, date_debut=aujourd_hui - datetime.timedelta(days=30)
        ),
        "annulee": SessionFormationFactory(intitule="Piloter un tiers-lieu", numero=9, statut=StatutSession.ANNULEE),
    }  # fmt: skip


def test_lists_published_upcoming_sessions_only_soonest_first(client: Any, sessions: dict[str, Any]) -> None:
    reponse = client.get(URL)
    assert reponse.status_code == 200
    trouvees = list(reponse.context["page"].object_list)
    assert sessions["non_publiee"] not in trouvees
    assert sessions["passee"] not in trouvees
    assert sessions["annulee"] not in trouvees
    assert trouvees[0] == sessions["libourne"]
    assert len(trouvees) == 5


@pytest.mark.parametrize("saisie", ["TIERS LIEU", "tiers-lieux", "tiérs lieu", "Tiers Lieux"])
def test_free_text_ignores_case_accents_and_plurals(client: Any, sessions: dict[str, Any], saisie: str) -> None:
    trouvees = set(client.get(URL, {"q": saisie}).context["page"].object_list)
    assert sessions["bordeaux"] in trouvees and sessions["libourne"] in trouvees


def test_free_text_finds_the_partner_name(client: Any, rs5142: Any) -> None:
    session = SessionFormationFactory(partenaire=PartenaireFactory(nom="Coopérative des Tiers-Lieux"))
    SessionFormationFactory(partenaire=PartenaireFactory(nom="Autre organisme"))
    assert list(client.get(URL, {"q": "cooperative"}).context["page"].object_list) == [session]


def test_commune_and_radius_keep_sessions_within_the_distance(client: Any, sessions: dict[str, Any]) -> None:
    reponse = client.get(URL, {"commune": "Bordeaux", "rayon": "50"})
    trouvees = list(reponse.context["page"].object_list)
    assert sessions["rennes"] not in trouvees and sessions["distance"] not in trouvees
    assert trouvees[0] == sessions["bordeaux"]  # sorted by distance by default when a place is given
    assert all(s.distance_km <= 50 for s in trouvees)
    assert sessions["libourne"] in trouvees  # ~29 km from Bordeaux


def test_a_radius_smaller_than_the_distance_excludes_the_session(client: Any, sessions: dict[str, Any]) -> None:
    trouvees = client.get(URL, {"commune": "33000", "rayon": "25"}).context["page"].object_list
    assert sessions["libourne"] not in trouvees and sessions["bordeaux"] in trouvees


def test_postcode_and_department_suffix_designate_a_commune(client: Any, sessions: dict[str, Any]) -> None:
    for saisie in ("35000", "rennes (35)", "RENNES"):
        trouvees = client.get(URL, {"commune": saisie, "rayon": "10"}).context["page"].object_list
        assert list(trouvees) == [sessions["rennes"]], saisie


def test_unknown_commune_gets_a_clear_message_tied_to_the_field(client: Any, sessions: dict[str, Any]) -> None:
    reponse = client.get(URL, {"commune": "Atlantide"})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Commune inconnue" in contenu
    assert 'aria-describedby="id_commune_helptext id_commune_error"' in contenu and 'id="id_commune_error"' in contenu


def test_filters_price_modality_region_places_and_dates(client: Any, sessions: dict[str, Any]) -> None:
    def noms(**params: str) -> set[Any]:
        return set(client.get(URL, params).context["page"].object_list)

    assert noms(prix_max="1500") == {sessions["libourne"]}
    assert noms(modalite="DISTANCE") == {sessions["distance"]}
    assert noms(region="53") == {sessions["rennes"]}
    assert sessions["complete"] not in noms(places="on")
    assert sessions["complete"] in noms()
    demain = timezone.localdate() + datetime.timedelta(days=20)
    assert noms(debut_max=demain.isoformat()) == {sessions["libourne"]}


def test_negative_price_ceiling_and_inverted_dates_are_refused_with_messages(client: Any, rs5142: Any) -> None:
    reponse = client.get(URL, {"prix_max": "-5", "debut_min": "2027-05-01", "debut_max": "2027-01-01"})
    assert reponse.context["page"] is None
    assert reponse.context["form"].errors.keys() == {"prix_max", "debut_max"}


@pytest.mark.parametrize(
    "saisie",
    [
        '"tiers',
        "tiers*",
        "NEAR(tiers lieu)",
        "tiers OR lieu AND NOT x",
        "'; DROP TABLE partenaires_sessionformation; --",
        "(((",
        "^lieu",
        "tiers:* & !lieu",
        "x" * 10_000,
        "lieu " * 3000,
        "\x00\u202e🙂",
    ],
)
def test_search_syntax_characters_and_huge_input_never_break_the_page(
    client: Any, sessions: dict[str, Any], saisie: str
) -> None:
    reponse = client.get(URL, {"q": saisie})
    assert reponse.status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texte=st.text(max_size=300))
def test_any_text_is_a_valid_search(rs5142: Any, texte: str) -> None:
    SessionFormationFactory.reset_sequence(100)
    list(rechercher(rs5142, Criteres(texte=texte), timezone.localdate()))


def test_relevance_puts_the_closer_match_first(rs5142: Any) -> None:
    proche = SessionFormationFactory(intitule="Animer un fablab", description="fablab fablab atelier")
    SessionFormationFactory(intitule="Piloter un tiers-lieu", description="avec un atelier fablab")
    resultats = list(rechercher(rs5142, Criteres(texte="fablab", tri=Tri.PERTINENCE), timezone.localdate()))
    assert resultats[0] == proche and len(resultats) == 2


def test_list_page_runs_a_fixed_number_of_queries(client: Any, rs5142: Any) -> None:
    for numero in range(25):
        SessionFormationFactory(numero=100 + numero, partenaire=PartenaireFactory())
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL, {"q": "tiers lieu", "commune": "Bordeaux", "rayon": "100"})
    assert reponse.status_code == 200 and len(reponse.context["page"].object_list) == 20
    # The page's own queries (those of the public pages' cache: tests/web/test_cache_pages.py).
    avec_peu = len([q for q in requetes if "parchemin_cache_pages" not in q["sql"]])
    for numero in range(10):
        SessionFormationFactory(numero=200 + numero, partenaire=PartenaireFactory())
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL, {"q": "tiers lieu", "commune": "Bordeaux", "rayon": "100"})
    assert reponse.context is not None, "page servie par le cache après un ajout de sessions"
    assert len([q for q in requetes if "parchemin_cache_pages" not in q["sql"]]) == avec_peu <= 12


def test_a_first_page_holding_every_match_is_not_counted_again(client: Any, rs5142: Any) -> None:
    for numero in range(20):
        SessionFormationFactory(numero=100 + numero, partenaire=PartenaireFactory())

    def compter(parametres: dict[str, str]) -> tuple[Any, int]:
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(URL, parametres)
        return reponse, len([q for q in requetes if "COUNT(" in q["sql"].upper()])

    reponse, comptes = compter({"q": "tiers lieu"})
    assert reponse.context["page"].paginator.count == 20 and len(reponse.context["page"].object_list) == 20
    assert comptes == 0
    SessionFormationFactory(numero=200, partenaire=PartenaireFactory())
    reponse, comptes = compter({"q": "tiers lieu"})
    assert reponse.context["page"].paginator.count == 21 and len(reponse.context["page"].object_list) == 20
    assert comptes == 1
    reponse, comptes = compter({"q": "tiers lieu", "page": "2"})
    assert len(reponse.context["page"].object_list) == 1 and reponse.context["page"].number == 2
    assert reponse.context["page"].paginator.count == 21 and comptes == 1


def test_results_show_partner_place_dates_price_places_and_how_to_register(
    client: Any, sessions: dict[str, Any]
) -> None:
    contenu = client.get(URL, {"commune": "Bordeaux"}).content.decode()
    session = sessions["bordeaux"]
    assert session.partenaire.nom in contenu
    assert "Bordeaux (33)" in contenu
    assert "3\xa0500 € TTC" in contenu
    assert "8 places restantes sur 12" in contenu
    assert 'href="https://example.org/inscription"' in contenu


# The schema.org properties each type we write may carry (from schema.org's definitions of these
# types, inherited properties included: CourseInstance is an Event, so status and capacity apply).
PROPRIETES_SCHEMA_ORG = {
    "Course": {"@context", "@type", "name", "courseCode", "description", "url", "provider",
               "educationalCredentialAwarded", "hasCourseInstance"},
    "CourseInstance": {"@type", "name", "url", "courseMode", "startDate", "endDate", "courseWorkload", "inLanguage",
                       "eventStatus", "maximumAttendeeCapacity", "remainingAttendeeCapacity", "organizer", "offers",
                       "location"},
    "Organization": {"@type", "name", "identifier"},
    "Offer": {"@type", "price", "priceCurrency", "category", "availability", "url"},
    "Place": {"@type", "name", "address", "geo"},
    "VirtualLocation": {"@type", "url"},
    "PostalAddress": {"@type", "addressLocality", "addressRegion", "addressCountry", "streetAddress"},
    "GeoCoordinates": {"@type", "latitude", "longitude"},
}  # fmt: skip


def _json_ld(contenu: str) -> Any:
    blocs = re.findall(r'<script type="application/ld\+json">(.*?)</script>', contenu, re.S)
    assert len(blocs) == 1
    return json.loads(blocs[0])


def _ecarts_schema_org(noeud: Any, chemin: str = "$") -> list[str]:
    """Unknown types or properties anywhere in the tree."""
    if isinstance(noeud, list):
        return [e for i, n in enumerate(noeud) for e in _ecarts_schema_org(n, f"{chemin}[{i}]")]
    if not isinstance(noeud, dict):
        return []
    permises = PROPRIETES_SCHEMA_ORG.get(noeud.get("@type", ""))
    if permises is None:
        return [f"{chemin} : type {noeud.get('@type')!r} inattendu"]
    ecarts = [f"{chemin}.{cle} : pas une propriété de {noeud['@type']}" for cle in noeud if cle not in permises]
    return ecarts + [e for cle, valeur in noeud.items() for e in _ecarts_schema_org(valeur, f"{chemin}.{cle}")]


def test_pages_carry_schema_org_course_json_ld(client: Any, sessions: dict[str, Any]) -> None:
    session = sessions["bordeaux"]
    donnees = _json_ld(client.get(session.get_absolute_url()).content.decode())
    assert _ecarts_schema_org(donnees) == []
    assert donnees["@context"] == "https://schema.org" and donnees["@type"] == "Course"
    assert donnees["courseCode"] == "RS5142" and donnees["name"] and donnees["description"]
    assert donnees["provider"]["@type"] == "Organization" and donnees["provider"]["name"]
    (instance,) = donnees["hasCourseInstance"]
    assert instance["courseMode"] == "onsite"
    assert instance["startDate"] == session.date_debut.isoformat()
    assert instance["endDate"] == session.date_fin.isoformat()
    assert instance["eventStatus"] == "https://schema.org/EventScheduled"
    assert instance["remainingAttendeeCapacity"] == 8 and instance["maximumAttendeeCapacity"] == 12
    assert instance["location"]["address"]["addressLocality"] == "Bordeaux"
    assert instance["location"]["geo"]["latitude"] == pytest.approx(44.84, abs=0.1)
    assert instance["offers"] == {
        "@type": "Offer",
        "price": "3500.00",
        "priceCurrency": "EUR",
        "category": "Paid",
        "availability": "https://schema.org/InStock",
        "url": "https://example.org/inscription",
    }


def test_json_ld_of_every_kind_of_session_uses_schema_org_terms(client: Any, sessions: dict[str, Any]) -> None:
    donnees = _json_ld(client.get(URL).content.decode())
    assert _ecarts_schema_org(donnees) == []
    par_mode = {i["courseMode"]: i for i in donnees["hasCourseInstance"]}
    assert set(par_mode) == {"onsite", "online"}
    assert par_mode["online"]["location"]["@type"] == "VirtualLocation"
    complete = _json_ld(client.get(sessions["complete"].get_absolute_url()).content.decode())["hasCourseInstance"][0]
    assert complete["offers"]["availability"] == "https://schema.org/SoldOut"
    annulee = _json_ld(client.get(sessions["annulee"].get_absolute_url()).content.decode())["hasCourseInstance"][0]
    assert annulee["eventStatus"] == "https://schema.org/EventCancelled"
    assert annulee["offers"]["availability"] == "https://schema.org/Discontinued"
    hybride = SessionFormationFactory(modalite=Modalite.HYBRIDE, numero=40, prix=0)
    instance = _json_ld(client.get(hybride.get_absolute_url()).content.decode())["hasCourseInstance"][0]
    assert instance["courseMode"] == "blended" and instance["offers"]["category"] == "Free"
    assert [lieu["@type"] for lieu in instance["location"]] == ["Place", "VirtualLocation"]
    assert _ecarts_schema_org(instance) == []


def test_json_ld_cannot_close_its_script_element(client: Any, rs5142: Any) -> None:
    session = SessionFormationFactory(partenaire=PartenaireFactory(nom="</script><script>alert(1)</script>"))
    contenu = client.get(session.get_absolute_url()).content.decode()
    bloc = re.search(r'<script type="application/ld\+json">(.*?)</script>', contenu, re.S)
    assert bloc is not None and "<" not in bloc.group(1)
    assert json.loads(bloc.group(1))["hasCourseInstance"][0]["organizer"]["name"].startswith("</script>")


def test_unpublished_session_page_is_not_found(client: Any, sessions: dict[str, Any]) -> None:
    assert (
        client.get(reverse("public:catalogue_session", args=["rs5142", sessions["non_publiee"].pk])).status_code == 404
    )
    assert client.get(reverse("public:catalogue_session", args=["rs9999", sessions["bordeaux"].pk])).status_code == 404


def test_certification_page_links_to_the_catalogue(client: Any, rs5142: Any) -> None:
    contenu = client.get("/certifications/rs5142/").content.decode()
    assert 'href="/certifications/rs5142/ou-suivre/"' in contenu
    assert "Où suivre cette certification ?" in contenu


def test_no_distance_is_shown_without_a_reference_commune(client: Any, sessions: dict[str, Any]) -> None:
    contenu = client.get(URL).content.decode()
    assert "Bordeaux (33)" in contenu and " km —" not in contenu
    assert ", à 0 km" in client.get(URL, {"commune": "Bordeaux"}).content.decode()


def test_sessions_of_a_partner_whose_habilitation_ran_out_leave_the_catalogue(client: Any, rs5142: Any) -> None:
    """Validity ends without anyone writing: until the daily job ends the habilitation, the catalogue,
    the session page and LHÉO check it when they read; afterwards the sessions are unpublished."""
    from parchemin.partenaires.models import Habilitation
    from parchemin.partenaires.services import cloturer_habilitations_echues

    gardee = SessionFormationFactory(intitule="Piloter un tiers-lieu", numero=1)
    echue = SessionFormationFactory(intitule="Piloter un tiers-lieu", numero=2)
    Habilitation.objects.filter(partenaire=echue.partenaire).update(
        date_fin=timezone.localdate() - datetime.timedelta(days=1)
    )

    def seule_la_session_gardee_est_visible() -> None:
        for params in ({}, {"q": "tiers lieu"}, {"commune": "Bordeaux"}, {"q": "tiers", "commune": "Bordeaux"}):
            page = client.get(URL, params).context["page"]
            assert list(page.object_list) == [gardee] and page.paginator.count == 1
        assert client.get(gardee.get_absolute_url()).status_code == 200
        assert client.get(echue.get_absolute_url()).status_code == 404
        lheo = b"".join(client.get("/certifications/rs5142/ou-suivre/lheo.xml").streaming_content).decode()
        assert f'numero="{gardee.pk}"' in lheo and f'numero="{echue.pk}"' not in lheo

    seule_la_session_gardee_est_visible()  # read-time check, before the daily job
    assert partenaires_exclus(rs5142, timezone.localdate()) == [echue.partenaire_id]
    assert [h.partenaire_id for h in cloturer_habilitations_echues()] == [echue.partenaire_id]
    seule_la_session_gardee_est_visible()  # unpublished by the job
    echue.refresh_from_db()
    assert echue.publiee is False
    assert partenaires_exclus(rs5142, timezone.localdate()) == []


def test_one_entry_point_per_allowed_access_route(client: Any, rs5142: Any) -> None:
    from parchemin.referentiel.enums import VoieAcces

    contenu = client.get(URL).content.decode()
    for titre in ("Suivre une formation", "Candidater individuellement", "Faire reconnaître son expérience"):
        assert f'<h2 class="carte__titre">{titre}</h2>' in contenu
    assert 'href="#recherche">Chercher une session</a>' in contenu
    assert contenu.count(f'href="{reverse("candidat:nouvelle", args=["rs5142"])}"') == 2
    experience = rs5142.voies_acces.get(voie=VoieAcces.EXPERIENCE)
    experience.autorisee = False
    experience.save()
    contenu = client.get(URL).content.decode()
    assert "Faire reconnaître son expérience" not in contenu
    assert contenu.count(f'href="{reverse("candidat:nouvelle", args=["rs5142"])}"') == 1


def test_the_exclusions_follow_a_habilitation_renewed_the_same_day(rs5142: Any) -> None:
    """The excluded partners are kept per process, day and version of the public data: a habilitation
    written (here, the lapsed partner's renewal) is taken into account by the next search."""
    from parchemin.partenaires.models import Habilitation

    session = SessionFormationFactory(intitule="Piloter un tiers-lieu", numero=1)
    Habilitation.objects.filter(partenaire=session.partenaire).update(
        date_fin=timezone.localdate() - datetime.timedelta(days=1)
    )
    aujourd_hui = timezone.localdate()
    assert partenaires_exclus(rs5142, aujourd_hui) == [session.partenaire_id]
    assert list(rechercher(rs5142, Criteres(), aujourd_hui)) == []
    habilitation = Habilitation.objects.get(partenaire=session.partenaire)
    habilitation.date_fin = aujourd_hui + datetime.timedelta(days=365)
    habilitation.save()
    assert partenaires_exclus(rs5142, aujourd_hui) == []
    assert list(rechercher(rs5142, Criteres(), aujourd_hui)) == [session]


def test_the_region_label_of_the_results_is_djangos_own() -> None:
    from parchemin.partenaires.models import SessionFormation
    from parchemin.territoires.enums import Region
    from parchemin.web.public.catalogue import _libelle_region

    for region in [*Region.values, "", "99"]:
        assert _libelle_region(region) == SessionFormation(region=region).get_region_display(), region


def test_a_session_shown_around_two_communes_shows_each_its_own_distance(client: Any, sessions: dict[str, Any]) -> None:
    """The result card is kept by the process per session and distance shown (web/public/catalogue.py)."""
    from parchemin.territoires.distance import haversine_km

    bordeaux = sessions["bordeaux"]
    for cle in ("bordeaux", "libourne", "bordeaux"):
        lieu = commune(cle)
        reponse = client.get(URL, {"commune": lieu.nom, "rayon": "100", "q": "formation certifiante"})
        distance = haversine_km(lieu.latitude, lieu.longitude, bordeaux.latitude, bordeaux.longitude)
        carte = re.search(r'<li class="carte resultat">.*?</li>', reponse.content.decode(), re.S)
        assert carte is not None and bordeaux.intitule in carte.group(0)
        assert f", à {round(distance)} km" in carte.group(0), (cle, carte.group(0))


def test_a_search_without_a_radius_shows_the_radius_it_uses(client: Any, sessions: dict[str, Any]) -> None:
    """Found in the walk: "?commune=Bordeaux" searched within 50 km while the list showed "10 km"."""
    contenu = client.get(URL, {"commune": "Bordeaux"}).content.decode()
    assert '<option value="50" selected>50 km</option>' in contenu
    assert "Bordeaux (33), 50 km" in contenu
    assert '<option value="100" selected>' in client.get(URL, {"commune": "Bordeaux", "rayon": "100"}).content.decode()
