"""Public pages: open to everyone."""

from __future__ import annotations

from . import Attendu, pour_tous

ATTENDUS = [
    Attendu("public:accueil", pour_tous(200)),
    Attendu("public:certification", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:certification_case", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:accessibilite", pour_tous(200)),
    Attendu("public:mentions_legales", pour_tous(200)),
]
