"""Jury space and back-office pages: the whole journey through HTTP, as members and staff use it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parchemin.jurys import planification_demandes
from parchemin.jurys.enums import Decision, Niveau, Presence, StatutPlanification, StatutSession
from parchemin.jurys.models import DemandePlanification, Disponibilite, Grille, Passage, ProcesVerbal, SessionJury
from parchemin.jurys.services import competences_a_evaluer
from parchemin.referentiel.enums import ProfilJury
from tests.comptes.outils import connecter

from .conftest import Jury, code_totp
from .factories import MembreJuryFactory, SessionJuryFactory, candidature_prete, sieger

pytestmark = pytest.mark.django_db


def client_de(user: Any) -> Client:
    return connecter(Client(enforce_csrf_checks=False), user)


def _convoquer(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    staff = client_de(jury.gestionnaire)
    staff.post(
        reverse("backoffice:jurys_session_candidats", kwargs={"pk": jury.session.pk}),
        {"candidatures": [c.pk for c in jury.candidatures]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("backoffice:jurys_session_convoquer", kwargs={"pk": jury.session.pk}))
    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.CONVOQUEE


def test_a_member_fills_deliberates_and_signs_through_the_jury_space(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    _convoquer(jury, django_capture_on_commit_callbacks)
    clients = [client_de(c) for c in jury.comptes]
    session_url = reverse("jury:session", kwargs={"pk": jury.session.pk})
    for passage in Passage.objects.filter(session=jury.session):
        clients[0].post(
            reverse("jury:presence", kwargs={"pk": jury.session.pk, "passage_pk": passage.pk}),
            {f"p{passage.pk}-presence": Presence.PRESENT},
        )
        url = reverse("jury:grille", kwargs={"pk": jury.session.pk, "passage_pk": passage.pk})
        niveaux = {f"niveau_{c.pk}": Niveau.ACQUIS for c in competences_a_evaluer(passage)}
        for client in clients:
            page = client.get(url)
            assert page.status_code == 200
            assert "Présenter son projet à l" in page.content.decode()
            reponse = client.post(url, {"version": 0, "soumettre": "1", **niveaux})
            assert reponse.status_code == 302, reponse.content.decode()
        # Submitting again is refused and says so.
        encore = clients[0].post(url, {"version": 1, "soumettre": "1", **niveaux}, follow=True)
        assert "déjà été soumise" in encore.content.decode()
        clients[1].post(
            reverse("jury:deliberer", kwargs={"pk": jury.session.pk, "passage_pk": passage.pk}),
            {f"d{passage.pk}-decision": Decision.VALIDATION_TOTALE, f"d{passage.pk}-unites": ["1", "2", "3"]},
        )
    assert Grille.objects.filter(passage__session=jury.session, soumise_le__isnull=False).count() == 6
    assert set(Passage.objects.filter(session=jury.session).values_list("decision", flat=True)) == {
        Decision.VALIDATION_TOTALE
    }

    clients[2].post(reverse("jury:etablir_pv", kwargs={"pk": jury.session.pk}))
    pv = ProcesVerbal.objects.get(session=jury.session)
    pv_url = reverse("jury:pv", kwargs={"pk": jury.session.pk})
    assert pv.sha256 in clients[0].get(pv_url).content.decode()
    assert clients[0].get(reverse("jury:pv_pdf", kwargs={"pk": jury.session.pk})).content.startswith(b"%PDF-")
    for client, compte in zip(clients, jury.comptes, strict=True):
        reponse = client.post(pv_url, {"sha256": pv.sha256, "code": code_totp(compte)}, follow=True)
        assert "Vous avez signé le PV." in reponse.content.decode()

    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.VERROUILLEE
    assert "verrouillé" in clients[0].get(session_url).content.decode()


def test_signing_with_a_stale_hash_shows_why_it_is_refused(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    _convoquer(jury, django_capture_on_commit_callbacks)
    from .test_services import deliberer_tout

    deliberer_tout(jury)
    client_de(jury.comptes[0]).post(reverse("jury:etablir_pv", kwargs={"pk": jury.session.pk}))
    reponse = client_de(jury.comptes[1]).post(
        reverse("jury:pv", kwargs={"pk": jury.session.pk}),
        {"sha256": "a" * 64, "code": code_totp(jury.comptes[1])},
        follow=True,
    )
    assert "a changé depuis que vous l&#x27;avez lu" in reponse.content.decode()


def test_staff_session_page_names_every_broken_rule(jury: Jury) -> None:
    jury.membres[0].interne = True
    jury.membres[0].save()
    page = client_de(jury.gestionnaire).get(reverse("backoffice:jurys_session", kwargs={"pk": jury.session.pk}))
    texte = page.content.decode()
    assert "Composition non conforme" in texte
    assert f"membre(s) interne(s) : {jury.membres[0]}" in texte


def test_convening_a_failing_jury_from_the_back_office_is_refused(jury: Jury) -> None:
    staff = client_de(jury.gestionnaire)
    staff.post(
        reverse("backoffice:jurys_session_membres", kwargs={"pk": jury.session.pk}),
        {"membres": [m.pk for m in jury.membres[:2]]},
    )
    staff.post(
        reverse("backoffice:jurys_session_candidats", kwargs={"pk": jury.session.pk}),
        {"candidatures": [jury.candidatures[0].pk]},
    )
    reponse = staff.post(reverse("backoffice:jurys_session_convoquer", kwargs={"pk": jury.session.pk}), follow=True)
    assert "La session ne peut pas être convoquée." in reponse.content.decode()
    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.PREPARATION


def _pool_du_6_octobre() -> None:
    for profil in (ProfilJury.RECHERCHE_TERRITOIRES, ProfilJury.FABLAB, ProfilJury.LIEU_HYBRIDE):
        Disponibilite.objects.create(membre=MembreJuryFactory(profils=[profil]), date=datetime.date(2026, 10, 6))


def _planifier(staff: Client, rs5142: Any) -> DemandePlanification:
    donnees = {
        "regle": rs5142.regles_jury.get().pk,
        "dates": "06/10/2026",
        "heure": "14:00",
        "max_candidats": 6,
        "lieu": "Tiers-lieu La Smalah, Poitiers",
    }
    reponse = staff.post(reverse("backoffice:jurys_planification"), donnees)
    demande = DemandePlanification.objects.latest("pk")
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("backoffice:jurys_planification_demande", kwargs={"pk": demande.pk})
    return demande


def test_staff_plans_then_accepts_the_stored_proposal(rs5142: Any, gestionnaire: Any) -> None:
    _pool_du_6_octobre()
    candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)
    page = staff.get(reverse("backoffice:jurys_planification_demande", kwargs={"pk": demande.pk})).content.decode()
    assert "mardi 6 octobre 2026" in page
    assert 'http-equiv="refresh"' not in page

    staff.post(reverse("backoffice:jurys_planification_accepter", kwargs={"pk": demande.pk}))

    session = SessionJury.objects.get()
    assert timezone.localtime(session.debut).hour == 14
    assert session.membres.count() == 3 and session.passages.count() == 1
    assert DemandePlanification.objects.get(pk=demande.pk).acceptee_le is not None
    encore = staff.post(reverse("backoffice:jurys_planification_accepter", kwargs={"pk": demande.pk}), follow=True)
    assert "déjà été acceptée" in encore.content.decode()
    assert SessionJury.objects.count() == 1


def test_accepting_a_proposal_whose_rule_vanished_explains_instead_of_failing(rs5142: Any, gestionnaire: Any) -> None:
    _pool_du_6_octobre()
    candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)
    DemandePlanification.objects.filter(pk=demande.pk).update(regle=None)

    reponse = staff.post(reverse("backoffice:jurys_planification_accepter", kwargs={"pk": demande.pk}), follow=True)

    assert reponse.status_code == 200
    assert "existe plus : relancez la planification" in reponse.content.decode()
    assert not SessionJury.objects.exists()


def test_an_infeasible_planning_stores_and_shows_what_blocks(rs5142: Any, gestionnaire: Any) -> None:
    candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)
    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.INFAISABLE
    assert demande.explication.startswith("Le vivier ne permet aucun jury conforme")
    page = staff.get(reverse("backoffice:jurys_planification_demande", kwargs={"pk": demande.pk})).content.decode()
    assert escape(demande.explication) in page
    assert "Accepter et créer ces sessions" not in page


def _requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def test_list_pages_cost_the_same_queries_whatever_the_number_of_sessions(jury: Jury) -> None:
    membre_client = client_de(jury.comptes[0])
    staff = client_de(jury.gestionnaire)
    avant = (_requetes(membre_client, reverse("jury:accueil")), _requetes(staff, reverse("backoffice:jurys_sessions")))
    for _ in range(4):
        session = SessionJuryFactory()
        sieger(session, jury.membres)
        Passage.objects.create(session=session, candidature=candidature_prete())
    apres = (_requetes(membre_client, reverse("jury:accueil")), _requetes(staff, reverse("backoffice:jurys_sessions")))
    assert apres == avant


def test_the_session_page_names_the_members_whose_grid_is_awaited(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    from parchemin.jurys.services import Saisie, enregistrer_grille

    _convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    enregistrer_grille(
        jury.session,
        candidature,
        acteur=jury.comptes[0],
        saisies={c.pk: Saisie(Niveau.ACQUIS) for c in competences_a_evaluer(passage)},
        version_lue=0,
        soumettre=True,
    )
    texte = client_de(jury.comptes[0]).get(reverse("jury:session", kwargs={"pk": jury.session.pk})).content.decode()
    attendus = sorted(jury.membres[1:], key=lambda m: (m.nom, m.prenom))
    assert f"Grilles soumises : 1 / 3 (en attente : {escape(attendus[0])}, {escape(attendus[1])})" in texte


def test_a_forged_member_id_beyond_any_id_is_refused_in_french(jury: Jury) -> None:
    staff = client_de(jury.gestionnaire)
    avant = list(jury.session.sieges.values_list("membre_id", flat=True))
    reponse = staff.post(
        reverse("backoffice:jurys_session_membres", kwargs={"pk": jury.session.pk}),
        {"membres": [jury.membres[0].pk, "99999999999999999999999"]},
        follow=True,
    )
    assert reponse.status_code == 200
    assert "Choisissez au moins un membre." in reponse.content.decode()
    assert list(jury.session.sieges.values_list("membre_id", flat=True)) == avant


def test_staff_edit_a_proposed_session_on_its_page_see_the_broken_rule_and_cannot_accept(
    rs5142: Any, gestionnaire: Any
) -> None:
    _pool_du_6_octobre()
    candidature = candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)
    demande.refresh_from_db()
    assert demande.resultat is not None
    [proposee] = demande.resultat["sessions"]
    page_url = reverse("backoffice:jurys_planification_demande", kwargs={"pk": demande.pk})
    page = staff.get(page_url).content.decode()
    assert "<legend>Membres du jury (vivier actif)</legend>" in page
    assert f'<label for="id_session-1-candidat_{candidature.pk}">' in page
    gardes = proposee["membres"][:2]

    reponse = staff.post(
        reverse("backoffice:jurys_planification_modifier_session", kwargs={"pk": demande.pk, "numero": 1}),
        {"session-1-date": "2026-10-06", "session-1-membres": gardes, f"session-1-candidat_{candidature.pk}": "1"},
    )

    assert reponse.status_code == 302 and reponse["Location"].endswith("#session-1")
    demande.refresh_from_db()
    assert demande.resultat["sessions"] == [proposee]
    assert demande.proposition_modifiee["sessions"][0]["membres"] == gardes
    page = staff.get(page_url).content.decode()
    assert "Proposition modifiée par l'équipe" in page
    assert "Session non conforme" in page
    [quota] = [
        v for v in planification_demandes.verifier_proposition(demande)[0].violations if v.code == "QUOTA_PROFIL"
    ]
    assert escape(quota.message) in page
    assert 'aria-describedby="acceptation-bloquee"' in page

    refus = staff.post(reverse("backoffice:jurys_planification_accepter", kwargs={"pk": demande.pk}), follow=True)

    assert escape(quota.message) in refus.content.decode()
    assert not SessionJury.objects.exists()

    staff.post(reverse("backoffice:jurys_planification_retablir", kwargs={"pk": demande.pk}))
    staff.post(reverse("backoffice:jurys_planification_accepter", kwargs={"pk": demande.pk}))
    assert SessionJury.objects.get().membres.count() == 3


def test_a_forged_date_in_a_proposal_edit_is_shown_on_the_field_and_changes_nothing(
    rs5142: Any, gestionnaire: Any
) -> None:
    _pool_du_6_octobre()
    candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)

    reponse = staff.post(
        reverse("backoffice:jurys_planification_modifier_session", kwargs={"pk": demande.pk, "numero": 1}),
        {"session-1-date": "2031-01-01", "session-1-membres": ["999999"]},
    )

    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert 'aria-describedby="id_session-1-date_erreurs"' in page
    assert '<span id="id_session-1-date_erreurs">' in page
    assert 'aria-describedby="id_session-1-membres_erreurs"' in page
    assert "Sélectionnez un choix valide" in page
    assert DemandePlanification.objects.get(pk=demande.pk).proposition_modifiee is None


@pytest.mark.parametrize(
    "champ, valeur",
    [
        ("date", "06/10/2026'; --"),
        ("membres", "-1"),
        ("membres", "9" * 30),
        ("candidat", "<script>alert(1)</script>"),
        ("candidat", "0"),
    ],
)
def test_hostile_values_in_a_proposal_edit_are_refused_in_french_and_change_nothing(
    rs5142: Any, gestionnaire: Any, champ: str, valeur: str
) -> None:
    _pool_du_6_octobre()
    candidature = candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)
    demande.refresh_from_db()
    assert demande.resultat is not None
    donnees: dict[str, Any] = {
        "session-1-date": "2026-10-06",
        "session-1-membres": demande.resultat["sessions"][0]["membres"],
        f"session-1-candidat_{candidature.pk}": "1",
    }
    cle = f"session-1-candidat_{candidature.pk}" if champ == "candidat" else f"session-1-{champ}"
    donnees[cle] = valeur

    reponse = staff.post(
        reverse("backoffice:jurys_planification_modifier_session", kwargs={"pk": demande.pk, "numero": 1}), donnees
    )

    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert DemandePlanification.objects.get(pk=demande.pk).proposition_modifiee is None


def test_editing_a_session_the_proposal_lacks_explains_and_changes_nothing(rs5142: Any, gestionnaire: Any) -> None:
    _pool_du_6_octobre()
    candidature_prete()
    staff = client_de(gestionnaire)
    demande = _planifier(staff, rs5142)

    reponse = staff.post(
        reverse("backoffice:jurys_planification_modifier_session", kwargs={"pk": demande.pk, "numero": 2}),
        {"session-2-date": "2026-10-06"},
        follow=True,
    )

    assert "Cette proposition ne peut plus être modifiée." in reponse.content.decode()
    assert DemandePlanification.objects.get(pk=demande.pk).proposition_modifiee is None


def test_the_session_page_offers_to_deliberate_exactly_when_the_service_would_accept(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    """Presence recorded and every seated member's grid submitted: a grid left by someone who no
    longer sits on the session does not stand in for a seated member's."""
    from parchemin.jurys import services

    from .test_services import saisies

    _convoquer(jury, django_capture_on_commit_callbacks)
    present, excuse = jury.candidatures
    passage = Passage.objects.get(session=jury.session, candidature=present)
    client = client_de(jury.comptes[0])
    url = reverse("jury:session", kwargs={"pk": jury.session.pk})

    def formulaire_pour(candidature: Any) -> bool:
        return f"Délibération pour {escape(candidature.nom_complet)}" in client.get(url).content.decode()

    assert not formulaire_pour(present) and not formulaire_pour(excuse)
    services.enregistrer_presence(jury.session, excuse, Presence.EXCUSE, acteur=jury.comptes[0])
    services.enregistrer_presence(jury.session, present, Presence.PRESENT, acteur=jury.comptes[0])
    assert formulaire_pour(excuse) and services.pret_a_deliberer(Passage.objects.get(pk=passage.pk)) is False
    for compte in jury.comptes[:2]:
        services.enregistrer_grille(
            jury.session, present, acteur=compte, saisies=saisies(passage), version_lue=0, soumettre=True
        )
    Grille.objects.create(passage=passage, membre=MembreJuryFactory(), soumise_le=timezone.now())
    assert not formulaire_pour(present)
    services.enregistrer_grille(
        jury.session, present, acteur=jury.comptes[2], saisies=saisies(passage), version_lue=0, soumettre=True
    )
    assert formulaire_pour(present)


def test_a_comment_without_its_level_is_not_dropped_silently(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    _convoquer(jury, django_capture_on_commit_callbacks)
    membre = client_de(jury.comptes[0])
    passage = Passage.objects.filter(session=jury.session).first()
    assert passage is not None
    url = reverse("jury:grille", kwargs={"pk": jury.session.pk, "passage_pk": passage.pk})
    competence = competences_a_evaluer(passage)[0]

    reponse = membre.post(url, {"version": 0, f"commentaire_{competence.pk}": "Dossier solide, oral hésitant."})

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert f"Choisissez un niveau pour {competence.code}" in page
    assert "Dossier solide, oral hésitant." in page, "what the member typed is shown back"
    assert not Grille.objects.filter(passage=passage, evaluations__commentaire__contains="oral hésitant").exists()
