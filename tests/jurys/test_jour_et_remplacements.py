"""The jury is bound to its date (Paris time), and an absent member is replaced within the rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from parchemin.comptes.enums import Role
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys import dates, services
from parchemin.jurys.enums import Decision, Niveau, Presence
from parchemin.jurys.models import Grille, Passage, SessionJury, Siege
from parchemin.jurys.pv import html_pv
from parchemin.referentiel.enums import ProfilJury
from tests.comptes.outils import connecter, creer_utilisateur

from .conftest import Jury, code_totp
from .factories import MembreJuryFactory, dans_jours
from .test_services import convoquer, saisies

pytestmark = pytest.mark.django_db


def _brouillon(jury: Jury, compte: Any, candidature: Any, soumettre: bool = False) -> Grille:
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    version = Grille.objects.filter(passage=passage, membre__user=compte).values_list("version", flat=True).first()
    return services.enregistrer_grille(
        jury.session,
        candidature,
        acteur=compte,
        saisies=saisies(passage),
        version_lue=version or 0,
        soumettre=soumettre,
    )


def test_before_its_day_a_jury_drafts_but_submits_records_and_deliberates_nothing(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    SessionJury.objects.filter(pk=jury.session.pk).update(debut=dans_jours(3))
    jury.session.refresh_from_db()
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]

    brouillon = _brouillon(jury, jury.comptes[0], candidature)
    refus = []
    for action in (
        lambda: _brouillon(jury, jury.comptes[0], candidature, soumettre=True),
        lambda: services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[0]),
        lambda: services.enregistrer_presences_membres(
            jury.session, [m.pk for m in jury.membres], acteur=jury.gestionnaire
        ),
        lambda: services.deliberer(jury.session, candidature, acteur=jury.comptes[0], decision=Decision.REFUS),
        lambda: services.etablir_pv(jury.session, acteur=jury.gestionnaire),
        lambda: services.signer_pv(
            jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0]), sha256_lu="0" * 64
        ),
    ):
        with pytest.raises(ErreurMetier) as erreur:
            action()
        refus.append(erreur.value.message)

    jour = f"{dates.jour_de(jury.session):%d/%m/%Y}"
    assert all(f"qu'à partir du jour de la session, le {jour}" in message for message in refus), refus
    grille = Grille.objects.get(pk=brouillon.pk)
    assert (grille.version, grille.soumise) == (1, False)
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    assert (passage.presence, passage.decision) == ("", "")


def test_a_session_moved_to_today_keeps_the_drafts_and_tells_everyone(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    SessionJury.objects.filter(pk=jury.session.pk).update(debut=dans_jours(10))
    jury.session.refresh_from_db()
    convoquer(jury, django_capture_on_commit_callbacks)
    candidature = jury.candidatures[0]
    brouillon = _brouillon(jury, jury.comptes[1], candidature)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.deplacer_session(
            jury.session, dans_jours(0), acteur=jury.gestionnaire, motif="salle indisponible le jour prévu"
        )

    jury.session.refresh_from_db()
    assert dates.jour_venu(jury.session)
    destinataires = sorted(a for m in mail.outbox for a in m.to)
    assert destinataires == sorted([m.email for m in jury.membres] + [c.email for c in jury.candidatures])
    assert all("salle indisponible" in m.body for m in mail.outbox)
    assert all(m.attachments[0][0] == "convocation.ics" for m in mail.outbox)
    grille = _brouillon(jury, jury.comptes[1], candidature, soumettre=True)
    assert grille.pk == brouillon.pk and grille.soumise and grille.version == 2
    assert EntreeJournal.objects.filter(action="jurys.deplacer_session").count() == 1
    with pytest.raises(ErreurMetier, match="déjà passée"):
        services.deplacer_session(jury.session, dans_jours(-1), acteur=jury.gestionnaire, motif="erreur")


def test_an_absent_member_breaks_the_composition_at_once_and_blocks_deliberation(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)

    violations = services.enregistrer_presences_membres(
        jury.session, [jury.membres[1].pk, jury.membres[2].pk], acteur=jury.gestionnaire
    )

    assert any(v.code == "EFFECTIF_MIN" for v in violations)
    entree = EntreeJournal.objects.get(action="jurys.presences_membres")
    assert "remplacement à prévoir" in entree.resume
    candidature = jury.candidatures[0]
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[1])
    with pytest.raises(ErreurMetier, match="n'est pas conforme"):
        services.deliberer(jury.session, candidature, acteur=jury.comptes[1], decision=Decision.REFUS)
    with pytest.raises(ErreurMetier, match="absent"):
        _brouillon(jury, jury.comptes[0], candidature)


def test_a_replacement_keeps_the_rules_is_convened_and_the_pv_says_who_replaced_whom(
    jury: Jury, django_capture_on_commit_callbacks: Any
) -> None:
    convoquer(jury, django_capture_on_commit_callbacks)
    absent = jury.membres[0]  # the ESS seat
    candidature = jury.candidatures[0]
    coworking = MembreJuryFactory(profils=[ProfilJury.COWORKING])
    type(candidature).objects.filter(pk=candidature.pk).update(employeur_nom="Scop Les Communs Actifs")
    lie = MembreJuryFactory(profils=[ProfilJury.ESS], organisation="SCOP les communs actifs")
    compte = creer_utilisateur("remplacante@example.org", Role.MEMBRE_JURY)
    remplacante = MembreJuryFactory(profils=[ProfilJury.ESS], user=compte, email=compte.email)
    services.enregistrer_presences_membres(
        jury.session, [jury.membres[1].pk, jury.membres[2].pk], acteur=jury.gestionnaire
    )
    mail.outbox.clear()

    for mauvais, motif in ((coworking, "Profil"), (lie, "employeur"), (jury.membres[1], "siège déjà")):
        with pytest.raises(ErreurMetier, match=motif):
            services.remplacer_membre(jury.session, absent, mauvais, acteur=jury.gestionnaire)
    assert Siege.objects.filter(session=jury.session).count() == 3
    suggestions = services.suggerer_remplacants(jury.session, absent)
    assert suggestions[0].membre == remplacante
    assert {s.membre for s in suggestions if s.conforme} == {remplacante}

    with django_capture_on_commit_callbacks(execute=True):
        siege = services.remplacer_membre(jury.session, absent, remplacante, acteur=jury.gestionnaire)

    assert siege.remplace.membre == absent
    convocation = next(m for m in mail.outbox if remplacante.email in m.to)
    assert convocation.attachments[0][0] == "convocation.ics"
    assert f"en remplacement de {absent}" in convocation.body
    avis = next(m for m in mail.outbox if absent.email in m.to)
    assert str(remplacante) in avis.body and not avis.attachments
    with pytest.raises(ErreurMetier, match="déjà été remplacé"):
        services.remplacer_membre(
            jury.session, absent, MembreJuryFactory(profils=[ProfilJury.ESS]), acteur=jury.gestionnaire
        )

    # Deliberation waits for the grids of the members who sit, and only those.
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=compte)
    passage = Passage.objects.get(session=jury.session, candidature=candidature)
    for qui in (compte, jury.comptes[1]):
        services.enregistrer_grille(
            jury.session, candidature, acteur=qui, saisies=saisies(passage), version_lue=0, soumettre=True
        )
    assert services.grilles_manquantes(passage) == [str(jury.membres[2])]
    services.enregistrer_grille(
        jury.session,
        candidature,
        acteur=jury.comptes[2],
        saisies=saisies(passage, {"1.1": Niveau.NON_ACQUIS}),
        version_lue=0,
        soumettre=True,
    )
    assert services.grilles_manquantes(passage) == []
    services.deliberer(jury.session, candidature, acteur=compte, decision=services.proposition(passage).decision)

    html = html_pv(jury.session, numero_version=1)
    assert f"absent(e), remplacé(e) par {remplacante}" in html
    assert f"a siégé, en remplacement de {absent}" in html
    assert "non renseignée" not in html
    assert EntreeJournal.objects.filter(action="jurys.remplacer_membre").count() == 1
    journal = connecter(Client(), jury.gestionnaire).get(
        reverse("backoffice:journal"), {"action": "jurys.remplacer_membre"}
    )
    assert "Membre absent remplacé" in journal.content.decode()
    with pytest.raises(ErreurMetier, match="délibération a commencé"):
        services.remplacer_membre(jury.session, jury.membres[1], coworking, acteur=jury.gestionnaire)
