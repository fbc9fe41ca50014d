"""Form fields shared by every audience."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class ChoixMultiplesModeles(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id outside its column's range before any query:
    SQLite cannot even compare such a number (OverflowError), so a forged form would be a 500."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            modele = self.queryset.model  # type: ignore[union-attr]
            champ = modele._meta.get_field(self.to_field_name) if self.to_field_name else modele._meta.pk
            for pk in value:
                try:
                    champ.run_validators(champ.to_python(pk))
                except ValidationError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    ) from None
        return super().clean(value)
