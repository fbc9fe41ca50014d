"""The reason staff give when they revoke or reissue a parchemin."""

from __future__ import annotations

from django import forms


class MotifForm(forms.Form):
    motif = forms.CharField(
        label="Motif (conservé au journal ; pour une révocation, il est montré à qui vérifie)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
