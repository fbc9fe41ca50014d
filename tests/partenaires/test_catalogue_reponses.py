"""The catalogue answers every search: an empty answer says which criterion to widen (and the
link it offers finds what it promised), a shared commune name offers the other communes, and a
session that has started is never shown as open for registration."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from parchemin.partenaires.enums import Modalite
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db

URL = "/certifications/rs5142/ou-suivre/"


def _pistes(reponse: Any) -> dict[str, Any]:
    return {piste.libelle_lien: piste for piste in reponse.context["pistes"]}


def _suivre(client: Client, lien: str) -> Any:
    """GET the catalogue with a widening link's query string, as a click would. The page is rendered
    for this request, not served from the public pages' cache (a link may lead to an address already
    visited): its context is what the tests read."""
    caches["pages-locales"].clear()
    return client.get(URL, {cle: valeurs[0] for cle, valeurs in parse_qs(lien).items()})


def _trouvees(reponse: Any) -> list[Any]:
    return list(reponse.context["page"].object_list)


def test_an_empty_answer_says_so_and_offers_the_nearest_sessions_beyond_the_radius(client: Client, rs5142: Any) -> None:
    rennes = SessionFormationFactory(commune=commune("rennes"))
    commune("bordeaux")
    reponse = client.get(URL, {"commune": "Bordeaux", "rayon": "10"})
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and _trouvees(reponse) == []
    assert "Aucune session trouvée" in contenu and "Corrigez la recherche" not in contenu
    pistes = reponse.context["pistes"]
    proches = next(piste for piste in pistes if piste.sessions)
    assert list(proches.sessions) == [rennes]
    assert rennes.get_absolute_url() in contenu
    # The link widens the radius just enough to find the nearest session.
    assert _trouvees(_suivre(client, proches.lien)) == [rennes]


def test_an_empty_answer_near_a_commune_points_to_remote_sessions(client: Client, rs5142: Any) -> None:
    a_distance = SessionFormationFactory(commune=None, modalite=Modalite.DISTANCE)
    commune("bordeaux")
    reponse = client.get(URL, {"commune": "Bordeaux", "rayon": "50"})
    piste = _pistes(reponse)["Voir les sessions à distance"]
    assert piste.texte.startswith("1 session entièrement à distance")
    assert _trouvees(_suivre(client, piste.lien)) == [a_distance]


def test_an_empty_answer_with_dates_words_or_filters_offers_to_drop_each_of_them(client: Client, rs5142: Any) -> None:
    session = SessionFormationFactory(intitule="Piloter un tiers-lieu", prix=Decimal("3500"))
    loin = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    cas = [
        ({"debut_min": loin}, "Chercher à toutes les dates"),
        ({"q": "menuiserie"}, "Chercher sans ces mots"),
        ({"prix_max": "100"}, "Retirer ces filtres"),
    ]
    for criteres, libelle in cas:
        reponse = client.get(URL, criteres)
        assert _trouvees(reponse) == [], criteres
        assert "Corrigez la recherche" not in reponse.content.decode()
        pistes = _pistes(reponse)
        assert set(pistes) == {libelle}, criteres
        assert _trouvees(_suivre(client, pistes[libelle].lien)) == [session], criteres


def test_without_any_upcoming_session_the_page_says_so_instead_of_asking_for_a_correction(
    client: Client, rs5142: Any
) -> None:
    SessionFormationFactory(
        date_debut=timezone.localdate() - datetime.timedelta(days=200),
        date_fin=timezone.localdate() - datetime.timedelta(days=100),
    )
    contenu = client.get(URL, {"q": "tiers lieu"}).content.decode()
    assert "Aucune session de formation à venir n'est annoncée" in contenu
    assert "Corrigez la recherche" not in contenu


def test_a_real_mistake_still_asks_for_a_correction(client: Client, rs5142: Any) -> None:
    contenu = client.get(URL, {"commune": "Atlantide"}).content.decode()
    assert "Corrigez la recherche" in contenu and "Commune inconnue" in contenu


def test_a_shared_commune_name_offers_the_other_communes_to_choose_from(client: Client, rs5142: Any) -> None:
    seine_saint_denis, reunion = commune("saint_denis_93"), commune("saint_denis_974")
    proche = SessionFormationFactory(commune=seine_saint_denis)
    reponse = client.get(URL, {"commune": "Saint-Denis", "rayon": "25"})
    assert reponse.context["criteres"].commune == reunion  # the more populated one
    contenu = reponse.content.decode()
    assert "Plusieurs communes répondent à « Saint-Denis »" in contenu
    choix = reponse.context["homonymes"]
    assert [c["commune"] for c in choix] == [seine_saint_denis]
    assert "Saint-Denis (93)" in contenu
    choisi = _suivre(client, choix[0]["lien"])
    assert choisi.context["criteres"].commune == seine_saint_denis
    assert choisi.context["criteres"].rayon_km == 25  # the other criteria are kept
    assert _trouvees(choisi) == [proche]
    assert choisi.context["homonymes"] == []  # "Saint-Denis (93)" is not ambiguous


def test_a_session_that_has_started_or_ended_is_never_shown_open_for_registration(client: Client, rs5142: Any) -> None:
    aujourd_hui = timezone.localdate()
    commencee = SessionFormationFactory(
        date_debut=aujourd_hui - datetime.timedelta(days=3), date_fin=aujourd_hui + datetime.timedelta(days=30)
    )
    terminee = SessionFormationFactory(
        date_debut=aujourd_hui - datetime.timedelta(days=60), date_fin=aujourd_hui - datetime.timedelta(days=1)
    )
    a_venir = SessionFormationFactory()
    for session, etat in ((commencee, "Session commencée"), (terminee, "Session terminée")):
        contenu = client.get(session.get_absolute_url()).content.decode()
        assert etat in contenu
        assert "S'inscrire auprès de" not in contenu and session.lien_inscription not in contenu
        assert "places restantes" not in contenu
        donnees = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', contenu, re.S)[0])
        assert donnees["hasCourseInstance"][0]["offers"]["availability"] != "https://schema.org/InStock"
    contenu = client.get(a_venir.get_absolute_url()).content.decode()
    assert "S'inscrire auprès de" in contenu and "8 places restantes sur 12" in contenu


def test_the_certification_page_offers_to_apply_next_to_each_allowed_route(client: Client, rs5142: Any) -> None:
    contenu = client.get("/certifications/rs5142/").content.decode()
    autorisees = [v.voie for v in rs5142.voies_acces.filter(autorisee=True)]
    interdites = [v.voie for v in rs5142.voies_acces.filter(autorisee=False)]
    assert autorisees and interdites
    for voie in autorisees:
        assert f'href="/candidat/candidater/rs5142/?voie={voie}"' in contenu
    for voie in interdites:
        assert f"?voie={voie}" not in contenu


def test_the_route_chosen_on_the_certification_page_is_preselected(client: Client, rs5142: Any) -> None:
    candidat = creer_utilisateur("candidate@example.org")
    connecter(client, candidat)
    contenu = client.get("/candidat/candidater/rs5142/", {"voie": VoieAcces.EXPERIENCE}).content.decode()
    coche = re.search(r'<input[^>]*value="EXPERIENCE"[^>]*>', contenu)
    assert coche is not None and "checked" in coche.group(0)
    autre = re.search(r'<input[^>]*value="CANDIDATURE_INDIVIDUELLE"[^>]*>', contenu)
    assert autre is not None and "checked" not in autre.group(0)
