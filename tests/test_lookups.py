"""The project's query lookups (parchemin/lookups.py)."""

from __future__ import annotations

import pytest

from parchemin.comptes.models import User
from parchemin.journal.models import EntreeJournal
from parchemin.journal.services import enregistrer

pytestmark = pytest.mark.django_db

AU_DELA = 10**25


def test_in_ignores_ids_outside_the_column_range_instead_of_failing() -> None:
    entree = enregistrer(action="test.lookups", resume="entrée")
    assert list(EntreeJournal.objects.filter(pk__in=[entree.pk, AU_DELA, -AU_DELA])) == [entree]
    assert list(EntreeJournal.objects.filter(pk__in=[AU_DELA])) == []
    assert list(EntreeJournal.objects.exclude(pk__in=[AU_DELA])) == [entree]


def test_in_on_an_ordinary_integer_column_too() -> None:
    enregistrer(action="test.lookups", resume="entrée")
    sequence = EntreeJournal.objects.get().sequence
    assert EntreeJournal.objects.filter(sequence__in=[sequence, AU_DELA]).count() == 1
    assert not User.objects.filter(pk__in=[-AU_DELA]).exists()
