"""Reading a model for analysis: the same loading and checks as ``logicmodel check``.

An analysis of a broken model would mislead, so every analysis, diff and
export first loads the file and runs the checks, with the configuration
``check`` would use for that file; if any error is found the caller gets the
located diagnostics (the same ``file:line:col: CODE`` lines as ``check``)
instead of a model. Warnings do not stop an analysis. A cycle that the
configuration let through is reported as LM801: analyses need an acyclic
causal skeleton.
"""

from __future__ import annotations

from ..checking import CheckResult, check_document
from ..config import Config, ConfigFinder
from ..diagnostics import Diagnostic, Severity
from ..graph import find_cycles, flow_graph
from ..loader import Document, display_path, load_file, parse_document
from ..report import format_text
from ..rules.registry import rule, stamp
from ..schema import LogicModel
from .skeleton import skeleton

__all__ = ["checked_model", "problems_text"]


def checked_model(path: str, *, data: bytes | None = None, display: str | None = None,
                  config: Config | None = None) -> tuple[LogicModel | None, CheckResult]:
    """Load ``path`` (or the bytes ``data``, named ``display``) and check it.

    Returns the model, or None with the diagnostics when the file has errors.
    """
    config = config or ConfigFinder()(path if data is None else None)
    name = display if display is not None else display_path(path)
    if data is not None:
        doc = parse_document(data, name)
    else:
        doc = load_file(path, max_size=config.max_file_size, display=name)
    result = CheckResult(files=[doc.file], fail_on=Severity.ERROR)
    diags = check_document(doc, config)
    if doc.model is not None:
        diags.extend(_cycles(doc, doc.model))
    if doc.model is None or any(d.severity is Severity.ERROR for d in diags):
        result.diagnostics = [d for d in diags if d.severity is Severity.ERROR]
        return None, result
    return doc.model, result


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
