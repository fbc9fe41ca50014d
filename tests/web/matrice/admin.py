"""The Django admin: staff administrators with a TOTP session only.

Every ``admin:`` pattern is covered by the Motif below (models registered later by other apps
included); the samples exercise each kind of admin page. Signed-in users without the role get 403
(not the admin's own login form), anonymous visitors go to the login page.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from parchemin.journal.services import enregistrer

from . import CONNEXION, REDIRECTION, Attendu, Motif, pour_tous


def administrateurs(issue: Any = 200) -> dict[str, Any]:
    return pour_tous(403, anonyme=CONNEXION, administrateur=issue)


def _utilisateur(monde: Any) -> dict[str, Any]:
    return {"object_id": monde.utilisateurs["candidat"].pk}


def _entree(monde: Any) -> dict[str, Any]:
    return {"object_id": enregistrer(action="test.matrice", resume="entrée de test").pk}


def _authentificateur(monde: Any) -> dict[str, Any]:
    return {"object_id": Authenticator.objects.filter(user=monde.utilisateurs["gestionnaire"]).get().pk}


MOTIFS = [
    Motif(
        "admin:",
        (
            Attendu("admin:index", administrateurs()),
            Attendu("admin:login", pour_tous(403, anonyme=CONNEXION, administrateur=REDIRECTION)),
            # Logging out of the admin is a POST; GET is refused.
            Attendu("admin:logout", pour_tous(403, anonyme=REDIRECTION, administrateur=405)),
            Attendu("admin:password_change", administrateurs()),
            Attendu("admin:password_change_done", administrateurs()),
            Attendu("admin:app_list", administrateurs(), kwargs=lambda m: {"app_label": "comptes"}),
            # Without a field to complete, autocomplete refuses.
            Attendu("admin:autocomplete", administrateurs(403)),
            Attendu("admin:comptes_user_changelist", administrateurs()),
            Attendu("admin:comptes_user_add", administrateurs()),
            Attendu("admin:comptes_user_change", administrateurs(), kwargs=_utilisateur),
            Attendu("admin:comptes_user_history", administrateurs(), kwargs=_utilisateur),
            Attendu("admin:comptes_user_delete", administrateurs(), kwargs=_utilisateur),
            Attendu(
                "admin:auth_user_password_change",
                administrateurs(),
                kwargs=lambda m: {"id": m.utilisateurs["candidat"].pk},
            ),
            Attendu("admin:mfa_authenticator_changelist", administrateurs()),
            # Read-only in the admin: the change page shows, a POST is refused.
            Attendu(
                "admin:mfa_authenticator_change",
                administrateurs(),
                kwargs=_authentificateur,
                post={"administrateur": 403},
            ),
            # The journal is read-only even in the admin.
            Attendu("admin:journal_entreejournal_changelist", administrateurs()),
            Attendu(
                "admin:journal_entreejournal_change", administrateurs(), kwargs=_entree, post={"administrateur": 403}
            ),
            Attendu("admin:journal_entreejournal_add", administrateurs(403)),
            Attendu("admin:journal_entreejournal_delete", administrateurs(403), kwargs=_entree),
            Attendu(
                "admin:view_on_site", administrateurs(404), kwargs=lambda m: {"content_type_id": 1, "object_id": 1}
            ),
        ),
    ),
    # Unnamed admin patterns (object URLs without a suffix, the catch-all) redirect to named ones.
    Motif("route:admin/", ()),
]
