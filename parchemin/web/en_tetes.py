"""Response headers every page carries: what the browser may use, and what it may keep.

``Permissions-Policy`` switches off the powerful browser features no page of Parchemin uses, so an
injected script or a framed page cannot ask for them. A page served to a signed-in person holds
their data: it is marked ``private, no-store`` so neither a shared cache nor the browser's history
keeps a copy after logout; a view that already chose ``no-store`` is left as it is."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PERMISSIONS_POLICY = ", ".join(
    f"{fonction}=()"
    for fonction in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class EnTetesSecurite:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reponse = self.get_response(request)
        reponse.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "no-store" not in reponse.headers.get("Cache-Control", ""):
                patch_cache_control(reponse, private=True, no_store=True)
            patch_vary_headers(reponse, ("Cookie",))
        return reponse
