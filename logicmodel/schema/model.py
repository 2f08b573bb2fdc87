"""The logicmodel YAML format as Pydantic v2 models.

This module declares the *shape* of a model and nothing else: no I/O and no
cross-reference checks. Whether an id points anywhere, whether a pathway is
linked, whether the chain hangs together: those are coded rules in
:mod:`logicmodel.rules`, so each problem gets its own code and position.

Every field has a description: they are the hover text an editor shows from the
JSON Schema (``logicmodel schema``).
"""

from __future__ import annotations

import enum
import re
import typing
import unicodedata
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .kinds import NODE_KINDS
from .names import FRAMEWORK_NAMES

if TYPE_CHECKING:
    from .pathways import Route
    from .stages import Layout

__all__ = [
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "NODE_CLASSES",
    "ActivityNode",
    "AnyNode",
    "Assumption",
    "Author",
    "ConditionNode",
    "ContextNode",
    "Direction",
    "Evidence",
    "EvidenceDirection",
    "EvidenceGrade",
    "Format1",
    "FrameworkName",
    "FrameworkSpec",
    "Group",
    "Horizon",
    "ImpactNode",
    "Indicator",
    "InputNode",
    "Link",
    "LinkType",
    "LogicModel",
    "MechanismNode",
    "Moderator",
    "Node",
    "OutcomeNode",
    "OutputNode",
    "Pathway",
    "Provenance",
    "Reference",
    "Requirements",
    "Stage",
    "Status",
    "Suppression",
    "TagVocabulary",
    "View",
    "evidence_of",
    "field_value",
    "grade_of",
    "indicators_of",
]

FORMAT_VERSION = 2
"""The newest format version; every earlier one still loads."""
FORMAT_VERSIONS = (1, 2)

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"

# C0 controls other than tab and newline, DEL, C1 controls, lone surrogates and
# bidirectional overrides: they corrupt terminals, CI logs, DOT and SVG.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069]"
)


def _clean_text(value: str) -> str:
    bad = _FORBIDDEN.search(value)
    if bad:
        raise PydanticCustomError(
            "invalid_text",
            "text contains the control character U+{cp}, which cannot be shown safely",
            {"cp": f"{ord(bad.group()):04X}"},
        )
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _clean_label(value: str) -> str:
    value = _clean_text(value)
    if not value.strip():
        raise PydanticCustomError("invalid_text", "a label cannot be blank")
    if value.count("\n") >= 10:
        raise PydanticCustomError("invalid_text", "a label has at most 10 lines")
    return value


def _version(value: object) -> object:
    # YAML text is read as written; the version is the one number every file has.
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 4 else value


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="A stable identifier: a letter, then letters, digits, _ or -."),
]
Text = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_clean_text)]
Label = Annotated[str, StringConstraints(max_length=300), AfterValidator(_clean_label)]
ShortText = Annotated[str, StringConstraints(max_length=300), AfterValidator(_clean_text)]
Value = Annotated[
    ShortText | int | Annotated[float, Field(allow_inf_nan=False)],
    Field(description="A number or a short text such as `45%` or `none recorded`."),
]


class _Base(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        populate_by_name=True,
        frozen=True,
        use_enum_values=False,
    )


class Horizon(enum.StrEnum):
    """When an outcome is expected: short, medium or long term."""

    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class Status(enum.StrEnum):
    """What a source says about an element.

    ``stated``: the source says it; ``inferred``: the modeller reconstructed it;
    ``adapted``: the source says something close that the modeller changed;
    ``missing``: the source has a box here that cannot be read or is not in the
    copy used (a placeholder); ``truncated``: the source's text is cut off.
    """

    STATED = "stated"
    INFERRED = "inferred"
    ADAPTED = "adapted"
    MISSING = "missing"
    TRUNCATED = "truncated"


