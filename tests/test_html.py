"""The HTML viewer's page, without a browser: structure, escaping, policy, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import logicmodel
from logicmodel.html.page import json_block
from logicmodel.render import RenderOptions, render, scene_for
from tests.conftest import MODELS, ROOT

HOSTILE = ROOT / "tests" / "data" / "html" / "hostile.yaml"


class _Page(HTMLParser):
    """Collects the elements, scripts and policy of a page as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._buf = tag, dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            text = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._attrs, text))
            else:
                self.styles.append(text)
            self._in = None

    def policy(self) -> str:
        for tag, attrs in self.tags:
            if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
                return attrs["content"] or ""
        raise AssertionError("no Content-Security-Policy")


def _page(path: Path, **options: object) -> tuple[str, _Page]:
    model = logicmodel.load(path)
    text = render(model, "html", RenderOptions(**options)).data.decode("utf-8")  # type: ignore[arg-type]
    parsed = _Page()
    parsed.feed(text)
    return text, parsed


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_policy_admits_exactly_the_page_s_own_script_and_style() -> None:
    _, page = _page(MODELS / "devolved_budgets.yaml")
    policy = dict(part.strip().split(" ", 1) for part in page.policy().split(";"))
    runnable = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(runnable) == 1
    assert policy["script-src"] == _sha(runnable[0])
    assert policy["style-src"] == " ".join(_sha(s) for s in page.styles)
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'none'"
    assert policy["img-src"] == "'none'"
    assert policy["require-trusted-types-for"] == "'script'"
    # the policy comes before anything it governs
    names = [t for t, _ in page.tags]
    where = next(i for i, (t, a) in enumerate(page.tags)
                 if a.get("http-equiv") == "Content-Security-Policy")
    assert where < names.index("style") < names.index("script")


def test_nothing_is_loaded_from_anywhere() -> None:
    text, page = _page(MODELS / "devolved_budgets.yaml")
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "form")
        assert "src" not in attrs, tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "http://" not in text.split("<script type=\"application/json\"")[0].replace(
        "http://www.w3.org/", "")


def test_every_box_and_link_is_keyed_and_described() -> None:
    model = logicmodel.load(MODELS / "devolved_budgets.yaml")
    _, page = _page(MODELS / "devolved_budgets.yaml")
    keys = [a["data-key"] for t, a in page.tags if t == "g" and a.get("data-key")]
    assert keys.count("n0") == 1
    assert sorted(k for k in keys if k.startswith("n")) == sorted(
        f"n{i}" for i in range(len(model.nodes)))
    assert len([k for k in keys if k.startswith("l")]) == len(model.links)
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    assert set(data["elements"]) == set(keys)
    first = model.nodes[0]
    assert data["elements"]["n0"]["id"] == first.id
    assert data["elements"]["n0"]["label"] == first.label
    # tab stops: every box, in file order; links are reached from their boxes' panels
    stops = [a["data-key"] for t, a in page.tags if t == "g" and a.get("tabindex") == "0"]
    assert stops == [f"n{i}" for i in range(len(model.nodes))]


def test_a_link_panel_holds_its_evidence_and_assumptions() -> None:
    model = logicmodel.load(MODELS / "devolved_budgets.yaml")
    _, page = _page(MODELS / "devolved_budgets.yaml")
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    k, link = next((k, lk) for k, lk in enumerate(model.links)
                   if lk.evidence is not None and lk.assumptions)
    sections = {s["h"]: s for s in data["elements"][f"l{k}"]["sections"]}
    assert link.evidence is not None
    evidence = sections["Evidence"]["items"][0]
    first = link.evidence[0] if isinstance(link.evidence, list) else link.evidence
    # no source grades the flagship's evidence: the panel shows no grade
    assert first.grade is None
    assert not any(row[0] == "Grade" for row in evidence.get("rows", []))
    assert evidence["refs"] == first.refs
    labels = {a.id: a.label for a in model.assumptions}
    titles = [i["title"] for i in sections["Assumptions"]["items"]]
    assert all(any(labels[a] in t for t in titles) for a in link.assumptions)


def test_a_graded_link_panel_shows_its_grade(tmp_path: Path) -> None:
    path = tmp_path / "graded.yaml"
    path.write_text("""logicmodel: 2
title: A graded link
expects_impact: false
references: [{id: r, citation: A trial}]
nodes:
  - {id: a, kind: activity, label: Act}
  - {id: o, kind: outcome, label: Result}
links:
  - {from: a, to: o, evidence: {grade: moderate, refs: [r], note: One trial}}
""", encoding="utf-8")
    _, page = _page(path)
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    sections = {s["h"]: s for s in data["elements"]["l0"]["sections"]}
    assert ["Grade", "moderate"] in sections["Evidence"]["items"][0]["rows"]


