from django.urls import path

from . import journal, views

app_name = "backoffice"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("journal/", journal.journal, name="journal"),
]
