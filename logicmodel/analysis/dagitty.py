"""The model in DAGitty syntax, for causal analysis in DAGitty or its R package.

Roles follow the logic model: inputs and activities are *exposures* (what the
programme does), the impact is the *outcome*, and nodes that nothing measures
(no indicators: mechanisms, inputs, activities and the like) are *latent*,
except that an exposure or outcome keeps its role. Links marked ``feedback``
are left out: DAGitty's analyses need an acyclic graph. Node ids are the
variable names, quoted when they hold a ``-``; labels are not carried (DAGitty
has no field for them).
"""

from __future__ import annotations

import re

from ..schema import END_KINDS, START_KINDS, LogicModel
from .skeleton import Skeleton, skeleton

__all__ = ["to_dagitty"]

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _name(node_id: str) -> str:
    # Ids are letters, digits, `_` and `-` (schema), so quoting needs no escapes.
    return node_id if _PLAIN.match(node_id) else f'"{node_id}"'


def to_dagitty(model: LogicModel, sk: Skeleton | None = None) -> str:
    """DAGitty text: ``dag { ... }`` with roles, then the links (feedback aside)."""
    sk = sk or skeleton(model)
    lines = ["dag {"]
    for nid, node in sk.nodes.items():
        role = None
        if node.kind in START_KINDS:
            role = "exposure"
        elif node.kind in END_KINDS:
            role = "outcome"
        elif not getattr(node, "indicators", None):
            role = "latent"
        lines.append(f"{_name(nid)} [{role}]" if role else _name(nid))
    lines.extend(f"{_name(e.source)} -> {_name(e.target)}" for e in sk.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"
