"""The Django admin, reserved to staff administrators who used their second factor in this session.

It replaces the default site (ParcheminAdminConfig), so third-party registrations land here too. Its
login page is allauth's (password, then TOTP): the admin never authenticates anyone itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .acces import session_avec_double_facteur, verifier_acces
from .enums import Role
from .roles import est_administrateur


class SiteAdministration(admin.AdminSite):
    site_header = "Parchemin — administration technique"
    site_title = "Administration Parchemin"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and est_administrateur(user)
            and session_avec_double_facteur(request)
        )

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def garde(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # Signed-in users get the same answers as in the rest of the site: 403 without the role,
            # the TOTP step when it is missing, instead of the admin's own login form.
            if request.user.is_authenticated and not self.has_permission(request):
                refus = verifier_acces(request, (Role.ADMINISTRATEUR,))
                if refus is not None:
                    return refus
            return inner(request, *args, **kwargs)

        return garde

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            refus = verifier_acces(request, (Role.ADMINISTRATEUR,))
            if refus is not None:
                return refus
        index = reverse("admin:index", current_app=self.name)
        destination = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(destination, {request.get_host()}, request.is_secure()):
            destination = index
        if request.user.is_authenticated:
            return HttpResponseRedirect(destination)
        return redirect_to_login(destination)
