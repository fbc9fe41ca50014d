"""Records that change only through the services are read-only in the Django admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from parchemin.comptes.enums import Role
from parchemin.lecture_seule import LectureSeuleAdmin
from tests.comptes.outils import creer_utilisateur

pytestmark = pytest.mark.django_db

# Every model the admin shows without letting anyone add, change or delete it there.
LECTURE_SEULE = {
    "candidatures.candidature",
    "candidatures.piece",
    "courriels.courriel",
    "journal.entreejournal",
    "jurys.amendementdecision",
    "jurys.demandeplanification",
    "jurys.procesverbal",
    "jurys.sessionjury",
    "jurys.signaturepv",
    "partenaires.changementhabilitation",
    "partenaires.envoilistefrancecompetences",
    "partenaires.habilitation",
    "partenaires.partenaire",
    "partenaires.sessionformation",
    "territoires.commune",
}


def test_the_read_only_models_are_exactly_those_declared() -> None:
    en_lecture_seule = {
        modele._meta.label_lower
        for modele, modele_admin in admin.site._registry.items()
        if isinstance(modele_admin, LectureSeuleAdmin)
    }
    assert en_lecture_seule == LECTURE_SEULE


def test_not_even_a_superuser_may_add_change_or_delete_them() -> None:
    requete = RequestFactory().get("/admin/")
    requete.user = creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR, is_superuser=True)
    for modele, modele_admin in admin.site._registry.items():
        if modele._meta.label_lower not in LECTURE_SEULE:
            continue
        instance = modele()
        assert modele_admin.has_view_permission(requete, instance), modele
        assert not modele_admin.has_add_permission(requete), modele
        assert not modele_admin.has_change_permission(requete, instance), modele
        assert not modele_admin.has_delete_permission(requete, instance), modele
