"""Raw SQL in migrations, written once per database engine.

Triggers guard invariants Django cannot express (a competence in its unit's version, an append-only
journal, a signed PV frozen, full-text indexes kept in sync); SQLite and PostgreSQL spell them
differently, so a migration gives both and this operation runs the one of the current engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import migrations


def _executer(par_moteur: dict[str, Sequence[str]]) -> Callable[[Any, Any], None]:
    def executer(apps: Any, schema_editor: Any) -> None:
        for instruction in par_moteur.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(instruction)

    return executer


def sql_par_moteur(
    *,
    sqlite: Sequence[str],
    postgresql: Sequence[str],
    sqlite_inverse: Sequence[str] = (),
    postgresql_inverse: Sequence[str] = (),
) -> migrations.RunPython:
    """A reversible migration operation running the SQL written for the current engine."""
    return migrations.RunPython(
        _executer({"sqlite": sqlite, "postgresql": postgresql}),
        _executer({"sqlite": sqlite_inverse, "postgresql": postgresql_inverse}),
    )
