"""Closed vocabularies of the accounts domain."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATEUR = "ADMINISTRATEUR", "Administrateur (équipe du certificateur)"
    GESTIONNAIRE = "GESTIONNAIRE", "Gestionnaire (équipe du certificateur)"
    MEMBRE_JURY = "MEMBRE_JURY", "Membre de jury"
    EVALUATEUR_PARTENAIRE = "EVALUATEUR_PARTENAIRE", "Évaluateur d'un organisme partenaire"
    ADMIN_PARTENAIRE = "ADMIN_PARTENAIRE", "Administrateur d'un organisme partenaire"


ROLES_EQUIPE = frozenset({Role.ADMINISTRATEUR, Role.GESTIONNAIRE})
ROLES_PARTENAIRE = frozenset({Role.EVALUATEUR_PARTENAIRE, Role.ADMIN_PARTENAIRE})
# Roles whose holders must sign in with a second factor (TOTP) before reaching their space.
ROLES_DOUBLE_FACTEUR = frozenset({Role.ADMINISTRATEUR, Role.GESTIONNAIRE, Role.MEMBRE_JURY})
