"""Template comments never reach a page: Django's {# … #} ends on its own line, so one written over
several lines is printed as text. The browser crawl checks the rendered pages; this checks every
template file, including pages the crawl does not reach."""

from __future__ import annotations

from pathlib import Path

RACINE = Path(__file__).resolve().parents[2] / "parchemin"


def test_no_template_comment_spans_several_lines() -> None:
    gabarits = [f for f in RACINE.rglob("templates/**/*") if f.suffix in (".html", ".txt", ".xml")]
    assert len(gabarits) > 50
    fautifs = [
        f"{gabarit.relative_to(RACINE)}:{numero}"
        for gabarit in gabarits
        for numero, ligne in enumerate(gabarit.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in ligne and "#}" not in ligne[ligne.index("{#") :]
    ]
    assert fautifs == [], "commentaires {# … #} sur plusieurs lignes (utilisez {% comment %}) : " + ", ".join(fautifs)
