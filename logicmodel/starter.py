"""Starter models: a commented format-2 file for each shipped framework (``logicmodel new``).

A starter has one node in each of the framework's stages, under the stage's own
heading, linked in reading order, with a placeholder indicator on every node
that takes one, an assumption on the last link and, where the framework has a
mechanism, a pathway through it. It checks clean with
``--strict``, so that a new user starts from green and sees each warning appear
as they edit. Every placeholder is written in the words of the node kinds table
(:data:`logicmodel.schema.kinds.NODE_KINDS`), so a new kind needs no change here.

The text is built line by line rather than dumped, because the comments are the
point: they say what each part of the file is for.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

__all__ = ["starter_text"]


_PLAIN = re.compile(r"[A-Za-z][^:#\n\"'{}\[\],]*[^:#\s\"'{}\[\],]")


def _q(text: str) -> str:
    """A YAML scalar that reads back as ``text``: plain where that is safe, else quoted."""
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _comment(text: str, width: int = 92) -> list[str]:
    words, lines, line = text.split(), [], "#"
    for word in words:
        if len(line) + 1 + len(word) > width and line != "#":
            lines.append(line)
            line = "#"
        line += " " + word
    lines.append(line)
    return lines


def _kind_for(stage: Any) -> str:
    # A stage that takes no kind by default holds what a model places there: results.
    return str(stage.kinds[0]) if stage.kinds else "outcome"


def _short(description: str) -> str:
    """The words of the kinds table up to the colon, as a sentence-case label."""
    head = description.split(":")[0].strip()
    return head[:1].upper() + head[1:]


def _horizon(stage: Any) -> str | None:
    h = stage.horizon
    if isinstance(h, list):
        h = h[0] if h else None
    return None if h is None else str(getattr(h, "value", h))


def starter_text(framework_name: str, title: str = "A new logic model") -> str:
    """The YAML text of a starter model for the shipped framework ``framework_name``.

    Raises:
        KeyError: no framework has that name.
    """
    from .schema.frameworks import framework
    from .schema.kinds import NODE_KINDS

    spec = framework(framework_name)
    out: list[str] = [
        *_comment(f"{spec.label}: a starter model made by "
                  f"`logicmodel new --framework {spec.id}`."),
        "#",
        *_comment(spec.description),
        "#",
        "# Replace each label with your programme's own words, add the nodes and links your",
        "# theory needs, and run `logicmodel check --strict` as you go. The format is",
        "# described in the documentation's \"Model format\" page.",
        "logicmodel: 2",
        f"title: {_q(title)}",
        f"framework: {spec.id}  # its stages and headings are used unless `stages:` is given",
    ]
    # What the framework's own checks (LM9xx) ask of every model in it.
    if "LM902" in spec.checks and len(spec.stages) > 1:
        out.append(f"ceiling: {spec.stages[-2].id}  # the last stage the programme answers for")
    if "LM904" in spec.checks:
        out.append("level: core  # or `enhanced`: mechanisms, and a rationale and evidence "
                   "on every link")
    out += ["", "nodes:"]
    ids: list[str] = []
    kinds: list[str] = []
    for n, stage in enumerate(spec.stages, start=1):
        kind = _kind_for(stage)
        info = NODE_KINDS[kind]
        node_id = f"{stage.id}_1"
        ids.append(node_id)
        kinds.append(kind)
        where = f"{stage.section}: {stage.heading}" if stage.section else stage.heading
        out += [
            f"  # --- {n}. {where} ({info.plural.lower()}) ---",
            f"  - id: {node_id}",
            f"    kind: {kind}",
            f"    stage: {stage.id}",
            f"    label: {_q(_short(info.description))}",
            f"    description: {_q(info.description[:1].upper() + info.description[1:] + '.')}",
        ]
        horizon = _horizon(stage)
        if horizon and info.horizon:
            out.append(f"    horizon: {horizon}")
        if info.indicators:
            out += [
                "    indicators:",
                f"      - id: ind_{stage.id}_1",
                "        measure: What is counted or measured, and in whom",
                "        baseline: To be measured before the programme starts",
                "        target: What the programme aims for",
                "        data_source: Where the data come from (the means of verification)",
                "        frequency: How often it is measured",
            ]
    out += ["", "links:", "  # `from` leads to `to`; say why in `rationale`."]
    for i, (a, b) in enumerate(itertools.pairwise(ids), start=1):
        out.append(f"  - {{id: L{i}, from: {a}, to: {b}, assumptions: [as_1]"
                   ", rationale: Why the one leads to the other}")
    start = next((i for i, k in enumerate(kinds) if NODE_KINDS[k].start), 0)
    mechanism = next((i for i, k in zip(ids, kinds, strict=True) if k == "mechanism"), None)
    if mechanism:  # a pathway is named after the mechanism it works through
        out += [
            "",
            "pathways:",
            "  # Named routes through the model, each working through a mechanism.",
            "  - id: main",
            "    label: How the programme is expected to work",
            f"    mechanism: {mechanism}",
            f"    nodes: [{', '.join(ids[start:])}]",
        ]
    out += [
        "",
        "assumptions:",
        "  # What must hold for a link to work; attach them to links by id.",
        "  - {id: as_1, label: Something that must be true for each step to happen,"
        " risk: medium}",
    ]
    from .roundtrip import dump, load

    return dump(load("\n".join(out) + "\n"))  # in the style `logicmodel fmt` writes
