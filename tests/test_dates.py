"""Calendar months (the one way every deadline and retention period counts them), and reading and
writing dates the French way: whatever the pages show can be typed back."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parchemin.dates import JOURS_SEMAINE, DateIllisible, ajouter_mois, date_courte, date_longue, lire_date

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


DATES_SAISIES = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(DATES_SAISIES)
def test_every_written_form_of_a_date_reads_back_as_that_date(date: datetime.date) -> None:
    assert lire_date(date.isoformat()) == date
    assert lire_date(date_courte(date)) == date
    assert lire_date(date_longue(date)) == date
    assert lire_date(f"{JOURS_SEMAINE[date.weekday()]} {date_longue(date)}") == date
    assert lire_date(date_longue(date).upper()) == date
    assert lire_date(f"  {date.day}/{date.month}/{date.year} ") == date


@given(DATES_SAISIES)
def test_long_form_says_1er_on_the_first_of_the_month_only(date: datetime.date) -> None:
    jour = date_longue(date).split()[0]
    assert (jour == "1er") == (date.day == 1)
    assert jour == "1er" or jour == str(date.day)


@given(st.text(max_size=40))
def test_any_text_is_a_date_blank_or_refused_with_a_french_reason(texte: str) -> None:
    try:
        lue = lire_date(texte)
    except DateIllisible as erreur:
        assert erreur.message.startswith("« ")
        assert "jj/mm/aaaa" in erreur.message or "n'existe pas" in erreur.message
    else:
        assert lue is None or isinstance(lue, datetime.date)
        if not texte.strip():
            assert lue is None


@pytest.mark.parametrize(
    ("texte", "attendue"),
    [
        ("1er mars 2026", datetime.date(2026, 3, 1)),
        ("premier mars 2026", datetime.date(2026, 3, 1)),
        ("1 MARS 2026", datetime.date(2026, 3, 1)),
        ("dimanche 1er mars 2026", datetime.date(2026, 3, 1)),
        ("15 aout 2026", datetime.date(2026, 8, 15)),
        ("3 févr. 2026", datetime.date(2026, 2, 3)),
        ("01.03.2026", datetime.date(2026, 3, 1)),
        ("01-03-2026", datetime.date(2026, 3, 1)),
        ("2026-03-01", datetime.date(2026, 3, 1)),
    ],
)
def test_reads_the_ways_people_write_a_date(texte: str, attendue: datetime.date) -> None:
    assert lire_date(texte) == attendue


@pytest.mark.parametrize(
    ("texte", "raison"),
    [
        ("31/02/2026", "le 31 février 2026 n'existe pas"),
        ("1/3/26", "année sur quatre chiffres"),
        ("2026-13-01", "pas de mois n° 13"),
        ("1er mois 2026", "« mois » n'est pas un mois"),
        ("1er", "n'est pas une date lisible"),
        ("demain", "n'est pas une date lisible"),
    ],
)
def test_refuses_what_is_not_a_date_and_says_why(texte: str, raison: str) -> None:
    with pytest.raises(DateIllisible) as erreur:
        lire_date(texte)
    assert raison in erreur.value.message
    assert f"« {texte} »" in erreur.value.message
