"""The site's form renderer (parchemin.web.commun.rendu) writes inputs and select lists in Python: the
same HTML, to the byte, as Django's own templates, whatever the values, choices and attributes."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from hypothesis import given, settings
from hypothesis import strategies as st

from parchemin.web.commun.rendu import GABARITS_ENTREE, RenduFormulaires

# Labels and values with what HTML escaping must handle, and empty ones.
texte = st.text(alphabet=st.sampled_from(list("ab é<>&\"'0-")), max_size=6)
option = st.tuples(texte, texte)
choix = st.lists(
    st.one_of(option, st.tuples(texte.filter(bool), st.lists(option, min_size=1, max_size=3))),
    max_size=6,
)


def _rendus(widget: forms.Widget, valeur: Any, attrs: dict[str, Any]) -> tuple[str, str]:
    django = widget.render("champ", valeur, attrs=attrs, renderer=DjangoTemplates())
    projet = widget.render("champ", valeur, attrs=attrs, renderer=RenduFormulaires())
    return django, projet


def test_the_site_renders_widgets_with_the_projects_renderer() -> None:
    """Otherwise the tests below compare Django with itself."""
    assert isinstance(get_default_renderer(), RenduFormulaires)


@settings(max_examples=120, deadline=None)
@given(
    choices=choix,
    valeur=st.one_of(st.none(), texte, st.lists(texte, max_size=3), st.integers(-3, 3)),
    multiple=st.booleans(),
    attrs=st.dictionaries(st.sampled_from(["id", "required", "disabled", "aria-describedby"]),
                          st.one_of(st.booleans(), texte, st.integers(0, 2)), max_size=3),
)  # fmt: skip
def test_a_select_is_written_exactly_as_djangos_template_writes_it(
    choices: Any, valeur: Any, multiple: bool, attrs: Any
) -> None:
    widget = forms.SelectMultiple(choices=choices) if multiple else forms.Select(choices=choices)
    django, projet = _rendus(widget, valeur, attrs)
    assert projet == django


# Every widget whose Django template is input.html, and what it is given as a value.
ENTREES = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.CheckboxInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
    forms.FileInput(),
]


@settings(max_examples=200, deadline=None)
@given(
    widget=st.sampled_from(ENTREES),
    valeur=st.one_of(st.none(), texte, st.booleans(), st.integers(-5, 5)),
    attrs=st.dictionaries(st.sampled_from(["id", "required", "disabled", "maxlength", "aria-describedby"]),
                          st.one_of(st.booleans(), texte), max_size=4),
)  # fmt: skip
def test_an_input_is_written_exactly_as_djangos_template_writes_it(
    widget: forms.Widget, valeur: Any, attrs: Any
) -> None:
    django, projet = _rendus(widget, valeur, attrs)
    assert projet == django


def test_inputs_and_selects_need_no_template_and_other_widgets_still_use_theirs() -> None:
    assert {widget.template_name for widget in ENTREES} <= GABARITS_ENTREE
    rendu = RenduFormulaires()
    with mock.patch.object(RenduFormulaires, "get_template", side_effect=AssertionError("gabarit lu")):
        for widget in [*ENTREES, forms.Select(choices=[("a", "A")]), forms.NullBooleanSelect()]:
            widget.render("champ", "a", renderer=rendu)
    for widget in (forms.Textarea(), forms.RadioSelect(choices=[("a", "A")]), forms.ClearableFileInput()):
        assert widget.render("champ", "a", renderer=rendu) == widget.render("champ", "a", renderer=DjangoTemplates())


class _OptionMaison(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


def test_a_select_whose_options_have_a_template_of_their_own_is_left_to_the_templates() -> None:
    widget = _OptionMaison(choices=[("a", "<A>"), ("b", "B")])
    assert widget.render("champ", "a", renderer=RenduFormulaires()) == widget.render(
        "champ", "a", renderer=DjangoTemplates()
    )


def test_each_choice_of_the_catalogue_form_is_written_as_django_writes_it() -> None:
    from parchemin.web.public.forms import RechercheForm

    for nom, champ in RechercheForm.base_fields.items():
        valeurs = [("", ""), *champ.choices] if isinstance(champ, forms.ChoiceField) else [("", ""), ("x<&", "")]
        for valeur, _ in valeurs:
            attendu = champ.widget.render(nom, valeur, renderer=DjangoTemplates())
            assert champ.widget.render(nom, valeur) == attendu, (nom, valeur)
