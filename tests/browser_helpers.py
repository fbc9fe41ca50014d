"""Helpers for end-to-end tests: accessibility audit with axe-core."""

from __future__ import annotations

from typing import Any


def violations_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    # A page still loading has no document for axe to read; the caller waits for the page it
    # navigated to, this only makes sure that page has finished loading.
    page.wait_for_load_state("load")
    # resultTypes: axe details only the violations (passes and inapplicable rules are not collected
    # node by node), which is what is read here and makes each audit markedly cheaper.
    resultats = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return list(resultats.response["violations"])


def resume_violations(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
