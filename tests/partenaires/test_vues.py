"""The partner space and the staff pages, through HTTP with CSRF enforced."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from parchemin.comptes.enums import Role
from parchemin.journal.models import EntreeJournal
from parchemin.partenaires.enums import EtatHabilitation
from parchemin.partenaires.models import Habilitation, Partenaire, SessionFormation
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, PartenaireFactory, SessionFormationFactory
from tests.partenaires.test_habilitations import PDF
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db


def _csrf(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


@pytest.fixture
def organisme(rs5142: Any) -> Any:
    partenaire = PartenaireFactory()
    HabilitationFactory(partenaire=partenaire)
    return partenaire


@pytest.fixture
def client_of(client: Client, organisme: Any) -> Client:
    return connecter(client, creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=organisme))


@pytest.fixture
def client_equipe(client: Client) -> Client:
    return connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))


def _formulaire(rs5142: Any, **autres: str) -> dict[str, Any]:
    debut = timezone.localdate() + datetime.timedelta(days=40)
    return {
        "certification": str(rs5142.pk),
        "intitule": "Piloter un tiers-lieu",
        "numero": "4",
        "saison": "2026-2027",
        "modalite": "PRESENTIEL",
        "commune": "Rennes",
        "date_debut": debut.isoformat(),
        "date_fin": (debut + datetime.timedelta(days=90)).isoformat(),
        "duree_jours": "20",
        "duree_heures": "140",
        "prix": "3500",
        "financements": ["CPF", "OPCO"],
        "capacite": "12",
        "inscrits": "2",
        "statut": "OUVERTE",
        "lien_inscription": "https://example.org/inscription",
        **autres,
    }


def test_partner_admin_creates_then_publishes_a_session(client_of: Client, rs5142: Any) -> None:
    commune("rennes")
    jeton = _csrf(client_of, "/partenaire/sessions/nouvelle/")
    reponse = client_of.post("/partenaire/sessions/nouvelle/", _formulaire(rs5142) | {"csrfmiddlewaretoken": jeton})
    assert reponse.status_code == 302
    session = SessionFormation.objects.get()
    assert session.commune is not None and session.commune.nom == "Rennes" and session.financements == ["CPF", "OPCO"]
    reponse = client_of.post(
        f"/partenaire/sessions/{session.pk}/publication/", {"publier": "1", "csrfmiddlewaretoken": jeton}
    )
    session.refresh_from_db()
    assert session.publiee
    assert client_of.get(session.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"prix": "-10"}, "prix", "Le prix ne peut pas être négatif."),
        ({"date_fin": "2020-01-01"}, "date_fin", "finir avant de commencer"),
        ({"capacite": "1", "inscrits": "5"}, "capacite", "inférieure au nombre d'inscrits"),
        ({"commune": "Atlantide"}, "commune", "Commune inconnue"),
        ({"saison": "l'an prochain"}, "saison", "Indiquez une année"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field(
    client_of: Client, rs5142: Any, champs: dict[str, str], champ: str, message: str
) -> None:
    commune("rennes")
    jeton = _csrf(client_of, "/partenaire/sessions/nouvelle/")
    reponse = client_of.post(
        "/partenaire/sessions/nouvelle/", _formulaire(rs5142, **champs) | {"csrfmiddlewaretoken": jeton}
    )
    assert reponse.status_code == 200
    assert any(message in e for e in reponse.context["form"].errors[champ])
    assert f'id="id_{champ}_error"' in reponse.content.decode()
    assert not SessionFormation.objects.exists()


def test_a_partner_editing_another_partners_session_gets_the_same_404_as_an_unknown_one(
    client_of: Client, rs5142: Any
) -> None:
    autre = SessionFormationFactory(intitule="Session d'un autre")
    jeton = _csrf(client_of, "/partenaire/")
    assert client_of.get(f"/partenaire/sessions/{autre.pk}/").status_code == 404
    reponse = client_of.post(f"/partenaire/sessions/{autre.pk}/", _formulaire(rs5142) | {"csrfmiddlewaretoken": jeton})
    assert reponse.status_code == 404
    reponse = client_of.post(
        f"/partenaire/sessions/{autre.pk}/publication/", {"publier": "0", "csrfmiddlewaretoken": jeton}
    )
    assert reponse.status_code == 404
    autre.refresh_from_db()
    assert autre.intitule == "Session d'un autre" and autre.publiee
    assert client_of.get("/partenaire/sessions/999999/").status_code == 404


def test_partner_home_lists_only_its_own_sessions(client_of: Client, organisme: Any) -> None:
    SessionFormationFactory(partenaire=organisme, intitule="Notre session")
    SessionFormationFactory(intitule="Leur session")
    contenu = client_of.get("/partenaire/").content.decode()
    assert "Notre session" in contenu and "Leur session" not in contenu
    assert client_of.get("/partenaire/", {"organisme": PartenaireFactory().pk}).status_code == 403


def test_staff_grant_then_withdraw_a_habilitation_with_reasons(client_equipe: Client, rs5142: Any) -> None:
    partenaire = PartenaireFactory()
    url = f"/gestion/partenaires/{partenaire.pk}/habiliter/"
    jeton = _csrf(client_equipe, url)
    reponse = client_equipe.post(
        url,
        {
            "certification": rs5142.pk,
            "preparer": "on",
            "date_debut": timezone.localdate().isoformat(),
            "motif": "Convention signée",
            "csrfmiddlewaretoken": jeton,
        },
    )
    assert reponse.status_code == 302
    habilitation = Habilitation.objects.get(partenaire=partenaire)
    client_equipe.post(
        f"/gestion/habilitations/{habilitation.pk}/etat/",
        {"action": "retirer", "motif": "Manquements", "csrfmiddlewaretoken": jeton},
    )
    habilitation.refresh_from_db()
    assert habilitation.etat == EtatHabilitation.RETIREE
    contenu = client_equipe.get(f"/gestion/habilitations/{habilitation.pk}/").content.decode()
    assert "Manquements" in contenu and "Convention signée" in contenu
    assert "n'est plus à jour" in client_equipe.get("/gestion/partenaires/").content.decode()


def test_staff_create_a_partner_and_invalid_siret_is_explained(client_equipe: Client) -> None:
    jeton = _csrf(client_equipe, "/gestion/partenaires/nouveau/")
    reponse = client_equipe.post(
        "/gestion/partenaires/nouveau/",
        {"nom": "Tiers-lieu", "siret": "732 829 320 00075", "csrfmiddlewaretoken": jeton},
    )
    assert reponse.status_code == 200 and "clé de contrôle" in reponse.content.decode()
    reponse = client_equipe.post(
        "/gestion/partenaires/nouveau/",
        {"nom": "Tiers-lieu", "siret": "732 829 320 00074", "commune": "Bordeaux", "csrfmiddlewaretoken": jeton},
    )
    assert reponse.status_code == 200 and "Commune inconnue" in reponse.content.decode()  # not imported yet
    commune("bordeaux")
    reponse = client_equipe.post(
        "/gestion/partenaires/nouveau/",
        {"nom": "Tiers-lieu", "siret": "732 829 320 00074", "commune": "Bordeaux", "csrfmiddlewaretoken": jeton},
    )
    assert reponse.status_code == 302
    assert Partenaire.objects.get(siret="73282932000074").commune == commune("bordeaux")


def test_staff_upload_and_download_the_convention(
    client_equipe: Client, rs5142: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    habilitation = HabilitationFactory()
    url = f"/gestion/habilitations/{habilitation.pk}/convention/"
    jeton = _csrf(client_equipe, f"/gestion/habilitations/{habilitation.pk}/")
    client_equipe.post(url, {"fichier": SimpleUploadedFile("faux.pdf", b"GIF89a"), "csrfmiddlewaretoken": jeton})
    habilitation.refresh_from_db()
    assert not habilitation.convention
    client_equipe.post(url, {"fichier": SimpleUploadedFile("convention.pdf", PDF), "csrfmiddlewaretoken": jeton})
    reponse = client_equipe.get(url)
    assert reponse.status_code == 200 and reponse.content.startswith(b"%PDF-")


def test_partner_list_page_runs_a_fixed_number_of_queries(
    client_equipe: Client, rs5142: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(15):
        HabilitationFactory()
    with django_assert_max_num_queries(12):
        assert client_equipe.get("/gestion/partenaires/").status_code == 200


def test_an_assessor_sees_the_space_but_cannot_manage_sessions(client: Client, organisme: Any) -> None:
    session = SessionFormationFactory(partenaire=organisme, intitule="Notre session")
    connecter(client, creer_utilisateur("eval@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=organisme))
    contenu = client.get("/partenaire/").content.decode()
    assert "Notre session" in contenu and "Nouvelle session" not in contenu
    assert client.get(f"/partenaire/sessions/{session.pk}/").status_code == 403
    assert client.get("/partenaire/candidatures/").status_code == 200


def test_staff_add_and_remove_a_contact(client_equipe: Client, organisme: Any) -> None:
    url = f"/gestion/partenaires/{organisme.pk}/"
    jeton = _csrf(client_equipe, url)
    client_equipe.post(
        f"{url}contacts/",
        {
            "nom": "Camille Martin",
            "fonction": "Responsable pédagogique",
            "email": "camille@example.org",
            "csrfmiddlewaretoken": jeton,
        },
    )
    contact = organisme.contacts.get()
    assert "Responsable pédagogique" in client_equipe.get(url).content.decode()
    client_equipe.post(f"/gestion/contacts/{contact.pk}/retirer/", {"csrfmiddlewaretoken": jeton})
    assert not organisme.contacts.exists()
    assert list(EntreeJournal.objects.filter(action__contains="contact").values_list("action", flat=True)) == [
        "partenaires.retirer_contact",
        "partenaires.ajouter_contact",
    ]


def test_staff_change_habilitation_terms_with_a_reason(client_equipe: Client, rs5142: Any) -> None:
    habilitation = HabilitationFactory()
    url = f"/gestion/habilitations/{habilitation.pk}/modifier/"
    jeton = _csrf(client_equipe, url)
    reponse = client_equipe.post(
        url,
        {
            "preparer": "on",
            "evaluer": "on",
            "date_debut": habilitation.date_debut.isoformat(),
            "date_fin": (timezone.localdate() + datetime.timedelta(days=700)).isoformat(),
            "redevance": "6 % du prix",
            "motif": "Avenant n° 1",
            "csrfmiddlewaretoken": jeton,
        },
    )
    assert reponse.status_code == 302
    habilitation.refresh_from_db()
    assert habilitation.evaluer and habilitation.redevance == "6 % du prix"
    assert habilitation.changements.filter(nature="conditions modifiées", motif="Avenant n° 1").exists()


def test_a_forged_unit_id_beyond_any_id_is_a_french_form_error(client_equipe: Client, rs5142: Any) -> None:
    partenaire = PartenaireFactory()
    url = f"/gestion/partenaires/{partenaire.pk}/habiliter/"
    reponse = client_equipe.post(
        url,
        {
            "certification": str(rs5142.pk),
            "preparer": "on",
            "unites": ["99999999999999999999999"],
            "date_debut": timezone.localdate().isoformat(),
            "motif": "Convention 2026",
            "csrfmiddlewaretoken": _csrf(client_equipe, url),
        },
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].has_error("unites", "invalid_choice")
    assert "n’en fait pas partie" in str(reponse.context["form"].errors["unites"])
    assert not Habilitation.objects.filter(partenaire=partenaire).exists()


def test_partner_list_warns_when_the_legal_deadline_for_the_list_has_passed(client_equipe: Client, rs5142: Any) -> None:
    from parchemin.partenaires.models import ChangementHabilitation

    habilitation = HabilitationFactory()
    ChangementHabilitation.objects.create(
        habilitation=habilitation, nature="habilitation accordée", etat_apres="ACTIVE", motif="Convention"
    )
    contenu = client_equipe.get("/gestion/partenaires/").content.decode()
    assert "n'est plus à jour" in contenu and "délai dépassé" not in contenu
    ChangementHabilitation.objects.update(horodatage=timezone.now() - datetime.timedelta(days=70))
    contenu = client_equipe.get("/gestion/partenaires/").content.decode()
    assert "délai dépassé" in contenu and "alerte--error" in contenu
