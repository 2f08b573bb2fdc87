"""Tables for papers: logframe matrix, indicator plan, assumptions register, realist CMO table.

Each table is built once as plain rows (:class:`Table`) and written as Markdown
(GitHub tables) or LaTeX (a ``longtable`` with ``booktabs`` rules and ``p{}``
columns; needs ``\\usepackage{booktabs,longtable}``). Every cell is escaped for
its format.

* **Logframe matrix**: one row per impact, outcome (long, medium, short term),
  output, activity and input, top down; columns: level, narrative summary,
  indicators, means of verification (the indicators' data sources), and
  assumptions (the node's own and those on the links leaving it: what must hold
  for this level to lead to the next).
* **Indicator plan**: one row per indicator with its node, baseline, target,
  data source and frequency.
* **Assumptions register**: one row per assumption: risk, where it applies,
  whether a source states it, and its references.
* **Realist context-mechanism-outcome table**: one row per declared pathway:
  the context (context nodes upstream of the pathway, and the barriers and
  enablers acting along it), the mechanism (with the response it triggers) and
  the outcomes it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema import RESULT_KINDS, AnyNode, Indicator, LogicModel
from .escape import latex, markdown_cell

__all__ = [
    "TABLES",
    "Table",
    "assumptions_register",
    "cmo_table",
    "indicator_plan",
    "logframe",
    "to_csv",
    "to_latex",
    "to_markdown",
]


@dataclass
class Table:
    """A titled table of text cells; ``widths`` are LaTeX column widths (fractions)."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]


# Format 1's rows: its stage ids, with these names; format 2 uses the model's stages.
_FORMAT1_LEVELS = [("impact", "Impact"), ("outcome_long", "Outcome (long term)"),
           ("outcome_medium", "Outcome (medium term)"),
           ("outcome_short", "Outcome (short term)"), ("output", "Output"),
           ("activity", "Activity"), ("input", "Input")]


def _labels(model: LogicModel, kind: str) -> dict[str, str]:
    return {el.id: el.label for el in getattr(model, kind)}


def _levels(model: LogicModel) -> list[tuple[str, str]]:
    """The rows of the matrix, top (the goal) first: stage ids and their names."""
    layout = model.layout
    if layout.legacy:
        return _FORMAT1_LEVELS
    return [(s, layout.heading(s)) for s in reversed(layout.ids)]


def _indicator_cell(ind: Indicator) -> str:
    """An objectively verifiable indicator with its baseline and target, when it has them."""
    parts = [f"{word}: {value}" for word, value in (("baseline", ind.baseline),
                                                      ("target", ind.target))
             if value is not None and value != ""]
    return ind.measure + (f" ({'; '.join(parts)})" if parts else "")


def _assumption_cell(risks: dict[str, str | None], labels: dict[str, str], a: str) -> str:
    risk = risks.get(a)
    return labels.get(a, a) + (f" (risk: {risk})" if risk else "")


def logframe(model: LogicModel) -> Table:
    """The logframe matrix (see the module docstring): indicators with their baselines and
    targets, means of verification, assumptions with their risks, in the rows of the model's
    own stages (format 2: its framework's headings)."""
    assumptions = _labels(model, "assumptions")
    risks: dict[str, str | None] = {a.id: a.risk for a in model.assumptions}
    rows: list[list[str]] = []
    layout = model.layout
    for stage, level in _levels(model):
        for n in model.nodes:
            if layout.stage_of(n) != stage or (not layout.legacy and n.kind == "context"):
                continue
            inds = list(getattr(n, "indicators", ()))
            ids = list(n.assumptions)
            for lk in model.links:
                if lk.source == n.id and not lk.feedback:
                    ids += [a for a in lk.assumptions if a not in ids]
            narrative = n.label + (f". {n.description}" if n.description else "")
            rows.append([
                level, narrative,
                "; ".join(_indicator_cell(i) for i in inds),
                "; ".join(dict.fromkeys(i.data_source for i in inds if i.data_source)),
                "; ".join(_assumption_cell(risks, assumptions, a) for a in ids),
            ])
    return Table("Logframe matrix",
                 ["Level", "Narrative summary", layout.word("indicators", "Indicators"),
                  layout.word("data_source", "Means of verification"),
                  layout.word("assumptions", "Assumptions")], rows, [0.12, 0.28, 0.22, 0.18, 0.2])


def _value(v: Any) -> str:
    return "" if v is None else str(v)


def indicator_plan(model: LogicModel) -> Table:
    """One row per indicator."""
    rows = [[i.id, i.measure, f"{n.label} ({n.kind})", _value(i.baseline), _value(i.target),
             i.data_source or "", i.frequency or ""]
            for n in model.nodes for i in getattr(n, "indicators", ())]
    return Table("Indicator plan",
                 ["Indicator", "Measure", "Measures", "Baseline", "Target", "Data source",
                  "Frequency"], rows, [0.12, 0.22, 0.2, 0.08, 0.08, 0.18, 0.12])


