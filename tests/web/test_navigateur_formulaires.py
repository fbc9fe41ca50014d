"""Edit forms in a real Chromium: each box shows the stored value (dates in the date picker,
amounts with a French comma, ticked choices), saving without touching anything keeps every value,
and the pages pass axe. One form per kind of field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.partenaires.enums import Financement, Modalite
from parchemin.partenaires.models import Habilitation, Partenaire, SessionFormation
from parchemin.referentiel.enums import VoieAcces
from tests.browser_helpers import resume_violations, violations_axe
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _connecter(page: Any, live_server: Any, user: Any) -> None:
    client = connecter(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_partner_session_shows_its_dates_amount_and_choices_and_saves_them_unchanged(
    page: Any, live_server: Any, rs5142: Any
) -> None:
    organisme = PartenaireFactory()
    HabilitationFactory(partenaire=organisme)
    session = SessionFormationFactory(
        partenaire=organisme,
        commune=commune("rennes"),
        modalite=Modalite.HYBRIDE,
        date_debut=datetime.date(2027, 3, 1),
        date_fin=datetime.date(2027, 6, 30),
        prix=Decimal("3950.50"),
        financements=[Financement.CPF, Financement.OPCO],
    )
    avant = SessionFormation.objects.values().get(pk=session.pk)
    _connecter(page, live_server, creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=organisme))

    page.goto(f"/partenaire/sessions/{session.pk}/")
    expect(page.locator("#id_date_debut")).to_have_value("2027-03-01")
    expect(page.locator("#id_date_fin")).to_have_value("2027-06-30")
    expect(page.get_by_label("Prix TTC (€)")).to_have_value("3950,50")
    expect(page.get_by_label("Modalité")).to_have_value(Modalite.HYBRIDE)
    expect(page.get_by_label(Financement.CPF.label)).to_be_checked()
    expect(page.get_by_label(Financement.OPCO.label)).to_be_checked()
    _accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alerte").first).to_contain_text("Session mise à jour.")
    assert SessionFormation.objects.values().get(pk=session.pk) | {"modifiee_le": None} == avant | {"modifiee_le": None}


def test_staff_partner_keeps_its_qualiopi_expiry_when_saved_unchanged(page: Any, live_server: Any, rs5142: Any) -> None:
    partenaire = PartenaireFactory(qualiopi=True, qualiopi_echeance=datetime.date(2028, 6, 1))
    _connecter(page, live_server, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))

    page.goto(f"/gestion/partenaires/{partenaire.pk}/")
    echeance = page.get_by_label("Échéance du certificat Qualiopi")
    expect(echeance).to_have_value("2028-06-01")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.locator(".alerte").first).to_contain_text("Partenaire mis à jour.")
    assert Partenaire.objects.get(pk=partenaire.pk).qualiopi_echeance == datetime.date(2028, 6, 1)
    _accessible(page)


def test_habilitation_terms_show_dates_and_units_and_an_unchanged_save_asks_no_reason(
    page: Any, live_server: Any, rs5142: Any
) -> None:
    habilitation = HabilitationFactory(date_debut=datetime.date(2025, 9, 1), date_fin=datetime.date(2030, 8, 31))
    unite = rs5142.version_en_vigueur().unites.order_by("ordre").first()
    habilitation.unites.set([unite])
    changements = habilitation.changements.count()
    _connecter(page, live_server, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))

    page.goto(f"/gestion/habilitations/{habilitation.pk}/modifier/")
    expect(page.get_by_label("Début de validité")).to_have_value("2025-09-01")
    expect(page.get_by_label("Fin de validité")).to_have_value("2030-08-31")
    expect(page.locator(f"input[name=unites][value='{unite.pk}']")).to_be_checked()
    _accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).not_to_contain_text("Modifier")
    habilitation = Habilitation.objects.get(pk=habilitation.pk)
    assert (habilitation.date_debut, habilitation.date_fin) == (datetime.date(2025, 9, 1), datetime.date(2030, 8, 31))
    assert list(habilitation.unites.all()) == [unite]
    assert habilitation.changements.count() == changements


def test_candidate_birth_date_is_shown_in_the_picker_and_a_partial_draft_is_saved(
    page: Any, live_server: Any, rs5142: Any
) -> None:
    candidature = CandidatureFactory(
        voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, date_naissance=datetime.date(1984, 3, 1), annees_experience=None
    )
    _connecter(page, live_server, candidature.candidat)

    page.goto(f"/candidat/candidatures/{candidature.pk}/dossier/")
    naissance = page.locator("#id_date_naissance")
    expect(naissance).to_have_value("1984-03-01")
    expect(page.get_by_text("Nom de naissance *")).to_be_visible()
    _accessible(page)
    page.get_by_label("Téléphone").fill("05 56 00 00 00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alerte").first).to_contain_text("Votre dossier est enregistré.")
    candidature = Candidature.objects.get(pk=candidature.pk)
    assert candidature.date_naissance == datetime.date(1984, 3, 1)
    assert candidature.annees_experience is None and candidature.telephone == "05 56 00 00 00"
