"""Two saves of the same grid at the same moment: one wins, the other is refused, nothing is lost."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from parchemin.erreurs import ErreurMetier
from parchemin.jurys import services
from parchemin.jurys.enums import Niveau
from parchemin.jurys.models import Grille, Passage
from parchemin.jurys.services import Saisie
from tests.taches import reglage

from .conftest import Jury

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's in-memory test database (shared cache) refuses a second writer outright instead of
    # waiting; production SQLite (file, WAL, busy timeout) and PostgreSQL serialise them. CI runs the
    # whole suite on PostgreSQL too, where these tests run.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="deux écritures simultanées : exécuté sur PostgreSQL (base de test SQLite en mémoire)",
    ),
]


def _en_parallele(*actions: Any) -> list[BaseException | None]:
    depart = threading.Barrier(len(actions))
    resultats: list[BaseException | None] = [None] * len(actions)

    def lancer(i: int, action: Any) -> None:
        depart.wait()
        try:
            action()
        except BaseException as erreur:
            resultats[i] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=lancer, args=(i, a)) for i, a in enumerate(actions)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    return resultats


def test_two_tabs_saving_the_same_grid_at_once_never_lose_an_update(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures[:1], acteur=jury.gestionnaire)
    services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session)
    competence = services.competences_a_evaluer(passage)[0]

    def sauver(niveau: str) -> Any:
        return lambda: services.enregistrer_grille(
            jury.session,
            candidature,
            acteur=jury.comptes[0],
            saisies={competence.pk: Saisie(niveau, niveau)},
            version_lue=0,
        )

    resultats = _en_parallele(sauver(Niveau.ACQUIS), sauver(Niveau.NON_ACQUIS))

    erreurs = [r for r in resultats if r is not None]
    assert len(erreurs) == 1 and isinstance(erreurs[0], ErreurMetier), resultats
    gagnant = Niveau.NON_ACQUIS if resultats[0] is not None else Niveau.ACQUIS
    grille = Grille.objects.get(passage=passage, membre=jury.membres[0])
    assert grille.version == 1
    evaluation = grille.evaluations.get()
    assert (evaluation.niveau, evaluation.commentaire) == (gagnant, gagnant)


def test_three_members_saving_at_once_all_keep_their_grid(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures[:1], acteur=jury.gestionnaire)
    services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False)
    candidature = jury.candidatures[0]
    passage = Passage.objects.get(session=jury.session)
    competence = services.competences_a_evaluer(passage)[0]
    niveaux = (Niveau.ACQUIS, Niveau.EN_COURS, Niveau.NON_ACQUIS)

    resultats = _en_parallele(
        *(
            lambda compte=compte, niveau=niveau: services.enregistrer_grille(
                jury.session, candidature, acteur=compte, saisies={competence.pk: Saisie(niveau)}, version_lue=0
            )
            for compte, niveau in zip(jury.comptes, niveaux, strict=True)
        )
    )

    assert resultats == [None, None, None]
    enregistres = {g.membre_id: g.evaluations.get().niveau for g in Grille.objects.filter(passage=passage)}
    assert enregistres == {m.pk: n for m, n in zip(jury.membres, niveaux, strict=True)}


def test_two_workers_started_at_once_solve_a_request_once(rs5142: Any, settings: Any) -> None:
    import datetime

    from parchemin.comptes.enums import Role
    from parchemin.journal.models import EntreeJournal
    from parchemin.jurys.enums import StatutPlanification
    from parchemin.jurys.planification_demandes import Parametres, demander, traiter
    from tests.comptes.outils import creer_utilisateur

    settings.TASKS = reglage()
    gestionnaire = creer_utilisateur("planif@example.org", Role.GESTIONNAIRE)
    demande = demander(
        Parametres(rs5142.regles_jury.get(), [datetime.date(2026, 10, 6)], datetime.time(9, 30), 6, lieu="Poitiers"),
        acteur=gestionnaire,
    )

    resultats = _en_parallele(traiter, traiter)

    assert resultats == [None, None]
    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.INFAISABLE
    debuts = EntreeJournal.objects.filter(action="jurys.planification_commencee", objet_id=str(demande.pk))
    assert debuts.count() == 1


def test_two_members_signing_the_pv_at_the_same_second_both_count_once(
    jury: Jury, effacer_les_pv_verrouilles: None
) -> None:
    from parchemin.journal.models import EntreeJournal
    from parchemin.jurys.enums import Presence
    from parchemin.jurys.models import ProcesVerbal, SignaturePV

    from .conftest import code_totp

    candidature = jury.candidatures[0]
    services.ajouter_candidats(jury.session, [candidature], acteur=jury.gestionnaire)
    services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False)
    services.enregistrer_presence(jury.session, candidature, Presence.PRESENT, acteur=jury.comptes[0])
    passage = Passage.objects.get(session=jury.session)
    saisies = {c.pk: Saisie(Niveau.ACQUIS) for c in services.competences_a_evaluer(passage)}
    for compte in jury.comptes:
        services.enregistrer_grille(
            jury.session, candidature, acteur=compte, saisies=saisies, version_lue=0, soumettre=True
        )
    services.deliberer(
        jury.session, candidature, acteur=jury.comptes[0], decision=services.proposition(passage).decision
    )
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    services.signer_pv(jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0]), sha256_lu=pv.sha256)
    codes = [code_totp(compte) for compte in jury.comptes[1:]]
    maintenant = timezone.now()  # the very same instant for both signatures

    resultats = _en_parallele(
        *(
            lambda compte=compte, code=code: services.signer_pv(
                jury.session, acteur=compte, code_totp=code, sha256_lu=pv.sha256, maintenant=maintenant
            )
            for compte, code in zip(jury.comptes[1:], codes, strict=True)
        )
    )

    assert resultats == [None, None]
    assert sorted(SignaturePV.objects.filter(pv=pv).values_list("membre_id", flat=True)) == sorted(
        m.pk for m in jury.membres
    )
    pv = ProcesVerbal.objects.get(pk=pv.pk)
    assert pv.verrouille_le is not None and pv.pdf_final
    assert EntreeJournal.objects.filter(action="jurys.sceller_pv").count() == 1
    assert EntreeJournal.objects.filter(action="jurys.signer_pv").count() == 3


def test_a_recompute_that_waited_for_another_one_reads_what_that_one_committed(
    rs5142: Any, effacer_les_pv_verrouilles: None
) -> None:
    """Two juries' outcomes written for the same application at once: the second waits for the
    first's row lock, then must see its passage (PostgreSQL would otherwise compute the UPDATE's
    subqueries from a snapshot taken before the first committed)."""
    import datetime

    from django.db import transaction

    from parchemin.jurys.en_vigueur import recalculer_decisions_en_vigueur
    from parchemin.jurys.enums import Decision

    from .factories import SessionJuryFactory, candidature_prete

    candidature = candidature_prete()
    novembre = SessionJuryFactory(debut=datetime.datetime(2025, 11, 15, 9, tzinfo=datetime.UTC))
    juin = SessionJuryFactory(debut=datetime.datetime(2025, 6, 15, 9, tzinfo=datetime.UTC))
    premier_a_ecrit, second_attend = threading.Event(), threading.Event()

    def signer(session: Any, decision: str, avant: Any) -> Any:
        def action() -> None:
            with transaction.atomic():
                avant()
                Passage.objects.create(
                    session=session,
                    candidature=candidature,
                    decision_proposee=decision,
                    decision=decision,
                    verrouille=True,
                )
                recalculer_decisions_en_vigueur([candidature.pk])
                if session == novembre:
                    premier_a_ecrit.set()
                    second_attend.wait(timeout=10)
                    time.sleep(0.5)  # the other recompute is now waiting for this row

        return action

    def attendre_le_premier() -> None:
        premier_a_ecrit.wait(timeout=10)
        second_attend.set()

    resultats = _en_parallele(
        signer(novembre, Decision.VALIDATION_TOTALE, lambda: None),
        signer(juin, Decision.ABSENT, attendre_le_premier),
    )

    assert resultats == [None, None]
    candidature.refresh_from_db()
    assert (candidature.decision_finale, candidature.decide_le) == (Decision.VALIDATION_TOTALE, novembre.debut)