def assumptions_register(model: LogicModel) -> Table:
    """One row per assumption, then per condition box: risk, where it applies, status, sources."""
    rows: list[list[str]] = []
    for a in model.assumptions:
        where = [n.id for n in model.nodes if a.id in n.assumptions]
        where += [lk.id or f"{lk.source}->{lk.target}" for lk in model.links
                  if a.id in lk.assumptions]
        prov = a.provenance
        rows.append([a.id, a.label + (f". {a.description}" if a.description else ""),
                     a.risk or "", ", ".join(where),
                     prov.status.value if prov and prov.status else "",
                     ", ".join(prov.refs) if prov else ""])
    # A chain of conditions: each condition box holds for what it leads to.
    for n in model.nodes:
        if n.kind != "condition":
            continue
        where = [lk.target for lk in model.links if lk.source == n.id and not lk.feedback]
        prov = n.provenance
        rows.append([n.id, n.label + (f". {n.description}" if n.description else ""),
                     getattr(n, "risk", None) or "", ", ".join(where),
                     prov.status.value if prov and prov.status else "",
                     ", ".join(prov.refs) if prov else ""])
    return Table("Assumptions register",
                 ["Assumption", "Statement", "Risk", "Applies to", "Status", "Sources"],
                 rows, [0.14, 0.38, 0.08, 0.16, 0.1, 0.14])


def cmo_table(model: LogicModel) -> Table:
    """One row per declared pathway: context, mechanism, outcomes."""
    nodes: dict[str, AnyNode] = {}
    for n in model.nodes:
        nodes.setdefault(n.id, n)
    moderators = {m.id: m for m in model.moderators}
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for lk in model.links:
        if lk.target in preds and lk.source in nodes and not lk.feedback:
            preds[lk.target].append(lk.source)
    rows: list[list[str]] = []
    for p in model.pathways:
        seen: set[str] = set()
        route = model.route(p)
        stack = [n for n in route.nodes if n in nodes]
        while stack:  # everything upstream of the pathway
            for u in preds[stack.pop()]:
                if u not in seen:
                    seen.add(u)
                    stack.append(u)
        contexts = [n.label for n in nodes.values() if n.kind == "context" and n.id in seen]
        mods: list[str] = []
        steps = route.edges
        for a in route.nodes:
            ids = list(nodes[a].moderators) if a in nodes else []
            ids += [m for lk in model.links if lk.source == a and (a, lk.target) in steps
                    for m in lk.moderators]
            mods += [i for i in ids if i not in mods]
        conditions = [f"{moderators[m].effect}: {moderators[m].label}" for m in mods
                      if m in moderators]
        mech = nodes.get(p.mechanism or "")
        response = getattr(mech, "response", None)
        mechanism = (mech.label + (f". {response}" if response else "")) if mech else ""
        outcomes = [nodes[n].label for n in route.nodes
                    if n in nodes and nodes[n].kind in RESULT_KINDS]
        rows.append([p.label, "; ".join([*contexts, *conditions]), mechanism,
                     "; ".join(outcomes)])
    return Table("Context-mechanism-outcome configurations",
                 ["Pathway", "Context", "Mechanism", "Outcomes"], rows,
                 [0.16, 0.34, 0.22, 0.28])


def to_markdown(table: Table) -> str:
    """A GitHub Markdown table with escaped cells."""
    out = ["| " + " | ".join(markdown_cell(h) for h in table.header) + " |",
           "|" + "---|" * len(table.header)]
    out += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


def to_latex(table: Table) -> str:
    """A booktabs ``longtable`` (it breaks across pages) with ``p{}`` columns, escaped cells."""
    room = 1 - 0.025 * len(table.widths)  # leave the space between columns
    cols = "".join(f"p{{{w * room:.3f}\\linewidth}}" for w in table.widths)
    out = [f"% {latex(table.title)}: needs \\usepackage{{booktabs,longtable}}",
           f"\\begin{{longtable}}{{@{{}}{cols}@{{}}}}", "\\toprule",
           " & ".join(f"\\textbf{{{latex(h)}}}" for h in table.header) + " \\\\",
           "\\midrule", "\\endhead", "\\bottomrule", "\\endfoot"]
    out += [" & ".join(latex(c) for c in row) + " \\\\" for row in table.rows]
    out += ["\\end{longtable}"]
    return "\n".join(out) + "\n"


def to_csv(table: Table) -> str:
    """The table as CSV, every cell quoted and safe from spreadsheet formulas."""
    import csv
    import io

    from .escape import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in table.header])
    writer.writerows([csv_cell(c) for c in row] for row in table.rows)
    return buf.getvalue()


TABLES = {
    "logframe": logframe,
    "indicator-plan": indicator_plan,
    "assumptions": assumptions_register,
    "cmo": cmo_table,
}
