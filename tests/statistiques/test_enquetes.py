"""Insertion surveys: due dates, sending through the outbox once, reminders, answers and declines
through the link, clear French refusals, aggregated answers with small groups hidden."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from parchemin.courriels.models import Courriel
from parchemin.erreurs import ErreurMetier
from parchemin.jurys.enums import Decision
from parchemin.statistiques import enquetes
from parchemin.statistiques.enums import Situation, Vague
from parchemin.statistiques.models import Enquete
from tests.statistiques.factories import dossier, moment, passage, recevable, session_jury

pytestmark = pytest.mark.django_db

JOUR_J = datetime.date(2024, 6, 10)  # the June 2024 jury of the ``historique`` fixture
SIX_MOIS = datetime.date(2024, 12, 10)


def test_surveys_are_created_for_holders_only_when_due(historique: dict[str, Any]) -> None:
    d = historique["dossiers"]
    assert enquetes.creer_enquetes_dues(SIX_MOIS - datetime.timedelta(days=1)) == 0
    assert enquetes.creer_enquetes_dues(SIX_MOIS) == 3
    # A (total) and B, C (partial, C by amendment); not J (absent) nor I (unsigned PV) nor E (2025).
    assert set(Enquete.objects.values_list("candidature_id", flat=True)) == {d["A"].pk, d["B"].pk, d["C"].pk}
    assert enquetes.creer_enquetes_dues(SIX_MOIS) == 0
    enquete = Enquete.objects.get(candidature=d["A"])
    assert (enquete.vague, enquete.certifie_le, enquete.due_le) == (Vague.SIX_MOIS, JOUR_J, SIX_MOIS)
    assert len(enquete.jeton) >= 43


def test_a_survey_whose_link_would_already_be_expired_is_not_created(historique: dict[str, Any]) -> None:
    assert enquetes.creer_enquetes_dues(datetime.date(2025, 4, 1)) == 0


def test_sending_is_idempotent_and_reminders_are_spaced(historique: dict[str, Any]) -> None:
    call_command("enqueter_titulaires", "--date", SIX_MOIS.isoformat(), stdout=_silence())
    assert Courriel.objects.filter(objet_type="statistiques.enquete").count() == 3
    call_command("enqueter_titulaires", "--date", SIX_MOIS.isoformat(), stdout=_silence())
    assert Courriel.objects.filter(objet_type="statistiques.enquete").count() == 3
    assert enquetes.envoyer_enquetes(SIX_MOIS + datetime.timedelta(days=13)) == (0, 0)
    plus_tard = SIX_MOIS + datetime.timedelta(days=14)
    assert enquetes.envoyer_enquetes(plus_tard) == (0, 3)
    assert enquetes.envoyer_enquetes(plus_tard) == (0, 0)
    assert enquetes.envoyer_enquetes(plus_tard + datetime.timedelta(days=14)) == (0, 3)
    assert enquetes.envoyer_enquetes(plus_tard + datetime.timedelta(days=28)) == (0, 0)
    courriel = Courriel.objects.filter(objet_type="statistiques.enquete").order_by("pk").first()
    assert courriel is not None
    assert "Que devenez-vous" in courriel.sujet
    jetons = set(Enquete.objects.values_list("jeton", flat=True))
    assert any(j in courriel.corps for j in jetons)


def test_a_declined_or_answered_survey_gets_no_reminder(historique: dict[str, Any]) -> None:
    enquetes.creer_enquetes_dues(SIX_MOIS)
    enquetes.envoyer_enquetes(SIX_MOIS)
    a, b, _ = Enquete.objects.order_by("pk")
    enquetes.decliner(a.jeton, aujourd_hui=SIX_MOIS)
    enquetes.repondre(b.jeton, situation=Situation.SALARIE, emploi="", lien_certification="", aujourd_hui=SIX_MOIS)
    assert enquetes.envoyer_enquetes(SIX_MOIS + datetime.timedelta(days=20)) == (0, 1)


def test_link_refusals_are_in_french(historique: dict[str, Any]) -> None:
    enquetes.creer_enquetes_dues(SIX_MOIS)
    enquete = Enquete.objects.order_by("pk").first()
    assert enquete is not None
    with pytest.raises(ErreurMetier, match="n'existe pas"):
        enquetes.decliner("forge" + enquete.jeton, aujourd_hui=SIX_MOIS)
    with pytest.raises(ErreurMetier, match="close depuis"):
        enquetes.decliner(enquete.jeton, aujourd_hui=enquete.expire_le + datetime.timedelta(days=1))
    enquetes.repondre(
        enquete.jeton,
        situation=Situation.INDEPENDANT,
        emploi="Gérante",
        lien_certification="DIRECT",
        aujourd_hui=SIX_MOIS,
    )
    with pytest.raises(ErreurMetier, match="déjà répondu"):
        enquetes.repondre(
            enquete.jeton, situation=Situation.AUTRE, emploi="", lien_certification="", aujourd_hui=SIX_MOIS
        )
    enquete.refresh_from_db()
    assert (enquete.situation, enquete.emploi) == (Situation.INDEPENDANT, "Gérante")


def _ouverte() -> Enquete:
    c = dossier(annee=2025, depose=moment(2025, 1, 5), recevabilite=recevable(moment(2025, 1, 20)))
    passage(c, session_jury(moment(2025, 6, 2)), Decision.VALIDATION_TOTALE)
    aujourd_hui = datetime.date.today()
    return Enquete.objects.create(
        candidature=c,
        vague=Vague.SIX_MOIS,
        certifie_le=aujourd_hui - datetime.timedelta(days=190),
        due_le=aujourd_hui - datetime.timedelta(days=5),
        expire_le=aujourd_hui + datetime.timedelta(days=85),
    )


def test_questionnaire_answers_then_refuses_a_second_answer(client: Client, rs5142: Any) -> None:
    enquete = _ouverte()
    url = reverse("public:enquete", args=[enquete.jeton])
    page = client.get(url)
    assert page.status_code == 200
    assert "Quelle est votre situation" in page.content.decode()
    client.get(url)  # CSRF cookie
    jeton_csrf = client.cookies["csrftoken"].value
    reponse = client.post(
        url,
        {"csrfmiddlewaretoken": jeton_csrf, "action": "repondre", "situation": "SALARIE", "emploi": "Coordinatrice"},
    )
    assert "Votre réponse est enregistrée" in reponse.content.decode()
    encore = client.get(url)
    assert "déjà répondu" in encore.content.decode()
    enquete.refresh_from_db()
    assert enquete.situation == Situation.SALARIE


def test_questionnaire_without_situation_says_what_is_missing(client: Client, rs5142: Any) -> None:
    enquete = _ouverte()
    url = reverse("public:enquete", args=[enquete.jeton])
    client.get(url)
    reponse = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "action": "repondre"})
    assert "Indiquez au moins votre situation" in reponse.content.decode()
    enquete.refresh_from_db()
    assert enquete.repondue_le is None


def test_forged_link_gets_a_french_404(client: Client, rs5142: Any) -> None:
    reponse = client.get(reverse("public:enquete", args=["pas-un-vrai-jeton"]))
    assert reponse.status_code == 404
    assert "Ce lien d&#x27;enquête n&#x27;existe pas" in reponse.content.decode()


def test_answers_are_aggregated_with_small_groups_hidden(historique: dict[str, Any]) -> None:
    enquetes.creer_enquetes_dues(SIX_MOIS)
    enquetes.envoyer_enquetes(SIX_MOIS)
    a, b, c = Enquete.objects.order_by("pk")
    enquetes.repondre(a.jeton, situation=Situation.SALARIE, emploi="", lien_certification="", aujourd_hui=SIX_MOIS)
    enquetes.repondre(b.jeton, situation=Situation.SALARIE, emploi="", lien_certification="", aujourd_hui=SIX_MOIS)
    enquetes.decliner(c.jeton, aujourd_hui=SIX_MOIS)
    (ligne,) = enquetes.insertion_par_annee()
    assert (ligne.annee, ligne.interroges, ligne.repondants, ligne.declins) == (2024, 3, 2, 1)
    assert str(ligne.total) == "< 5"
    assert all(str(c) == "secret" for c in ligne.situations)


def _silence() -> Any:
    import io

    return io.StringIO()
