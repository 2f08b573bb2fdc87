"""The rendered SVG, made ready to sit inside an HTML page and answer clicks.

The renderer draws node ``k`` of the scene as the Graphviz node named ``n<k>``
and each link as an edge ``n<a>->n<b>``; Graphviz writes that name as the
``<title>`` of the element's group. Each such group gets the viewer's key
(``data-key="n3"`` / ``"l7"``), a role, a tab stop (boxes only: links are
reached from their boxes' panels, so that Tab walks the boxes in file order)
and an accessible name; its ``<title>`` (the hover tooltip) becomes the label
instead of the generated name. Several links between the same two boxes are
told apart by Graphviz's edge numbers, which follow the order of the DOT file,
the order of the scene's links.

Only the SVG's markup changes, never its drawing; all text put in is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FigureError", "annotate_svg"]

_GROUP = re.compile(
    r'<g id="(node|edge)(\d+)" class="(?:node|edge)">\s*<title>([^<]*)</title>')
_NODE_NAME = re.compile(r"n(\d+)")
_EDGE_NAME = re.compile(r"n(\d+)(?::\w+)?->n(\d+)(?::\w+)?")  # ports: "n3:s->n5:s"
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


class FigureError(ValueError):
    """The SVG does not have the shape the viewer expects (a bug, not a model problem)."""


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def annotate_svg(svg: bytes, nodes: Sequence[Any], links: Sequence[Any],
                 labels: dict[str, str], marks: Mapping[str, str] | None = None) -> str:
    """The SVG element (no XML prolog) with viewer keys on every box and link.

    ``nodes`` and ``links`` are the scene's, in its order; ``labels`` maps node
    ids to labels. ``marks`` maps keys to ``added`` or ``changed`` (what a
    variant did to the element): a class for the style, and words for the
    accessible name.
    """
    marks = marks or {}

    def mark(key: str) -> tuple[str, str]:
        how = marks.get(key)
        return (f" lm-{how}", f" ({how} in this variant)") if how else ("", "")

    text = svg.decode("utf-8")
    start = text.find("<svg")
    if start < 0:
        raise FigureError("the renderer's output has no <svg> element")
    text = _COMMENT.sub("", text[start:])
    index = {n.id: i for i, n in enumerate(nodes)}
    # edge name -> the scene's links with those ends, in order
    pending: dict[tuple[int, int], list[int]] = {}
    for i, lk in enumerate(links):
        pending.setdefault((index[lk.source], index[lk.target]), []).append(i)
    # Graphviz writes edges in its own order; number them as the DOT file does.
    edges = sorted((int(m.group(2)), m.start()) for m in _GROUP.finditer(text)
                   if m.group(1) == "edge")
    link_at: dict[int, int] = {}
    for _, pos in edges:
        m = _GROUP.match(text, pos)
        name = _EDGE_NAME.fullmatch(html.unescape(m.group(3))) if m else None
        if name is None:
            continue
        queue = pending.get((int(name.group(1)), int(name.group(2))))
        if queue:
            link_at[pos] = queue.pop(0)
    found_nodes: set[int] = set()

    def replace(m: re.Match[str]) -> str:
        name = html.unescape(m.group(3))
        if m.group(1) == "node":
            nm = _NODE_NAME.fullmatch(name)
            if nm is None or int(nm.group(1)) >= len(nodes):
                return m.group(0)
            k = int(nm.group(1))
            found_nodes.add(k)
            node = nodes[k]
            label = " ".join(node.label.split())
            cls, said = mark(f"n{k}")
            return (f'<g id="lm-n{k}" class="node lm-el lm-node{cls}" data-key="n{k}" '
                    f'tabindex="0" role="button" aria-label="{_attr(label + said)}">\n'
                    f"<title>{html.escape(label + said, quote=False)}</title>")
        k = link_at.get(m.start(), -1)
        if k < 0:
            return m.group(0)
        lk = links[k]
        label = (f"{' '.join(labels[lk.source].split())} → "
                 f"{' '.join(labels[lk.target].split())}")
        cls, said = mark(f"l{k}")
        return (f'<g id="lm-l{k}" class="edge lm-el lm-link{cls}" data-key="l{k}" '
                f'tabindex="-1" role="button" aria-label="{_attr("Link: " + label + said)}">\n'
                f"<title>{html.escape(label + said, quote=False)}</title>")

    text = _GROUP.sub(replace, text)
    missing_links = sum(len(q) for q in pending.values())
    if len(found_nodes) != len(nodes) or missing_links:
        raise FigureError(f"the figure shows {len(found_nodes)} of {len(nodes)} boxes and "
                          f"{len(links) - missing_links} of {len(links)} links")
    # The page sizes the figure; its viewBox keeps the drawing's proportions.
    head = re.match(r"<svg\b[^>]*>", text)
    if head is None:
        raise FigureError("the renderer's <svg> start tag is malformed")
    tag = re.sub(r'\s(?:width|height)="[^"]*"', "", head.group(0))
    tag = tag.replace('role="img"', 'role="group"').replace("<svg", '<svg id="lm-svg"', 1)
    return tag + text[head.end():]
