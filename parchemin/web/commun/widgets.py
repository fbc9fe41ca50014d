"""A select list written in Python, for the forms of the busiest pages.

Django renders a select through its template (the project's copy writes the options inline,
web/templates/django/forms/widgets/select.html): on the catalogue's search form, rendered on every
search, the four lists took a fifth of the page's time. ``SelectDirect`` writes the same HTML, to the
byte, from the same context (tests/web/test_select_en_ligne.py compares it with Django's own template
over generated choices, values and attributes); an option with a template of its own falls back to
Django's rendering.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

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


class SelectDirect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groupes = widget["optgroups"]
        if any(option["template_name"] != GABARIT_OPTION for _, options, _ in groupes for option in options):
            return super().render(name, value, attrs, renderer)
        parties = ['<select name="', _texte(widget["name"]), '"', _attributs(widget["attrs"]), ">"]
        for nom_groupe, options, _ in groupes:
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
        # Django's renderer strips what the template writes.
        return mark_safe("".join(parties).strip())  # noqa: S308 (every value above is escaped)