class Direction(enum.StrEnum):
    """Which way an outcome or an indicator is expected to change."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class EvidenceDirection(enum.StrEnum):
    """Whether evidence supports a claim, goes against it, or is mixed."""

    FOR = "for"
    AGAINST = "against"
    MIXED = "mixed"


class EvidenceGrade(enum.StrEnum):
    """How strong the evidence for a link is, strongest first."""

    STRONG = "strong"
    MODERATE = "moderate"
    LIMITED = "limited"
    NONE = "none"


class LinkType(enum.StrEnum):
    """What a link claims about its two ends."""

    LEADS_TO = "leads_to"
    PRODUCES = "produces"
    ENABLES = "enables"
    ADDRESSES = "addresses"
    CONTRIBUTES_TO = "contributes_to"


# Closed vocabularies read from the tables: Literal types, so that the JSON Schema lists
# them and the loader suggests the nearest; plain text to the type checker.
if TYPE_CHECKING:
    KindName = str
    WordKey = str
    _FrameworkName = str
else:
    KindName = Literal[tuple(NODE_KINDS)]
    WordKey = Literal[(*NODE_KINDS, "assumptions", "moderators", "indicators", "data_source",
                       "pathways")]
    _FrameworkName = Literal[FRAMEWORK_NAMES]
FrameworkName = Annotated[
    _FrameworkName,
    Field(description="A shipped framework: " + ", ".join(f"`{n}`" for n in FRAMEWORK_NAMES)
          + "."),
]
RuleCode = Annotated[str, StringConstraints(pattern=r"^LM[0-9]{3}$")]

class Provenance(_Base):
    """Where an element comes from: the references it rests on, and whether it is stated there."""

    refs: list[Id] = Field(default_factory=list, description="Ids of `references` this rests on.")
    status: Status | None = Field(
        default=None,
        description="`stated` if a source says it, `inferred` if the modeller reconstructed it, "
        "`adapted` if changed from the source, `missing` for a placeholder of a box the source "
        "does not show, `truncated` if the source's text is cut off.",
    )
    placement: Status | None = Field(
        default=None,
        description="The status of where it sits (its column or row) when that differs from "
        "its text's: `stated` text, `inferred` placement.",
    )
    route: Status | None = Field(
        default=None,
        description="On a pathway: the status of its route (its nodes and links) when that "
        "differs from its name's.",
    )
    note: Text | None = Field(
        default=None, description="Anything a reader should know about the source."
    )


_PROVENANCE: Any = Field(default=None, description="Sources and stated/inferred status.")


class Suppression(_Base):
    """One rule silenced on this element, with the reason, so that reviewers can weigh it."""

    rule: Annotated[str, StringConstraints(pattern=r"^LM[0-9]{3}$")] = Field(
        description="The code of the rule to silence here, e.g. `LM301`."
    )
    reason: Annotated[Text, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Why the rule does not apply to this element (shown in review)."
    )


_IGNORE: Any = Field(
    default_factory=list,
    description="Rules silenced on this element: `[{rule: LM301, reason: ...}]`.",
)


class Evidence(_Base):
    """Evidence about a link or a node: for it, against it, or mixed."""

    direction: EvidenceDirection | None = Field(
        default=None,
        description="`for` if it supports the claim (the meaning when left out), `against` if "
        "it goes against it, `mixed` if both.",
    )
    grade: EvidenceGrade | None = Field(
        default=None,
        description="Strength of the evidence, when the source gives one: strong, moderate, "
        "limited or none.",
    )
    refs: list[Id] = Field(
        default_factory=list, description="Ids of `references` that give the evidence."
    )
    note: Text | None = Field(default=None, description="What the evidence shows, in a sentence.")


_GROUPS: Any = Field(
    default_factory=list,
    description="Ids of the `groups` (rows, actors, arms, sites) this belongs to.",
)
_TAGS: Any = Field(
    default_factory=dict,
    description="Tags from the model's `tags` vocabularies: `{vocabulary id: [values]}`.",
)
_EVIDENCE: Any = Field(
    default=None,
    description="The evidence about it: one `{direction, grade, refs, note}` or a list of them.",
)
_ROLE: Any = Field(
    default=None,
    description="Its role among the results: `primary`, `secondary`, or a word the model "
    "declares under `roles:`.",
)
_DIRECTION: Any = Field(
    default=None, description="The change expected: `increase`, `decrease` or `maintain`."
)

def _one_or_many(value: object) -> str:
    return "many" if isinstance(value, list) else "one"


# One mapping (format 1) or a list: the shape of the value picks the member, so that a
# mistake inside is reported once, where it is, and not as "matches neither".
EvidenceList = Annotated[
    Annotated[Evidence, Tag("one")] | Annotated[list[Evidence], Tag("many")],
    Discriminator(_one_or_many),
]
UNION_TAGS = frozenset({"one", "many"})


class Indicator(_Base):
    """Something measured to tell whether an output, outcome or impact happened."""

    id: Id
    measure: Label = Field(description="What is measured.")
    role: Id | None = _ROLE
    direction: Direction | None = _DIRECTION
    baseline: Value | None = Field(default=None, description="The value before the programme.")
    target: Value | None = Field(default=None, description="The value the programme aims for.")
    data_source: Text | None = Field(
        default=None,
        description="Where the data come from (the logframe's means of verification).",
    )
    frequency: Text | None = Field(default=None, description="How often it is measured.")
    provenance: Provenance | None = _PROVENANCE
    ignore: list[Suppression] = _IGNORE


class _NodeBase(_Base):
    id: Id
    label: Label = Field(description="Short text shown in the diagram box.")
    stage: Id | None = Field(
        default=None,
        description="Id of the stage (column) the node sits in; when left out, the first "
        "stage whose `kinds` takes the node's kind.",
    )
    description: Text | None = Field(default=None, description="Longer explanation for readers.")
    provenance: Provenance | None = _PROVENANCE
    groups: list[Id] = _GROUPS
    tags: dict[Id, list[Id]] = _TAGS
    evidence: EvidenceList | None = _EVIDENCE
    assumptions: list[Id] = Field(
        default_factory=list, description="Ids of `assumptions` this node rests on."
    )
    moderators: list[Id] = Field(
        default_factory=list, description="Ids of `moderators` (barriers, enablers) acting on it."
    )
    ignore: list[Suppression] = _IGNORE


class ContextNode(_NodeBase):
    """The situation the programme responds to: a problem, a need or an external factor."""

    kind: Literal["context"] = Field(description="Node kind.")
    role: Literal["problem", "situation", "external_factor"] = Field(
        default="problem", description="What part of the context this is."
    )


class InputNode(_NodeBase):
    """A resource the programme uses: money, staff, powers, time."""

    kind: Literal["input"] = Field(description="Node kind.")


class ActivityNode(_NodeBase):
    """Something the programme does with its inputs."""

    kind: Literal["activity"] = Field(description="Node kind.")
    actor: Text | None = Field(default=None, description="Who carries it out.")


class OutputNode(_NodeBase):
    """A direct, countable product of the activities."""

    kind: Literal["output"] = Field(description="Node kind.")
    indicators: list[Indicator] = Field(default_factory=list, description="How it is measured.")


class MechanismNode(_NodeBase):
    """How the programme brings about change: what it gives and how people respond."""

    kind: Literal["mechanism"] = Field(description="Node kind.")
    response: Text | None = Field(
        default=None,
        description="How people respond to what the programme offers (the realist 'reasoning').",
    )


class OutcomeNode(_NodeBase):
    """A change the programme expects, short, medium or long term."""

    kind: Literal["outcome"] = Field(description="Node kind.")
    horizon: Horizon | None = Field(
        default=None,
        description="When the change is expected: short, medium or long (required in format 1).",
    )
    role: Id | None = _ROLE
    direction: Direction | None = _DIRECTION
    indicators: list[Indicator] = Field(default_factory=list, description="How it is measured.")


class ImpactNode(_NodeBase):
    """The ultimate change the programme aims at."""

    kind: Literal["impact"] = Field(description="Node kind.")
    role: Id | None = _ROLE
    direction: Direction | None = _DIRECTION
    indicators: list[Indicator] = Field(default_factory=list, description="How it is measured.")


class ConditionNode(_NodeBase):
    """Something that must hold on the way to the results: a box of a chain of conditions.

    Counted with the assumptions (in the register and in what results depend on).
    """

    kind: Literal["condition"] = Field(description="Node kind.")
    horizon: Horizon | None = Field(
        default=None, description="When it is expected to hold: short, medium or long."
    )
    risk: Literal["low", "medium", "high"] | None = Field(
        default=None, description="How likely it is not to hold."
    )
    role: Id | None = _ROLE
    direction: Direction | None = _DIRECTION
    indicators: list[Indicator] = Field(default_factory=list, description="How it is measured.")


AnyNode = (
    ContextNode | InputNode | ActivityNode | OutputNode | MechanismNode | ConditionNode
    | OutcomeNode | ImpactNode
)
"""Any node, whatever its kind (for type annotations)."""

Node = Annotated[AnyNode, Field(discriminator="kind")]



def _kind_of(cls: type[_NodeBase]) -> str:
    kind: str = typing.get_args(cls.model_fields["kind"].annotation)[0]
    return kind


_BY_KIND = {_kind_of(cls): cls for cls in typing.get_args(AnyNode)}
NODE_CLASSES: dict[str, type[_NodeBase]] = {kind: _BY_KIND[kind] for kind in NODE_KINDS}
"""Kind id -> node class, in the order of :data:`~logicmodel.schema.kinds.NODE_KINDS`."""


def field_value(element: object, name: str, default: Any = None) -> Any:
    """``element.name``, or ``default`` when the element has no such field.

    The same as ``getattr(element, name, default)``, without the slow path a failed
    attribute lookup takes on a pydantic model (rules ask every element for fields
    only some kinds have, such as ``indicators``).
    """
    kind = type(element)
    model = _IS_MODEL.get(kind)
    if model is None:
        model = _IS_MODEL[kind] = issubclass(kind, BaseModel)
    if model:
        return element.__dict__.get(name, default)
    return getattr(element, name, default)


_IS_MODEL: dict[type, bool] = {}  # type -> whether it is a pydantic model (isinstance is slow)


def indicators_of(node: AnyNode) -> list[Indicator]:
    """A node's indicators: none for the kinds that take none."""
    found: list[Indicator] = getattr(node, "indicators", [])
    return found


