"""Form fields used by several audiences.

Dates and amounts: a value shown in a form is a value the same form reads back unchanged.
Browsers only fill an ``<input type="date">`` from an ISO value (``2026-03-01``): any other
rendering shows an empty box, and saving the form erases the date. Browsers without a date picker
send what the person typed, so the date field also reads ``01/03/2026`` and ``1er mars 2026``.
Decimal amounts accept the French comma.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from parchemin.dates import DateIllisible, lire_date
from parchemin.territoires.models import Commune
from parchemin.territoires.queries import trouver_commune


class ChampCommune(forms.CharField):
    """A commune typed as a name, "Nom (dép.)", a postcode or an INSEE code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Nom, code postal ou code INSEE, par exemple Bordeaux ou 33000.")
        super().__init__(max_length=200, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Commune):
            return f"{value.nom} ({value.departement})"
        return value

    def clean(self, value: Any) -> Commune | None:
        texte = super().clean(value)
        if not texte:
            return None
        commune = trouver_commune(texte)
        if commune is None:
            raise forms.ValidationError(
                "Commune inconnue : vérifiez l'orthographe ou indiquez son code postal.", code="commune_inconnue"
            )
        return commune


FORMAT_ISO = "%Y-%m-%d"


class SaisieDate(forms.DateInput):
    """``<input type="date">`` always given an ISO value; text it cannot read is passed back as typed."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=FORMAT_ISO)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                lue = lire_date(value)
            except DateIllisible:
                return value
            return lue.isoformat() if lue else None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return None


class ChampDate(forms.DateField):
    """A date typed by a person: ISO, jj/mm/aaaa or French words; empty when optional."""

    widget = SaisieDate

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return lire_date(str(value))
        except DateIllisible as erreur:
            raise ValidationError(erreur.message, code="invalid") from None


_ESPACES = re.compile(r"[\s\u00a0\u202f]+")


class SaisieDecimal(forms.TextInput):
    """A text box with the decimal keypad on phones; the amount is shown with a French comma.

    Not ``type="number"``: some browsers refuse a comma there and send an empty value instead."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int | float):
            return str(value).replace(".", ",")
        return super().format_value(value)


class ChampDecimal(forms.DecimalField):
    """An amount typed the French way: ``4 200,50`` or ``4200.50``, with or without ``€``."""

    widget = SaisieDecimal

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", "Indiquez un nombre, par exemple 4200 ou 4200,50 (virgule ou point)."
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = _ESPACES.sub("", value).removesuffix("€").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField adds min/step for number inputs only; a text box needs none of them.
        return {} if isinstance(widget, SaisieDecimal) else super().widget_attrs(widget)
