"""Model permissions in the Django admin follow the role, not per-user permission rows: a staff
administrator may manage every model the admin exposes (read-only ones refuse by themselves)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .roles import est_administrateur


class PermissionsParRole(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and est_administrateur(user_obj))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and est_administrateur(user_obj))