def grade_of(element: object) -> EvidenceGrade | None:
    """The grade of the first evidence *for* the element that gives one (None: ungraded)."""
    for ev in evidence_of(element):
        if ev.direction in (None, EvidenceDirection.FOR) and ev.grade is not None:
            return ev.grade
    return None


def evidence_of(element: object) -> list[Evidence]:
    """An element's evidence as a list (format 1 wrote one mapping; format 2 may write a list)."""
    ev = getattr(element, "evidence", None)
    if ev is None:
        return []
    return list(ev) if isinstance(ev, list) else [ev]


class Link(_Base):
    """A causal claim: `from` leads to `to`."""

    id: Id | None = Field(
        default=None, description="Optional id, so assumptions and diffs can name it."
    )
    source: Id = Field(alias="from", description="Id of the node the link starts at.")
    target: Id = Field(alias="to", description="Id of the node the link ends at.")
    type: LinkType = Field(default=LinkType.LEADS_TO, description="What the link claims.")
    rationale: Text | None = Field(default=None, description="Why `from` leads to `to`.")
    evidence: EvidenceList | None = Field(
        default=None,
        description="The evidence about the link: one `{direction, grade, refs, note}` or a "
        "list of them (for, against, mixed).",
    )
    groups: list[Id] = _GROUPS
    tags: dict[Id, list[Id]] = _TAGS
    assumptions: list[Id] = Field(
        default_factory=list, description="Ids of `assumptions` this link rests on."
    )
    moderators: list[Id] = Field(
        default_factory=list, description="Ids of `moderators` that weaken or strengthen it."
    )
    feedback: bool = Field(
        default=False, description="True for a deliberate feedback loop, drawn against the flow."
    )
    provenance: Provenance | None = _PROVENANCE
    ignore: list[Suppression] = _IGNORE


