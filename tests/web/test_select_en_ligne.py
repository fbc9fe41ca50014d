"""The project's select widget template writes the same HTML as Django's own, option for option."""

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
