"""The shared date and amount fields: what a form shows is what it reads back, and bad input gets
a French message instead of being dropped."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from parchemin.dates import date_courte, date_longue
from parchemin.web.commun.champs import ChampDate, ChampDecimal


class Formulaire(forms.Form):
    echeance = ChampDate(label="Échéance", required=False)
    debut = ChampDate(label="Début")
    prix = ChampDecimal(label="Prix", required=False, min_value=0, max_digits=8, decimal_places=2)


def _valeur_affichee(form: forms.Form, champ: str) -> str:
    html = str(form[champ])
    return html.split('value="')[1].split('"')[0] if 'value="' in html else ""


DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@given(DATES, st.one_of(st.none(), DATES), st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2))
def test_a_form_shown_then_sent_back_unchanged_reads_the_same_values(
    debut: datetime.date, echeance: datetime.date | None, prix: Decimal
) -> None:
    affiche = Formulaire(initial={"debut": debut, "echeance": echeance, "prix": prix})
    assert 'type="date"' in str(affiche["debut"])
    renvoye = {nom: _valeur_affichee(affiche, nom) for nom in ("debut", "echeance", "prix")}
    assert renvoye["debut"] == debut.isoformat()
    form = Formulaire(renvoye)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"debut": debut, "echeance": echeance, "prix": prix}


@given(DATES)
def test_a_date_typed_without_a_date_picker_is_read(date: datetime.date) -> None:
    for saisie in (date_courte(date), date_longue(date)):
        form = Formulaire({"debut": saisie})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["debut"] == date
        # Shown again (say another field had an error), the box gets the ISO value a browser displays.
        assert _valeur_affichee(Formulaire({"debut": saisie, "prix": "abc"}), "debut") == date.isoformat()


def test_an_unreadable_date_gets_a_french_message_and_stays_on_the_page() -> None:
    form = Formulaire({"debut": "31/02/2026", "echeance": "1er"})
    assert not form.is_valid()
    assert form.errors["debut"] == ["« 31/02/2026 » : le 31 février 2026 n'existe pas. Vérifiez le jour."]
    assert "« 1er » n'est pas une date lisible" in form.errors["echeance"][0]
    assert _valeur_affichee(form, "echeance") == "1er"


def test_an_empty_required_date_is_refused_in_french_and_an_empty_optional_one_is_none() -> None:
    form = Formulaire({"debut": "", "echeance": ""})
    assert form.errors["debut"] == ["Ce champ est obligatoire."]
    assert Formulaire({"debut": "2026-03-01", "echeance": ""}).is_valid()


def test_amounts_accept_the_french_comma_spaces_and_the_euro_sign() -> None:
    for saisie in ("4200,50", "4 200,50", "4\u202f200,50 €", "4200.50"):
        form = Formulaire({"debut": "2026-03-01", "prix": saisie})
        assert form.is_valid(), (saisie, form.errors)
        assert form.cleaned_data["prix"] == Decimal("4200.50")
    form = Formulaire({"debut": "2026-03-01", "prix": "quatre mille"})
    assert form.errors["prix"] == ["Indiquez un nombre, par exemple 4200 ou 4200,50 (virgule ou point)."]
    assert 'value="4200,50"' in str(Formulaire(initial={"prix": Decimal("4200.50")})["prix"])


def test_templates_write_the_first_of_the_month_as_1er_in_the_local_day() -> None:
    gabarit = Template(
        "{{ jour|date_longue }} · {{ instant|date_longue }} · {{ jour|date_courte }} · {{ rien|date_longue }}"
    )
    # 23:30 UTC on 28 February is already 1 March in Paris.
    instant = datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC)
    rendu = gabarit.render(Context({"jour": datetime.date(2026, 3, 1), "instant": instant, "rien": None}))
    assert rendu == "1er mars 2026 · 1er mars 2026 · 01/03/2026 · "
