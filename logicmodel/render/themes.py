"""Themes: how a figure looks, as data.

A theme gives the graph, node and edge attributes, one style per node kind
(shape and border first, so kinds differ in black and white), the line styles of
pathways (a dash pattern *and* a colour, so pathways differ for colour-blind
readers and in print), and the sizes of the paper and compact views.

``paper`` is grayscale and print-safe at journal sizes; ``color`` uses the
Okabe-Ito palette, which stays distinct for the common colour-vision
deficiencies. Users override graph, node and edge attributes with
:meth:`Theme.with_overrides`; only attributes on an allowlist, with checked
values, are accepted, so an override cannot make the engine read a file or put
a link into the SVG.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Severity
from ..errors import LogicModelError
from ..rules.registry import rule
from ..schema import NODE_KINDS

__all__ = ["OVERRIDABLE", "SHAPE_WORDS", "THEMES", "PathwayStyle", "Theme", "ThemeError",
           "get_theme"]

# The font used to lay out is the font drawn. The embedded engine has Arial's
# metrics built in and draws PNGs with Arimo, a metric-compatible font it
# bundles; the system dot measures and embeds (in PDF) the font fontconfig
# gives for Arial, Liberation Sans where installed, also metric-compatible; and
# the SVG names these fonts, which share one set of widths.
FONT = "Arial"
SVG_FONT_FAMILY = "Arial,Helvetica,'Liberation Sans',Arimo,sans-serif"


class ThemeError(LogicModelError, ValueError):
    """An unknown theme or a rejected attribute override (a usage error, LM614)."""

    code = "LM614"


@dataclass(frozen=True)
class PathwayStyle:
    """How links on one pathway are drawn: a colour and a dash pattern."""

    color: str
    style: str  # solid, dashed or dotted
    name: str   # how the legend names the pattern


@dataclass(frozen=True)
class Theme:
    """Everything about a figure's look that is not the model itself."""

    name: str
    description: str
    graph: Mapping[str, str]
    node: Mapping[str, str]
    edge: Mapping[str, str]
    kinds: Mapping[str, Mapping[str, str]]
    pathways: tuple[PathwayStyle, ...]
    link_color: str
    faded_color: str
    heading_color: str
    marker_color: str
    pathway_penwidth: str = "2.2"
    wrap: int = 24
    fontsize: float = 10.0
    compact_wrap: int = 18
    compact_fontsize: float = 8.0
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # groups drawn as rows: the outer bands and the bands nested in them (cluster attributes)
    bands: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: _BANDS)
    # each kind's fill in words, for the key as caption text ("light grey"); none: white
    fill_words: Mapping[str, str] = field(default_factory=dict)

    def pathway(self, no: int) -> PathwayStyle:
        """The line of the pathway whose style number is ``no`` (its place in the model's
        file, see :meth:`.views.Scene.style_no`): the styles taken in turn."""
        return self.pathways[no % len(self.pathways)]

    def with_overrides(self, overrides: Mapping[str, Mapping[str, str]]) -> Theme:
        """A copy with graph/node/edge attributes overridden (allowlisted and checked)."""
        merged: dict[str, dict[str, str]] = {k: dict(v) for k, v in self.overrides.items()}
        for scope, attrs in overrides.items():
            if scope not in OVERRIDABLE:
                raise ThemeError(f"cannot override `{scope}` attributes "
                                 "(use graph, node or edge)")
            for name, value in attrs.items():
                check = OVERRIDABLE[scope].get(name)
                if check is None:
                    allowed = ", ".join(sorted(OVERRIDABLE[scope]))
                    raise ThemeError(f"`{scope}.{name}` cannot be overridden "
                                     f"(allowed: {allowed})")
                merged.setdefault(scope, {})[name] = check(f"{scope}.{name}", value)
        return replace(self, overrides=merged)


def _number(lo: float, hi: float) -> Any:
    def check(what: str, value: str) -> str:
        try:
            num = float(value)
        except ValueError:
            raise ThemeError(f"`{what}` must be a number, not {value!r}") from None
        if not lo <= num <= hi:
            raise ThemeError(f"`{what}` must be between {lo:g} and {hi:g}")
        return f"{num:g}"
    return check


