"""Every e-mail is one event of the app that sends it, written as three templates in that app:

    <app>/templates/<app>/courriels/<evenement>_sujet.txt   the subject (one line)
    <app>/templates/<app>/courriels/<evenement>.txt         the plain-text body
    <app>/templates/<app>/courriels/<evenement>.html        the HTML body (extends courriels/base.html)

Text templates are rendered without HTML escaping (a name with an apostrophe stays as typed); the
HTML one escapes every value. Blank lines around a rendered body are not part of the message, so a
template may end with a newline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, engines
from django.template.backends.django import DjangoTemplates


@dataclass(frozen=True)
class Contenu:
    sujet: str
    texte: str
    html: str


def _moteur() -> Engine:
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine


def _rendre(nom: str, contexte: Mapping[str, Any], *, echapper: bool) -> str:
    return str(_moteur().get_template(nom).render(Context(dict(contexte), autoescape=echapper)))


def rendre(evenement: str, contexte: Mapping[str, Any]) -> Contenu:
    """The subject and both bodies of ``evenement`` ("<app>/courriels/<name>") for ``contexte``."""
    sujet = " ".join(_rendre(f"{evenement}_sujet.txt", contexte, echapper=False).splitlines()).strip()
    texte = _rendre(f"{evenement}.txt", contexte, echapper=False).strip("\n")
    html = _rendre(f"{evenement}.html", {**contexte, "sujet": sujet}, echapper=True).strip("\n")
    return Contenu(sujet, texte, html)
