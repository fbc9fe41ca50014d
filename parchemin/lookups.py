"""Query lookups the project adds to Django's own.

Django already answers "no row" when ``exact``, ``gt``, ``lt``… compare an integer column with a
number outside the column's range; ``in`` does not, and SQLite cannot even bind such a number
(OverflowError), so one forged id in a form (a checkbox list, an admin page) was a server error.
Registered once for every integer column, primary keys included, by ``WebConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class EntiersDansLaPlage(In):
    """``__in`` on an integer column: values outside the column's range match no row, so they are
    dropped before the query (none left: an empty result, as for an empty list)."""

    lookup_name = "in"

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            minimum, maximum = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                valeur
                for valeur in self.rhs
                if not isinstance(valeur, int)
                or ((minimum is None or valeur >= minimum) and (maximum is None or valeur <= maximum))
            ]
        return super().process_rhs(compiler, connection)