_COLOR = re.compile(r"^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|[a-z]{3,20}[0-9]{0,3})$")


def _color(what: str, value: str) -> str:
    if not _COLOR.match(value):
        raise ThemeError(f"`{what}` must be a colour such as #1f77b4 or gray40, not {value!r}")
    return value


def _choice(*options: str) -> Any:
    def check(what: str, value: str) -> str:
        if value not in options:
            raise ThemeError(f"`{what}` must be one of {', '.join(options)}")
        return value
    return check


_FONTS = _choice("Arial", "Helvetica", "Times-Roman", "Courier")

# The attributes a user may override, each with its value check. Attributes
# that read files (image, shapefile, fontpath...), make links (URL, href...) or
# change the SVG's structure (stylesheet, id, class) are not on it.
OVERRIDABLE: dict[str, dict[str, Any]] = {
    "graph": {
        "nodesep": _number(0.02, 5), "ranksep": _number(0.02, 10), "pad": _number(0, 5),
        "fontsize": _number(4, 48), "bgcolor": _color, "fontname": _FONTS,
        "splines": _choice("spline", "ortho", "polyline", "line", "curved"),
    },
    "node": {
        "fontsize": _number(4, 48), "fontname": _FONTS, "penwidth": _number(0, 8),
        "color": _color, "fontcolor": _color, "fillcolor": _color,
        "margin": _number(0, 1), "height": _number(0.05, 5), "width": _number(0.05, 10),
    },
    "edge": {
        "penwidth": _number(0, 8), "arrowsize": _number(0.1, 3), "color": _color,
        "fontsize": _number(4, 48), "fontcolor": _color, "fontname": _FONTS,
    },
}

# Bands: a pale fill and a thin grey frame for the outer rows, a white frame inside them.
_BANDS: Mapping[str, Mapping[str, str]] = {
    "band": {"style": "filled", "fillcolor": "gray96", "color": "gray55", "penwidth": "0.8",
             "labeljust": "l", "labelloc": "t", "fontcolor": "black"},
    "subband": {"style": "filled,dashed", "fillcolor": "white", "color": "gray45",
                "penwidth": "0.8", "labeljust": "l", "labelloc": "t", "fontcolor": "black"},
}

_BASE_GRAPH = {
    "newrank": "true", "fontname": FONT, "nodesep": "0.16", "ranksep": "0.42",
    "pad": "0.12", "outputorder": "edgesfirst", "splines": "spline",
}
_BASE_NODE = {"fontname": FONT, "margin": "0.10,0.055", "penwidth": "1", "height": "0.3"}
_BASE_EDGE = {"fontname": FONT, "arrowsize": "0.7", "penwidth": "1"}

# How each shape named in the node-kind table is drawn, the same in every theme so that
# kinds differ in black and white; _FILL marks where a theme's fill colour goes
# (attribute order is kept).
_FILL = "{fill}"
_SHAPE_ATTRS: dict[str, dict[str, str]] = {
    "dashed": {"shape": "box", "style": "dashed,filled", "fillcolor": _FILL},
    "plain": {"shape": "box", "style": "filled", "fillcolor": _FILL},
    "rounded": {"shape": "box", "style": "rounded,filled", "fillcolor": _FILL},
    "note": {"shape": "note", "style": "filled", "fillcolor": _FILL},
    "hexagon": {"shape": "hexagon", "style": "filled", "fillcolor": _FILL,
                "margin": "0.02,0.04"},
    "octagon": {"shape": "octagon", "style": "filled", "fillcolor": _FILL,
                "margin": "0.02,0.04"},
    "bold-rounded": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": _FILL},
    "double": {"shape": "box", "style": "filled", "peripheries": "2", "penwidth": "1.6",
               "fillcolor": _FILL},
}

# The same shapes in words, for a key written as caption text.
SHAPE_WORDS: dict[str, str] = {
    "dashed": "boxes with a dashed border", "plain": "plain boxes", "rounded": "rounded boxes",
    "note": "boxes with a folded corner", "hexagon": "hexagons", "octagon": "octagons",
    # "bold" is outdrawn by the node's penwidth in both engines: drawn as rounded boxes
    "bold-rounded": "rounded boxes", "double": "boxes with a double border",
}


