"""The published logic models transcribed in docs/examples/ stay faithful and check clean.

Each transcription keeps its authors' structure: their column headings (the model's own
`stages:`), their rows (`groups:`) and their links. These tests hold the files to that:

* the headings a file declares are the authors' headings, word for word;
* the file passes `logicmodel check --strict`;
* the figure drawn from it shows the authors' headings, in their order, and none of the
  default framework's headings that the authors did not use;
* the groups it declares reach the JSON export.

The transcriptions are written in format 2 (`logicmodel: 2`), which lands piece by piece:
while the loader still rejects a format-2 field or value a file uses, the tests that load
that file are expected to fail (strict xfail, with the loader's message as the reason);
once it reads them all, they run as ordinary tests (see tests/format2_support.py).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, CliResult
from tests.format2_support import expect_format_2

EXAMPLES = ROOT / "docs" / "examples"

# For each transcription: the column headings of the source, in the source's reading
# order, and the ids of the rows (groups) it declares.
PUBLISHED: dict[str, dict[str, list[str]]] = {
    "khan2017_ecd_pakistan.yaml": {
        "headings": ["Inputs", "Processes and actions",
                     "Intended changes (Theoretical domains framework)", "Intended outputs",
                     "Intended health outcomes"],
        "groups": ["intervention", "mother", "gp_assistant", "both_arms"],
    },
    "wnep2015_wic_uwex.yaml": {
        "headings": ["SITUATION/NEEDS ASSESSMENT", "INPUTS", "OUTPUTS PLANNED",
                     "OUTCOMES \N{EN DASH} IMPACT (Goals and/or Learner Objectives)"],
        "groups": ["individual_levels", "individuals_families"],
    },
    "kalahandi_logframe_food_security.yaml": {
        "headings": ["Specific Objectives", "Overall Objective"],
        "groups": [],
    },
    "kautilya_logframe_water.yaml": {
        "headings": ["Activities", "Output", "Purpose", "Goal"],
        "groups": [],
    },
    "muext_bsf_uwex.yaml": {
        "headings": ["Situation", "Inputs", "Activities", "Participation", "Short Term",
                     "Medium Term", "Long Term"],
        "groups": ["families", "facilitators"],
    },
    "tinner2024_realist_cmo.yaml": {
        "headings": ["Context", "Mechanism", "Outcome"],
        "groups": ["cmoc1", "cmoc2", "cmoc3", "cmoc4"],
    },
    "white2009_binp_conditions.yaml": {
        "headings": ["Summary of theory"],
        "groups": [],
    },
    "hiltensperger2024_toc_ceiling.yaml": {
        "headings": ["Interventions", "Short-term", "Intermediate", "Long-term", "Impact"],
        "groups": [],
    },
}

# The headings the tool draws for a format-1 model: none may appear in a transcription's
# figure unless its authors used that word.
DEFAULT_HEADINGS = ["Context", "Inputs", "Activities", "Outputs", "Mechanisms",
                    "Short-term outcomes", "Medium-term outcomes", "Long-term outcomes",
                    "Impact"]


NAMES = sorted(PUBLISHED)


def example_params(paths: list[str], root: Path) -> list[Any]:
    """``paths`` as test parameters, each a strict xfail while the loader does not read
    all the format 2 it uses (tests/format2_support.py names what, and how often)."""
    return [pytest.param(p, marks=expect_format_2(root / p)) for p in paths]


def _loading(names: list[str]) -> list[Any]:
    return example_params(names, EXAMPLES)


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def test_every_transcription_is_listed() -> None:
    on_disk = {p.name for p in EXAMPLES.glob("*.yaml")
               if (p.read_text(encoding="utf-8").find("\nlogicmodel: 2") >= 0)
               and p.name != "devolved_budgets_protocol.yaml"}  # the flagship's first version
    assert on_disk == set(PUBLISHED)


@pytest.mark.parametrize("name", NAMES)
def test_declares_the_authors_headings_and_rows(name: str) -> None:
    data = _load(name)
    assert data["logicmodel"] == 2
    assert [s["heading"] for s in data["stages"]] == PUBLISHED[name]["headings"]
    assert [g["id"] for g in data.get("groups", [])] == PUBLISHED[name]["groups"]


@pytest.mark.parametrize("name", NAMES)
def test_cites_its_source(name: str) -> None:
    data = _load(name)
    refs = data["references"]
    assert refs
    assert all(r.get("doi") or r.get("url") for r in refs), "cite with a DOI or URL"
    prov = data["provenance"]
    assert set(prov["refs"]) <= {r["id"] for r in refs}
    # every ignore says why, in the file itself
    for entry in data.get("ignore", []):
        assert re.fullmatch(r"LM\d{3}", entry["rule"])
        assert entry["reason"].strip()


@pytest.mark.parametrize("name", _loading(NAMES))
def test_checks_strict_clean(name: str, cli: Any) -> None:
    result: CliResult = cli("check", "--strict", f"docs/examples/{name}")
    assert result.code == 0, result.out + result.err


def _dot_labels(dot: str) -> list[str]:
    return [m.group(1).replace("\\n", " ") for m in re.finditer(r'label="((?:[^"\\]|\\.)*)"', dot)]


@pytest.mark.parametrize("name", _loading(NAMES))
def test_figure_shows_the_authors_headings(name: str, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "figure.dot"
    result: CliResult = cli("render", f"docs/examples/{name}", "-o", str(out))
    assert result.code == 0, result.out + result.err
    labels = [" ".join(label.split()) for label in _dot_labels(out.read_text(encoding="utf-8"))]
    headings = PUBLISHED[name]["headings"]
    where = [labels.index(h) for h in headings]  # ValueError names a missing heading
    assert where == sorted(where), "the headings are drawn out of the authors' order"
    own = [*headings, *SECTIONS.get(name, [])]  # a section may use a default word (Outputs)
    foreign = [h for h in DEFAULT_HEADINGS if h in labels and h not in own]
    assert not foreign, f"headings the authors did not use: {foreign}"


def _svg_texts(svg: str) -> list[tuple[str, tuple[float, float]]]:
    """Each text line of an SVG figure with its (x, y) position, in document order."""
    texts: list[tuple[str, tuple[float, float]]] = []
    for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"):
        words = " ".join("".join(element.itertext()).split())
        if words:
            texts.append((words, (float(element.get("x", "0")), float(element.get("y", "0")))))
    return texts


@pytest.mark.parametrize("name", _loading(NAMES))
def test_svg_shows_the_authors_headings_in_their_order(
        name: str, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "figure.svg"
    result: CliResult = cli("render", f"docs/examples/{name}", "-o", str(out))
    assert result.code == 0, result.out + result.err
    texts = _svg_texts(out.read_text(encoding="utf-8"))
    joined, starts = "", []
    for words, _x in texts:
        starts.append(len(joined))
        joined += words + " "
    where = []
    for heading in PUBLISHED[name]["headings"]:
        at = joined.find(heading + " ")
        assert at >= 0, f"heading {heading!r} is not in the SVG"
        line = max(i for i, start in enumerate(starts) if start <= at)
        where.append(texts[line][1])
    # Columns left to right, or (stages as rows) rows top to bottom; never two in one place.
    xs, ys = [x for x, _ in where], [y for _, y in where]
    across = xs == sorted(xs) and len(set(xs)) == len(xs)
    down = ys == sorted(ys) and len(set(ys)) == len(ys)
    assert across or down, f"the headings are not drawn in the authors' order: {where}"


# Headings over several stages (`section:`), in the authors' order.
SECTIONS = {
    "muext_bsf_uwex.yaml": ["Outputs", "Outcomes \N{EN DASH} Impact"],
    "hiltensperger2024_toc_ceiling.yaml": ["Outcomes"],
}


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_figure_shows_the_authors_section_headings(name: str, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "figure.dot"
    result: CliResult = cli("render", f"docs/examples/{name}", "-o", str(out))
    assert result.code == 0, result.out + result.err
    labels = [" ".join(label.split()) for label in _dot_labels(out.read_text(encoding="utf-8"))]
    where = [labels.index(h) for h in SECTIONS[name]]
    assert where == sorted(where)


@pytest.mark.parametrize("name", _loading([n for n in NAMES if PUBLISHED[n]["groups"]]))
def test_groups_reach_the_export(name: str, cli: Any) -> None:
    result: CliResult = cli("export", f"docs/examples/{name}", "--to", "json")
    assert result.code == 0, result.out + result.err
    text = json.dumps(json.loads(result.out))
    for group in PUBLISHED[name]["groups"]:
        assert f'"{group}"' in text, f"group {group} is not in the export"
