"""Signals the jury sends to the apps above it (which the jury app must not import).

``pv_verrouille`` is sent once the transaction that made a PV final (signed by every member) has
committed; arguments: ``session`` (the locked SessionJury). Delivery of parchemins listens to it.
"""

from __future__ import annotations

from django.dispatch import Signal

pv_verrouille = Signal()

# Sent after commit when staff amend a decision after signature; arguments: ``passage`` and
# ``acteur`` (the staff member). A delivered parchemin follows the decision in force.
decision_amendee = Signal()
