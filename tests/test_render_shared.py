"""Links on two or more pathways are drawn one way in every figure, the way its key reads.

Each such link is its pathways' lines side by side, each a whole arrow (one path and
its own arrowhead) drawn as its pathway's sample in the key is, between stages and
within a stage alike, however short: so it needs no entry of its own in the key. Every
arrowhead the figure draws is in a colour a sample of the key is drawn with.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache

import pytest

from logicmodel.render import RenderOptions, render, scene_for
from logicmodel.render.dot import element_titles
from logicmodel.schema import LogicModel
from tests.test_render_collisions import all_models

SVG = "{http://www.w3.org/2000/svg}"
SHARED = "Link on more than one pathway"


@cache
def _models() -> tuple[tuple[str, LogicModel], ...]:
    return tuple(all_models())


def _figures() -> Iterator[tuple[str, int, str | None, str]]:
    """(where, which model, view, theme): every model in models/ and docs/, each view
    (the whole model, the paper view and the model's own)."""
    for i, (where, model) in enumerate(_models()):
        for view in [None, "paper", *(v.id for v in model.views if v.id != "paper")]:
            for theme in ("paper", "color"):
                yield where, i, view, theme


def _groups(root: ET.Element, key: bool) -> list[ET.Element]:
    """The figure's edges (``key``: the key's), as the SVG groups them."""
    inside = root.find(f".//{SVG}g[@id='lm-key']")
    keyed = set() if inside is None else set(inside.iter(f"{SVG}g"))
    return [g for g in root.iter(f"{SVG}g")
            if "edge" in (g.get("class") or "").split() and (g in keyed) == key]


def _drawn(g: ET.Element) -> tuple[int, int]:
    """(stroked paths, arrowheads) of one edge group."""
    paths = [p for p in g.findall(f"{SVG}path") if p.get("stroke") not in (None, "none",
                                                                            "transparent")]
    heads = [p for p in g.findall(f"{SVG}polygon") if p.get("stroke") not in (None, "none",
                                                                              "transparent")]
    return len(paths), len(heads)


def _key_texts(root: ET.Element) -> list[str]:
    inside = root.find(f".//{SVG}g[@id='lm-key']")
    return [] if inside is None else [" ".join("".join(t.itertext()).split())
                                      for t in inside.iter(f"{SVG}text")]


def _shared_titles(model: LogicModel, options: RenderOptions) -> dict[str, int]:
    """The SVG title of each link the figure draws on several pathways -> how many."""
    scene = scene_for(model, options)
    titles = element_titles(scene)
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    return {titles[f"{ids[lk.source]}->{ids[lk.target]}"]: len(scene.link_pathways[id(lk)])
            for lk in scene.links
            if len(scene.link_pathways.get(id(lk), ())) > 1 and id(lk) not in scene.faded_links}


@pytest.mark.parametrize(("where", "index", "view", "theme"), list(_figures()),
                         ids=lambda v: str(v))
def test_every_link_on_two_pathways_is_drawn_as_its_pathways_samples(
        where: str, index: int, view: str | None, theme: str) -> None:
    model = _models()[index][1]
    options = RenderOptions(view=view, theme=theme)
    root = ET.fromstring(render(model, "svg", options).data)
    shared = _shared_titles(model, options)
    assert not any(SHARED in t for t in _key_texts(root)), (where, view, theme)
    if not shared:
        return
    samples = {_stroke(g) for g in _groups(root, key=True) if _drawn(g) != (0, 0)}
    figure = _groups(root, key=False)
    for title, lines in shared.items():
        groups = [g for g in figure if g.findtext(f"{SVG}title") == title]
        # as many lines as pathways, each a whole arrow ...
        assert [_drawn(g) for g in groups] == [(1, 1)] * lines, (where, view, theme, title)
        # ... each drawn as a pathway's sample in the key, and no two alike
        strokes = [_stroke(g) for g in groups]
        assert set(strokes) <= samples, (where, view, theme, title, strokes)
        assert len(set(strokes)) == lines, (where, view, theme, title, strokes)


def _stroke(g: ET.Element) -> tuple[str, str, str]:
    """(colour, dashes, width) of an edge group's line."""
    path = next(p for p in g.findall(f"{SVG}path")
                if p.get("stroke") not in (None, "none", "transparent"))
    return (path.get("stroke", "").lower(), path.get("stroke-dasharray", ""),
            path.get("stroke-width", "1"))


@pytest.mark.parametrize("theme", ["paper", "color"])
@pytest.mark.parametrize("where", ["models/devolved_budgets.yaml",
                                   "models/devolved_budgets_summary.yaml",
                                   "models/parenting_realist.yaml",
                                   "docs/examples/devolved_budgets_protocol.yaml"])
def test_every_arrowhead_is_in_a_colour_the_key_draws(where: str, theme: str) -> None:
    """Where pathway lines of different colours meet under one arrowhead, the key shows
    that arrowhead (in the boxes' outline colour); every other head is a pathway's, a
    link's or a feedback link's, as the key's samples are."""
    model = dict(_models())[where]
    for view in (None, "paper"):
        for fit in (None, "174x230mm", "84mm"):
            root = ET.fromstring(render(model, "svg", RenderOptions(
                theme=theme, view=view, fit=fit, min_font=4)).data)
            assert _heads(root, key=False) <= _heads(root, key=True) | {"none"}, (
                where, theme, view, fit, _heads(root, key=False), _heads(root, key=True))


def _heads(root: ET.Element, key: bool) -> set[str]:
    """The colours the figure's arrowheads are filled with (``key``: the key's)."""
    return {(p.get("fill") or "").lower() for g in _groups(root, key)
            for p in g.findall(f"{SVG}polygon")
            if p.get("stroke") not in (None, "none", "transparent")}
