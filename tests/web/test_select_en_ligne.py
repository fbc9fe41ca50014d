"""The project's copies of Django's widget templates (select with its options inline, the inputs without
their two nested includes) write the same HTML as Django's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from hypothesis import given, settings
from hypothesis import strategies as st

# Labels and values with what HTML escaping must handle, and empty ones.
texte = st.text(alphabet=st.sampled_from(list("ab é<>&\"'0-")), max_size=6)
option = st.tuples(texte, texte)
choix = st.lists(
    st.one_of(option, st.tuples(texte.filter(bool), st.lists(option, min_size=1, max_size=3))),
    max_size=6,
)


def _rendus(widget: forms.Widget, valeur: Any, attrs: dict[str, Any]) -> tuple[str, str]:
    django = widget.render("champ", valeur, attrs=attrs, renderer=DjangoTemplates())
    projet = widget.render("champ", valeur, attrs=attrs, renderer=TemplatesSetting())
    return django, projet


@settings(max_examples=80, deadline=None)
@given(
    choices=choix,
    valeur=st.one_of(st.none(), texte, st.lists(texte, max_size=3)),
    multiple=st.booleans(),
    attrs=st.dictionaries(st.sampled_from(["id", "required", "disabled", "aria-describedby"]),
                          st.one_of(st.booleans(), texte), max_size=3),
)  # fmt: skip
def test_project_select_renders_exactly_as_djangos(choices: Any, valeur: Any, multiple: bool, attrs: Any) -> None:
    widget = forms.SelectMultiple(choices=choices) if multiple else forms.Select(choices=choices)
    django, projet = _rendus(widget, valeur, attrs)
    assert projet == django


def test_the_site_renders_selects_with_the_projects_template() -> None:
    """Otherwise the test above compares Django with itself."""
    from django.conf import settings as reglages
    from django.forms.renderers import get_default_renderer

    assert reglages.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
    modele = get_default_renderer().get_template("django/forms/widgets/select.html")
    assert "parchemin" in str(modele.origin.name)
    assert forms.NullBooleanSelect().render("n", None) == forms.NullBooleanSelect().render(
        "n", None, renderer=DjangoTemplates()
    )


# Every widget whose Django template includes input.html, and what it is given as a value.
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


@settings(max_examples=150, deadline=None)
@given(
    widget=st.sampled_from(ENTREES),
    valeur=st.one_of(st.none(), texte, st.booleans(), st.integers(-5, 5)),
    attrs=st.dictionaries(st.sampled_from(["id", "required", "disabled", "maxlength", "aria-describedby"]),
                          st.one_of(st.booleans(), texte), max_size=4),
)  # fmt: skip
def test_project_inputs_render_exactly_as_djangos(widget: forms.Widget, valeur: Any, attrs: Any) -> None:
    django, projet = _rendus(widget, valeur, attrs)
    assert projet == django


def test_the_site_renders_inputs_with_the_projects_templates() -> None:
    """Otherwise the test above compares Django with itself."""
    from django.forms.renderers import get_default_renderer

    for widget in ENTREES:
        modele = get_default_renderer().get_template(widget.template_name)
        assert "parchemin" in str(modele.origin.name), widget.template_name


@settings(max_examples=150, deadline=None)
@given(
    choices=choix,
    valeur=st.one_of(st.none(), texte, st.lists(texte, max_size=3), st.integers(-3, 3)),
    attrs=st.dictionaries(st.sampled_from(["id", "required", "disabled", "aria-describedby"]),
                          st.one_of(st.booleans(), texte, st.integers(0, 2)), max_size=3),
)  # fmt: skip
def test_the_python_select_writes_exactly_what_djangos_template_writes(choices: Any, valeur: Any, attrs: Any) -> None:
    from parchemin.web.commun.widgets import SelectDirect

    django = forms.Select(choices=choices).render("champ", valeur, attrs=attrs, renderer=DjangoTemplates())
    assert SelectDirect(choices=choices).render("champ", valeur, attrs=attrs) == django


def test_the_python_select_of_the_catalogue_form_matches_django_for_each_choice() -> None:
    from parchemin.web.public.forms import RechercheForm

    for nom, champ in RechercheForm.base_fields.items():
        if not isinstance(champ, forms.ChoiceField):
            continue
        for valeur, _ in [("", ""), *champ.choices]:
            attendu = forms.Select(choices=champ.choices).render(nom, valeur, renderer=DjangoTemplates())
            assert champ.widget.render(nom, valeur) == attendu, (nom, valeur)