def test_pathway_facet_lists_each_pathway_s_boxes_and_steps() -> None:
    model = logicmodel.load(MODELS / "devolved_budgets.yaml")
    _, page = _page(MODELS / "devolved_budgets.yaml")
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    facet = next(f for f in data["facets"] if f["id"] == "pathway")
    index = {n.id: i for i, n in enumerate(model.nodes)}
    assert [model.route(p).form for p in model.pathways] == ["links", "links"]
    for p in model.pathways:
        on = {k for k, v in facet["members"].items() if p.id in v}
        route = model.route(p)  # both pathways branch
        nodes = {f"n{index[n]}" for n in route.nodes}
        steps = route.edges
        links = {f"l{k}" for k, lk in enumerate(model.links) if (lk.source, lk.target) in steps}
        assert on == nodes | links
    options = [a.get("value") for t, a in page.tags if t == "option"]
    assert options == ["", *(p.id for p in model.pathways)]


def test_hostile_text_stays_text() -> None:
    text, page = _page(HOSTILE)
    runnable = [t for a, t in page.scripts if a.get("type") != "application/json"]
    assert len(runnable) == 1
    assert "pwned" not in runnable[0]
    assert [t for t, _ in page.tags].count("script") == 2
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "a", "b")
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert [t for t, _ in page.tags].count("style") == 1
    data_text = next(t for a, t in page.scripts if a.get("id") == "lm-data")
    assert "<" not in data_text
    assert ">" not in data_text
    data = json.loads(data_text)
    assert data["elements"]["n0"]["label"] == '<img src=x onerror="window.pwned=\'label\'">'
    assert "<title>&lt;/title&gt;&lt;script&gt;" in text


def test_json_block_cannot_close_its_element() -> None:
    block = json_block({"a": "</script><!-- \u2028 & >"})
    for bad in ("</", "<!--", "\u2028"):
        assert bad not in block
    assert json.loads(block) == {"a": "</script><!-- \u2028 & >"}


def test_html_is_byte_identical_across_processes() -> None:
    code = ("import sys, logicmodel; from logicmodel.render import render; "
            "sys.stdout.buffer.write(render(logicmodel.load('models/devolved_budgets.yaml'),"
            " 'html').data)")
    outs = set()
    for seed in ("0", "1", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                                capture_output=True, check=True).stdout)
    assert len(outs) == 1


def test_views_and_themes_apply_to_the_page() -> None:
    model = logicmodel.load(MODELS / "devolved_budgets.yaml")
    one = model.pathways[0]
    _, page = _page(MODELS / "devolved_budgets.yaml", pathways=(one.id,), others="hide")
    keys = {a["data-key"] for t, a in page.tags if t == "g" and a.get("data-key")}
    assert model.route(one).form == "links"  # pathway 1 branches
    assert len([k for k in keys if k.startswith("n")]) == len(model.route(one).nodes) == 13
    scene = scene_for(model, RenderOptions(pathways=(one.id,), others="hide"))
    assert len([k for k in keys if k.startswith("l")]) == len(scene.links)


def test_cli_writes_the_page(cli: object, tmp_path: Path) -> None:
    out = tmp_path / "model.html"
    result = cli("render", "models/devolved_budgets.yaml", "-o", str(out), "-o",  # type: ignore[operator]
                 str(tmp_path / "model.svg"))
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    svg = (tmp_path / "model.svg").read_bytes()
    # the page shows the same drawing as the SVG written beside it
    assert re.search(rb'points="[^"]+"', svg).group(0) in out.read_bytes()  # type: ignore[union-attr]


def test_cli_refuses_an_unknown_suffix_and_names_html(cli: object, tmp_path: Path) -> None:
    result = cli("render", "models/devolved_budgets.yaml", "-o", str(tmp_path / "x.xhtml"))  # type: ignore[operator]
    assert result.code == 2
    assert "LM609" in result.err
    assert ".html" in result.err
    assert not list(tmp_path.iterdir())


def test_a_broken_model_writes_no_page(cli: object, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("logicmodel: 1\ntitle: x\nnodes:\n  - {id: a, kind: activty, label: A}\n",
                   encoding="utf-8")
    result = cli("render", str(bad), "-o", str(tmp_path / "x.html"))  # type: ignore[operator]
    assert result.code == 1
    assert re.search(r"bad\.yaml:4:\d+: LM\d{3} error", result.err)
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_model_makes_a_page(path: Path) -> None:
    model = logicmodel.load(path)
    text, page = _page(path)
    keys = [a["data-key"] for t, a in page.tags if t == "g" and a.get("data-key")]
    assert len(keys) == len(model.nodes) + len(
        [lk for lk in model.links if lk.source != lk.target])
    assert text.endswith("</html>\n")
