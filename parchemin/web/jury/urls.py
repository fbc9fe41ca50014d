from django.urls import path

from . import views

app_name = "jury"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/candidats/<int:passage_pk>/", views.grille, name="grille"),
    path("sessions/<int:pk>/candidats/<int:passage_pk>/pieces/<int:piece_pk>/", views.piece, name="piece"),
    path("sessions/<int:pk>/candidats/<int:passage_pk>/presence/", views.presence, name="presence"),
    path("sessions/<int:pk>/candidats/<int:passage_pk>/deliberation/", views.deliberer, name="deliberer"),
    path("sessions/<int:pk>/pv/etablir/", views.etablir_pv, name="etablir_pv"),
    path("sessions/<int:pk>/pv/", views.pv, name="pv"),
    path("sessions/<int:pk>/pv.pdf", views.pv_pdf, name="pv_pdf"),
]
