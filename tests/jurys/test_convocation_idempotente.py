"""Convening a session twice with nothing changed sends nothing more and writes one journal entry;
a changed composition may be convened again."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys import services

from .conftest import Jury
from .test_concurrence import _en_parallele


def _convocations() -> int:
    return EntreeJournal.objects.filter(action="jurys.convoquer").count()


@pytest.mark.django_db
def test_convening_again_without_change_is_refused_and_sends_nothing(
    jury: Jury, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures[:1], acteur=jury.gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)
    envoyes = len(mailoutbox)
    assert envoyes == 4
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ErreurMetier) as refus:
        services.convoquer(jury.session, acteur=jury.gestionnaire)
    assert "est déjà convoquée" in refus.value.message and "n'a pas changé" in refus.value.message
    assert len(mailoutbox) == envoyes
    assert _convocations() == 1
    # One more candidate: the new composition is convened.
    services.ajouter_candidats(jury.session, jury.candidatures[1:], acteur=jury.gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        services.convoquer(jury.session, acteur=jury.gestionnaire)
    assert _convocations() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="écritures simultanées : exécuté sur PostgreSQL (base de test SQLite en mémoire)",
)
def test_convening_from_several_tabs_at_once_convenes_once(jury: Jury) -> None:
    services.ajouter_candidats(jury.session, jury.candidatures, acteur=jury.gestionnaire)
    resultats = _en_parallele(
        *[lambda: services.convoquer(jury.session, acteur=jury.gestionnaire, envoyer=False) for _ in range(6)]
    )
    erreurs = [r for r in resultats if r is not None]
    assert len(erreurs) == 5 and all(isinstance(e, ErreurMetier) for e in erreurs), resultats
    assert _convocations() == 1