class Assumption(_Base):
    """Something that must hold for a link (or a node) to work."""

    id: Id
    label: Label = Field(description="The assumption, in a short sentence.")
    description: Text | None = Field(default=None, description="Longer explanation.")
    risk: Literal["low", "medium", "high"] | None = Field(
        default=None, description="How likely it is not to hold."
    )
    groups: list[Id] = _GROUPS
    tags: dict[Id, list[Id]] = _TAGS
    provenance: Provenance | None = _PROVENANCE
    ignore: list[Suppression] = _IGNORE


class Moderator(_Base):
    """A barrier or an enabler that weakens or strengthens links or nodes."""

    id: Id
    label: Label = Field(description="The barrier or enabler, in a few words.")
    effect: Literal["barrier", "enabler"] = Field(description="Whether it hinders or helps.")
    description: Text | None = Field(default=None, description="Longer explanation.")
    groups: list[Id] = _GROUPS
    tags: dict[Id, list[Id]] = _TAGS
    provenance: Provenance | None = _PROVENANCE
    ignore: list[Suppression] = _IGNORE


class Pathway(_Base):
    """A named route through the model, working through a mechanism.

    Give its route one of three ways: ``nodes`` (a chain, each node linked to the
    next), ``links`` (link ids: a connected part of the model that may branch and
    merge) or ``steps`` (``[from, to]`` pairs, each a declared link).
    """

    id: Id
    label: Label = Field(description="The pathway's name, as shown in legends.")
    mechanism: Id | None = Field(
        default=None, description="Id of the mechanism node the pathway works through."
    )
    nodes: list[Id] = Field(
        default_factory=list, description="Node ids in order, each linked to the next."
    )
    links: list[Id] = Field(
        default_factory=list,
        description="Ids of the links it follows: it may branch and merge.",
    )
    steps: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list,
        description="`[from, to]` pairs, each a declared link: it may branch and merge.",
    )
    start: list[Id] = Field(
        default_factory=list,
        description="Where it starts; by default its nodes that no step of it leads to.",
    )
    end: list[Id] = Field(
        default_factory=list,
        description="Where it ends; by default its nodes that no step of it leaves.",
    )
    description: Text | None = Field(default=None, description="Longer explanation.")
    groups: list[Id] = _GROUPS
    tags: dict[Id, list[Id]] = _TAGS
    provenance: Provenance | None = _PROVENANCE
    ignore: list[Suppression] = _IGNORE

    @model_validator(mode="after")
    def _one_route(self) -> Pathway:
        given = [name for name in ("nodes", "links", "steps") if getattr(self, name)]
        if len(given) != 1:
            raise PydanticCustomError(
                "pathway_route",
                "give the route one way: `nodes` (a chain), `links` or `steps`"
                + (f", not both {given[0]} and {given[1]}" if len(given) > 1 else ""))
        if self.nodes and len(self.nodes) < 2:
            raise PydanticCustomError("pathway_route", "`nodes` needs at least two nodes")
        return self


