"""The node-kind table: one place that the schema, rules, figures, exports and JSON Schema read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from logicmodel.jsonschema import json_schema
from logicmodel.loader import load_text
from logicmodel.render import render
from logicmodel.render.mermaid import _SHAPES as MERMAID_SHAPES
from logicmodel.render.themes import THEMES
from logicmodel.schema import (
    END_KINDS,
    HORIZON_KINDS,
    INDICATOR_KINDS,
    MEASURED_KINDS,
    NODE_CLASSES,
    NODE_KINDS,
    RESULT_KINDS,
    SHAPES,
    START_KINDS,
)

PACKAGE = Path(__file__).resolve().parent.parent / "logicmodel"


def test_every_kind_has_a_node_class_in_table_order() -> None:
    assert list(NODE_CLASSES) == list(NODE_KINDS)
    for kind, cls in NODE_CLASSES.items():
        fields = cls.model_fields
        assert ("indicators" in fields) == (kind in INDICATOR_KINDS), kind
        assert ("horizon" in fields) == (kind in HORIZON_KINDS), kind


def test_the_roles_are_subsets_that_make_sense() -> None:
    assert MEASURED_KINDS <= INDICATOR_KINDS
    assert MEASURED_KINDS <= RESULT_KINDS
    assert END_KINDS <= RESULT_KINDS
    assert not START_KINDS & RESULT_KINDS


def test_every_shape_is_drawn_by_every_renderer() -> None:
    assert set(SHAPES) <= set(MERMAID_SHAPES)
    for theme in THEMES.values():
        assert set(theme.kinds) == set(NODE_KINDS), theme.name


def test_the_json_schema_offers_the_kinds_in_table_order() -> None:
    node = json_schema()["$defs"]["Node"]
    assert node["properties"]["kind"]["enum"] == list(NODE_KINDS)
    for kind in NODE_KINDS:
        assert f"`{kind}`" in node["properties"]["kind"]["description"]


def _model_with_every_kind() -> str:
    lines = ["logicmodel: 2", "title: Every kind", "nodes:"]
    for kind in NODE_KINDS:
        extra = ", horizon: short" if kind in HORIZON_KINDS else ""
        lines.append(f"  - {{id: n_{kind}, kind: {kind}, label: A {kind}{extra}}}")
    return "\n".join(lines) + "\n"


def test_a_node_of_every_kind_loads_and_is_drawn_with_its_shape() -> None:
    doc = load_text(_model_with_every_kind())
    assert doc.model is not None, doc.diagnostics
    dot = render(doc.model, "dot").data.decode()
    mermaid = render(doc.model, "mermaid").data.decode()
    for kind, info in NODE_KINDS.items():
        assert f'"A {kind}"' in dot
        left, right = MERMAID_SHAPES[info.shape]
        assert f"{left}A {kind}{right}" in mermaid, kind
        # the key names every kind drawn
        assert f'label="{info.label}"' in dot


# Spelled-out kind lists that the table replaces; none may come back outside the schema.
_COPIES = re.compile(
    r"""\(\s*["']outcome["'],\s*["']impact["']\s*\)|\(\s*["']input["'],\s*["']activity["']\s*\)"""
    r"""|["']context["'],\s*["']input["'],\s*["']activity["']""")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_spells_out_the_kinds(path: Path) -> None:
    if path.parent.name == "schema":
        return
    found = _COPIES.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} lists node kinds itself: read logicmodel.schema.NODE_KINDS"
