"""The request type of views behind ``acces_reserve``."""

from __future__ import annotations

from django.http import HttpRequest

from parchemin.comptes.models import User


class RequeteAuthentifiee(HttpRequest):
    """A request whose user is signed in: ``acces_reserve`` turns every other request away before the
    view runs. Only a type for the checker; Django still builds a plain ``HttpRequest``."""

    user: User
