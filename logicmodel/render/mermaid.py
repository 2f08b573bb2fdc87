"""Model -> Mermaid flowchart text, for READMEs and wikis that draw Mermaid.

The flowchart reads as the logic model the other formats draw: one subgraph per
stage (with its heading), the stages as columns in order (rows with
``--direction TB``), a shape and the theme's fill per kind, each pathway's
colour and dash pattern, feedback links dotted, and a key.

Mermaid lays out with dagre, which has no "same rank" constraint: it puts each
node on the step that its links make shortest. So every node is given a step
here (its stage's, one more after each link from a box of the same stage) and
every link is drawn as long as the steps it crosses (``--->`` is two steps);
parts of the model with no link between them, and boxes with no link, are tied
together with invisible links of the right length. Every edge is then as short
as it can be exactly when each node sits in its stage's column, which is the
layout dagre looks for.

Node and subgraph ids are generated (``n0``, ``s0``); every label is quoted and
entity-escaped, and user text never starts a line, so a label cannot add a
statement, a ``click`` handler, a style or a directive. The colours come from
the theme (never from the model), in a front-matter ``config`` block.
"""

from __future__ import annotations

import itertools

from ..schema import NODE_KINDS, Link
from .key import line_entries, marker_legend, wrap_legend
from .text import wrap
from .themes import Theme
from .views import Scene

__all__ = ["MERMAID_MAX_EDGES", "MERMAID_MAX_TEXT", "mermaid_escape", "steps", "to_mermaid"]

MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000

# The brackets for each shape named in the node-kind table.
_SHAPES = {
    "dashed": ('>"', '"]'),
    "plain": ('["', '"]'),
    "rounded": ('("', '")'),
    "note": ('[/"', '"/]'),
    "hexagon": ('{{"', '"}}'),
    "octagon": ('[\\"', '"\\]'),
    "bold-rounded": ('(["', '"])'),
    "double": ('[["', '"]]'),
}

# "%" too: Mermaid looks for `%%{...}%%` directives anywhere in the text, not only at
# the start of a line.
_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;",
             "`": "#96;", "%": "#37;"}

# Dash patterns of the theme's line styles, as CSS.
_DASHES = {"dashed": "6 4", "dotted": "2 3"}
# Mermaid wraps a label wider than 200 px again: 28 characters of 10 pt Arial fit.
_KEY_WRAP = 28
_FONT = "Arial, Helvetica, sans-serif"
_CLUSTER_BORDER = "#bbbbbb"
_SHARED_WIDTH = 3.2  # a link on several pathways: drawn as parallel lines in the SVG


def mermaid_escape(text: str) -> str:
    """User text as the inside of a quoted Mermaid label: every special character an entity."""
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def _label(text: str, width: int) -> str:
    return "<br/>".join(mermaid_escape(line) for line in wrap(text, width))


def steps(scene: Scene) -> dict[str, int]:
    """The layout step of each node: its stage's first step, plus its depth inside the stage.

    A link between two boxes of one stage cannot join boxes on one step in
    Mermaid, so its target goes one step further, inside the stage's column.
    A feedback link counts backwards (it closes a loop); a link that would close
    a loop inside a stage is left out of the count.
    """
    within: dict[str, list[str]] = {}
    for lk in scene.links:
        if scene.stage[lk.source] == scene.stage[lk.target]:
            a, b = (lk.target, lk.source) if lk.feedback else (lk.source, lk.target)
            within.setdefault(a, []).append(b)
    finished: list[str] = []  # depth-first finishing order: reversed, a topological order
    seen: set[str] = set()

    def visit(nid: str) -> None:
        seen.add(nid)
        for nxt in within.get(nid, []):
            if nxt not in seen:
                visit(nxt)
        finished.append(nid)

    for n in scene.nodes:
        if n.id not in seen:
            visit(n.id)
    order = finished[::-1]
    place = {nid: i for i, nid in enumerate(order)}
    depth = dict.fromkeys(order, 0)
    for nid in order:
        for nxt in within.get(nid, []):
            if place[nxt] > place[nid]:
                depth[nxt] = max(depth[nxt], depth[nid] + 1)
    base: dict[str, int] = {}
    total = 0
    for st in scene.stages:
        base[st] = total
        total += 1 + max((depth[n.id] for n in scene.nodes if scene.stage[n.id] == st),
                         default=0)
    return {n.id: base[scene.stage[n.id]] + depth[n.id] for n in scene.nodes}


