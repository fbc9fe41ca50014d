"""Calendar months: the one way every deadline and retention period counts them."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parchemin.dates import ajouter_mois

JOURS = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))
MOIS = st.integers(min_value=-600, max_value=600)


@pytest.mark.parametrize(
    ("depart", "mois", "attendu"),
    [
        (datetime.date(2026, 1, 15), 2, datetime.date(2026, 3, 15)),
        (datetime.date(2026, 1, 31), 2, datetime.date(2026, 3, 31)),
        (datetime.date(2025, 12, 31), 2, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 12, 31), 2, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 2, datetime.date(2027, 1, 30)),
        (datetime.date(2026, 3, 31), 14, datetime.date(2027, 5, 31)),
        (datetime.date(2026, 5, 31), -3, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    ],
)
def test_same_day_months_later_clamped_to_the_end_of_a_shorter_month(
    depart: datetime.date, mois: int, attendu: datetime.date
) -> None:
    assert ajouter_mois(depart, mois) == attendu


@given(JOURS, MOIS)
def test_lands_in_the_calendar_month_that_many_months_away(depart: datetime.date, mois: int) -> None:
    arrivee = ajouter_mois(depart, mois)
    assert (arrivee.year - depart.year) * 12 + arrivee.month - depart.month == mois


@given(JOURS, MOIS)
def test_keeps_the_day_unless_the_month_is_too_short(depart: datetime.date, mois: int) -> None:
    arrivee = ajouter_mois(depart, mois)
    dernier_jour = calendar.monthrange(arrivee.year, arrivee.month)[1]
    assert arrivee.day == min(depart.day, dernier_jour)


@given(JOURS, st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=600))
def test_a_later_period_never_ends_earlier(depart: datetime.date, mois: int, de_plus: int) -> None:
    assert ajouter_mois(depart, mois) <= ajouter_mois(depart, mois + de_plus)


@given(JOURS.filter(lambda jour: jour.day <= 28), MOIS)
def test_days_up_to_the_28th_come_back_unchanged(depart: datetime.date, mois: int) -> None:
    assert ajouter_mois(ajouter_mois(depart, mois), -mois) == depart
