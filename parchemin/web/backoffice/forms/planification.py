"""The form editing one session of a planning proposal before it is accepted."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.formats import date_format

from parchemin.candidatures.models import Candidature
from parchemin.dates import date_longue
from parchemin.jurys.models import MembreJury
from parchemin.jurys.planification import SessionProposee

RETIRER = "retirer"


def libelle_membre(membre: MembreJury) -> str:
    profils = ", ".join(membre.profils_labels())
    return f"{membre} — {membre.organisation} ({profils}{', interne' if membre.interne else ''})"


class SessionProposeeForm(forms.Form):
    """One form per proposed session; its prefix keeps field ids unique on the request's page."""

    date = forms.TypedChoiceField(label="Date de la session", coerce=datetime.date.fromisoformat)
    membres = forms.TypedMultipleChoiceField(
        label="Membres du jury", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        numero: int,
        dates: Sequence[str],
        sessions: Sequence[SessionProposee],
        pool: Sequence[MembreJury],
        candidatures: Mapping[int, Candidature],
        non_planifies: Sequence[int],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"session-{numero}")
        super().__init__(*args, **kwargs)
        self.numero = numero
        actuelle = sessions[numero - 1]
        champ_date = self.fields["date"]
        champ_date.choices = [  # type: ignore[attr-defined]
            (d, f"{date_format(datetime.date.fromisoformat(d), 'l')} {date_longue(datetime.date.fromisoformat(d))}")
            for d in sorted(set(dates))
        ]
        champ_date.initial = actuelle.date.isoformat()
        champ_membres = self.fields["membres"]
        champ_membres.choices = [(m.pk, libelle_membre(m)) for m in pool]  # type: ignore[attr-defined]
        champ_membres.initial = list(actuelle.membres)
        destinations = [
            (str(position), f"Session n° {position} — {date_longue(s.date)}")
            for position, s in enumerate(sessions, start=1)
        ] + [(RETIRER, "Retiré de la proposition")]
        self.noms_candidats: list[str] = []
        for cle in [*actuelle.candidats, *non_planifies]:
            candidature = candidatures.get(cle)
            if candidature is None:
                continue
            self.fields[f"candidat_{cle}"] = forms.ChoiceField(
                label=candidature.nom_complet or f"Candidature n° {cle}",
                choices=destinations,
                initial=str(numero) if cle in actuelle.candidats else RETIRER,
            )
            self.noms_candidats.append(f"candidat_{cle}")

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each error to its field for screen readers (the template gives the message this id).
        for nom in self.errors:
            if nom in self.fields and nom != "membres":
                self.fields[nom].widget.attrs["aria-describedby"] = f"{self[nom].auto_id}_erreurs"

    def champs_candidats(self) -> list[forms.BoundField]:
        return [self[nom] for nom in self.noms_candidats]

    def affectations(self) -> dict[int, int | None]:
        """Candidate → proposed session where they sit (``None``: dropped), from the cleaned data."""
        return {
            int(nom.removeprefix("candidat_")): None
            if self.cleaned_data[nom] == RETIRER
            else int(self.cleaned_data[nom])
            for nom in self.noms_candidats
        }
