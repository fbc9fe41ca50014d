"""Accounts (allauth) and two-factor (allauth.mfa) pages.

The test world's users sign in with force_login; staff and jury have TOTP and a completed TOTP step
(tests/comptes/outils.connecter). The recovery-code pages get their codes from the kwargs builder,
as a real TOTP activation would have generated them.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from parchemin.comptes.roles import double_facteur_exige

from . import CONNEXION, REDIRECTION, Attendu, pour_tous

SANS_DOUBLE_FACTEUR = ("candidat", "evaluateur_partenaire", "admin_partenaire")


def connecte(issue: Any, **exceptions: Any) -> dict[str, Any]:
    """Sign-in required: anonymous visitors are sent to the login page, everyone else gets ``issue``."""
    return pour_tous(issue, **{"anonyme": CONNEXION, **exceptions})


def anonyme_seulement() -> dict[str, Any]:
    """Sign-in and sign-up pages: signed-in users are sent on."""
    return pour_tous(REDIRECTION, anonyme=200)


def _codes_de_secours(monde: Any) -> dict[str, Any]:
    for user in monde.utilisateurs.values():
        if user is not None and double_facteur_exige(user):
            RecoveryCodes.activate(user)
    return {}


ATTENDUS = [
    Attendu("account_login", anonyme_seulement()),
    Attendu("account_signup", anonyme_seulement()),
    Attendu("account_logout", pour_tous(200, anonyme=REDIRECTION)),
    Attendu("account_inactive", pour_tous(200)),
    Attendu("account_email", connecte(200)),
    Attendu("account_email_verification_sent", pour_tous(200)),
    # An unknown or expired key answers with a French "link invalid" page, never an error.
    # GET shows "invalid link"; POSTing an unknown key has nothing to confirm.
    Attendu(
        "account_confirm_email",
        pour_tous(200),
        kwargs=lambda m: {"key": "cle-inconnue"},
        post=pour_tous(404),
    ),
    Attendu("account_change_password", connecte(200)),
    # Every account has a password: "set" forwards to "change".
    Attendu("account_set_password", connecte(REDIRECTION)),
    Attendu("account_reset_password", pour_tous(200)),
    Attendu("account_reset_password_done", pour_tous(200)),
    Attendu(
        "account_reset_password_from_key",
        pour_tous(200),
        kwargs=lambda m: {"uidb36": "zz", "key": "cle-inconnue"},
    ),
    Attendu("account_reset_password_from_key_done", pour_tous(200)),
    Attendu("account_reauthenticate", connecte(200)),
    # Login by e-mailed code is not enabled: these pages send everyone back.
    Attendu("account_confirm_login_code", pour_tous(REDIRECTION)),
    Attendu("account_request_reauthentication_code", connecte(REDIRECTION)),
    Attendu("account_confirm_reauthentication_code", connecte(REDIRECTION)),
    Attendu("mfa_index", connecte(200)),
    # Only meaningful in the middle of a login; otherwise back to the start.
    Attendu("mfa_authenticate", pour_tous(REDIRECTION)),
    # Staff and jury re-enter a TOTP code here; others have no second factor and go to the password step.
    Attendu("mfa_reauthenticate", connecte(200, **{role: REDIRECTION for role in SANS_DOUBLE_FACTEUR})),
    # Activating TOTP asks for a fresh reauthentication first (or says it is already active).
    Attendu("mfa_activate_totp", connecte(REDIRECTION)),
    # Deactivating asks for a fresh reauthentication; without TOTP there is nothing to deactivate.
    Attendu("mfa_deactivate_totp", connecte(REDIRECTION, **{role: 404 for role in SANS_DOUBLE_FACTEUR})),
    Attendu(
        "mfa_view_recovery_codes",
        connecte(REDIRECTION, **{role: 404 for role in SANS_DOUBLE_FACTEUR}),
        kwargs=_codes_de_secours,
        # A read-only page: POST is refused by method once the fresh reauthentication is there.
        post={role: 405 for role in ("membre_jury", "gestionnaire", "administrateur")},
    ),
    Attendu(
        "mfa_download_recovery_codes",
        connecte(REDIRECTION, **{role: 404 for role in SANS_DOUBLE_FACTEUR}),
        kwargs=_codes_de_secours,
    ),
    Attendu("mfa_generate_recovery_codes", connecte(REDIRECTION)),
]
