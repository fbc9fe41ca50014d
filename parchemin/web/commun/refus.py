"""How a view reports a service's refusal (an ``ErreurMetier``) to the person who asked."""

from __future__ import annotations

from types import TracebackType

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest

from parchemin.erreurs import ErreurMetier


class signaler_refus:  # lower case, like contextlib.suppress: it reads as an action at the call site
    """Run the service call in the ``with`` block; if a rule refuses it, show the French message and
    carry on after the block, where the view redirects or renders again.

    The message goes to ``formulaire`` (on ``champ``, or the whole form when None) when one is given,
    so the page re-rendered with the form shows it in place; otherwise it is flashed with
    ``messages.error``. Any other exception goes through untouched."""

    def __init__(self, request: HttpRequest, formulaire: BaseForm | None = None, champ: str | None = None) -> None:
        self.request = request
        self.formulaire = formulaire
        self.champ = champ

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, type_: type[BaseException] | None, erreur: BaseException | None, trace: TracebackType | None
    ) -> bool:
        # Returning bool (not None) tells type checkers the block may stop early, so the view's code
        # after it counts as reachable; a @contextmanager generator could not say so.
        if not isinstance(erreur, ErreurMetier):
            return False
        if self.formulaire is not None:
            self.formulaire.add_error(self.champ, erreur.message)
        else:
            messages.error(self.request, erreur.message)
        return True