class Group(_Base):
    """A row, lane or band: an actor, a trial arm, a site, or any kind of group the model names."""

    id: Id
    label: Label = Field(description="The group's name, as the source writes it.")
    type: Id | None = Field(
        default=None,
        description="What kind of group: `actor`, `arm`, `site`, `row`, or any word.",
    )
    description: Text | None = Field(default=None, description="Longer explanation.")


class TagVocabulary(_Base):
    """A declared set of tags, such as the Theoretical Domains Framework's domains."""

    id: Id
    label: Label = Field(description="The vocabulary's name.")
    values: list[Id] = Field(min_length=1, description="The tags it allows.")
    description: Text | None = Field(default=None, description="Where the vocabulary comes from.")


class Reference(_Base):
    """A source that elements cite by id."""

    id: Id
    citation: Text = Field(description="The full citation, as it would appear in a paper.")
    year: int | None = Field(default=None, ge=1000, le=9999, description="Year of publication.")
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$", max_length=300),
                   AfterValidator(_clean_text)] | None = Field(
        default=None, description="DOI, without the https://doi.org/ prefix."
    )
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000),
                   AfterValidator(_clean_text)] | None = (
        Field(default=None, description="Web address (http or https).")
    )
    ignore: list[Suppression] = _IGNORE


class Author(_Base):
    """A person responsible for the model."""

    name: Label = Field(description="Name as it should be credited.")
    affiliation: Text | None = Field(default=None, description="Institution.")
    orcid: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")] | None = (
        Field(default=None, description="ORCID iD, e.g. 0000-0002-1825-0097.")
    )


