"""Public pages kept in the cache for visitors without a session.

The certification page, the home page and the catalogue (search and session pages) show the same
thing to everyone who is not signed in. Their HTML is kept in the worker's memory
(settings.CACHES["pages-locales"]) under the version of the public data (parchemin.pages_publiques,
read from the database on every request), the day (upcoming sessions, open registrations) and the
address asked for (host, path and query string). A signed-in person, or anyone holding a session
cookie (a message may wait for them), gets a page rendered for them and never stores one. The
security headers, the language and ``Vary`` are set by the middleware on every answer, from the
cache or not.

Any save or deletion of a model of the référentiel, the partners and sessions, or the places writes
a new version in its own transaction (signals below), as does ``migrate`` (and the test database's
flush). Writes that send no signal call ``signaler_changement`` themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from parchemin.pages_publiques import ecrire, lire, signaler_changement, version_lue

# The apps whose data the cached pages show.
APPS_PUBLIQUES = frozenset({"referentiel", "partenaires", "territoires"})
# Longer query strings are rendered but not kept: nobody shares them, and they would fill the table.
LONGUEUR_MAX_REQUETE = 300


def _modele_public(sender: Any) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in APPS_PUBLIQUES


def _apres_ecriture(sender: Any, **kwargs: Any) -> None:
    if _modele_public(sender):
        signaler_changement()


def _apres_migration(sender: Any, **kwargs: Any) -> None:
    signaler_changement()


def brancher_signaux() -> None:
    """Called once by the web app's ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_apres_ecriture, dispatch_uid=f"pages-publiques-{signal!r}")
    post_migrate.connect(_apres_migration, dispatch_uid="pages-publiques-migrate")


def cle_de_page(request: HttpRequest) -> str:
    adresse = f"{timezone.localdate().isoformat()}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(adresse.encode()).hexdigest()


def _sans_session(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= LONGUEUR_MAX_REQUETE
    )


def _partageable(request: HttpRequest, reponse: HttpResponse) -> bool:
    """A 200 answer that sets no cookie and carries no CSRF token: a page holding a form to post would
    give every visitor the token of the first one (the CSRF middleware sets its cookie after the view,
    so the request says whether the view asked for a token)."""
    return (
        reponse.status_code == 200
        and not reponse.streaming
        and not reponse.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # set by get_token(), i.e. {% csrf_token %}
    )


def en_cache_pour_les_visiteurs(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``vue``'s page from the cache to visitors without a session, and store what it renders
    for them (a 200 HTML answer that sets no cookie)."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _sans_session(request):
            return vue(request, *args, **kwargs)
        cle = cle_de_page(request)
        version, entree = lire(cle)
        if entree is not None:
            contenu, type_contenu = entree
            reponse = HttpResponse(contenu, content_type=type_contenu)
            # As the rendered page has it, in its order: the locale middleware adds Accept-Language, the
            # session middleware Cookie when the view reads the user (this answer reads no session).
            patch_vary_headers(reponse, ("Accept-Language", "Cookie"))
            return reponse
        with version_lue(version):  # what the view derives from the public data: same version, no re-read
            reponse = vue(request, *args, **kwargs)
        if _partageable(request, reponse):
            ecrire(cle, version, (reponse.content, reponse["Content-Type"]))
        return reponse

    return enveloppe
