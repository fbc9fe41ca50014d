"""Delivery after a final PV: numbering, issuance, PDF with its credential, revocation, reissue."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from typing import Any

import pytest
from django.utils import timezone

from parchemin.comptes.models import User
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.parchemins import document, services, statut
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import ALPHABET_CODE, Attestation, ListeStatut, Parchemin
from parchemin.parchemins.verification import Issue, verifier_code, verifier_credential, verifier_fichier

from .conftest import Decisions


def _flux(pdf: bytes) -> list[bytes]:
    flux = []
    for brut in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            flux.append(zlib.decompress(brut))
        except zlib.error:
            flux.append(brut)
    return flux


def test_each_validation_of_a_final_pv_gets_one_number_and_code_and_a_refusal_none(decisions: Decisions) -> None:
    premiers = services.preparer_parchemins(decisions.session)
    seconds = services.preparer_parchemins(decisions.session)

    assert [p.pk for p in premiers] == [p.pk for p in seconds]
    assert {p.passage_id for p in premiers} == {decisions.totale.pk, decisions.partielle.pk}
    assert Parchemin.objects.count() == 2
    annee = timezone.localtime(decisions.totale.deliberee_le).year
    assert sorted(p.numero for p in premiers) == [f"RS5142-{annee}-00001", f"RS5142-{annee}-00002"]
    for parchemin in premiers:
        assert len(parchemin.code_verification) == 8
        assert set(parchemin.code_verification) <= set(ALPHABET_CODE)
    assert EntreeJournal.objects.filter(action="parchemins.numeroter").count() == 2


def test_a_session_whose_pv_is_not_signed_delivers_nothing(rs5142: Any) -> None:
    from tests.jurys.factories import SessionJuryFactory

    with pytest.raises(ErreurMetier, match="n'est pas signé"):
        services.preparer_parchemins(SessionJuryFactory())


def test_issuing_signs_a_credential_that_verifies_and_embeds_it_in_a_pdfa(decisions: Decisions) -> None:
    partiel = next(p for p in services.preparer_parchemins(decisions.session) if p.passage_id == decisions.partielle.pk)

    attestation = services.emettre(partiel)
    encore = services.emettre(partiel)

    assert encore.pk == attestation.pk
    partiel.refresh_from_db()
    assert partiel.statut == StatutParchemin.EMIS
    credential = json.loads(attestation.credential)
    verdict = verifier_credential(credential)
    assert verdict.issue == Issue.VALIDE, verdict.raison
    assert verdict.titulaire == "Dominique Bernard"
    assert [u.split(" — ")[0] for u in verdict.unites] == ["Unité 2"]
    assert credential["validFrom"] == decisions.partielle.deliberee_le.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["credentialStatus"]["statusListIndex"] == str(attestation.index_statut)

    pdf = bytes(attestation.pdf)
    assert pdf.startswith(b"%PDF-")
    decompresse = b"".join(_flux(pdf))
    assert b'pdfaid:part="3"' in decompresse and b'pdfaid:conformance="B"' in decompresse
    assert b"/MediaBox [0 0 595" in decompresse or b"/MediaBox [0 0 595" in pdf  # A4 width in points
    polices = re.findall(rb"/BaseFont\s*/(\S+)", pdf + decompresse)
    assert polices and all(b"Parchemin" in police for police in polices)  # only the shipped font
    assert document.pieces_jointes(pdf) == [attestation.credential.encode("utf-8")]
    assert verifier_fichier(pdf).issue == Issue.VALIDE
    assert verifier_code(partiel.code_verification.lower()).issue == Issue.VALIDE


def test_the_parchemin_carries_the_mandatory_mentions(decisions: Decisions) -> None:
    from parchemin.referentiel.models import Certification

    Certification.objects.filter(code="RS5142").update(date_decision=dt.date(2020, 12, 17))
    partiel = next(p for p in services.preparer_parchemins(decisions.session) if p.passage_id == decisions.partielle.pk)
    partiel = Parchemin.objects.select_related("candidature__certification__certificateur").get(pk=partiel.pk)
    certification = partiel.candidature.certification
    html = document.html_parchemin(
        services.contenu_pdf(partiel, timezone.now()),
        certification=certification,
        certificateur=certification.certificateur,
    )
    for mention in [
        "décision de France compétences du 17 décembre 2020",
        certification.certificateur.raison_sociale,
        f"« {certification.intitule} »",
        "Dominique Bernard",
        "Unité 2 — Piloter l",
        "VALIDATION PARTIELLE",
        partiel.numero,
        partiel.code_verification,
        f"/verifier/{partiel.code_verification}/",
        "Pour ",
    ]:
        assert mention in html, mention
    assert "Unité 1 —" not in html
    assert 'src="data:image/svg+xml' in html


def test_a_pdf_without_credential_and_a_malformed_json_get_their_own_verdict(decisions: Decisions) -> None:
    from weasyprint import HTML

    assert verifier_fichier(HTML(string="<p>Faux diplôme</p>").write_pdf()).issue == Issue.PDF_SANS_CREDENTIAL
    assert verifier_fichier(b'{"@context": ').issue == Issue.JSON_INVALIDE
    assert verifier_fichier(b"[" * 100_000).issue == Issue.JSON_INVALIDE
    assert verifier_code("ZZZZ-ZZZZ").issue == Issue.CODE_INCONNU


def test_revoking_needs_staff_and_a_reason_and_sets_the_bit_in_the_signed_status_list(
    decisions: Decisions, gestionnaire_parchemins: User
) -> None:
    parchemin = services.preparer_parchemins(decisions.session)[0]
    attestation = services.emettre(parchemin)
    with pytest.raises(AccesRefuse):
        services.revoquer(parchemin, acteur=decisions.totale.candidature.candidat, motif="Fraude")
    with pytest.raises(ErreurMetier, match="motif"):
        services.revoquer(parchemin, acteur=gestionnaire_parchemins, motif="  ")

    services.revoquer(parchemin, acteur=gestionnaire_parchemins, motif="Fraude à l'épreuve écrite établie.")

    verdict = verifier_code(parchemin.code_verification)
    assert verdict.issue == Issue.REVOQUE
    assert "Fraude" in verdict.raison
    liste = json.loads(ListeStatut.objects.get(numero=1).credential)
    assert verifier_credential_liste(liste)
    bits = statut.decoder(liste["credentialSubject"]["encodedList"])
    assert len(bits) == 16 * 1024
    assert statut.bit(bits, attestation.index_statut)
    assert sum(bin(octet).count("1") for octet in bits) == 1
    assert EntreeJournal.objects.filter(action="parchemins.revoquer", objet_id=str(parchemin.pk)).exists()
    with pytest.raises(ErreurMetier, match="réémettez"):
        services.emettre(parchemin)


def verifier_credential_liste(liste: dict[str, Any]) -> bool:
    from parchemin.parchemins import preuve
    from parchemin.parchemins.verification import _resolveur

    return bool(preuve.verifier(liste, _resolveur()))


def test_reissuing_keeps_the_number_revokes_the_old_credential_and_never_reuses_an_index(
    decisions: Decisions, gestionnaire_parchemins: User
) -> None:
    parchemin = services.preparer_parchemins(decisions.session)[0]
    ancienne = services.emettre(parchemin)
    candidature = parchemin.candidature
    candidature.nom_usage = "Martin-Lefèvre"
    candidature.save(update_fields=["nom_usage"])

    nouvelle = services.reemettre(parchemin, acteur=gestionnaire_parchemins, motif="Correction du nom d'usage.")

    parchemin.refresh_from_db()
    ancienne.refresh_from_db()
    assert parchemin.numero == Parchemin.objects.get(pk=parchemin.pk).numero
    assert nouvelle.index_statut > ancienne.index_statut
    assert ancienne.revoquee_le is not None
    assert verifier_credential(json.loads(ancienne.credential)).issue == Issue.REVOQUE
    courant = verifier_code(parchemin.code_verification)
    assert courant.issue == Issue.VALIDE
    assert courant.titulaire == "Camille Martin-Lefèvre"
    assert Attestation.objects.filter(parchemin=parchemin).count() == 2


def test_a_failed_issuance_is_recorded_then_issued_by_a_later_run(decisions: Decisions, settings: Any) -> None:
    parchemin = services.preparer_parchemins(decisions.session)[0]
    settings.PARCHEMINS_CLE = "pas une clé"
    assert services.emettre_ou_noter_echec(parchemin) is None
    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.ECHEC
    assert "PARCHEMINS_CLE" in parchemin.erreur

    settings.PARCHEMINS_CLE = ""
    assert services.emettre_ou_noter_echec(parchemin) is not None
    parchemin.refresh_from_db()
    assert parchemin.statut == StatutParchemin.EMIS
    assert parchemin.erreur == ""


def test_a_credential_valid_from_the_future_is_not_yet_valid(decisions: Decisions) -> None:
    parchemin = services.preparer_parchemins(decisions.session)[0]
    credential = json.loads(services.emettre(parchemin).credential)
    plus_tot = timezone.now() - dt.timedelta(days=400)
    assert verifier_credential(credential, maintenant=plus_tot).issue == Issue.PAS_ENCORE_VALIDE
