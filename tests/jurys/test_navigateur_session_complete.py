"""A whole jury session on its day, in a real Chromium: convocation, an absent member replaced,
grids, deliberation, three TOTP signatures, the final PV downloaded and its PAdES seal validated by
pyHanko's own validator, then the candidate reading the result. Every page on the way passes axe."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from parchemin.comptes.enums import Role
from parchemin.courriels.models import Courriel
from parchemin.jurys import services
from parchemin.jurys.cachet import CHAMP_CACHET, cachet
from parchemin.jurys.models import Passage, Siege
from parchemin.referentiel.enums import ProfilJury
from tests.comptes.outils import creer_utilisateur

from .conftest import Jury, code_totp
from .factories import MembreJuryFactory
from .test_navigateur_jury import _accessible, _page_de

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _remplir_et_soumettre(page: Any, session_pk: int, passage_pk: int) -> None:
    page.goto(f"/jury/sessions/{session_pk}/candidats/{passage_pk}/")
    radios = page.locator("input[type=radio][value=ACQUIS]")
    expect(radios.first).to_be_visible()
    for i in range(radios.count()):
        radios.nth(i).check()
    page.get_by_role("button", name="Soumettre ma grille").click()
    page.wait_for_url(f"**/jury/sessions/{session_pk}/")
    expect(page.get_by_text("Grille soumise.")).to_be_visible()


def test_a_whole_session_on_its_day_with_a_replacement_ends_in_a_sealed_pv_the_candidate_reads(
    effacer_les_pv_verrouilles: None, jury: Jury, browser: Any, live_server: Any
) -> None:
    session = jury.session
    candidature = jury.candidatures[0]
    absent = jury.membres[0]  # the ESS seat
    compte_remplacant = creer_utilisateur("remplacante@example.org", Role.MEMBRE_JURY)
    remplacante = MembreJuryFactory(profils=[ProfilJury.ESS], user=compte_remplacant, email=compte_remplacant.email)
    services.ajouter_candidats(session, [candidature], acteur=jury.gestionnaire)
    passage = Passage.objects.get(session=session)
    equipe = _page_de(browser, live_server, jury.gestionnaire)
    membres = [_page_de(browser, live_server, c) for c in (compte_remplacant, *jury.comptes[1:])]
    comptes = [compte_remplacant, *jury.comptes[1:]]
    candidat = _page_de(browser, live_server, candidature.candidat)
    try:
        # Staff convene the session: each member and the candidate get an e-mail with an invitation.
        equipe.goto(f"/gestion/jurys/sessions/{session.pk}/")
        expect(equipe.get_by_role("heading", name="Ce qui est possible, et quand")).to_be_visible()
        expect(equipe.get_by_text("Jour de la session atteint")).to_be_visible()
        equipe.get_by_role("button", name="Convoquer les membres et les candidats").click()
        expect(equipe.get_by_text("Convocations envoyées")).to_be_visible()
        convoques = {a for c in Courriel.objects.filter(sujet__contains="Convocation") for a in c.destinataires}
        assert {m.email for m in jury.membres} | {candidature.email or candidature.candidat.email} <= convoques

        # On the day, the ESS member is absent: the composition is checked again at once.
        equipe.get_by_label(str(absent)).uncheck()
        equipe.get_by_role("button", name="Enregistrer les présences").click()
        expect(equipe.get_by_text("le jury n'est plus conforme")).to_be_visible()
        _accessible(equipe)

        # Staff replace them with the member the planner recommends; the replacement is convened.
        equipe.get_by_label("Membre absent à remplacer").select_option(str(absent.pk))
        choix = equipe.get_by_label("Remplaçant (du plus recommandé au moins recommandé)")
        expect(choix.locator("option").first).to_contain_text(f"{remplacante} — ")
        expect(choix.locator("option").first).to_contain_text("recommandé")
        choix.select_option(str(remplacante.pk))
        equipe.get_by_role("button", name="Remplacer et convoquer le remplaçant").click()
        expect(equipe.get_by_text(f"{remplacante} remplace {absent}")).to_be_visible()
        expect(equipe.get_by_text("Composition conforme")).to_be_visible()
        _accessible(equipe)
        convocations = Courriel.objects.filter(sujet__contains="Convocation")
        assert any(remplacante.email in c.destinataires for c in convocations)
        assert Siege.objects.get(session=session, membre=remplacante).remplace.membre == absent

        # The members who sit record attendance and submit their grids; the absent one is not awaited.
        premiere = membres[0]
        premiere.goto(f"/jury/sessions/{session.pk}/")
        expect(premiere.get_by_text(f"en remplacement de {absent}")).to_be_visible()
        premiere.get_by_label("Présence").select_option("PRESENT")
        premiere.get_by_role("button", name="Enregistrer la présence").click()
        expect(premiere.get_by_text("Présence de")).to_be_visible()
        for page in membres:
            _remplir_et_soumettre(page, session.pk, passage.pk)

        # Deliberation with observations for the candidate, then the PV.
        premiere.reload()
        expect(premiere.get_by_text("Proposition issue des grilles : Validation totale")).to_be_visible()
        premiere.get_by_label("Observations du jury pour le candidat").fill("Soutenance remarquable de clarté.")
        premiere.get_by_role("button", name="Enregistrer la décision").click()
        expect(premiere.get_by_text(f"Décision enregistrée pour {candidature.nom_complet}.")).to_be_visible()
        _accessible(premiere)
        premiere.get_by_role("button", name="Établir le PV").click()
        premiere.wait_for_url(f"**/jury/sessions/{session.pk}/pv/")

        # Three signatures with TOTP: the last one seals the final PV.
        for page, compte in zip(membres, comptes, strict=True):
            page.goto(f"/jury/sessions/{session.pk}/pv/")
            page.get_by_label("Code de votre application d'authentification").fill(code_totp(compte))
            page.get_by_role("button", name="Signer le PV").click()
            expect(page.get_by_text("Vous avez signé le PV.")).to_be_visible()
        derniere = membres[2]
        derniere.reload()
        expect(derniere.get_by_text("Signé par tous — verrouillé")).to_be_visible()
        _accessible(derniere)
        with derniere.expect_download() as telechargement:
            derniere.get_by_role("link", name="Télécharger le PV final scellé (PDF)").click()
        pdf = telechargement.value.path().read_bytes()

        # The signing library's own validator: intact, valid, made with the certificateur's seal.
        signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
        assert signature.field_name == CHAMP_CACHET
        # pyHanko runs its own event loop: outside the thread where Playwright's loop runs.
        with ThreadPoolExecutor(max_workers=1) as fil:
            statut = fil.submit(
                validate_pdf_signature, signature, ValidationContext(trust_roots=[cachet().certificat])
            ).result()
        assert (statut.intact, statut.valid, statut.trusted, statut.bottom_line) == (True, True, True, True)

        # The candidate reads the result from the link on their application.
        candidat.goto(f"/candidat/candidatures/{candidature.pk}/")
        candidat.get_by_role("link", name="Lire votre résultat (unités, observations du jury, recours)").click()
        candidat.wait_for_url(f"**/candidat/candidatures/{candidature.pk}/resultat/")
        expect(candidat.get_by_role("heading", name="Résultat du jury : validation totale")).to_be_visible()
        expect(candidat.get_by_text("Soutenance remarquable de clarté.")).to_be_visible()
        expect(candidat.locator("#recours")).to_contain_text("au plus tard le")
        _accessible(candidat)
    finally:
        for page in (equipe, *membres, candidat):
            page.context.close()
