"""Root URLs: one include per audience. Every pattern must be declared in the permission matrix
(tests/web/test_permission_matrix.py)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("parchemin.web.public.urls")),
    path("comptes/", include("allauth.urls")),
    path("candidat/", include("parchemin.web.candidat.urls")),
    path("partenaire/", include("parchemin.web.partenaire.urls")),
    path("jury/", include("parchemin.web.jury.urls")),
    path("gestion/", include("parchemin.web.backoffice.urls")),
    path("admin/", admin.site.urls),
]
