"""Model -> Mermaid flowchart text, for READMEs and wikis that draw Mermaid.

One subgraph per stage (with its heading), nodes in file order with a shape per
kind, pathway links thick and feedback links dotted. Node and subgraph ids are
generated (``n0``, ``s0``); every label is quoted and entity-escaped, and user
text never starts a line, so a label cannot add a statement, a ``click``
handler, a style or a directive.
"""

from __future__ import annotations

from ..schema import NODE_KINDS
from .text import wrap
from .themes import Theme
from .views import Scene

__all__ = ["MERMAID_MAX_EDGES", "MERMAID_MAX_TEXT", "mermaid_escape", "to_mermaid"]

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


def mermaid_escape(text: str) -> str:
    """User text as the inside of a quoted Mermaid label: every special character an entity."""
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def _label(text: str, width: int) -> str:
    return "<br/>".join(mermaid_escape(line) for line in wrap(text, width))


def to_mermaid(scene: Scene, theme: Theme) -> str:
    """The Mermaid flowchart for ``scene`` (deterministic text)."""
    width = theme.compact_wrap if scene.compact else theme.wrap
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    direction = "LR" if scene.direction == "LR" else "TB"
    inner = "TB" if direction == "LR" else "LR"
    out = [f"flowchart {direction}"]
    headings = scene.headings()
    for k, st in enumerate(scene.stages):
        out.append(f'  subgraph s{k}["{_label(headings[st], 40)}"]')
        out.append(f"    direction {inner}")
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
        out.append("  end")
    styles: list[str] = []
    for i, lk in enumerate(scene.links):
        nos = scene.link_pathways.get(id(lk), [])
        markers = [f"A{scene.assumption_no[a]}" for a in lk.assumptions
                   if a in scene.assumption_no]
        markers += [scene.moderator_no[m] for m in lk.moderators if m in scene.moderator_no]
        label = f'|"{mermaid_escape(" ".join(markers))}"|' if markers else ""
        arrow = "-.->" if lk.feedback else ("==>" if nos else "-->")
        out.append(f"  {ids[lk.source]} {arrow}{label} {ids[lk.target]}")
        if id(lk) in scene.faded_links:
            styles.append(f"  linkStyle {i} stroke:#cccccc")
        elif len(nos) == 1:
            ps = theme.pathways[scene.style_no(nos[0]) % len(theme.pathways)]
            dash = {"dashed": ",stroke-dasharray:6 4", "dotted": ",stroke-dasharray:2 3"}
            styles.append(f"  linkStyle {i} stroke:{_css_color(ps.color)}"
                          f"{dash.get(ps.style, '')}")
    out.extend(styles)
    return "\n".join(out) + "\n"


def _css_color(color: str) -> str:
    """Theme colours (our own, never user text) as CSS: gray40 -> #666666."""
    if color.startswith("#"):
        return color
    if color.startswith("gray") and color[4:].isdigit():
        v = round(int(color[4:]) * 255 / 100)
        return f"#{v:02x}{v:02x}{v:02x}"
    return {"black": "#000000", "white": "#ffffff"}.get(color, "#000000")
