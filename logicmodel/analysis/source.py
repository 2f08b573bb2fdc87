"""Reading a model for analysis: the same loading and checks as ``logicmodel check``.

An analysis of a broken model would mislead, so every analysis, diff and
export reads the file through :func:`logicmodel.pipeline.open_model`, with the
configuration ``check`` would use for that file; if ``check`` would fail, the
caller gets the located diagnostics (the same ``file:line:col: CODE`` lines)
instead of a model. A cycle that the configuration let through is reported as
LM801: analyses need an acyclic causal skeleton.
"""

from __future__ import annotations

from ..checking import CheckResult
from ..config import Config
from ..diagnostics import Diagnostic, Severity
from ..graph import find_cycles, flow_graph
from ..loader import Document
from ..report import format_text
from ..rules.registry import rule, stamp
from ..schema import LogicModel
from .skeleton import skeleton

__all__ = ["checked_model", "cycle_diagnostics", "problems_text"]


def checked_model(path: str, *, data: bytes | None = None, display: str | None = None,
                  config: Config | None = None) -> tuple[LogicModel | None, CheckResult]:
    """Load ``path`` (or the bytes ``data``, named ``display``) and check it for analysis.

    Returns the model, or None with the diagnostics that stop it
    (:func:`logicmodel.pipeline.open_model` with ``acyclic=True``).
    """
    from ..pipeline import open_model

    opened = open_model(path, data=data, display=display, config=config, acyclic=True)
    return opened.model, opened.result


def cycle_diagnostics(doc: Document) -> list[Diagnostic]:
    """LM801 when the causal skeleton of the document's model has a cycle."""
    return _cycles(doc, doc.model) if doc.model is not None else []


def _cycles(doc: Document, model: LogicModel) -> list[Diagnostic]:
    """LM801 at the first link (in file order) on a cycle of the causal skeleton."""
    sk = skeleton(model)
    if not sk.cyclic:
        return []
    cycle = find_cycles(flow_graph(model), sk.cyclic, limit=1)[0]
    steps = set(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
    edge = next(e for e in sk.edges if (e.source, e.target) in steps)
    path = ("links", edge.index)
    names = " -> ".join(f"`{n}`" for n in [*cycle, cycle[0]])
    return [stamp("LM801", f"the causal chain has a cycle, {names}; analyses need it acyclic",
                  doc.file, doc.locate(path), path,
                  "mark the link that closes the loop `feedback: true`, or remove it")]


def problems_text(result: CheckResult) -> str:
    """The errors that stopped an analysis, as ``check`` prints them."""
    return format_text(result)


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM801", "cyclic-skeleton", Severity.ERROR)
def cyclic_skeleton() -> None:
    """The causal chain has a cycle not marked as feedback, so it cannot be analysed.

    ## What it does
    Before `paths`, `analyze`, `diff` or `export` work on a model, they set aside
    the links marked `feedback: true` and need what is left (the *causal
    skeleton*) to be acyclic. This reports a link on a cycle that remains.
    `check` reports the same cycle as LM201 unless the configuration ignores it.

    ## Why is this bad?
    Routes are counted along the skeleton, single points of failure are found
    from its topological order, and conditional independencies are read from it
    as a DAG. Round a cycle there are infinitely many routes, and d-separation
    has no meaning.

    ## Example
    ```yaml
    links:
      - {id: L1, from: engagement, to: trust}
      - {id: L2, from: trust, to: engagement}                  # fails
      - {id: L2, from: trust, to: engagement, feedback: true}  # a declared loop: passes
    ```
    """
