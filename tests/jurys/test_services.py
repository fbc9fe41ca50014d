"""Jury services: sessions and convocations, grids, deliberation, PV signatures and locking."""

from __future__ import annotations

import hashlib
import re
import zlib
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError, transaction
from django.utils import timezone

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.notifications import destinataire
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys import services
from parchemin.jurys.en_vigueur import liste_ecarts
from parchemin.jurys.enums import Decision, Niveau, Presence, StatutSession
from parchemin.jurys.integrite import anomalies_pv
from parchemin.jurys.models import Grille, Passage, ProcesVerbal, SessionJury, decision_en_vigueur
from parchemin.jurys.pv import html_pv
from parchemin.jurys.services import Saisie
from parchemin.referentiel.enums import ProfilJury

from .conftest import Jury, code_totp
from .factories import MembreJuryFactory, SessionJuryFactory, candidature_prete, sieger

pytestmark = pytest.mark.django_db


def saisies(passage: Passage, sauf: dict[str, str] | None = None) -> dict[int, Saisie]:
    """Every competency acquired, except the codes given with another level."""
    sauf = sauf or {}
    return {
        c.pk: Saisie(sauf.get(c.code, Niveau.ACQUIS), f"Observé sur {c.code}")
        for c in services.competences_a_evaluer(passage)
    }


def convoquer(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)


def evaluer(jury: Jury, candidature: Any, sauf: dict[str, str] | None = None) -> Passage:
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[0])
    for compte in jury.comptes:
        services.enregistrer_grille(
            jury.session, candidature, acteur=compte, saisies=saisies(passage, sauf), version_lue=0, soumettre=True
        )
    return passage


def deliberer_tout(jury: Jury) -> None:
    for candidature in jury.candidatures:
        passage = evaluer(jury, candidature)
        services.deliberer(
            jury.session, candidature, acteur=jury.comptes[0], decision=services.proposition(passage).decision
        )


# --- Sessions and convocations ---------------------------------------------------------------


def test_convocation_is_refused_while_the_composition_breaks_rules(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)
    jury.membres[0].interne = True
    jury.membres[0].save()
    services.definir_membres(jury.session, jury.membres[:2], acteur=jury.gestionnaire)

    with pytest.raises(ErreurMetier) as refus:
        services.convoquer(jury.session, acteur=jury.gestionnaire)

    assert "au moins 3 membres" in refus.value.message
    assert "extérieurs au certificateur" in refus.value.message
    assert str(jury.membres[0]) in refus.value.message
    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.PREPARATION
    assert mail.outbox == []


def test_convocation_mails_an_ics_invitation_to_every_member_and_candidate(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)

    destinataires = sorted(a for m in mail.outbox for a in m.to)
    attendus = sorted([m.email for m in jury.membres] + [c.email for c in jury.candidatures])
    assert destinataires == attendus
    nom, contenu, type_mime = mail.outbox[0].attachments[0]
    assert (nom, type_mime) == ("convocation.ics", "text/calendar")
    texte = contenu.decode() if isinstance(contenu, bytes) else contenu
    assert f"UID:session-jury-{jury.session.pk}@" in texte
    assert jury.session.lieu.split(",")[0] in texte
    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.CONVOQUEE


def test_adding_a_candidate_trained_by_a_member_is_refused_and_adds_nobody(jury: Jury) -> None:
    from tests.candidatures.factories import SessionFormationFactory

    formation = SessionFormationFactory()
    formee = candidature_prete(partenaire=formation.partenaire, session_formation=formation)
    jury.membres[1].sessions_formateur.add(formation)

    with pytest.raises(ErreurMetier) as refus:
        services.ajouter_candidats(jury.session, [jury.candidatures[0], formee], acteur=jury.gestionnaire)

    assert f"{jury.membres[1]} est formateur ou formatrice de {formee.nom_complet}" in refus.value.message
    assert not Passage.objects.filter(session=jury.session).exists()


