"""Charts as SVG drawn on the server with pygal, shown as <img> from a same-origin URL.

pygal always writes a small configuration <script> into its SVG; it is removed here, so the file
holds drawing and style only (no JavaScript is needed: the figures are also in a data table
beside each chart). The SVG keeps its own inline <style>, which is why its response allows inline
styles and nothing else (see the view).
"""

from __future__ import annotations

import sys

import pygal
from lxml import etree
from pygal.style import Style

from .resultats import Ligne

# pygal appends an import hook for its external map plugins (``pygal.maps.*``, not used here). It
# only implements the legacy ``find_module``, so every later import that reaches it raises an
# ImportWarning on Python 3.11 (an error under our warning policy). Take it out.
sys.meta_path[:] = [chercheur for chercheur in sys.meta_path if type(chercheur).__name__ != "PluginImportFixer"]

SVG = "{http://www.w3.org/2000/svg}"

# Colours with enough contrast on white, told apart by more than hue (the table carries the values).
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f1f1f",
    foreground_strong="#1f1f1f",
    foreground_subtle="#595959",
    colors=("#1b5e20", "#4a7fc1", "#b3261e", "#7a5c00", "#5b3b8c", "#00695c"),
    font_family="system-ui, sans-serif",
    title_font_size=18,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=12,
)


def _config() -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "width": 800,
        "height": 450,
        "print_values": False,
        "show_y_guides": True,
        "no_data_text": "Aucune donnée",
    }


def _sans_script(svg: str) -> bytes:
    racine = etree.fromstring(svg.encode("utf-8"))
    for script in racine.iter(f"{SVG}script"):
        parent = script.getparent()
        if parent is not None:
            parent.remove(script)
    return bytes(etree.tostring(racine, encoding="utf-8"))


def decisions_par_annee(lignes: list[Ligne], titre: str) -> bytes:
    """Stacked bars: each year's jury outcomes (total, partial, refusal, absent)."""
    graphique = pygal.StackedBar(title=titre, **_config())
    graphique.x_labels = [str(ligne.annee) for ligne in lignes]
    for code, libelle in (
        ("validations_totales", "Validations totales"),
        ("validations_partielles", "Validations partielles"),
        ("refus", "Refus"),
        ("absents", "Absents ou excusés"),
    ):
        graphique.add(libelle, [ligne.chiffres[code] for ligne in lignes])
    return _sans_script(graphique.render(is_unicode=True))


def taux_par_annee(lignes: list[Ligne], titre: str) -> bytes:
    """Lines: success rate and total-validation rate per year (a gap where nobody was assessed)."""
    graphique = pygal.Line(title=titre, range=(0, 100), **_config())
    graphique.x_labels = [str(ligne.annee) for ligne in lignes]
    graphique.add("Taux de réussite (%)", [ligne.taux_reussite.pourcentage for ligne in lignes])
    graphique.add("Taux de validation totale (%)", [ligne.taux_validation_totale.pourcentage for ligne in lignes])
    return _sans_script(graphique.render(is_unicode=True))


GRAPHIQUES = {
    "decisions": ("Décisions du jury par année", decisions_par_annee),
    "taux": ("Taux de réussite par année", taux_par_annee),
}
