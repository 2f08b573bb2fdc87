"""The Mermaid export drawn by the real Mermaid CLI (mmdc, in Debian's Chromium).

Every model in models/, in each of its views, and the flagship in the colour
theme, is drawn by one run of ``mmdc`` (a Markdown file with a diagram per
figure). The test reads the SVG Mermaid made: each stage's subgraph comes after
the one before it along the flow, every box sits inside its stage, boxes on one
layout step share a column (a row in ``TB``) and the steps come in order, the
key is there with a sample of each kind drawn, and the boxes and lines have the
theme's colours.

``MERMAID_CLI`` names the ``mmdc`` executable (``.ci/run`` installs
``@mermaid-js/mermaid-cli`` with npm and sets it). A developer without it skips
this test; CI never does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import logicmodel
from logicmodel.render import RenderOptions, render, scene_for
from logicmodel.render.mermaid import steps
from logicmodel.render.themes import get_theme
from logicmodel.render.views import Scene

from .conftest import MODELS

MMDC = os.environ.get("MERMAID_CLI") or shutil.which("mmdc")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not (MMDC and Path(MMDC).exists()) and not os.environ.get("CI"),
    reason="needs the Mermaid CLI (npm @mermaid-js/mermaid-cli) named by MERMAID_CLI; "
           ".ci/run installs it")

SVG = "{http://www.w3.org/2000/svg}"
_TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]\s*([-\d.e]+)\s*\)")


def _figures() -> list[tuple[str, RenderOptions]]:
    out = []
    for path in sorted(MODELS.glob("*.yaml")):
        model = logicmodel.load(path)
        for view in ["full", "paper", *(v.id for v in model.views if v.id not in ("full",
                                                                                  "paper"))]:
            out.append((path.name, RenderOptions(view=view)))
    out.append(("devolved_budgets.yaml", RenderOptions(theme="color")))
    out.append(("devolved_budgets.yaml", RenderOptions(
        theme="color", pathways=["worker_family_relationship"])))
    return out


FIGURES = _figures()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every figure's SVG, as Mermaid draws it: one mmdc run for all of them."""
    assert MMDC, "MERMAID_CLI is not set"
    work = tmp_path_factory.mktemp("mermaid")
    blocks = []
    for name, options in FIGURES:
        text = render(logicmodel.load(MODELS / name), "mermaid", options).data.decode()
        blocks.append(f"```mermaid\n{text}```\n")
    (work / "all.md").write_text("\n".join(blocks), encoding="utf-8")
    (work / "puppeteer.json").write_text(json.dumps(
        {"executablePath": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}))
    subprocess.run([MMDC, "-q", "-p", str(work / "puppeteer.json"), "-i", str(work / "all.md"),
                    "-o", str(work / "out.md"), "-e", "svg"],
                   check=True, timeout=300, capture_output=True, cwd=work)
    svgs = [work / f"out-{i}.svg" for i in range(1, len(FIGURES) + 1)]
    assert all(p.exists() for p in svgs)
    return svgs


def _boxes(svg: ET.Element) -> tuple[dict[str, tuple[float, float]],
                                     dict[str, tuple[float, float, float, float]]]:
    """Node centres by our id (n0, kb1...) and subgraph boxes (x, y, w, h) by id (s0, key).

    In page coordinates: a subgraph that Mermaid lays out on its own (the key) is
    drawn inside a translated group.
    """
    nodes: dict[str, tuple[float, float]] = {}
    clusters: dict[str, tuple[float, float, float, float]] = {}

    def walk(el: ET.Element, dx: float, dy: float) -> None:
        t = _TRANSLATE.search(el.get("transform", ""))
        x, y = (dx + float(t.group(1)), dy + float(t.group(2))) if t else (dx, dy)
        cls = el.get("class", "").split()
        if el.tag == f"{SVG}g" and "node" in cls:
            m = re.search(r"flowchart-(\w+)-\d+$", el.get("id", ""))
            if m:
                nodes[m.group(1)] = (x, y)
        elif el.tag == f"{SVG}g" and "cluster" in cls:
            rect = el.find(f"{SVG}rect")
            assert rect is not None
            bx, by, bw, bh = (float(rect.get(a, "0")) for a in ("x", "y", "width", "height"))
            clusters[el.get("id", "").rsplit("-", 1)[-1]] = (x + bx, y + by, bw, bh)
        for child in el:
            walk(child, x, y)

    walk(svg, 0.0, 0.0)
    return nodes, clusters


