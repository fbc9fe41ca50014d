"""Every e-mail event is a complete set of templates in the app that sends it."""

from __future__ import annotations

from pathlib import Path

import parchemin

RACINE = Path(parchemin.__file__).resolve().parent


def _evenements() -> list[Path]:
    """The text body of every event (``<app>/templates/<app>/courriels/<event>.txt``), layouts excluded."""
    return sorted(
        chemin
        for chemin in RACINE.glob("*/templates/*/courriels/*.txt")
        if chemin.name != "base.txt" and not chemin.name.endswith("_sujet.txt")
    )


def test_events_are_found_in_the_apps_that_send_them() -> None:
    applications = {chemin.relative_to(RACINE).parts[0] for chemin in _evenements()}

    assert {"candidatures", "jurys"} <= applications
    assert "web" not in applications


def test_every_event_has_a_subject_a_text_body_and_an_html_body_on_the_common_layout() -> None:
    for texte in _evenements():
        html = texte.with_suffix(".html")
        assert texte.with_name(texte.stem + "_sujet.txt").is_file(), texte
        assert html.is_file(), texte
        debut = html.read_text(encoding="utf-8").splitlines()[0]
        assert debut in {
            '{% extends "courriels/base.html" %}',
            f'{{% extends "{texte.parent.relative_to(texte.parents[2])}/base.html" %}}',
        }, html
