"""The site's form renderer: inputs and select lists written in Python, the rest by templates.

Django writes every widget through a template (``<input>`` through input.html, which includes
attrs.html; a select through select.html and one template per option). Each costs a template lookup,
a context and a few dozen variable resolutions, for one line of HTML: on the catalogue's search form,
rendered on every search, the widgets took a fifth of the page's time. ``RenduFormulaires`` writes
those two kinds of widget from the same context, the same HTML to the byte as Django's own templates
(tests/web/test_rendu_formulaires.py compares them over generated values, choices and attributes);
any other widget, or a select whose options have a template of their own, goes through the templates
as before (``TemplatesSetting``: the site's template directories first).
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# Django's widget templates that are input.html and nothing else.
GABARITS_ENTREE = frozenset(
    f"django/forms/widgets/{nom}.html"
    for nom in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
        "file",
    )
)
GABARIT_SELECT = "django/forms/widgets/select.html"
GABARIT_OPTION = "django/forms/widgets/select_option.html"


def _texte(valeur: Any) -> str:
    """What ``{{ valeur }}`` writes in a template (localised, escaped unless already safe)."""
    valeur = localize(valeur)
    return str(conditional_escape(valeur if isinstance(valeur, str) else str(valeur)))


def _chaine(valeur: Any) -> str:
    """What ``{{ valeur|stringformat:'s' }}`` writes (the filter keeps a safe value safe)."""
    texte = str(valeur)
    return _texte(mark_safe(texte) if isinstance(valeur, SafeData) else texte)  # noqa: S308 (was safe already)


def _attributs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parties = []
    for nom, valeur in attrs.items():
        if valeur is False:
            continue
        parties.append(" " + _texte(nom) + ("" if valeur is True else '="' + _chaine(valeur) + '"'))
    return "".join(parties)


def ecrire_entree(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    valeur = "" if widget["value"] is None else ' value="' + _chaine(widget["value"]) + '"'
    return (
        f'<input type="{_texte(widget["type"])}" name="{_texte(widget["name"])}"{valeur}{_attributs(widget["attrs"])}>'
    )


def ecrire_select(widget: dict[str, Any]) -> str:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parties = ['<select name="', _texte(widget["name"]), '"', _attributs(widget["attrs"]), ">"]
    for nom_groupe, options, _ in widget["optgroups"]:
        if nom_groupe:
            parties += ['\n  <optgroup label="', _texte(nom_groupe), '">']
        for option in options:
            parties += [
                '\n  <option value="',
                _chaine(option["value"]),
                '"',
                _attributs(option["attrs"]),
                ">",
                _texte(option["label"]),
                "</option>\n",
            ]
        if nom_groupe:
            parties.append("\n  </optgroup>")
    parties.append("\n</select>")
    return "".join(parties)


def _options_ordinaires(widget: dict[str, Any]) -> bool:
    return all(option["template_name"] == GABARIT_OPTION for _, options, _ in widget["optgroups"] for option in options)


class RenduFormulaires(TemplatesSetting):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and widget.get("template_name") == template_name:
            if template_name in GABARITS_ENTREE:
                return ecrire_entree(widget)
            if template_name == GABARIT_SELECT and _options_ordinaires(widget):
                # Django's renderer strips what the template writes.
                return ecrire_select(widget).strip()
        return super().render(template_name, context, request)
