"""The public pages' cache (parchemin.web.public.cache): a visitor without a session gets the page
rendered for the previous one, until something the page shows changes; nobody else ever shares one."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings as reglages
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothese
from hypothesis import strategies as st

from parchemin.comptes.enums import Role
from parchemin.pages_publiques import ALIAS, CLE_VERSION, signaler_changement
from parchemin.partenaires.services import changer_etat_habilitation
from parchemin.referentiel.models import Certification
from parchemin.web.public.cache import LONGUEUR_MAX_REQUETE, cle_de_page
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db

CERTIFICATION = "/certifications/rs5142/"
CATALOGUE = "/certifications/rs5142/ou-suivre/"
PAGES = ["/", CERTIFICATION, CATALOGUE, CATALOGUE + "?q=tiers+lieu", CATALOGUE + "?commune=Bordeaux&rayon=50"]
# Headers set by the view and the middleware: the same whether the page came from the cache or not.
EN_TETES = ("Content-Type", "Content-Language", "Vary", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy")


@pytest.mark.parametrize("url", PAGES)
def test_the_second_visitor_gets_the_same_page_from_the_cache_in_one_query(url: str, rs5142: Any) -> None:
    SessionFormationFactory()
    premiere = Client().get(url)
    assert premiere.status_code == 200 and premiere.context is not None
    with CaptureQueriesContext(connection) as requetes:
        seconde = Client().get(url)
    assert seconde.context is None, "la page a été calculée à nouveau"
    assert len(requetes) == 1, [q["sql"] for q in requetes]
    assert seconde.status_code == 200 and seconde.content == premiere.content
    assert {n: seconde.headers.get(n) for n in EN_TETES} == {n: premiere.headers.get(n) for n in EN_TETES}


def test_a_change_to_the_referentiel_is_shown_at_once(rs5142: Certification) -> None:
    assert "Piloter un tiers-lieu" in Client().get(CERTIFICATION).content.decode()
    rs5142.intitule = "Piloter et animer un tiers-lieu"
    rs5142.save()
    reponse = Client().get(CERTIFICATION)
    assert reponse.context is not None and "Piloter et animer un tiers-lieu" in reponse.content.decode()


def test_a_published_session_and_a_suspended_accreditation_are_shown_at_once(rs5142: Any) -> None:
    habilitation = HabilitationFactory()
    assert "Aucune session" in Client().get(CATALOGUE).content.decode()
    SessionFormationFactory(partenaire=habilitation.partenaire, intitule="Session d'hiver à Bordeaux")
    assert "Session d'hiver à Bordeaux" in Client().get(CATALOGUE).content.decode()
    gestionnaire = creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)
    changer_etat_habilitation(gestionnaire, habilitation, "suspendre", "Audit")
    assert "Session d'hiver à Bordeaux" not in Client().get(CATALOGUE).content.decode()


def test_signed_in_people_neither_read_nor_store_a_page(rs5142: Any) -> None:
    anonyme = Client().get(CERTIFICATION)
    candidat = connecter(Client(), creer_utilisateur("candidat@example.org"))
    reponse = candidat.get(CERTIFICATION)
    assert reponse.context is not None and "Mon espace" in reponse.content.decode()
    assert "Mon espace" not in anonyme.content.decode()
    # What the signed-in person saw was not kept for the next visitor.
    candidat.get(CATALOGUE)
    suivant = Client().get(CATALOGUE)
    assert suivant.context is not None and "Mon espace" not in suivant.content.decode()


def test_a_visitor_holding_a_session_cookie_gets_a_page_rendered_for_them(rs5142: Any) -> None:
    Client().get(CERTIFICATION)
    visiteur = Client()
    visiteur.cookies[reglages.SESSION_COOKIE_NAME] = "une-session"
    assert visiteur.get(CERTIFICATION).context is not None


def test_errors_and_long_query_strings_are_not_kept(rs5142: Any) -> None:
    for _ in range(2):
        reponse = Client().get("/certifications/rs9999/")
        assert reponse.status_code == 404 and reponse.context is not None
    longue = CATALOGUE + "?q=" + "x" * LONGUEUR_MAX_REQUETE
    for _ in range(2):
        reponse = Client().get(longue)
        assert reponse.status_code == 200 and reponse.context is not None


def test_the_key_holds_the_day_the_host_and_the_whole_query_string(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "www.testserver"]
    fabrique = RequestFactory()
    base = cle_de_page(fabrique.get(CATALOGUE, {"q": "tiers"}, HTTP_HOST="testserver"))
    assert cle_de_page(fabrique.get(CATALOGUE, {"q": "tiers"}, HTTP_HOST="testserver")) == base
    assert cle_de_page(fabrique.get(CATALOGUE, {"q": "tiers", "page": "2"}, HTTP_HOST="testserver")) != base
    assert cle_de_page(fabrique.get(CATALOGUE, {"q": "tiers"}, HTTP_HOST="www.testserver")) != base
    demain = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("parchemin.web.public.cache.timezone.localdate", lambda: demain)
    assert cle_de_page(fabrique.get(CATALOGUE, {"q": "tiers"}, HTTP_HOST="testserver")) != base


def test_a_change_rolled_back_leaves_the_version_and_a_committed_one_changes_it(rs5142: Any) -> None:
    from django.core.cache import caches

    Client().get(CERTIFICATION)
    version = caches[ALIAS].get(CLE_VERSION)
    with transaction.atomic():
        signaler_changement()
        assert caches[ALIAS].get(CLE_VERSION) != version
        transaction.set_rollback(True)
    assert caches[ALIAS].get(CLE_VERSION) == version
    assert Client().get(CERTIFICATION).context is None
    signaler_changement()
    assert caches[ALIAS].get(CLE_VERSION) != version
    assert Client().get(CERTIFICATION).context is not None


TEXTE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@hypothese(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=TEXTE, commune=st.sampled_from(["", "Bordeaux", "Rennes", "Paris"]), tri=TEXTE, page=TEXTE)
def test_any_search_from_the_cache_is_the_page_rendered_for_it(
    rs5142: Any, q: str, commune: str, tri: str, page: str
) -> None:
    from django.core.cache import caches

    caches["pages-locales"].clear()  # two examples may ask for the same address
    parametres = {"q": q, "commune": commune, "tri": tri, "page": page}
    rendue = Client().get(CATALOGUE, parametres)
    servie = Client().get(CATALOGUE, parametres)
    assert servie.status_code == rendue.status_code
    assert servie.content == rendue.content
    if rendue.status_code == 200 and len(urlencode(parametres)) <= LONGUEUR_MAX_REQUETE:
        assert rendue.context is not None and servie.context is None, "la seconde n'est pas venue du cache"


def test_a_signed_in_person_sees_a_referentiel_change_at_once(rs5142: Certification) -> None:
    """Their page is computed for them, but from the fiche the process keeps (referentiel.queries):
    the same version of the public data decides when it is read again."""
    from parchemin.referentiel.models import Competence

    candidat = connecter(Client(), creer_utilisateur("candidat@example.org"))
    assert candidat.get(CERTIFICATION).status_code == 200
    competence = Competence.objects.filter(unite__version__certification=rs5142).order_by("pk").first()
    assert competence is not None
    competence.intitule = "Tenir le registre des adhésions du tiers-lieu"
    competence.save()
    assert "Tenir le registre des adhésions du tiers-lieu" in candidat.get(CERTIFICATION).content.decode()


def test_a_page_holding_a_csrf_token_is_never_shared(rs5142: Any) -> None:
    """A cached view whose page grows a form to post: the first visitor's token must not reach others."""
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from parchemin.web.public.cache import en_cache_pour_les_visiteurs

    @en_cache_pour_les_visiteurs
    def avec_formulaire(request: Any) -> Any:
        from django.http import HttpResponse

        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    jetons = {avec_formulaire(RequestFactory().get("/formulaire/")).content for _ in range(2)}
    assert len(jetons) == 2