class Stage(_Base):
    """One stage of a model: a column (or row) of the figure, in reading order."""

    id: Id
    heading: Label = Field(description="The stage's heading, in the model's own words.")
    section: Label | None = Field(
        default=None,
        description="A heading over this and the next stages with the same `section` "
        "(UW-Extension's *Outputs* over Activities and Participation).",
    )
    kinds: list[KindName] = Field(
        default_factory=list,
        description="Node kinds placed here unless a node says `stage:`; the first stage "
        "that takes a kind gets it.",
    )
    horizon: Horizon | list[Horizon] | None = Field(
        default=None,
        description="Only outcomes with this horizon (or one of these) are placed here; "
        "outcomes with no horizon go to the first stage that takes outcomes.",
    )
    description: Text | None = Field(default=None, description="What belongs in this stage.")

    @cached_property
    def horizons(self) -> tuple[str, ...]:
        """The horizons this stage takes (none: any)."""
        if self.horizon is None:
            return ()
        items = self.horizon if isinstance(self.horizon, list) else [self.horizon]
        return tuple(h.value for h in items)


class Format1(_Base):
    """How a format-1 file naming this framework is drawn: the default stages, these words."""

    headings: dict[Id, Label] = Field(default_factory=dict,
                                      description="Stage id -> heading.")
    words: dict[WordKey, Label] = Field(default_factory=dict,
                                        description="Kind or concept -> word.")


class FrameworkSpec(_Base):
    """A framework shipped with logicmodel (``logicmodel/frameworks/NAME.yaml``)."""

    id: Id
    label: Label = Field(description="The framework's name, as readers know it.")
    description: Text = Field(description="What the framework is, in a paragraph.")
    sources: list[Text] = Field(min_length=1, description="Where its stages and words come from.")
    expects_impact: bool = Field(
        default=True, description="Whether a model is expected to name an impact (LM206).")
    stages: list[Stage] = Field(min_length=1, description="Its stages, in reading order.")
    words: dict[WordKey, Label] = Field(
        default_factory=dict,
        description="The framework's words for kinds and concepts, in keys and exports.")
    checks: list[RuleCode] = Field(
        default_factory=list, description="The framework's own rules (LM9xx) that apply.")
    format1: Format1 | None = Field(
        default=None, description="How format-1 files naming this framework are drawn.")


class Requirements(_Base):
    """What this model holds itself to, beyond the default checks."""

    provenance: bool = Field(
        default=False,
        description="Every node, link, assumption and moderator must say where it comes from.",
    )


IdOrIds = Annotated[
    Annotated[Id, Tag("one")] | Annotated[list[Id], Tag("many")],
    Discriminator(_one_or_many),
]


def _as_lists(value: dict[str, Any]) -> dict[str, Any]:
    # One id is a list of one: the model is the same however the file writes it.
    return {k: [v] if isinstance(v, str) else list(v) for k, v in value.items()}


