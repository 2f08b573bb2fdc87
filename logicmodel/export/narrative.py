"""The theory as text: a readable account of a model, pathway by pathway.

For each declared pathway the account says what the programme does (its inputs,
activities and outputs on the pathway), through which mechanism, towards which
outcomes (by horizon, then the impact), under which assumptions (with their
risk), with which barriers and enablers, and with what evidence (each link's
grade, sources and note, and how many links have none). Elements on no pathway
follow, stage by stage; a model without pathways is told stage by stage.

The account is built once as plain blocks (:class:`Narrative`) and written as
Markdown (:func:`to_markdown`, user text escaped), plain text
(:func:`to_text`) or Word (:mod:`.docx`). :func:`outline` is its short form,
the long description a complex figure needs for accessibility (the SVG's
``<desc>``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema import RESULT_KINDS, START_KINDS, LogicModel

__all__ = ["Block", "Narrative", "narrative", "outline", "pathway_outline", "pathway_route",
           "series", "to_markdown", "to_text"]


@dataclass(frozen=True)
class Block:
    """One piece of the account: a heading (level 1-3), a paragraph, or a bulleted list.

    A paragraph or item may start with a lead phrase (``lead``), written in bold
    where the format has bold.
    """

    kind: str  # "heading", "paragraph" or "bullets"
    text: str = ""
    lead: str = ""
    level: int = 0
    items: tuple[tuple[str, str], ...] = ()  # (lead, text) for bullets


@dataclass
class Narrative:
    """The account of one model, as blocks in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int) -> None:
        self.blocks.append(Block("heading", text, level=level))

    def para(self, text: str, lead: str = "") -> None:
        if text or lead:
            self.blocks.append(Block("paragraph", text, lead=lead))

    def bullets(self, items: Iterable[tuple[str, str]]) -> None:
        items = tuple(items)
        if items:
            self.blocks.append(Block("bullets", items=items))


_TERM = {"outcome_short": "in the short term", "outcome_medium": "in the medium term",
         "outcome_long": "in the long term", "impact": "and ultimately"}


