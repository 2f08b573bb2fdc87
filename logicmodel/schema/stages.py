"""A model's stages, resolved: which stages it has, in what order, and where each node sits.

The stages are the model's own ``stages:`` when it declares them, else its
framework's (:mod:`logicmodel.schema.frameworks`). A node sits in the stage its
``stage:`` names; without one, in the first stage whose ``kinds`` takes its kind
(for an outcome with a ``horizon``, the first such stage that takes that horizon,
else the first that takes outcomes at all).

A format-1 file keeps the meaning it always had: the default framework's stages,
with the headings and words its ``framework:`` gave format 1, an impact always
expected, and no framework checks.

Resolution never fails: a node that no stage takes, or whose ``stage:`` is
unknown, is placed in the first stage so that figures can still be drawn, and the
stage rules (LM106, LM107) report it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .frameworks import framework
from .kinds import NODE_KINDS
from .model import FrameworkSpec, Stage, field_value

if TYPE_CHECKING:
    from .model import AnyNode, LogicModel

__all__ = ["Layout", "resolve_layout"]


@dataclass(frozen=True)
class Layout:
    """The resolved stages of one model."""

    framework: FrameworkSpec
    stages: tuple[Stage, ...]
    expects_impact: bool
    words: Mapping[str, str]
    checks: tuple[str, ...] = ()
    legacy: bool = False            # a format-1 file
    own: bool = False               # the model declares its own `stages:`
    headings: dict[str, str] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[Stage]] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        """The stage ids in reading order (each once)."""
        return list(self.rank)

    def place(self, node: AnyNode) -> str | None:
        """The stage a node sits in; None if its ``stage:`` is unknown or no stage takes it."""
        if node.stage is not None:
            return node.stage if node.stage in self.rank else None
        return self.by_kind_stage(node.kind, field_value(node, "horizon"))

    def by_kind_stage(self, kind: str, horizon: object = None) -> str | None:
        """The first stage taking ``kind`` (and ``horizon``, when a stage is that particular)."""
        candidates = self.by_kind.get(kind)
        if not candidates:
            return None
        if horizon is not None:
            h = getattr(horizon, "value", horizon)
            for s in candidates:
                if not s.horizons or h in s.horizons:
                    return s.id
        return candidates[0].id

    def stage_of(self, node: AnyNode) -> str:
        """The stage a node is drawn in (the first stage when it cannot be placed)."""
        placed = self.place(node)
        if placed is None and node.stage is not None:
            placed = self.by_kind_stage(node.kind, field_value(node, "horizon"))
        return placed if placed is not None else self.stages[0].id

    def heading(self, stage: str) -> str:
        """A stage's heading."""
        return self.headings.get(stage, stage)

    def kind_name(self, kind: str) -> str:
        """The framework's word for a kind (the key of a figure), else the kind's label."""
        return self.words.get(kind) or NODE_KINDS[kind].label

    def word(self, concept: str, default: str) -> str:
        """The framework's word for a concept (``assumptions``, ``indicators``...)."""
        return self.words.get(concept, default)

    def describe(self, stage: str) -> str:
        """A stage as messages name it: its heading, or format 1's words (`short outcome`)."""
        if self.legacy:
            if stage.startswith("outcome_"):
                return stage.removeprefix("outcome_") + " outcome"
            return stage
        return self.heading(stage)

    def above_ceiling(self, stage: str, ceiling: str | None) -> bool:
        """Whether a stage lies above the model's ceiling of accountability (``ceiling:``)."""
        if ceiling is None or ceiling not in self.rank or stage not in self.rank:
            return False
        return self.rank[stage] > self.rank[ceiling]

    def sections(self) -> list[tuple[str | None, list[str]]]:
        """Consecutive stages grouped under their ``section`` heading (None: no section)."""
        out: list[tuple[str | None, list[str]]] = []
        for s in self.stages:
            if s.id not in self.rank or any(s.id in ids for _, ids in out):
                continue
            if out and s.section is not None and out[-1][0] == s.section:
                out[-1][1].append(s.id)
            else:
                out.append((s.section, [s.id]))
        return out


def _build(spec: FrameworkSpec, stages: list[Stage], *, expects_impact: bool,
           words: Mapping[str, str], checks: tuple[str, ...], legacy: bool, own: bool,
           headings: Mapping[str, str] | None = None) -> Layout:
    rank: dict[str, int] = {}
    titles: dict[str, str] = {}
    by_kind: dict[str, list[Stage]] = {}
    for s in stages:
        if s.id in rank:
            continue  # a duplicate id (LM108): the first one counts
        rank[s.id] = len(rank)
        titles[s.id] = (headings or {}).get(s.id, s.heading)
        for k in s.kinds:
            by_kind.setdefault(k, []).append(s)
    return Layout(spec, tuple(stages), expects_impact, dict(words), checks, legacy, own,
                  titles, rank, by_kind)


def resolve_layout(model: LogicModel) -> Layout:
    """The stages of ``model`` (cached on the model as ``model.layout``)."""
    spec = framework(model.framework)
    if model.format_version == 1:
        base = framework("default")
        overlay = spec.format1
        return _build(spec, list(base.stages), expects_impact=True,
                      words=overlay.words if overlay else {}, checks=(), legacy=True,
                      own=False, headings=overlay.headings if overlay else None)
    own = model.stages is not None
    expects = model.expects_impact if model.expects_impact is not None else spec.expects_impact
    return _build(spec, list(model.stages if model.stages is not None else spec.stages),
                  expects_impact=expects, words=spec.words, checks=tuple(spec.checks),
                  legacy=False, own=own)