class Summarises(_Base):
    """A short version of another model: which file it summarises, and how its boxes map.

    Written in the short (funder's, summary) version. Each of its boxes stands
    for one or more boxes of the full version; a box of the full version belongs
    to one box of the short version unless it is listed under ``shared``.
    """

    model: Annotated[str, StringConstraints(min_length=1, max_length=1000),
                     AfterValidator(_clean_text)] = Field(
        description="The full version's file, relative to this file and inside the project "
        "(e.g. `devolved_budgets.yaml`).",
    )
    map: Annotated[dict[Id, IdOrIds], AfterValidator(_as_lists)] = Field(
        min_length=1,
        description="Each box of this model (by id) and the box or boxes of the full version "
        "it stands for: `{short_id: [full_id, ...]}`.",
    )
    shared: list[Id] = Field(
        default_factory=list,
        description="Boxes of the full version that more than one box of this model stands "
        "for; any other full box may be mapped once.",
    )
    variant: Id | None = Field(
        default=None,
        description="The variant of the full version this model summarises (`base`: the full "
        "version without its variants). A variant of this model maps onto the full version's "
        "variant of its own name when left out, else onto what its base summarises.",
    )

    def mapping(self) -> dict[str, list[str]]:
        """Each short box and the full boxes it stands for (one id is a list of one)."""
        return {k: list(v) for k, v in self.map.items()}


class View(_Base):
    """A named way to draw the model: which pathways, stages and nodes, and how compact."""

    id: Id
    label: Label | None = Field(
        default=None, description="Title of the figure; the model's title when left out."
    )
    description: Text | None = Field(default=None, description="What the view is for.")
    pathways: list[Id] = Field(
        default_factory=list,
        description="Ids of `pathways` to focus on; the other links are faded or hidden.",
    )
    groups: list[Id] = Field(
        default_factory=list,
        description="Ids of `groups` to focus on; nodes in none of them are faded or hidden.",
    )
    others: Literal["fade", "hide"] = Field(
        default="fade",
        description="With `pathways:`, whether nodes and links off them are faded or hidden.",
    )
    stages: list[Id] = Field(
        default_factory=list,
        description="Ids of the stages (diagram columns) to show, e.g. "
        "`[activity, output, mechanism]`; all stages when left out.",
    )
    hide: list[Id] = Field(
        default_factory=list, description="Ids of nodes to leave out of the figure."
    )
    compact: bool = Field(
        default=False,
        description="Draw the compact paper view: narrower boxes, smaller type, tighter spacing.",
    )
    direction: Literal["LR", "TB"] | None = Field(
        default=None,
        description="`LR` for stages as columns left to right, `TB` for rows top to bottom.",
    )
    legend: bool = Field(default=True, description="Draw the key to shapes, lines and markers.")
    bands: list[Id] | None = Field(
        default=None,
        description="Group types drawn as labelled rows across the columns, outer first "
        "(`[arm, actor]`: each arm's row split by actor); `[none]` draws none. Every "
        "type of the model's `groups:` when left out.",
    )


