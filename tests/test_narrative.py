"""The theory as text: the narrative, its Markdown and text forms, and the SVG outline."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.export import export
from logicmodel.export.narrative import narrative, outline, to_markdown, to_text
from logicmodel.loader import load, load_text
from logicmodel.render import render
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"
MODELS = sorted((ROOT / "models").glob("*.yaml"))


def test_each_pathway_is_told_with_mechanism_outcomes_assumptions_evidence() -> None:
    text = to_text(narrative(load(FLAGSHIP)), width=10_000)
    part = text.split("Pathway 1: Resources dedicated to the family's needs", 1)[1]
    part = part.split("Pathway 2:", 1)[0]
    assert "What the programme does. Devolved budget held by social workers and Buy " \
        "goods and services quickly (Social worker). It produces Practical, material and " \
        "financial help, Therapeutic help without long waits and Courses building parents' " \
        "practical skills." in part
    assert "Through which mechanism. Resources dedicated to the family's needs. Families " \
        "receive help that fits what they say they need." in part
    assert "Towards which outcomes. In the short term, Immediate needs met quickly, Improved " \
        "home and living conditions and Less parental and family stress; in the medium term," \
        in part
    assert "and ultimately, Reduced need for children to enter care." in part
    assert "- Budgets reach families near the care threshold (high risk, inferred)." in part
    assert "Barriers: Worker caution and low spending" in part
    assert "- Children live safely at home → Reduced need for children to enter care: " \
        "evidence (mixed) (ChildHub 2020; Westlake et al. 2022): Key finding 8: " in part
    # no source grades the flagship's evidence, so none is given a grade
    assert "- Buy goods and services quickly → Practical, material and financial help: " \
        "evidence (What Works for Children's Social Care 2020; ChildHub 2020): Key finding " \
        "2: one of the three kinds of spending." in part
    assert "8 of the pathway's 15 links have no recorded evidence." in part


def test_model_without_pathways_is_told_stage_by_stage() -> None:
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    "  - {id: a, kind: activity, label: Teach, actor: Teachers}\n"
                    "  - {id: b, kind: outcome, horizon: short, label: Learn}\n"
                    "links:\n  - {from: a, to: b}\n")
    assert doc.model is not None
    text = to_text(narrative(doc.model))
    assert "The theory, stage by stage" in text
    assert "Activities\n~~~~~~~~~~\n\n- Teach (Teachers)." in text
    assert "Short-term outcomes" in text


def test_markdown_escapes_user_text() -> None:
    doc = load_text("logicmodel: 1\ntitle: '# not a heading <img src=x onerror=alert(1)>'\n"
                    "nodes:\n"
                    "  - {id: a, kind: activity, label: '[click](javascript:alert(1)) *x*'}\n"
                    "  - {id: b, kind: outcome, horizon: short, label: '1. not a list'}\n"
                    "links:\n  - {from: a, to: b}\n")
    assert doc.model is not None
    md = to_markdown(narrative(doc.model))
    assert "<img" not in md
    assert not re.search(r"(?<!\\)\]\(", md)  # no unescaped link syntax
    assert "\\[click\\](javascript:alert(1)) \\*x\\*" in md
    assert md.startswith("# \\# not a heading &lt;img src=x onerror=alert(1)&gt;\n")
    assert "- **1\\. not a list.**" in md


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_model_has_a_narrative(path: Path) -> None:
    model = load(path)
    md = export(model, "narrative")
    assert md.startswith(f"# {model.title}")
    for p in model.pathways:
        assert p.label in md
    assert export(model, "narrative", "text").count("\n") > 5


def test_narrative_is_identical_across_processes() -> None:
    outs = {subprocess.run([sys.executable, "-m", "logicmodel", "export", str(FLAGSHIP),
                            "--to", "narrative"], check=True, capture_output=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout
            for seed in ("0", "7")}
    assert len(outs) == 1


def test_svg_description_carries_the_outline() -> None:
    model = load(FLAGSHIP)
    svg = render(model, "svg").data.decode("utf-8")
    desc = re.search(r'<desc id="lm-desc">(.*?)</desc>', svg, re.S)
    assert desc is not None
    text = desc.group(1).replace("&#x27;", "'").replace("&#39;", "'")
    assert "Pathway 1, Resources dedicated to the family's needs, runs from Buy goods and " \
        "services quickly through the mechanism Resources dedicated to the family's needs " \
        "to Immediate needs met quickly, Improved home and living conditions" in text
    assert "it rests on 4 assumptions, and 7 of its 15 links have recorded evidence." in text
    assert "Pathway 1," in outline(model)


def test_cli_narrative_text(cli: Cli) -> None:
    r = cli("export", "models/parenting_realist.yaml", "--to", "narrative", "--style", "text")
    assert r.code == 0
    assert r.out.startswith("Home visiting for first-time parents (realist programme theory)"
                            "\n=====")
