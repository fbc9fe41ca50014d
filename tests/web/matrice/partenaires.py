"""Partners: the public catalogue (open to all), the partner space (a partner's administrator, own
organisation only) and the staff pages on partners and habilitations."""

from __future__ import annotations

from . import Attendu, pour_tous


def _session_publiee(monde):  # type: ignore[no-untyped-def]
    from tests.partenaires.factories import SessionFormationFactory

    return {"code": "rs5142", "pk": SessionFormationFactory(partenaire=monde.partenaire).pk}


ATTENDUS = [
    Attendu("public:catalogue", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:catalogue_session", pour_tous(200), kwargs=_session_publiee),
    Attendu("public:catalogue_lheo", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
]