def _scene(name: str, options: RenderOptions) -> Scene:
    return scene_for(logicmodel.load(MODELS / name), options)


@pytest.mark.parametrize("index", range(len(FIGURES)),
                         ids=[f"{n[:-5]}-{o.view or 'full'}-{o.theme}{'-focus' * bool(o.pathways)}"
                              for n, o in FIGURES])
def test_stages_are_columns_in_order(drawn: list[Path], index: int) -> None:
    name, options = FIGURES[index]
    scene = _scene(name, options)
    nodes, clusters = _boxes(ET.parse(drawn[index]).getroot())
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    assert set(ids.values()) <= set(nodes)
    flow = 0 if scene.direction == "LR" else 1  # x for columns, y for rows
    # each stage's subgraph after the one before it, and every box inside its own
    previous_end = float("-inf")
    for k, st in enumerate(scene.stages):
        box = clusters[f"s{k}"]
        start, size = box[flow], box[flow + 2]
        assert start >= previous_end - 0.5, (name, st)
        previous_end = start + size
        for n in scene.nodes:
            if scene.stage[n.id] == st:
                c = nodes[ids[n.id]]
                assert box[0] <= c[0] <= box[0] + box[2]
                assert box[1] <= c[1] <= box[1] + box[3]
    # boxes on one step share a column, and the columns come in the order of the steps
    step = steps(scene)
    where: dict[int, set[float]] = {}
    for n in scene.nodes:
        where.setdefault(step[n.id], set()).add(round(nodes[ids[n.id]][flow]))
    assert all(len(v) == 1 for v in where.values()), where
    columns = [next(iter(where[s])) for s in sorted(where)]
    assert columns == sorted(columns)
    assert len(set(columns)) == len(columns)


@pytest.mark.parametrize("index", range(len(FIGURES)),
                         ids=[f"{n[:-5]}-{o.view or 'full'}-{o.theme}{'-focus' * bool(o.pathways)}"
                              for n, o in FIGURES])
def test_key_and_theme_colours(drawn: list[Path], index: int) -> None:
    name, options = FIGURES[index]
    scene = _scene(name, options)
    theme = get_theme(options.theme)
    root = ET.parse(drawn[index]).getroot()
    nodes, clusters = _boxes(root)
    text = drawn[index].read_text(encoding="utf-8")
    # the key: after the figure along the flow, a sample box for each kind drawn
    assert {"key", "kb", "kl"} <= set(clusters)
    flow = 0 if scene.direction == "LR" else 1
    last = clusters[f"s{len(scene.stages) - 1}"]
    assert clusters["key"][flow] >= last[flow] + last[flow + 2]
    kinds = {n.kind for n in scene.nodes}
    assert sum(1 for k in nodes if k.startswith("kb")) == len(kinds)
    kind_name = scene.model.layout.kind_name
    for kind in kinds:
        assert f">{kind_name(kind)}<" in text
    # the theme's fills on the boxes, not Mermaid's lavender
    fills = {}
    for g in root.iter(f"{SVG}g"):
        m = re.search(r"flowchart-(n\d+)-\d+$", g.get("id", ""))
        if m:
            styles = " ".join(e.get("style", "") for e in g.iter())
            fills[m.group(1)] = re.findall(r"fill:(#[0-9a-fA-F]{6})", styles)
    for i, n in enumerate(scene.nodes):
        want = ("#ffffff" if n.id in scene.faded_nodes
                else _css(theme.kinds[n.kind]["fillcolor"]))
        assert want.lower() in [f.lower() for f in fills[f"n{i}"]], (n.id, fills[f"n{i}"])
    assert "#ECECFF".lower() not in text.lower()  # Mermaid's default node fill
    # each pathway link in its pathway's colour and dash pattern
    for lk in scene.links:
        nos = scene.link_pathways.get(id(lk), [])
        if len(nos) != 1 or id(lk) in scene.faded_links:
            continue
        ps = theme.pathways[scene.style_no(nos[0]) % len(theme.pathways)]
        ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
        path = root.find(f".//{SVG}path[@data-id='L_{ids[lk.source]}_{ids[lk.target]}_0']")
        assert path is not None
        style = path.get("style", "")
        assert f"stroke:{_css(ps.color)}".lower() in style.lower()
        assert ("stroke-dasharray" in style) == (ps.style != "solid")


def _css(color: str) -> str:
    from logicmodel.render.mermaid import _css as css

    return css(color)