def _kinds(fills: Mapping[str, str], default: str = "white") -> dict[str, dict[str, str]]:
    """Each kind's shape with a theme's fill colour for it (``default`` where it gives none)."""
    return {kind: {k: fills.get(kind, default) if v == _FILL else v
                   for k, v in _SHAPE_ATTRS[info.shape].items()}
            for kind, info in NODE_KINDS.items()}


PAPER = Theme(
    name="paper",
    description="grayscale, print-safe; kinds by shape and border, pathways by dash pattern",
    graph={**_BASE_GRAPH, "bgcolor": "white"},
    node={**_BASE_NODE, "color": "black", "fontcolor": "black", "fillcolor": "white"},
    edge={**_BASE_EDGE, "color": "gray35"},
    kinds=_kinds({"context": "white", "input": "white", "activity": "white", "output": "white",
                  "mechanism": "gray88", "outcome": "gray95", "impact": "gray85"}),
    fill_words={"mechanism": "grey", "outcome": "light grey", "impact": "grey"},
    pathways=(
        PathwayStyle("black", "solid", "solid"),
        PathwayStyle("black", "dashed", "dashed"),
        PathwayStyle("black", "dotted", "dotted"),
        PathwayStyle("gray40", "solid", "grey solid"),
        PathwayStyle("gray40", "dashed", "grey dashed"),
        PathwayStyle("gray40", "dotted", "grey dotted"),
    ),
    link_color="gray55",
    faded_color="gray82",
    heading_color="black",
    marker_color="black",
)

# Okabe & Ito (2008): distinct for deuteranopia, protanopia and tritanopia.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

COLOR = Theme(
    name="color",
    description="colour-blind-safe Okabe-Ito colours, with the same shapes and dash patterns",
    graph={**_BASE_GRAPH, "bgcolor": "white"},
    node={**_BASE_NODE, "color": "#333333", "fontcolor": "black", "fillcolor": "white"},
    edge={**_BASE_EDGE, "color": "#555555"},
    kinds=_kinds({"context": "#F2F2F2", "input": "#E3EEF8", "activity": "#FDF0D9",
                  "output": "#FFF8D6", "mechanism": "#F5E1EC", "outcome": "#DDF2EA",
                  "impact": "#BFE6D5"}),
    fill_words={"context": "light grey", "input": "pale blue", "activity": "pale orange",
                "output": "pale yellow", "mechanism": "pale pink", "outcome": "pale green",
                "impact": "green"},
    pathways=tuple(
        PathwayStyle(c, s, n) for c, (s, n) in zip(
            OKABE_ITO,
            [("solid", "solid blue"), ("dashed", "dashed vermilion"),
             ("dotted", "dotted green"), ("solid", "solid purple"),
             ("dashed", "dashed orange"), ("dotted", "dotted sky blue")], strict=True)
    ),
    link_color="#8C8C8C",
    faded_color="#D9D9D9",
    heading_color="#222222",
    marker_color="#222222",
    # a warm grey, unlike every kind's fill, so a band is never read as a kind
    bands={"band": {**_BANDS["band"], "fillcolor": "#F5F3EE", "color": "#A39E93"},
           "subband": {**_BANDS["subband"], "color": "#8A8477"}},
)

THEMES: dict[str, Theme] = {t.name: t for t in (PAPER, COLOR)}


def get_theme(name: str) -> Theme:
    """The theme called ``name``."""
    try:
        return THEMES[name]
    except KeyError:
        raise ThemeError(f"no theme `{name}` (themes: {', '.join(THEMES)})") from None


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM614", "invalid-override", E)
def invalid_override() -> None:
    """An `--attr` override names an attribute that cannot be set, or a bad value.

    ## What it does
    Overrides (`--attr graph.nodesep=0.3`) are checked against an allowlist of
    graph, node and edge attributes with a value check each (numbers in a range,
    colours, one of a few fonts). Exit status 2.

    ## Why is this bad?
    Some Graphviz attributes read files (`image`, `shapefile`), add links to the
    SVG (`URL`, `href`) or crash old Graphviz releases with extreme values
    (`fontsize=1e9`). They are never passed through.

    ## Example
    ```text
    logicmodel: LM614 `node.image` cannot be overridden (allowed: color, fillcolor, ...)
    ```
    """