def test_members_of_a_convened_session_change_only_by_a_replacement(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    second_ess = MembreJuryFactory(profils=[ProfilJury.ESS])

    with pytest.raises(ErreurMetier, match="enregistrez son absence puis remplacez-le"):
        services.definir_membres(jury.session, [jury.membres[0], second_ess, jury.membres[2]], acteur=jury.gestionnaire)

    assert set(jury.session.membres.all()) == set(jury.membres)


def test_only_staff_creates_and_fills_sessions(jury: Jury) -> None:
    with pytest.raises(AccesRefuse):
        services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.comptes[0])


def test_a_session_accepts_at_most_its_maximum_of_candidates(jury: Jury) -> None:
    jury.session.max_candidats = 1
    jury.session.save()
    with pytest.raises(ErreurMetier, match="au plus 1 candidats"):
        services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)


# --- Grids --------------------------------------------------------------------------------------


def test_the_grid_lists_every_competency_of_the_candidates_referentiel_version(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures[:1], acteur=jury.gestionnaire)
    passage = Passage.objects.get(session=jury.session)
    codes = [c.code for c in services.competences_a_evaluer(passage)]
    assert len(codes) == 18 and codes[0] == "1.1" and codes[-1] == "3.6"


def test_a_grid_submitted_twice_is_refused(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = evaluer(jury, candidature)

    with pytest.raises(ErreurMetier, match="déjà été soumise"):
        services.enregistrer_grille(
            jury.session, candidature, acteur=jury.comptes[0], saisies=saisies(passage), version_lue=1, soumettre=True
        )


def test_a_stale_save_never_overwrites_a_newer_one(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    """Two tabs opened the grid at version 0; the second save must not silently win."""
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    premiere = saisies(passage, {"1.1": Niveau.EN_COURS})
    services.enregistrer_grille(jury.session, candidature, acteur=jury.comptes[0], saisies=premiere, version_lue=0)

    with pytest.raises(ErreurMetier, match="modifiée depuis"):
        services.enregistrer_grille(
            jury.session, candidature, acteur=jury.comptes[0], saisies=saisies(passage), version_lue=0
        )

    grille = Grille.objects.get(passage=passage, membre=jury.membres[0])
    assert grille.version == 1
    assert grille.evaluations.get(competence__code="1.1").niveau == Niveau.EN_COURS


def test_members_grids_do_not_overwrite_each_other(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    for compte, niveau in zip(jury.comptes, (Niveau.ACQUIS, Niveau.EN_COURS, Niveau.NON_ACQUIS), strict=True):
        services.enregistrer_grille(
            jury.session, candidature, acteur=compte, saisies=saisies(passage, {"2.1": niveau}), version_lue=0
        )
    niveaux = {g.membre_id: g.evaluations.get(competence__code="2.1").niveau for g in passage.grilles.all()}
    assert niveaux == {
        jury.membres[0].pk: Niveau.ACQUIS,
        jury.membres[1].pk: Niveau.EN_COURS,
        jury.membres[2].pk: Niveau.NON_ACQUIS,
    }


def test_a_member_not_sitting_cannot_fill_a_grid(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    autre_session = SessionJuryFactory()
    with pytest.raises(AccesRefuse):
        services.enregistrer_grille(
            autre_session, jury.candidatures[0], acteur=jury.comptes[0], saisies={}, version_lue=0
        )


# --- Deliberation ------------------------------------------------------------------------------


def test_proposed_decision_is_partial_when_a_unit_has_a_competency_in_progress(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    passage = evaluer(jury, jury.candidatures[0], {"2.3": Niveau.EN_COURS})

    proposee = services.proposition(passage)

    assert proposee.decision == Decision.VALIDATION_PARTIELLE
    assert proposee.unites == ("1", "3")
    assert proposee.niveaux["2.3"] == Niveau.EN_COURS


def test_an_amended_decision_needs_a_reason(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    evaluer(jury, candidature)

    with pytest.raises(ErreurMetier, match="motif"):
        services.deliberer(jury.session, candidature, acteur=jury.comptes[0], decision=Decision.REFUS)

    passage = services.deliberer(
        jury.session,
        candidature,
        acteur=jury.comptes[0],
        decision=Decision.VALIDATION_PARTIELLE,
        unites=["1", "3"],
        motif="Oral de l'unité 2 insuffisant malgré les grilles.",
    )
    assert passage.decision_proposee == Decision.VALIDATION_TOTALE
    assert passage.unites_validees == ["1", "3"]
    assert EntreeJournal.objects.filter(action="jurys.amender_decision", objet_id=str(passage.pk)).exists()


def test_a_decision_on_a_candidate_not_in_the_session_is_refused(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures[:1], acteur=jury.gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)

    with pytest.raises(ErreurMetier, match="n'est pas inscrit"):
        services.deliberer(
            jury.session, jury.candidatures[1], acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE
        )


def test_deliberation_waits_for_every_members_grid(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.gestionnaire)
    services.enregistrer_grille(
        jury.session, candidature, acteur=jury.comptes[0], saisies=saisies(passage), version_lue=0, soumettre=True
    )
    with pytest.raises(ErreurMetier, match="Grilles non soumises"):
        services.deliberer(jury.session, candidature, acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE)


def test_an_absent_candidate_is_recorded_without_grids(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[1]
    services.enregistrer_presence(jury.session, candidature, Presence.EXCUSE, acteur=jury.comptes[2])
    passage = services.deliberer(jury.session, candidature, acteur=jury.comptes[2], decision=Decision.EXCUSE)
    assert passage.decision == Decision.EXCUSE and passage.motif_amendement == ""


# --- PV and signatures ---------------------------------------------------------------------------


def _flux(pdf: bytes) -> list[bytes]:
    """The PDF's streams, inflated when compressed (object streams hold the catalogue)."""
    flux = []
    for brut in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            flux.append(zlib.decompress(brut))
        except zlib.error:
            flux.append(brut)
    return flux


def test_the_pv_is_a_pdfa_listing_members_and_decisions(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)

    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])

    contenu = bytes(pv.pdf)
    assert contenu.startswith(b"%PDF-")
    assert pv.sha256 == hashlib.sha256(contenu).hexdigest()
    decompresse = b"".join(_flux(contenu))
    assert b'pdfaid:part="3"' in decompresse and b'pdfaid:conformance="B"' in decompresse
    html = html_pv(jury.session, numero_version=1)
    for personne in [*map(str, jury.membres), *(c.nom_complet for c in jury.candidatures)]:
        assert personne in html
    assert html.count("Validation totale") == 2
    assert "Unité 2 — Piloter l’activité" in html


def test_signing_a_pv_that_changed_since_it_was_read_is_refused(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    lu = services.etablir_pv(jury.session, acteur=jury.comptes[0]).sha256
    services.deliberer(
        jury.session,
        jury.candidatures[0],
        acteur=jury.comptes[1],
        decision=Decision.REFUS,
        motif="Après relecture, le dossier écrit n'est pas de l'auteure.",
    )

    with pytest.raises(ErreurMetier, match="a changé depuis"):
        services.signer_pv(jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0]), sha256_lu=lu)

    assert not ProcesVerbal.objects.get(session=jury.session).signatures.exists()


def test_a_wrong_totp_code_does_not_sign(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    faux = code_totp(jury.comptes[1])  # another member's code
    with pytest.raises(ErreurMetier, match="Code de vérification invalide"):
        services.signer_pv(jury.session, acteur=jury.comptes[0], code_totp=faux, sha256_lu=pv.sha256)


def _signer_tous(jury: Jury) -> ProcesVerbal:
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    for compte in jury.comptes:
        services.signer_pv(jury.session, acteur=compte, code_totp=code_totp(compte), sha256_lu=pv.sha256)
    return ProcesVerbal.objects.get(pk=pv.pk)


def test_once_every_member_signed_the_pv_and_decisions_are_locked(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pv = _signer_tous(jury)

    assert pv.verrouille_le is not None
    informes = [adresse for message in mail.outbox if "Décision du jury" in message.subject for adresse in message.to]
    assert sorted(informes) == sorted(destinataire(c) for c in jury.candidatures)
    assert SessionJury.objects.get(pk=jury.session.pk).statut == StatutSession.VERROUILLEE
    assert all(p.verrouille for p in Passage.objects.filter(session=jury.session))
    for candidature in jury.candidatures:
        candidature.refresh_from_db()
        assert candidature.etat == EtatCandidature.DECIDEE
    signatures = EntreeJournal.objects.filter(action="jurys.signer_pv")
    assert signatures.count() == 3
    assert all(e.apres["sha256"] == pv.sha256 for e in signatures)
    assert anomalies_pv(pv) == []
    with pytest.raises(ErreurMetier, match="ne peut plus être modifiée"):
        services.deliberer(jury.session, jury.candidatures[0], acteur=jury.comptes[0], decision=Decision.REFUS)


def test_the_database_refuses_to_edit_a_locked_decision_or_pv(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    pv = _signer_tous(jury)

    with pytest.raises(DatabaseError), transaction.atomic():
        Passage.objects.filter(session=jury.session).update(decision=Decision.REFUS, motif_amendement="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        ProcesVerbal.objects.filter(pk=pv.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        pv.signatures.all().delete()
    assert set(Passage.objects.filter(session=jury.session).values_list("decision", flat=True)) == {
        Decision.VALIDATION_TOTALE
    }


def test_a_correction_after_signature_is_a_new_audited_amendment(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    _signer_tous(jury)
    candidature = jury.candidatures[0]

    with pytest.raises(ErreurMetier, match="motivé"):
        services.amender_apres_signature(
            jury.session, candidature, acteur=jury.gestionnaire, decision=Decision.REFUS, unites=[], motif=" "
        )
    services.amender_apres_signature(
        jury.session,
        candidature,
        acteur=jury.gestionnaire,
        decision=Decision.VALIDATION_PARTIELLE,
        unites=["1", "2"],
        motif="Erreur matérielle de report : l'unité 3 n'a pas été présentée.",
    )

    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    assert passage.decision == Decision.VALIDATION_TOTALE
    assert decision_en_vigueur(passage) == {"decision": Decision.VALIDATION_PARTIELLE, "unites": ["1", "2"]}
    assert EntreeJournal.objects.filter(action="jurys.amender_apres_signature").count() == 1


def test_the_outcome_the_statistics_count_follows_the_signature_then_the_amendment(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    candidature = jury.candidatures[0]

    def stocke() -> tuple[str, Any, int | None]:
        candidature.refresh_from_db()
        return (candidature.decision_finale, candidature.decide_le, candidature.annee_decision)

    assert stocke() == ("", None, None)  # deliberated, PV not signed yet
    _signer_tous(jury)
    annee = timezone.localtime(jury.session.debut).year
    assert stocke() == (Decision.VALIDATION_TOTALE, jury.session.debut, annee)
    services.amender_apres_signature(
        jury.session,
        candidature,
        acteur=jury.gestionnaire,
        decision=Decision.VALIDATION_PARTIELLE,
        unites=["1", "2"],
        motif="Erreur matérielle de report : l'unité 3 n'a pas été présentée.",
    )
    assert stocke() == (Decision.VALIDATION_PARTIELLE, jury.session.debut, annee)
    assert liste_ecarts() == []


def test_units_validated_by_an_earlier_jury_are_carried_over(
    jury: Jury, django_capture_on_commit_callbacks: Any, gestionnaire: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    premiere = jury.candidatures[0]
    passage = evaluer(jury, premiere, {"2.3": Niveau.NON_ACQUIS})
    services.deliberer(jury.session, premiere, acteur=jury.comptes[0], decision=services.proposition(passage).decision)
    evaluer(jury, jury.candidatures[1])
    services.deliberer(jury.session, jury.candidatures[1], acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE)
    _signer_tous(jury)

    seconde = candidature_prete(candidat=premiere.candidat, annee=2027)
    session = SessionJuryFactory()
    sieger(session, jury.membres)
    jury2 = Jury(session, jury.membres, jury.comptes, [seconde], gestionnaire)
    convoquer(jury2, django_capture_on_commit_callbacks)
    nouveau = Passage.objects.get(session=session)

    assert nouveau.unites_anterieures == ["1", "3"]
    assert {c.unite.code for c in services.competences_a_evaluer(nouveau)} == {"2"}
    evaluer(jury2, seconde)
    assert services.proposition(nouveau).decision == Decision.VALIDATION_TOTALE


# --- Planning from the database --------------------------------------------------------------


def test_planning_from_the_pool_proposes_sessions_staff_accepts_and_convenes(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from parchemin.jurys.models import Disponibilite
    from parchemin.jurys.planification import planifier
    from parchemin.referentiel.models import RegleJury

    jour = datetime.date(2026, 9, 15)
    membres = [
        MembreJuryFactory(profils=[p])
        for p in (
            ProfilJury.ESS,
            ProfilJury.NUMERIQUE,
            ProfilJury.COWORKING,
            ProfilJury.FABLAB,
            ProfilJury.LIEU_HYBRIDE,
        )
    ]
    for membre in membres:
        Disponibilite.objects.create(membre=membre, date=jour)
    MembreJuryFactory(profils=[ProfilJury.ESS], interne=True)  # never proposed: RS5142 wants 100 % external
    candidatures = [candidature_prete() for _ in range(3)]
    regle = RegleJury.objects.get(certification=rs5142)

    demande = services.demande_planification(regle, [jour], max_candidats=4, temps_max_secondes=10)
    assert sorted(c.cle for c in demande.candidats) == sorted(c.pk for c in candidatures)
    sessions = services.accepter_proposition(
        planifier(demande),
        acteur=gestionnaire,
        regle=regle,
        heure=datetime.time(9, 30),
        lieu="Bordeaux",
        max_candidats=4,
    )

    assert len(sessions) == 1
    session = sessions[0]
    assert session.membres.count() == 3 and not session.membres.filter(interne=True).exists()
    assert session.passages.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(session, acteur=gestionnaire)
    assert services.candidatures_a_planifier(regle) == []


def test_an_absent_candidate_cannot_be_validated(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[1]
    services.enregistrer_presence(jury.session, candidature, Presence.ABSENT, acteur=jury.comptes[0])
    with pytest.raises(ErreurMetier, match="ne peut que constater son absence"):
        services.deliberer(
            jury.session, candidature, acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE, motif="Dossier."
        )


def test_a_change_after_a_signature_renders_a_new_pv_that_must_be_signed_again(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    premier = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    services.signer_pv(
        jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0]), sha256_lu=premier.sha256
    )
    with pytest.raises(ErreurMetier, match="déjà établi"):
        services.etablir_pv(jury.session, acteur=jury.comptes[1])

    services.deliberer(
        jury.session,
        jury.candidatures[1],
        acteur=jury.comptes[1],
        decision=Decision.VALIDATION_PARTIELLE,
        unites=["1"],
        motif="Unités 2 et 3 : preuves jugées insuffisantes à l'oral.",
    )

    pv = ProcesVerbal.objects.get(session=jury.session)
    assert (pv.numero_version, pv.sha256 != premier.sha256) == (2, True)
    assert not services.signatures_valides(pv).exists()
    assert pv.signatures.count() == 1  # the first signature stays on record, bound to the old hash


def test_verifier_pv_command_reports_a_pdf_altered_behind_the_services(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    import io

    from django.core.management import CommandError, call_command

    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    sortie = io.StringIO()
    call_command("verifier_pv", stdout=sortie)
    assert "1 PV vérifié(s)" in sortie.getvalue()

    from .test_verifier_pv_journal import falsifier

    falsifier("UPDATE jurys_procesverbal SET pdf = %s WHERE id = %s", [b"%PDF-1.7 falsifie", pv.pk])

    with pytest.raises(CommandError, match="ne correspond plus à son empreinte"):
        call_command("verifier_pv", stdout=io.StringIO())


def test_wrong_signature_codes_are_limited_like_a_login(jury: Jury, django_capture_on_commit_callbacks: Any) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    faux = "000000" if code_totp(jury.comptes[0]) != "000000" else "111111"
    for _ in range(services.ESSAIS_SIGNATURE):
        with pytest.raises(ErreurMetier, match="Code de vérification invalide"):
            services.signer_pv(jury.session, acteur=jury.comptes[0], code_totp=faux, sha256_lu=pv.sha256)

    with pytest.raises(ErreurMetier, match="Trop de codes erronés"):
        services.signer_pv(
            jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0]), sha256_lu=pv.sha256
        )
    # Another member is not affected.
    services.signer_pv(jury.session, acteur=jury.comptes[1], code_totp=code_totp(jury.comptes[1]), sha256_lu=pv.sha256)


def test_member_attendance_is_recorded_for_seated_members_only(jury: Jury) -> None:
    services.enregistrer_presences_membres(jury.session, [jury.membres[0].pk], acteur=jury.gestionnaire)
    assert dict(jury.session.sieges.values_list("membre_id", "present")) == {
        jury.membres[0].pk: True,
        jury.membres[1].pk: False,
        jury.membres[2].pk: False,
    }
    with pytest.raises(ErreurMetier, match="Seuls les membres qui siègent"):
        services.enregistrer_presences_membres(jury.session, [MembreJuryFactory().pk], acteur=jury.gestionnaire)
    assert "non renseignée" not in html_pv(jury.session, numero_version=1)


def test_a_grid_from_someone_no_longer_seated_does_not_replace_a_seated_members(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[0])
    for compte in jury.comptes[:2]:
        services.enregistrer_grille(
            jury.session, candidature, acteur=compte, saisies=saisies(passage), version_lue=0, soumettre=True
        )
    Grille.objects.create(passage=passage, membre=MembreJuryFactory(), soumise_le=timezone.now())
    assert services.grilles_manquantes(passage) == [str(jury.membres[2])]
    with pytest.raises(ErreurMetier, match=f"Grilles non soumises pour .* : {jury.membres[2]}"):
        services.deliberer(jury.session, candidature, acteur=jury.comptes[0], decision=Decision.VALIDATION_TOTALE)
    assert Passage.objects.get(pk=passage.pk).decision == ""


def test_absent_or_excused_means_no_grid_and_only_an_absence_decision(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    for presence, decision in ((Presence.ABSENT, Decision.ABSENT), (Presence.EXCUSE, Decision.EXCUSE)):
        candidature = jury.candidatures[0]
        services.enregistrer_presence(jury.session, candidature, presence, acteur=jury.comptes[0])
        passage = Passage.objects.get(session=jury.session, candidature=candidature)
        assert passage.absent_ou_excuse and services.grilles_manquantes(passage) == []
        assert services.pret_a_deliberer(passage)
        with pytest.raises(ErreurMetier, match="pas de grille"):
            services.enregistrer_grille(
                jury.session, candidature, acteur=jury.comptes[0], saisies=saisies(passage), version_lue=0
            )
        assert services.proposition(passage).decision == decision
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[0])
    assert not Passage.objects.get(session=jury.session, candidature=candidature).absent_ou_excuse
