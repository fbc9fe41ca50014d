"""End to end in a real Chromium: three members fill their grids, the jury deliberates, each member
signs the PV with a TOTP code; the PV becomes locked. Every page on the way passes axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.jurys import planification_demandes, services
from parchemin.jurys.enums import StatutPlanification, StatutSession
from parchemin.jurys.models import DemandePlanification, Passage, ProcesVerbal, SessionJury
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, partager_session
from tests.taches import reglage

from .conftest import Jury, code_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _page_de(browser: Any, live_server: Any, user: Any) -> Any:
    """A browser tab signed in as ``user`` (session opened by the test helper, TOTP step done)."""
    client = connecter(Client(), user)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    partager_session(contexte, client, live_server.url)
    return contexte.new_page()


def test_three_members_grade_deliberate_and_sign_then_the_pv_is_locked(
    effacer_les_pv_verrouilles: None, jury: Jury, browser: Any, live_server: Any
) -> None:
    candidature = jury.candidatures[0]
    services.ajouter_candidats(jury.session, [candidature], acteur=jury.gestionnaire)
    services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False)
    passage = Passage.objects.get(session=jury.session)
    pages = [_page_de(browser, live_server, compte) for compte in jury.comptes]
    try:
        # The first member records attendance from the session page.
        premiere = pages[0]
        premiere.goto("/jury/")
        _accessible(premiere)
        premiere.get_by_role("link", name=jury.session.intitule).click()
        premiere.wait_for_url(f"**/jury/sessions/{jury.session.pk}/")
        premiere.get_by_label("Présence").select_option("PRESENT")
        premiere.get_by_role("button", name="Enregistrer la présence").click()
        expect(premiere.get_by_text("Présence de")).to_be_visible()
        _accessible(premiere)

        # Each member fills and submits their own grid: everything acquired except 2.3 for one member.
        for numero, page in enumerate(pages):
            page.goto(f"/jury/sessions/{jury.session.pk}/candidats/{passage.pk}/")
            expect(page.get_by_role("heading", name=f"Grille d'évaluation — {candidature.nom_complet}")).to_be_visible()
            if numero == 0:
                _accessible(page)
            radios = page.locator("input[type=radio][value=ACQUIS]")
            for i in range(radios.count()):
                radios.nth(i).check()
            if numero == 2:
                page.get_by_role("group", name="2.3").get_by_label("En cours d'acquisition").check()
                page.get_by_label("Commentaire sur 2.3").fill("Analyse des résultats à approfondir.")
            page.get_by_role("button", name="Soumettre ma grille").click()
            page.wait_for_url(f"**/jury/sessions/{jury.session.pk}/")
            expect(page.get_by_text("Grille soumise.")).to_be_visible()

        # Two of three grids say "acquis" everywhere: the proposal is a total validation; the jury confirms.
        premiere.reload()
        expect(premiere.get_by_text("Proposition issue des grilles : Validation totale")).to_be_visible()
        _accessible(premiere)
        premiere.get_by_role("button", name="Enregistrer la décision").click()
        expect(premiere.get_by_text(f"Décision enregistrée pour {candidature.nom_complet}.")).to_be_visible()
        premiere.get_by_role("button", name="Établir le PV").click()
        premiere.wait_for_url(f"**/jury/sessions/{jury.session.pk}/pv/")
        _accessible(premiere)

        # Each member re-reads and signs with the code of their authenticator app.
        for page, compte in zip(pages, jury.comptes, strict=True):
            page.goto(f"/jury/sessions/{jury.session.pk}/pv/")
            page.get_by_label("Code de votre application d'authentification").fill(code_totp(compte))
            page.get_by_role("button", name="Signer le PV").click()
            expect(page.get_by_text("Vous avez signé le PV.")).to_be_visible()

        pages[2].reload()
        expect(pages[2].get_by_text("Signé par tous — verrouillé")).to_be_visible()
        expect(pages[2].get_by_role("button", name="Signer le PV")).to_have_count(0)
        _accessible(pages[2])
    finally:
        for page in pages:
            page.context.close()

    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.VERROUILLEE
    assert ProcesVerbal.objects.get(session=jury.session).verrouille_le is not None
    assert Passage.objects.get(pk=passage.pk).verrouille


def test_back_office_jury_pages_show_broken_rules_accessibly(jury: Jury, browser: Any, live_server: Any) -> None:
    jury.membres[0].interne = True
    jury.membres[0].save()
    page = _page_de(browser, live_server, jury.gestionnaire)
    try:
        page.goto("/gestion/")
        page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Jurys").click()
        page.wait_for_url("**/gestion/jurys/")
        _accessible(page)
        page.get_by_role("link", name=jury.session.intitule).click()
        expect(page.get_by_text("Composition non conforme")).to_be_visible()
        _accessible(page)
        page.get_by_label(f"{jury.candidatures[0].nom_complet} (").check()
        page.get_by_role("button", name="Ajouter à la session").click()
        expect(page.get_by_text("1 candidat(s) ajouté(s).")).to_be_visible()
        page.get_by_role("button", name="Convoquer les membres et les candidats").click()
        expect(page.get_by_text("La session ne peut pas être convoquée.")).to_be_visible()
        for chemin in ("/gestion/jurys/vivier/", "/gestion/jurys/planification/", "/gestion/jurys/sessions/nouvelle/"):
            page.goto(chemin)
            _accessible(page)
    finally:
        page.context.close()


def test_a_pending_planning_request_is_followed_without_reloading_the_page(
    jury: Jury, browser: Any, live_server: Any, settings: Any
) -> None:
    settings.TASKS = reglage()
    demande = planification_demandes.demander(
        planification_demandes.Parametres(
            jury.session.regle,
            [jury.session.debut.date() + datetime.timedelta(days=30)],
            datetime.time(9, 30),
            6,
            lieu="Poitiers",
        ),
        acteur=jury.gestionnaire,
    )
    page = _page_de(browser, live_server, jury.gestionnaire)
    try:
        page.goto(f"/gestion/jurys/planification/{demande.pk}/")
        statut = page.get_by_role("status")
        expect(statut).to_have_text("Calcul en attente d'un processus de calcul.")
        expect(page.get_by_role("link", name="Afficher le résultat")).to_have_count(0)
        _accessible(page)
        page.evaluate("window.marqueur = 'même page'")

        planification_demandes.traiter(demande.pk)

        expect(page.get_by_role("link", name="Afficher le résultat")).to_be_visible(timeout=20_000)
        expect(statut).to_contain_text("Calcul terminé")
        assert page.evaluate("window.marqueur") == "même page", "la page s'est rechargée"
        _accessible(page)
        page.get_by_role("link", name="Afficher le résultat").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Planification n° {demande.pk}")
        expect(page.locator("script[src*='suivi-planification']")).to_have_count(0)
    finally:
        page.context.close()


def test_staff_edit_a_planning_proposal_with_plain_forms_and_see_the_broken_rule_accessibly(
    jury: Jury, browser: Any, live_server: Any
) -> None:
    jour = (jury.session.debut + datetime.timedelta(days=30)).date()
    candidature = jury.candidatures[0]
    demande = DemandePlanification.objects.create(
        demandeur=jury.gestionnaire,
        regle=jury.session.regle,
        dates=[jour.isoformat()],
        heure=datetime.time(9, 30),
        max_candidats=4,
        lieu="Poitiers",
        temps_max_secondes=10,
        statut=StatutPlanification.TERMINEE,
        resultat={
            "sessions": [
                {"date": jour.isoformat(), "membres": [m.pk for m in jury.membres], "candidats": [candidature.pk]}
            ],
            "charges": {str(m.pk): 1 for m in jury.membres},
            "optimale": True,
            "duree_secondes": 0.1,
        },
    )
    retire = jury.membres[2]
    page = _page_de(browser, live_server, jury.gestionnaire)
    try:
        page.goto(f"/gestion/jurys/planification/{demande.pk}/")
        expect(page.get_by_text("Composition conforme")).to_be_visible()
        page.get_by_text("Modifier la session n° 1").click()
        formulaire = page.get_by_role("group", name="Membres du jury (vivier actif)")
        expect(formulaire).to_be_visible()
        _accessible(page)
        formulaire.get_by_label(f"{retire} —").uncheck()
        expect(page.get_by_label(candidature.nom_complet)).to_have_value("1")
        page.get_by_role("button", name="Enregistrer et vérifier la session n° 1").click()
        expect(page.get_by_text("Session proposée n° 1 modifiée")).to_be_visible()
        expect(page.get_by_text("Session non conforme")).to_be_visible()
        expect(page.get_by_text("Au moins une session enfreint une règle")).to_be_visible()
        _accessible(page)
        page.get_by_role("button", name="Accepter et créer ces sessions").click()
        expect(page.get_by_text("La proposition n'est pas conforme")).to_be_visible()
        assert not SessionJury.objects.filter(debut__date=jour).exists()
    finally:
        page.context.close()
