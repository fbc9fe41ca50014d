from django.urls import path

from . import views

app_name = "partenaire"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sessions/nouvelle/", views.session_nouvelle, name="session_nouvelle"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/publication/", views.session_publication, name="session_publication"),
    path("candidatures/", views.candidatures, name="candidatures"),
]