def _ties(scene: Scene, step: dict[str, int]) -> list[tuple[str, str, int]]:
    """(from, to, length) of invisible links joining each part with no link to the rest."""
    parent = {n.id: n.id for n in scene.nodes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lk in scene.links:
        parent[root(lk.source)] = root(lk.target)
    ties: list[tuple[str, str, int]] = []
    joined: list[str] = []  # the nodes of the parts joined so far
    done: set[str] = set()
    for n in scene.nodes:
        r = root(n.id)
        if r in done:
            continue
        done.add(r)
        if joined:
            u = next((m for m in joined if step[m] != step[n.id]), None)
            if u is not None:  # else every node so far is on this step: nothing to hold
                a, b = sorted((u, n.id), key=step.__getitem__)
                ties.append((a, b, step[b] - step[a]))
        joined.extend(m.id for m in scene.nodes if root(m.id) == r)
    return ties


def _arrow(kind: str, length: int, *, reverse: bool = False) -> str:
    """Mermaid's link of ``length`` steps: ``-->``, ``--->``, ``==>``, ``-.->``, ``~~~``.

    ``reverse`` gives the two-headed form (``<-->``), for a link written from
    its target to its source so that dagre lays it out backwards; the head at
    the source is then hidden by its link style.
    """
    length = max(1, length)
    head = "<" if reverse else ""
    if kind == "thick":
        return head + "=" * (length + 1) + ">"
    if kind == "dotted":
        return head + "-" + "." * length + "->"
    if kind == "invisible":
        return "~" * (length + 2)
    return head + "-" * (length + 1) + ">"


def _css(color: str) -> str:
    """Theme colours (our own, never user text) as CSS: gray40 -> #666666."""
    if color.startswith("#"):
        return color
    if color.startswith("gray") and color[4:].isdigit():
        v = round(int(color[4:]) * 255 / 100)
        return f"#{v:02x}{v:02x}{v:02x}"
    return {"black": "#000000", "white": "#ffffff"}.get(color, "#000000")


def _line_css(color: str, style: str, width: float) -> str:
    css = f"stroke:{_css(color)},stroke-width:{width:g}px"
    if style in _DASHES:
        css += f",stroke-dasharray:{_DASHES[style]}"
    return css


def _front_matter(theme: Theme, fontsize: float) -> list[str]:
    """The theme's colours for Mermaid's ``base`` theme, so that Mermaid's own do not win."""
    ink = _css(theme.node.get("color", "black"))
    text = _css(theme.node.get("fontcolor", "black"))
    variables = {
        "background": "#ffffff", "primaryColor": "#ffffff", "primaryBorderColor": ink,
        "primaryTextColor": text, "lineColor": _css(theme.link_color), "textColor": text,
        "clusterBkg": "#ffffff", "clusterBorder": _CLUSTER_BORDER,
        "titleColor": _css(theme.heading_color), "edgeLabelBackground": "#ffffff",
        "fontSize": f"{fontsize:g}pt",
    }
    # the font at the top: Mermaid drops a theme's fontFamily that lists several
    out = ["---", "config:", "  theme: base", f'  fontFamily: "{_FONT}"', "  themeVariables:"]
    out += [f'    {k}: "{v}"' for k, v in variables.items()]
    return [*out, "---"]


def _class_defs(scene: Scene, theme: Theme, kinds: list[str]) -> list[str]:
    """One class per kind drawn (fill, border, dash), and the faded and key classes."""
    ink = _css(theme.node.get("color", "black"))
    text = _css(theme.node.get("fontcolor", "black"))
    out = []
    for kind in kinds:
        attrs = theme.kinds[kind]
        style = attrs.get("style", "")
        width = 2.0 if "bold" in style else float(attrs.get("penwidth", "1"))
        css = (f"fill:{_css(attrs.get('fillcolor', 'white'))},stroke:{ink},color:{text},"
               f"stroke-width:{width:g}px")
        if "dashed" in style:
            css += ",stroke-dasharray:5 3"
        out.append(f"  classDef {kind} {css}")
    if scene.faded_nodes:
        out.append(f"  classDef faded fill:#ffffff,stroke:{_css(theme.faded_color)},"
                   "color:#999999,stroke-width:1px")
    if scene.legend:
        out.append("  classDef keyline fill:none,stroke:none")
        out.append(f"  classDef keytext fill:none,stroke:none,color:{text},text-align:left")
    return out


def to_mermaid(scene: Scene, theme: Theme) -> str:
    """The Mermaid flowchart for ``scene`` (deterministic text)."""
    width = theme.compact_wrap if scene.compact else theme.wrap
    fontsize = theme.compact_fontsize if scene.compact else theme.fontsize
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    step = steps(scene)
    out = _front_matter(theme, fontsize)
    out.append(f"flowchart {'LR' if scene.direction == 'LR' else 'TB'}")
    headings = scene.headings()
    kinds = [k for k in NODE_KINDS if any(n.kind == k for n in scene.nodes)]
    members: dict[str, list[str]] = {}
    for k, st in enumerate(scene.stages):
        out.append(f'  subgraph s{k}["{_label(headings[st], 40)}"]')
        for n in scene.nodes:
            if scene.stage[n.id] == st:
                left, right = _SHAPES[NODE_KINDS[n.kind].shape]
                text = _label(n.label, width)
                markers = [f"A{scene.assumption_no[a]}" for a in n.assumptions
                           if a in scene.assumption_no]
                markers += [scene.moderator_no[m] for m in n.moderators
                            if m in scene.moderator_no]
                if markers and n.id not in scene.faded_nodes:
                    text += "<br/>" + mermaid_escape("[" + " ".join(markers) + "]")
                out.append(f"    {ids[n.id]}{left}{text}{right}")
                cls = "faded" if n.id in scene.faded_nodes else n.kind
                members.setdefault(cls, []).append(ids[n.id])
        out.append("  end")

    styles: list[str] = []
    for i, lk in enumerate(scene.links):
        out.append("  " + _link(lk, scene, step, ids))
        styles.append(f"  linkStyle {i} {_link_style(lk, scene, theme, step)}")
    edges = len(scene.links)
    for a, b, length in _ties(scene, step):
        out.append(f"  {ids[a]} {_arrow('invisible', length)} {ids[b]}")
        edges += 1
    if scene.legend:
        key, key_styles = _key(scene, theme, kinds, edges, members)
        out.extend(key)
        styles.extend(key_styles)
    out.extend(_class_defs(scene, theme, kinds))
    out.extend(f"  class {','.join(names)} {cls}" for cls, names in members.items())
    heading = _css(theme.heading_color)
    out.extend(f"  style s{k} fill:#ffffff,stroke:{_CLUSTER_BORDER},color:{heading}"
               for k in range(len(scene.stages)))
    out.extend(styles)
    return "\n".join(out) + "\n"


def _backwards(lk: Link, scene: Scene, step: dict[str, int]) -> bool:
    """Whether the link runs against the steps (a feedback link, or one into an earlier stage)."""
    a, b = step[lk.source], step[lk.target]
    return a > b or (a == b and lk.feedback)


def _link(lk: Link, scene: Scene, step: dict[str, int], ids: dict[str, str]) -> str:
    """One link's statement, as long as the steps it spans.

    A link running backwards is written from its target to its source, so that
    dagre lays it out against the flow instead of turning some other link
    around to break the loop.
    """
    nos = scene.link_pathways.get(id(lk), [])
    faded = id(lk) in scene.faded_links
    markers = [f"A{scene.assumption_no[a]}" for a in lk.assumptions
               if a in scene.assumption_no]
    markers += [scene.moderator_no[m] for m in lk.moderators if m in scene.moderator_no]
    label = f'|"{mermaid_escape(" ".join(markers))}"|' if markers and not faded else ""
    kind = "dotted" if lk.feedback else ("thick" if nos and not faded else "plain")
    length = abs(step[lk.target] - step[lk.source])
    if _backwards(lk, scene, step):
        return f"{ids[lk.target]} {_arrow(kind, length, reverse=True)}{label} {ids[lk.source]}"
    return f"{ids[lk.source]} {_arrow(kind, length)}{label} {ids[lk.target]}"


def _link_style(lk: Link, scene: Scene, theme: Theme, step: dict[str, int]) -> str:
    """A link's colour, width and dash pattern: the same as in the SVG."""
    nos = scene.link_pathways.get(id(lk), [])
    if id(lk) in scene.faded_links:
        css = _line_css(theme.faded_color, "solid", 1)
    elif lk.feedback:
        css = _line_css(theme.link_color, "dotted", 1)
    elif nos:  # on several pathways: the first one's style
        ps = theme.pathway(scene.style_no(nos[0]))
        css = _line_css(ps.color, ps.style, float(theme.pathway_penwidth)
                        if len(nos) == 1 else _SHARED_WIDTH)
    else:
        css = _line_css(scene.plain_link_color(theme), "solid", 1)
    return css + (",marker-end:none" if _backwards(lk, scene, step) else "")


def _key(scene: Scene, theme: Theme, kinds: list[str], edges: int,
         members: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The key beside the figure (below it in rows): boxes, lines and markers, side by side.

    A sample box per kind drawn, a sample line per kind of line drawn (as the
    SVG's key), and the assumption and moderator markers with their text. It is
    tied to the last stage by an invisible link, so that dagre lays it out on
    its own, after the stages.
    """
    words = scene.kind_words()
    out = ['  subgraph key["Key"]', "    direction LR"]
    parts: list[str] = []
    out.append('    subgraph kb["Boxes"]')
    out.append("      direction LR")
    for i, kind in enumerate(kinds):
        left, right = _SHAPES[NODE_KINDS[kind].shape]
        out.append(f"      kb{i}{left}{mermaid_escape(words[kind])}{right}")
        members.setdefault(kind, []).append(f"kb{i}")
    out.append("    end")
    parts.append("kb")
    styles: list[str] = []
    entries = line_entries(scene, theme, joined=False, apart=False)
    if entries:
        out.append('    subgraph kl["Lines"]')
        out.append("      direction LR")
        for j, (style, meaning, _words) in enumerate(entries):
            color = str(style.get("color", theme.link_color)).split(":")[0]
            dash = str(style.get("style", "solid"))
            width = float(style.get("penwidth", 1))
            if style.get("arrowhead") == "empty":  # the feedback sample: dotted, as drawn
                kind, dash = "dotted", "dotted"
            elif ":" in str(style.get("color", "")):  # shared by pathways: as drawn
                kind, dash, width = "thick", "solid", _SHARED_WIDTH
            else:
                kind = "thick" if width > 1.5 else "plain"
            out.append(f'      kl{j}[" "] {_arrow(kind, 1)} kt{j}["{_label(meaning, _KEY_WRAP)}"]')
            members.setdefault("keyline", []).append(f"kl{j}")
            members.setdefault("keytext", []).append(f"kt{j}")
            styles.append(f"  linkStyle {edges} {_line_css(color, dash, width)}")
            edges += 1
        out.append("    end")
        parts.append("kl")
    blocks = _marker_blocks(scene)
    if blocks:
        out.append('    subgraph km["Markers"]')
        for b, block in enumerate(blocks):
            out.append(f'      km{b}["{"<br/>".join(block)}"]')
            members.setdefault("keytext", []).append(f"km{b}")
        out.append("    end")
        parts.append("km")
    out.append("  end")
    # side by side, in order; then the whole key after the last stage
    for first, then in itertools.pairwise(parts):
        out.append(f"  {first} ~~~ {then}")
    out.append(f"  s{len(scene.stages) - 1} ~~~ key")
    for part in ("key", *parts):
        out.append(f"  style {part} fill:#ffffff,stroke:{_CLUSTER_BORDER},"
                   f"color:{_css(theme.heading_color)}")
    return out, styles


def _marker_blocks(scene: Scene) -> list[list[str]]:
    """The markers drawn: what their letters mean and where they sit, then each one's text.

    In two blocks side by side: the assumptions, then the barriers and enablers.
    """
    legend, numbered = marker_legend(scene)
    if not legend:
        return []
    lines = [_label(f"{tag}  {text}", _KEY_WRAP) for tag, text in numbered]
    split = sum(1 for tag, _ in numbered if tag.startswith("A"))
    blocks = [block for block in (lines[:split], lines[split:]) if block]
    lead = wrap_legend(legend, lambda text: wrap(text, _KEY_WRAP))
    blocks[0] = ["<br/>".join(mermaid_escape(line) for line in lead), *blocks[0]]
    return blocks
