"""Every arrowhead a figure draws is in a colour its key draws one in.

Where pathway lines of different colours into one box meet under one arrowhead, that
arrowhead is drawn in the boxes' outline colour, so that it claims none of the lines
for its pathway (see logicmodel/render/dot.py); the key then shows it, as *Pathways
joining (one arrowhead)*. Every other arrowhead is a pathway's, a link's or a feedback
link's, as the key's samples are.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from logicmodel.loader import load_file
from logicmodel.render import RenderOptions, render
from tests.test_render_collisions import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def _heads(root: ET.Element, key: bool) -> set[str]:
    """The colours the figure's arrowheads are filled with (``key``: the key's)."""
    inside = root.find(f".//{SVG}g[@id='lm-key']")
    keyed = set() if inside is None else set(inside.iter(f"{SVG}g"))
    return {(p.get("fill") or "").lower() for g in root.iter(f"{SVG}g")
            if "edge" in (g.get("class") or "").split() and (g in keyed) == key
            for p in g.findall(f"{SVG}polygon")
            if p.get("stroke") not in (None, "none", "transparent")}


@pytest.mark.parametrize("theme", ["paper", "color"])
@pytest.mark.parametrize("where", ["models/devolved_budgets.yaml",
                                   "models/devolved_budgets_summary.yaml",
                                   "models/parenting_realist.yaml",
                                   "docs/examples/devolved_budgets_protocol.yaml"])
def test_every_arrowhead_is_in_a_colour_the_key_draws(where: str, theme: str) -> None:
    document = load_file(str(ROOT / where))
    assert document.model is not None
    for view in (None, "paper"):
        for fit in (None, "174x230mm", "84mm"):
            root = ET.fromstring(render(document.model, "svg", RenderOptions(
                theme=theme, view=view, fit=fit, min_font=4)).data)
            assert _heads(root, key=False) <= _heads(root, key=True) | {"none"}, (
                where, theme, view, fit, _heads(root, key=False), _heads(root, key=True))
