"""signaler_refus: how every view turns a service's refusal into a French message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.contrib.messages import ERROR, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.web.commun.refus import signaler_refus


class MotifForm(forms.Form):
    motif = forms.CharField()


def _requete() -> HttpRequest:
    requete = RequestFactory().post("/action/")
    requete._messages = CookieStorage(requete)  # what MessageMiddleware does
    return requete


def _messages(requete: HttpRequest) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in get_messages(requete)]


def _vue(requete: HttpRequest, service: Callable[[], object]) -> HttpResponse:
    """The shape views have: success redirects from inside the block, a refusal falls through."""
    with signaler_refus(requete):
        service()
        return HttpResponseRedirect("/fait/")
    return HttpResponseRedirect("/formulaire/")


def _refuser(message: str) -> None:
    raise ErreurMetier(message)


def test_refusal_is_flashed_as_an_error_and_the_view_goes_on_after_the_block() -> None:
    requete = _requete()
    reponse = _vue(requete, lambda: _refuser("Le dossier est incomplet."))
    assert reponse["Location"] == "/formulaire/"
    assert _messages(requete) == [(ERROR, "Le dossier est incomplet.")]


def test_success_runs_the_whole_block_and_says_nothing() -> None:
    requete = _requete()
    reponse = _vue(requete, lambda: None)
    assert reponse["Location"] == "/fait/"
    assert _messages(requete) == []


def test_the_rest_of_the_block_is_skipped_after_a_refusal() -> None:
    requete = _requete()
    suite: list[str] = []
    with signaler_refus(requete):
        _refuser("Refusé.")
        suite.append("après le service")
    assert suite == []


def test_access_refusals_are_refusals_too() -> None:
    requete = _requete()
    with signaler_refus(requete):
        raise AccesRefuse("Vous ne pouvez pas faire cela.")
    assert _messages(requete) == [(ERROR, "Vous ne pouvez pas faire cela.")]


def test_with_a_form_the_refusal_goes_on_the_named_field_and_nothing_is_flashed() -> None:
    requete = _requete()
    form = MotifForm({"motif": "x"})
    assert form.is_valid()
    with signaler_refus(requete, form, "motif"):
        _refuser("Motif trop court.")
    assert form.errors == {"motif": ["Motif trop court."]}
    assert _messages(requete) == []


def test_with_a_form_and_no_field_the_refusal_is_a_form_wide_error() -> None:
    requete = _requete()
    form = MotifForm({"motif": "x"})
    assert form.is_valid()
    with signaler_refus(requete, form):
        _refuser("Ce partenaire existe déjà.")
    assert form.non_field_errors() == ["Ce partenaire existe déjà."]
    assert not form.is_valid()


def test_other_exceptions_are_not_swallowed() -> None:
    requete = _requete()
    with pytest.raises(ValueError, match="bogue"), signaler_refus(requete):
        raise ValueError("bogue")
    assert _messages(requete) == []


@given(st.text(min_size=1, max_size=200))
def test_the_service_message_is_shown_as_written(message: str) -> None:
    requete = _requete()
    with signaler_refus(requete):
        _refuser(message)
    assert _messages(requete) == [(ERROR, message)]