def _ecritures_de_version(requetes: Any) -> list[str]:
    return [q["sql"] for q in requetes if "parchemin_cache_pages" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_one_version_per_transaction_until_the_connection_reads_it(rs5142: Certification) -> None:
    from django.core.cache import caches

    from parchemin.pages_publiques import version

    avant = version()  # what a reader on this connection last saw
    with transaction.atomic():
        rs5142.intitule = "Premier changement"
        rs5142.save()
        with CaptureQueriesContext(connection) as requetes:
            rs5142.intitule = "Deuxième changement"
            rs5142.save()
        assert _ecritures_de_version(requetes) == [], "la version a été réécrite dans la même transaction"
        assert caches[ALIAS].get(CLE_VERSION) != avant
        # A page read in between (this connection reads the version): the next write changes it again.
        assert "Deuxième changement" in Client().get(CERTIFICATION).content.decode()
        rs5142.intitule = "Troisième changement"
        rs5142.save()
        assert "Troisième changement" in Client().get(CERTIFICATION).content.decode()


def test_a_write_after_a_rolled_back_savepoint_changes_the_version_again(rs5142: Certification) -> None:
    from django.core.cache import caches

    Client().get(CERTIFICATION)
    avant = caches[ALIAS].get(CLE_VERSION)
    with transaction.atomic():
        try:
            with transaction.atomic():
                rs5142.intitule = "Changement annulé"
                rs5142.save()
                raise RuntimeError
        except RuntimeError:
            pass
        assert caches[ALIAS].get(CLE_VERSION) == avant
        rs5142.refresh_from_db()
        rs5142.intitule = "Changement gardé"
        rs5142.save()
        assert caches[ALIAS].get(CLE_VERSION) != avant
    assert "Changement gardé" in Client().get(CERTIFICATION).content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_page_computed_for_a_visitor_reads_the_version_once(url: str, rs5142: Any) -> None:
    """What the page derives from the public data (certification, certificateur, excluded partners,
    sessions) is kept under the version read for the page cache: no second read of it."""
    SessionFormationFactory()
    Client().get(url)
    with CaptureQueriesContext(connection) as requetes:
        reponse = Client().get(url, {"autre": "adresse"})
    assert reponse.status_code == 200 and reponse.context is not None
    assert len([q for q in requetes if "parchemin_cache_pages" in q["sql"]]) == 1, [q["sql"] for q in requetes]


def test_the_sessions_and_the_certificateur_a_process_keeps_follow_their_changes(rs5142: Any) -> None:
    """Computed pages (a signed-in person's) read the sessions and the certificateur the process keeps
    (partenaires.catalogue, referentiel.queries): a change is shown at the next page."""
    session = SessionFormationFactory(intitule="Session d'hiver à Bordeaux")
    candidat = connecter(Client(), creer_utilisateur("candidat@example.org"))
    contenu = candidat.get(CATALOGUE, {"q": "hiver"}).content.decode()
    assert "Session d'hiver à Bordeaux" in contenu and session.partenaire.nom in contenu
    visiteur = Client().get(CATALOGUE, {"q": "bordeaux"}).content.decode()
    assert "Session d'hiver à Bordeaux" in visiteur and rs5142.certificateur.raison_sociale in visiteur
    session.intitule = "Session de printemps à Bordeaux"
    session.save()
    session.partenaire.nom = "Organisme renommé"
    session.partenaire.save()
    certificateur = rs5142.certificateur
    certificateur.raison_sociale = "Coopérative renommée"
    certificateur.save()
    for contenu in (
        candidat.get(CATALOGUE, {"q": "bordeaux"}).content.decode(),
        Client().get(CATALOGUE, {"q": "bordeaux"}).content.decode(),  # the visitor's page, the process's memory
    ):
        assert "Session de printemps à Bordeaux" in contenu and "Session d'hiver" not in contenu
        assert "Organisme renommé" in contenu and "Coopérative renommée" in contenu
