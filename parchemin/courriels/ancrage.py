"""Every checkpoint of the audit journal goes to the administrators by e-mail as well: a copy that
neither the database nor the file storage holds."""

from __future__ import annotations

from typing import Any

from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.journal.ancrage import PointDeControle

from .services import Piece, mettre_en_file


def envoyer_aux_administrateurs(sender: Any, point_de_controle: PointDeControle, contenu: bytes, **kwargs: Any) -> None:
    adresses = sorted(
        User.objects.filter(roles__role=Role.ADMINISTRATEUR, is_active=True).values_list("email", flat=True).distinct()
    )
    if not adresses:
        return
    mettre_en_file(
        adresses,
        f"[Parchemin] Point de contrôle du journal d'audit n°{point_de_controle.sequence}",
        "Bonjour,\n\n"
        f"Voici le point de contrôle signé du journal d'audit ({point_de_controle.motif}) : entrée "
        f"n°{point_de_controle.sequence}, empreinte {point_de_controle.hash or '(journal vide)'}.\n\n"
        "Conservez ce message et sa pièce jointe hors de la plateforme : ils permettent de prouver que "
        "l'historique n'a pas été réécrit (voir « Points de contrôle du journal » dans docs/operations.md).\n\n"
        "Parchemin (message automatique)",
        pieces_jointes=[Piece(point_de_controle.chemin.rsplit("/", 1)[-1], contenu, "application/json")],
    )
