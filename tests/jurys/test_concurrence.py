"""Two saves of the same grid at the same moment: one wins, the other is refused, nothing is lost."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from parchemin.erreurs import ErreurMetier
from parchemin.jurys import services
from parchemin.jurys.enums import Niveau
from parchemin.jurys.models import Grille, Passage
from parchemin.jurys.services import Saisie

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

    settings.PLANIFICATION_EXECUTION = "worker"
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
