"""A partner's administrator manages its trainees: import onto its own sessions, the list and a narrow
detail of their applications, the training certificate upload. Nothing of another partner is reachable."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from parchemin.candidatures import services
from parchemin.candidatures.enums import EtatCandidature, TypePiece
from parchemin.candidatures.models import Candidature, Piece
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.erreurs import AccesRefuse
from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.enums import VoieAcces
from tests.candidatures.factories import CandidatureFactory, PieceFactory
from tests.candidatures.fichiers import EXE, PDF, televerse
from tests.candidatures.test_import import INVALIDE, VALIDE_1, VALIDE_2, _csv
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(rs5142: Any) -> Any:
    return SessionFormationFactory(partenaire=PartenaireFactory(nom="Coop Formation"))


@pytest.fixture
def session_autre(rs5142: Any) -> Any:
    return SessionFormationFactory(partenaire=PartenaireFactory(nom="Autre Organisme"))


@pytest.fixture
def admin_of(session: Any) -> User:
    return creer_utilisateur("admin-of@example.org", Role.ADMIN_PARTENAIRE, partenaire=session.partenaire)


@pytest.fixture
def client_of(client: Client, admin_of: User) -> Client:
    connecter(client, admin_of)
    client.get(reverse("partenaire:accueil"))
    return client


def _jeton(client: Client) -> str:
    return client.cookies["csrftoken"].value


def _stagiaire(session: Any, **champs: Any) -> Candidature:
    return CandidatureFactory(
        partenaire=session.partenaire, session_formation=session, voie=VoieAcces.FORMATION_CONTINUE, **champs
    )


# --- Import ----------------------------------------------------------------------------------------


def test_partner_admin_imports_onto_own_session_audited_and_trainees_told(
    session: Any, admin_of: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        creees = services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=admin_of
        ).creees
    assert sorted(c.email for c in creees) == ["bao@example.org", "helene@example.org"]
    assert all(c.partenaire == session.partenaire and c.session_formation == session for c in creees)
    entrees = EntreeJournal.objects.filter(action="candidatures.importer")
    assert entrees.count() == 2 and set(entrees.values_list("acteur", flat=True)) == {admin_of.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["bao@example.org", "helene@example.org"]
    assert all("Coop Formation a inscrit votre candidature à RS5142" in m.body for m in mail.outbox)


def test_service_refuses_another_partners_session_and_the_assessor(session: Any, session_autre: Any) -> None:
    admin = creer_utilisateur("a@example.org", Role.ADMIN_PARTENAIRE, partenaire=session.partenaire)
    evaluateur = creer_utilisateur("e@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=session.partenaire)
    with pytest.raises(AccesRefuse):
        services.importer_stagiaires(nom_fichier="s.csv", contenu=_csv(VALIDE_1), session=session_autre, acteur=admin)
    with pytest.raises(AccesRefuse):
        services.importer_stagiaires(nom_fichier="s.csv", contenu=_csv(VALIDE_1), session=session, acteur=evaluateur)
    assert not Candidature.objects.exists()
    assert not User.objects.filter(email="helene@example.org").exists()


def test_preview_then_import_only_valid_rows_through_the_pages(client_of: Client, session: Any) -> None:
    url = reverse("partenaire:stagiaires_import", args=[session.pk])
    apercu = client_of.post(
        url,
        {"fichier": televerse("stagiaires.csv", _csv(VALIDE_1, INVALIDE)), "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert apercu.status_code == 200
    page = apercu.content.decode()
    assert "Ligne 3" not in page  # the table names the line in its own column
    assert '<th scope="row">3</th><td>Sexe</td>' in page
    assert "Importer seulement les 1 lignes valides" in page
    assert not Candidature.objects.exists()
    confirmer = reverse("partenaire:stagiaires_import_confirmer", args=[session.pk])
    # Without the explicit choice, one bad row refuses the whole file.
    refus = client_of.post(
        confirmer, {"jeton": apercu.context["jeton"], "csrfmiddlewaretoken": _jeton(client_of)}, follow=True
    )
    assert any("rien n'a été importé" in str(m) for m in refus.context["messages"])
    assert not Candidature.objects.exists()
    reponse = client_of.post(
        confirmer,
        {"jeton": apercu.context["jeton"], "seulement_valides": "oui", "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert reponse.status_code == 302 and f"session={session.pk}" in reponse["Location"]
    assert list(Candidature.objects.values_list("email", flat=True)) == ["helene@example.org"]
    # The pending file is gone: confirming again imports nothing twice.
    client_of.post(
        confirmer,
        {"jeton": apercu.context["jeton"], "seulement_valides": "oui", "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert Candidature.objects.count() == 1


def test_a_file_that_is_not_a_list_is_reported_and_not_kept(client_of: Client, session: Any) -> None:
    avant = default_storage.listdir("imports")[1] if default_storage.exists("imports") else []
    reponse = client_of.post(
        reverse("partenaire:stagiaires_import", args=[session.pk]),
        {"fichier": televerse("stagiaires.pdf", PDF), "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert reponse.status_code == 200
    assert "Format non reconnu : envoyez un fichier CSV ou XLSX." in reponse.content.decode()
    assert reponse.context["jeton"] == ""
    apres = default_storage.listdir("imports")[1] if default_storage.exists("imports") else []
    assert sorted(apres) == sorted(avant)


def test_another_partners_session_is_refused_even_with_a_forged_id(
    client_of: Client, session: Any, session_autre: Any
) -> None:
    fichier = televerse("s.csv", _csv(VALIDE_1))
    autre = reverse("partenaire:stagiaires_import", args=[session_autre.pk])
    # The same answer as for a session that does not exist: the id reveals nothing.
    assert client_of.get(autre).status_code == 404
    inconnue = reverse("partenaire:stagiaires_import", args=[session_autre.pk + 1000])
    assert client_of.get(inconnue).status_code == 404
    assert client_of.post(autre, {"fichier": fichier, "csrfmiddlewaretoken": _jeton(client_of)}).status_code == 404
    # A preview made on the own session cannot be confirmed onto another partner's session.
    apercu = client_of.post(
        reverse("partenaire:stagiaires_import", args=[session.pk]),
        {"fichier": televerse("s.csv", _csv(VALIDE_1)), "csrfmiddlewaretoken": _jeton(client_of)},
    )
    forge = client_of.post(
        reverse("partenaire:stagiaires_import_confirmer", args=[session_autre.pk]),
        {"jeton": apercu.context["jeton"], "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert forge.status_code == 404
    assert not Candidature.objects.exists()


def test_being_staff_too_opens_no_other_partner_in_the_partner_space(
    client: Client, session: Any, session_autre: Any
) -> None:
    double = creer_utilisateur("double@example.org", Role.GESTIONNAIRE)
    RoleUtilisateur.objects.create(user=double, role=Role.ADMIN_PARTENAIRE, partenaire=session.partenaire)
    connecter(client, double)
    assert client.get(reverse("partenaire:stagiaires_import", args=[session.pk])).status_code == 200
    assert client.get(reverse("partenaire:stagiaires_import", args=[session_autre.pk])).status_code == 404
    etrangere = _stagiaire(session_autre)
    assert client.get(reverse("partenaire:candidature", args=[etrangere.pk])).status_code == 404


def test_the_assessor_cannot_import(client: Client, session: Any) -> None:
    connecter(client, creer_utilisateur("e@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=session.partenaire))
    assert client.get(reverse("partenaire:stagiaires_import", args=[session.pk])).status_code == 403


# --- List and detail -------------------------------------------------------------------------------


def test_list_is_scoped_and_filtered_by_session_and_state(client_of: Client, session: Any, session_autre: Any) -> None:
    seconde = SessionFormationFactory(partenaire=session.partenaire)
    premier = _stagiaire(session, nom_naissance="Premier")
    second = _stagiaire(seconde, nom_naissance="Second", etat=EtatCandidature.DEPOSEE)
    _stagiaire(session_autre, nom_naissance="Etranger")
    url = reverse("partenaire:candidatures")
    tous = client_of.get(url)
    assert {c.pk for c in tous.context["page"]} == {premier.pk, second.pk}
    par_session = client_of.get(url, {"session": seconde.pk})
    assert [c.pk for c in par_session.context["page"]] == [second.pk]
    par_etat = client_of.get(url, {"etat": EtatCandidature.BROUILLON})
    assert [c.pk for c in par_etat.context["page"]] == [premier.pk]
    # Another partner's session is not a choice: the filter is refused, the list stays the own one.
    forge = client_of.get(url, {"session": session_autre.pk})
    assert "Etranger" not in forge.content.decode()


def test_detail_shows_what_the_organisation_needs_not_the_cv(client_of: Client, session: Any) -> None:
    candidature = _stagiaire(session, nom_naissance="Lefèvre", cv="Secret professionnel du parcours")
    PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE, nom_original="contrat.pdf")
    page = client_of.get(reverse("partenaire:candidature", args=[candidature.pk])).content.decode()
    assert "Lefèvre" in page and session.libelle_numero in page and "Brouillon" in page
    assert "Secret professionnel" not in page
    assert "contrat.pdf" not in page


def test_another_partners_application_is_not_found(client_of: Client, session_autre: Any) -> None:
    etrangere = _stagiaire(session_autre)
    assert client_of.get(reverse("partenaire:candidature", args=[etrangere.pk])).status_code == 404


# --- Training certificate --------------------------------------------------------------------------


def test_upload_versions_the_certificate_and_audits_it(client_of: Client, session: Any, admin_of: User) -> None:
    candidature = _stagiaire(session)
    url = reverse("partenaire:attestation_deposer", args=[candidature.pk])
    for _ in range(2):
        reponse = client_of.post(
            url, {"fichier": televerse("attestation.pdf", PDF), "csrfmiddlewaretoken": _jeton(client_of)}
        )
        assert reponse.status_code == 302
    pieces = Piece.objects.filter(candidature=candidature, type_piece=TypePiece.ATTESTATION_FORMATION)
    assert sorted(pieces.values_list("version", flat=True)) == [1, 2]
    entree = EntreeJournal.objects.filter(action="candidatures.deposer_piece").latest("sequence")
    assert entree.acteur_id == admin_of.pk and entree.apres["type"] == TypePiece.ATTESTATION_FORMATION
    derniere = pieces.get(version=2)
    fichier = client_of.get(reverse("partenaire:attestation_fichier", args=[candidature.pk, derniere.pk]))
    assert fichier.status_code == 200 and fichier["Content-Disposition"].startswith("attachment")


def test_a_disguised_file_is_refused_and_nothing_written(client_of: Client, session: Any) -> None:
    candidature = _stagiaire(session)
    reponse = client_of.post(
        reverse("partenaire:attestation_deposer", args=[candidature.pk]),
        {"fichier": televerse("attestation.pdf", EXE), "csrfmiddlewaretoken": _jeton(client_of)},
        follow=True,
    )
    messages = [str(m) for m in reponse.context["messages"]]
    assert len(messages) == 1 and "PDF" in messages[0], messages
    assert not Piece.objects.exists()
    assert not EntreeJournal.objects.filter(action="candidatures.deposer_piece").exists()


def test_upload_and_download_refused_outside_the_organisation(
    client_of: Client, client: Client, session: Any, session_autre: Any
) -> None:
    etrangere = _stagiaire(session_autre)
    reponse = client_of.post(
        reverse("partenaire:attestation_deposer", args=[etrangere.pk]),
        {"fichier": televerse("attestation.pdf", PDF), "csrfmiddlewaretoken": _jeton(client_of)},
    )
    assert reponse.status_code == 404
    piece = PieceFactory(candidature=etrangere, type_piece=TypePiece.ATTESTATION_FORMATION)
    assert client_of.get(reverse("partenaire:attestation_fichier", args=[etrangere.pk, piece.pk])).status_code == 404
    # Of the own trainee, only the certificate is served: not the evidence of experience.
    propre = _stagiaire(session)
    preuve = PieceFactory(candidature=propre, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    assert client_of.get(reverse("partenaire:attestation_fichier", args=[propre.pk, preuve.pk])).status_code == 404
    assert Piece.objects.filter(candidature=etrangere).count() == 1


def test_the_assessor_reads_but_cannot_upload(client: Client, session: Any) -> None:
    candidature = _stagiaire(session)
    connecter(client, creer_utilisateur("e@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=session.partenaire))
    assert client.get(reverse("partenaire:candidature", args=[candidature.pk])).status_code == 200
    with pytest.raises(AccesRefuse):
        services.deposer_attestation_formation(
            candidature, acteur=User.objects.get(email="e@example.org"), fichier=televerse("a.pdf", PDF)
        )
    assert not Piece.objects.exists()


# --- In a real browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_list_detail_and_upload_in_the_browser_are_accessible(page: Any, live_server: Any, rs5142: Any) -> None:
    from playwright.sync_api import expect

    from tests.browser_helpers import resume_violations, violations_axe

    def accessible() -> None:
        violations = violations_axe(page)
        assert violations == [], f"{page.url}\n" + resume_violations(violations)

    session = SessionFormationFactory(partenaire=PartenaireFactory(nom="Coop Formation"))
    client = connecter(
        Client(), creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=session.partenaire)
    )
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/partenaire/")
    page.get_by_role("link", name=f"Importer des stagiaires dans la session {session.libelle_numero}").click()
    expect(page.locator("h1")).to_contain_text("Importer les stagiaires")
    page.get_by_label("Liste des stagiaires (CSV ou XLSX)").set_input_files(
        files=[{"name": "stagiaires.csv", "mimeType": "text/csv", "buffer": _csv(VALIDE_1, INVALIDE)}]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("table", name="Erreurs par ligne et par colonne")).to_contain_text("Sexe")
    accessible()
    page.get_by_role("button", name="Importer seulement les 1 lignes valides").click()
    expect(page.get_by_role("status")).to_contain_text("1 candidature(s) créée(s)")
    accessible()
    page.get_by_role("link", name="Hélène Lefèvre").click()
    expect(page.locator("h1")).to_have_text("Hélène Lefèvre")
    page.get_by_label("Fichier de l'attestation").set_input_files(
        files=[{"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Envoyer l'attestation").click()
    expect(page.get_by_text("Attestation reçue (version 1).")).to_be_visible()
    expect(page.get_by_role("link", name="Version 1 — attestation.pdf")).to_be_visible()
    accessible()


def test_piece_access_rule_gives_a_partner_only_its_trainees_certificates(
    session: Any, session_autre: Any, admin_of: User
) -> None:
    """The row-level rule itself, whatever view uses it: CV and evidence stay with the candidate and staff."""
    stagiaire = _stagiaire(session)
    attestation = PieceFactory(candidature=stagiaire, type_piece=TypePiece.ATTESTATION_FORMATION)
    PieceFactory(candidature=stagiaire, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    PieceFactory(candidature=_stagiaire(session_autre), type_piece=TypePiece.ATTESTATION_FORMATION)

    assert list(Piece.objects.visible_to(admin_of)) == [attestation]
    assert Piece.objects.visible_to(stagiaire.candidat).count() == 2
