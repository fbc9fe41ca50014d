"""Staff side: issuance progress, retry of a failure, revocation and reissue from the back-office."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from parchemin.comptes.models import User
from parchemin.journal.models import EntreeJournal
from parchemin.parchemins import services
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Attestation
from parchemin.parchemins.verification import Issue, verifier_code
from tests.comptes.outils import connecter
from tests.taches import EMISSION, reglage

from .conftest import Decisions


def _poster(client: Client, nom: str, pk: int, **donnees: str) -> Any:
    page = client.get(reverse("backoffice:parchemin", kwargs={"pk": pk}))
    assert page.status_code == 200
    donnees["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(reverse(nom, kwargs={"pk": pk}), donnees, follow=True)


def test_staff_retry_a_failed_issuance_then_revoke_then_reissue(
    decisions: Decisions, client: Client, gestionnaire_parchemins: User, settings: Any
) -> None:
    settings.TASKS = reglage(EMISSION)  # the retried task runs at once
    parchemin = services.preparer_parchemins(decisions.session)[0]
    settings.PARCHEMINS_CLE = "illisible"
    services.emettre_ou_noter_echec(parchemin)
    connecter(client, gestionnaire_parchemins)
    liste = client.get(reverse("backoffice:parchemins")).content.decode()
    assert "Émission : 0 sur 2" in liste and "PARCHEMINS_CLE" in liste

    encore = _poster(client, "backoffice:parchemin_relancer", parchemin.pk)
    assert "L&#x27;émission a encore échoué" in encore.content.decode()
    settings.PARCHEMINS_CLE = ""
    _poster(client, "backoffice:parchemin_relancer", parchemin.pk)
    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.EMIS

    sans_motif = _poster(client, "backoffice:parchemin_revoquer", parchemin.pk, motif="")
    assert "Indiquez le motif" in sans_motif.content.decode()
    assert verifier_code(parchemin.code_verification).issue == Issue.VALIDE
    _poster(client, "backoffice:parchemin_revoquer", parchemin.pk, motif="Diplôme obtenu par fraude.")
    assert verifier_code(parchemin.code_verification).issue == Issue.REVOQUE

    _poster(client, "backoffice:parchemin_reemettre", parchemin.pk, motif="Fraude non établie après recours.")
    assert verifier_code(parchemin.code_verification).issue == Issue.VALIDE
    assert Attestation.objects.filter(parchemin=parchemin).count() == 2
    actions = set(EntreeJournal.objects.filter(objet_id=str(parchemin.pk)).values_list("action", flat=True))
    assert {"parchemins.relancer", "parchemins.revoquer", "parchemins.reemettre"} <= actions