class LogicModel(_Base):
    """A logic model or theory of change."""

    schema_uri: Annotated[str, StringConstraints(max_length=2000),
                          AfterValidator(_clean_text)] | None = Field(
        default=None, alias="$schema", description="JSON Schema address for editors; ignored."
    )
    logicmodel: Annotated[Literal[1, 2], BeforeValidator(_version)] = Field(
        description="Format version: 2 (format 1 still loads)."
    )
    title: Label = Field(description="The model's title.")
    description: Text | None = Field(
        default=None, description="What the model is and where it comes from."
    )
    framework: FrameworkName = Field(
        default="default",
        description="The framework whose stages, headings and checks the model starts from.",
    )
    stages: list[Stage] | None = Field(
        default=None,
        min_length=1,
        description="The model's own stages, in reading order; they replace the framework's.",
    )
    expects_impact: bool | None = Field(
        default=None,
        description="Whether the model must name an impact (LM206); the framework's say when "
        "left out.",
    )
    ceiling: Id | None = Field(
        default=None,
        description="Id of the last stage the programme is accountable for: the stages after "
        "it are above the ceiling of accountability (theory of change).",
    )
    level: Literal["core", "enhanced"] | None = Field(
        default=None,
        description="TASO: a `core` theory of change, or an `enhanced` one with mechanisms, "
        "links mapped one by one, rationales and evidence.",
    )
    provenance: Provenance | None = Field(
        default=None,
        description="Where the whole model comes from (e.g. adapted from a published figure); "
        "elements without their own provenance inherit it.",
    )
    ignore: list[Suppression] = Field(
        default_factory=list,
        description="Rules silenced for the whole model: `[{rule: LM206, reason: ...}]`.",
    )
    authors: list[Author] = Field(default_factory=list, description="Who made the model.")
    references: list[Reference] = Field(default_factory=list, description="Sources elements cite.")
    requirements: Requirements = Field(
        default_factory=Requirements, description="Extra standards the model holds itself to."
    )
    groups: list[Group] = Field(
        default_factory=list,
        description="Rows, lanes or bands (actors, trial arms, sites) that elements belong to.",
    )
    tags: list[TagVocabulary] = Field(
        default_factory=list, description="Declared tag vocabularies that elements draw on."
    )
    roles: list[Id] = Field(
        default_factory=list,
        description="Roles of results beyond `primary` and `secondary` that the model uses.",
    )
    nodes: list[Node] = Field(min_length=1, description="The boxes of the model.")
    links: list[Link] = Field(default_factory=list, description="The arrows between nodes.")
    assumptions: list[Assumption] = Field(
        default_factory=list, description="Assumptions that links and nodes rest on."
    )
    moderators: list[Moderator] = Field(
        default_factory=list, description="Barriers and enablers acting on links and nodes."
    )
    pathways: list[Pathway] = Field(
        default_factory=list, description="Named routes from inputs or activities to outcomes."
    )
    views: list[View] = Field(
        default_factory=list,
        description="Named views for `logicmodel render --view NAME`: a pathway, some stages, "
        "a compact figure.",
    )
    summarises: Summarises | None = Field(
        default=None,
        description="This model is the short version of another (a funder's or summary "
        "version): the full version's file and how this model's boxes map onto its boxes.",
    )

    # What is computed from the fields once (see below); a copy computes it afresh, since
    # `model_copy(update=...)` may change the fields it was computed from.
    _CACHED: ClassVar[tuple[str, ...]] = ("layout", "link_index", "link_ids", "routes")

    def __copy__(self) -> LogicModel:
        copied = super().__copy__()
        for name in self._CACHED:
            copied.__dict__.pop(name, None)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> LogicModel:
        copied = super().__deepcopy__(memo)
        for name in self._CACHED:
            copied.__dict__.pop(name, None)
        return copied

    @property
    def format_version(self) -> int:
        """The format version the file declared."""
        return self.logicmodel

    @cached_property
    def layout(self) -> Layout:
        """The model's stages resolved: its own, or its framework's (see :mod:`.stages`)."""
        from .stages import resolve_layout

        return resolve_layout(self)

    @cached_property
    def link_index(self) -> dict[tuple[str, str], int]:
        """(from, to) -> position of the first link between them."""
        out: dict[tuple[str, str], int] = {}
        for i, lk in enumerate(self.links):
            out.setdefault((lk.source, lk.target), i)
        return out

    @cached_property
    def link_ids(self) -> dict[str, int]:
        """Link id -> position of the first link with that id."""
        out: dict[str, int] = {}
        for i, lk in enumerate(self.links):
            if lk.id is not None:
                out.setdefault(lk.id, i)
        return out

    @cached_property
    def routes(self) -> list[Route]:
        """The route of each pathway, in the order of ``pathways:`` (see :mod:`.pathways`)."""
        from .pathways import route_of

        return [route_of(self, p) for p in self.pathways]

    def route(self, pathway: Pathway) -> Route:
        """The route of one of this model's pathways."""
        for p, r in zip(self.pathways, self.routes, strict=True):
            if p is pathway:
                return r
        from .pathways import route_of

        return route_of(self, pathway)

    def node(self, node_id: str) -> AnyNode | None:
        """The node with this id, or None."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Show the model as its diagram in a notebook (the renderer is imported lazily)."""
        from ..render.notebook import mimebundle

        return mimebundle(self)