def series(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?" else text + "."


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for el in items:
        out.setdefault(el.id, el)
    return out


@dataclass
class _Route:
    nodes: list[Any]
    links: list[Any]


def pathway_route(model: LogicModel, pathway: Any) -> _Route:
    """The nodes (in pathway order) and the links of a declared pathway."""
    nodes = _by_id(model.nodes)
    route = model.route(pathway)
    ids = [n for n in route.nodes if n in nodes]
    pairs = route.edges
    links = [lk for lk in model.links if (lk.source, lk.target) in pairs]
    return _Route([nodes[n] for n in ids], links)


def _refs(model: LogicModel, ids: Sequence[str]) -> str:
    refs = _by_id(model.references)
    out = []
    for r in ids:
        ref = refs.get(r)
        out.append(_short_citation(ref.citation, ref.year) if ref is not None else r)
    return "; ".join(out)


def _short_citation(citation: str, year: int | None) -> str:
    """``Westlake et al. 2022`` from a full citation: first author's surname, year."""
    first = citation.split(",")[0].split(".")[0].strip()
    words = first.split()
    surname = words[0] if words else first
    several = "," in citation.split(".")[0] or " and " in citation.split(".")[0]
    name = f"{surname} et al." if several and len(words) <= 3 else first
    return f"{name} {year}" if year else name


def _link_name(nodes: dict[str, Any], lk: Any) -> str:
    a, b = nodes.get(lk.source), nodes.get(lk.target)
    return f"{a.label if a else lk.source} → {b.label if b else lk.target}"


def _evidence_items(model: LogicModel, links: Sequence[Any]) -> list[Any]:
    """(link, evidence) pairs for links that carry evidence, in file order."""
    out = []
    for lk in links:
        ev = lk.evidence
        for e in (ev if isinstance(ev, list) else [ev] if ev is not None else []):
            out.append((lk, e))
    return out


def _evidence_text(model: LogicModel, e: Any) -> str:
    grade = getattr(e, "grade", None)
    direction = getattr(e, "direction", None)
    parts = []
    word = f"{grade.value} evidence" if grade is not None else "evidence"
    if direction is not None and getattr(direction, "value", direction) != "for":
        word += f" ({getattr(direction, 'value', direction)})"
    parts.append(word)
    if e.refs:
        parts[0] += f" ({_refs(model, e.refs)})"
    text = parts[0]
    if e.note:
        text += ": " + _sentence(e.note)
    return _sentence(text)


def _assumption_text(model: LogicModel, a: Any) -> str:
    bits = []
    if a.risk:
        bits.append(f"{a.risk} risk")
    status = a.provenance.status.value if a.provenance and a.provenance.status else None
    if status:
        bits.append(status)
    text = " ".join(a.label.split()).rstrip(".")
    return _sentence(text + (f" ({', '.join(bits)})" if bits else ""))


def _node_phrase(n: Any) -> str:
    actor = getattr(n, "actor", None)
    return f"{n.label} ({actor})" if actor else n.label


def _tell_pathway(doc: Narrative, model: LogicModel, p: Any, number: int) -> None:
    nodes = _by_id(model.nodes)
    assumptions = _by_id(model.assumptions)
    moderators = _by_id(model.moderators)
    route = pathway_route(model, p)
    doc.heading(f"Pathway {number}: {p.label}", 2)
    if p.description:
        doc.para(_sentence(p.description))
    doing = [n for n in route.nodes if n.kind in START_KINDS]
    outputs = [n for n in route.nodes if n.kind == "output"]
    text = ""
    if doing:
        text = _sentence(series([_node_phrase(n) for n in doing]))
    if outputs:
        text += (" " if text else "") + _sentence(
            "It produces " + series([n.label for n in outputs]))
    doc.para(text or "The pathway names no inputs, activities or outputs.",
             "What the programme does.")
    mech = nodes.get(p.mechanism or "")
    if mech is not None:
        response = getattr(mech, "response", None)
        doc.para(_sentence(mech.label) + (f" {_sentence(response)}" if response else ""),
                 "Through which mechanism.")
    else:
        doc.para("The pathway names no mechanism.", "Through which mechanism.")
    results = []
    layout = model.layout
    for stage in layout.ids:
        here = [n.label for n in route.nodes
                if n.kind in RESULT_KINDS and layout.stage_of(n) == stage]
        if here:
            term = _TERM.get(stage)
            results.append(f"{term}, {series(here)}" if term else series(here))
    told = _sentence("; ".join(results))
    doc.para(told[:1].upper() + told[1:] if results else "The pathway names no outcomes.",
             "Towards which outcomes.")
    ids: list[str] = []
    mod_ids: list[str] = []
    for el in [*route.nodes, *route.links]:
        ids += [a for a in el.assumptions if a not in ids]
        mod_ids += [m for m in el.moderators if m not in mod_ids]
    named = [assumptions[a] for a in ids if a in assumptions]
    if named:
        doc.para("", "Under which assumptions.")
        doc.bullets(("", _assumption_text(model, a)) for a in named)
    else:
        doc.para("No assumption is recorded on this pathway.", "Under which assumptions.")
    mods = [moderators[m] for m in mod_ids if m in moderators]
    if mods:
        sorts = [f"{word}: {series([m.label for m in mods if m.effect == effect])}."
                for effect, word in (("barrier", "Barriers"), ("enabler", "Enablers"))
                if any(m.effect == effect for m in mods)]
        doc.para(" ".join(sorts), "Barriers and enablers.")
    items = _evidence_items(model, route.links)
    missing = sum(1 for lk in route.links if lk.evidence in (None, []))
    if items:
        doc.para("", "With what evidence.")
        doc.bullets((_link_name(nodes, lk) + ":", _evidence_text(model, e))
                    for lk, e in items)
        if missing:
            doc.para(f"{missing} of the pathway's {len(route.links)} links have no "
                     "recorded evidence.")
    else:
        doc.para(f"None of the pathway's {len(route.links)} links has recorded evidence.",
                 "With what evidence.")


def _tell_stages(doc: Narrative, model: LogicModel, nodes: Sequence[Any],
                 level: int) -> None:
    layout = model.layout
    for stage in layout.ids:
        here = [n for n in nodes if layout.stage_of(n) == stage]
        if not here:
            continue
        doc.heading(layout.heading(stage), level)
        doc.bullets((_sentence(_node_phrase(n)), _sentence(n.description or ""))
                    for n in here)


def narrative(model: LogicModel) -> Narrative:
    """The account of ``model`` (see the module docstring)."""
    doc = Narrative(model.title)
    doc.heading(model.title, 1)
    if model.description:
        doc.para(_sentence(model.description))
    doc.para(outline(model))
    on_pathways: set[str] = set()
    for i, p in enumerate(model.pathways, 1):
        _tell_pathway(doc, model, p, i)
        on_pathways.update(n.id for n in pathway_route(model, p).nodes)
    rest = [n for n in model.nodes if n.id not in on_pathways]
    if model.pathways and rest:
        doc.heading("Elements on no pathway", 2)
        _tell_stages(doc, model, rest, 3)
    elif not model.pathways:
        doc.heading("The theory, stage by stage", 2)
        _tell_stages(doc, model, rest, 3)
    cited = _cited(model)
    if cited:
        doc.heading("Sources", 2)
        doc.bullets(("", _sentence(r.citation)) for r in cited)
    return doc


def _cited(model: LogicModel) -> list[Any]:
    used: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "refs" and isinstance(v, list):
                    used.update(str(r) for r in v)
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(model.model_dump(mode="json", by_alias=True, exclude_none=True))
    return [r for r in model.references if r.id in used]


def outline(model: LogicModel) -> str:
    """The account in a few sentences: stages, pathways and what each works through."""
    layout = model.layout
    stages = [s for s in layout.ids if any(layout.stage_of(n) == s for n in model.nodes)]
    text = (f"The model has {len(model.nodes)} elements in {len(stages)} stages "
            f"({series([layout.heading(s).lower() for s in stages])}) and "
            f"{len(model.links)} links.")
    return (text + " " + pathway_outline(model, model.pathways)).rstrip()


def pathway_outline(model: LogicModel, pathways: Sequence[Any]) -> str:
    """A sentence per pathway: what it starts from, its mechanism, its results, its support."""
    if not pathways:
        return ""
    nodes = _by_id(model.nodes)
    parts = []
    for i, p in enumerate(pathways, 1):
        route = pathway_route(model, p)
        mech = nodes.get(p.mechanism or "")
        doing = [n.label for n in route.nodes if n.kind in START_KINDS]
        ends = [n.label for n in route.nodes if n.kind in RESULT_KINDS]
        s = f"Pathway {i}, {_plain(p.label)}"
        if doing:
            s += f", runs from {_plain(doing[-1])}"
        if mech is not None:
            s += f" through the mechanism {_plain(mech.label)}"
        if ends:
            s += f" to {series([_plain(e) for e in ends])}"
        ids = {a for el in [*route.nodes, *route.links] for a in el.assumptions}
        backed = sum(1 for lk in route.links if lk.evidence not in (None, []))
        s += (f"; it rests on {len(ids)} assumption{'s' if len(ids) != 1 else ''}, and "
              f"{backed} of its {len(route.links)} links {'has' if backed == 1 else 'have'} "
              "recorded evidence.")
        parts.append(s)
    return " ".join(parts)


def _plain(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


_MD = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
       "<": "&lt;", ">": "&gt;", "#": "\\#", "|": "\\|", "&": "&amp;"}


def _md(text: str) -> str:
    """User text safe in a Markdown paragraph: no emphasis, links, HTML or headings."""
    out = "".join(_MD.get(ch, ch) for ch in " ".join(text.split()))
    # Text that starts with + or -, or with digits and a dot, would become a list.
    if out[:1] in ("+", "-", "="):
        return "\\" + out
    return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", out)


def to_markdown(doc: Narrative) -> str:
    """The account as Markdown (CommonMark; user text escaped)."""
    out: list[str] = []
    for b in doc.blocks:
        if b.kind == "heading":
            out.append("#" * b.level + " " + _md(b.text))
        elif b.kind == "paragraph":
            lead = f"**{_md(b.lead)}**" if b.lead else ""
            out.append(" ".join(x for x in (lead, _md(b.text)) if x))
        else:
            out.append("\n".join(
                "- " + " ".join(x for x in (f"**{_md(lead)}**" if lead else "", _md(text))
                                if x) for lead, text in b.items))
    return "\n\n".join(out) + "\n"


def to_text(doc: Narrative, width: int = 78) -> str:
    """The account as plain text, wrapped at ``width``; headings underlined."""
    out: list[str] = []
    for b in doc.blocks:
        if b.kind == "heading":
            line = " ".join(b.text.split())
            rule = {1: "=", 2: "-"}.get(b.level, "~")
            out.append(line + "\n" + rule * min(len(line), width))
        elif b.kind == "paragraph":
            out.append(textwrap.fill(" ".join(x for x in (b.lead, b.text) if x), width))
        else:
            out.append("\n".join(
                textwrap.fill(" ".join(x for x in (lead, text) if x), width,
                              initial_indent="- ", subsequent_indent="  ")
                for lead, text in b.items))
    return "\n\n".join(out) + "\n"
