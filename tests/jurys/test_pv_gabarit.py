"""The signed PV is a domain output: its template lives in the jurys app, so no edit of the web
layer's templates can change the bytes members sign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.template import Template
from django.test.signals import template_rendered

import parchemin.jurys
import parchemin.web
from parchemin.jurys.pv import rendre_pv

from .conftest import Jury


@pytest.fixture
def gabarits_rendus() -> Iterator[list[Path]]:
    """Paths of the template files rendered while the test runs (Django's test instrumentation)."""
    chemins: list[Path] = []

    def noter(sender: Any, template: Template, **kwargs: Any) -> None:
        chemins.append(Path(template.origin.name).resolve())

    template_rendered.connect(noter)
    try:
        yield chemins
    finally:
        template_rendered.disconnect(noter)


def test_the_pv_is_rendered_from_the_jurys_app_template_and_nothing_from_the_web_layer(
    jury: Jury, gabarits_rendus: list[Path]
) -> None:
    pdf, _ = rendre_pv(jury.session, numero_version=1)

    assert pdf.startswith(b"%PDF-")
    jurys = Path(parchemin.jurys.__file__).resolve().parent
    web = Path(parchemin.web.__file__).resolve().parent
    assert gabarits_rendus == [jurys / "templates" / "jurys" / "pv_pdf.html"]
    assert not any(chemin.is_relative_to(web) for chemin in gabarits_rendus)
