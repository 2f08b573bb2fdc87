"""The JSON Schema of the model format, generated from the Pydantic models.

Editors with a YAML language server use it for completion, hover text and
inline errors (``# yaml-language-server: $schema=...``). The committed copy,
``schema/logicmodel.schema.json``, is kept equal to :func:`json_schema_text` by
a test.

One change is made to what Pydantic generates. Pydantic writes the node kinds
as a ``oneOf`` with an OpenAPI ``discriminator``; a language server then offers
the fields of *every* kind everywhere (``horizon`` on an activity, say), and
reports a mistake in one node as "matches none of seven schemas". Here a node
is one object schema with the fields all kinds share and an
``if kind == X then <X's schema>`` branch per kind, so completion offers a
field only where it is valid and errors name the field at fault.

One schema serves every logicmodel file: ``if`` the file has ``extends``
``then`` it is an overlay (``$defs/Overlay``: a variant in a file of its own,
with ``extends``, ``variant``, ``change``, ``add`` and ``remove``), ``else`` a
model (``$defs/Model``). The language server follows the branch that applies,
so an overlay is offered the overlay's fields and is not asked for a title.

Every ``description`` is also given as ``markdownDescription`` (a keyword of
the VS Code and yaml-language-server family, ignored by validators), so that
hover text shows `code` as code rather than as escaped backticks.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import FRAMEWORK_NAMES, HORIZON_KINDS, ID_PATTERN, NODE_KINDS, LogicModel, framework

__all__ = ["SCHEMA_ID", "json_schema", "json_schema_text", "model_schema"]

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"



def _words(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


_NODE_DESCRIPTION = (
    f"A box of the model. Its `kind` ({_words(list(NODE_KINDS))}) decides which other "
    "fields it may have."
)
_KIND_DESCRIPTION = "What the box is: " + _words([
    f"`{k}`" + (" (give its `horizon`)" if k in HORIZON_KINDS else "") for k in NODE_KINDS
]) + "."


def _node_schema(defs: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """One object schema for a node, with an if/then branch per kind."""
    variants = {kind: defs[ref.rsplit("/", 1)[-1]] for kind, ref in mapping.items()}
    shared = set.intersection(*(set(v["properties"]) for v in variants.values()))
    first = next(iter(variants.values()))
    properties: dict[str, Any] = {
        "id": first["properties"]["id"],
        "kind": {"title": "Kind", "description": _KIND_DESCRIPTION, "enum": list(mapping)},
    }
    for name, prop in first["properties"].items():
        if name in shared and name not in properties:
            properties[name] = prop
    required = sorted(set.intersection(*(set(v.get("required", ())) for v in variants.values())))
    return {
        "title": "Node",
        "description": _NODE_DESCRIPTION,
        "type": "object",
        "properties": properties,
        "required": required,
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
             "then": {"$ref": ref}}
            for kind, ref in mapping.items()
        ],
    }


def _format1_horizon(nodes_description: str) -> dict[str, Any]:
    """Format 1 requires an outcome's `horizon` (format 2 may place it by `stage:` instead)."""
    return {
        "if": {"properties": {"logicmodel": {"enum": [1, "1"]}}, "required": ["logicmodel"]},
        "then": {"properties": {"nodes": {"description": nodes_description, "items": {"allOf": [
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
             "then": {"required": ["horizon"]}}
            for kind in NODE_KINDS if kind in HORIZON_KINDS
        ]}}}},
    }


def _summarises_change() -> dict[str, Any]:
    """A short version's variant: the boxes whose mapping it sets differently."""
    ids = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    return {"type": "object", "additionalProperties": False,
            "description": "In a short version: the boxes whose mapping this variant sets "
            "differently (`map`, merged box by box), its `shared` boxes, and the full "
            "version's variant it maps onto.",
            "properties": {
                "variant": {"type": "string", "pattern": ID_PATTERN,
                            "description": "The full version's variant this variant maps "
                            "onto (`base`: the full version without its variants); the one "
                            "of this variant's name when left out, if the full version has "
                            "one."},
                "map": {"type": "object", "additionalProperties": ids,
                        "description": "Short boxes and the full boxes each stands for in "
                        "this variant."},
                "shared": {"type": "array", "items": {"type": "string"},
                           "description": "Full boxes more than one short box stands for."}}}


def _patch_properties() -> dict[str, Any]:
    """The three parts of a variant's patch (checked for ids on merging)."""
    from .variants.merge import FIELDS, SECTIONS

    sections = {s: {"type": "array", "items": {"type": "object"},
                    "description": f"Entries of `{s}`, written as in the model."}
                for s in SECTIONS}
    return {
        "remove": {"type": "object", "additionalProperties": False,
                   "description": "Ids of elements of the base this variant leaves out.",
                   "properties": {s: {"type": "array", "items": {"type": "string"},
                                      "description": f"Ids of `{s}` to remove."}
                                  for s in SECTIONS}},
        "change": {"type": "object", "additionalProperties": False,
                   "description": "Fields of elements of the base (by id) this variant "
                   "sets differently.",
                   "properties": {**sections,
                                  **{f: {"type": "string",
                                         "description": f"The variant's `{f}`."}
                                     for f in FIELDS},
                                  "summarises": _summarises_change()}},
        "add": {"type": "object", "additionalProperties": False,
                "description": "Elements only this variant has.",
                "properties": sections},
    }


def _variant_schema() -> dict[str, Any]:
    """A variant: its id and label, and the three parts of its patch (checked on merging)."""
    return {
        "title": "Variant",
        "description": "A variant of the model: what it removes, changes and adds.",
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN,
                   "description": "The variant's id, for `--variant ID`."},
            "label": {"type": "string", "description": "The variant's name, as shown."},
            "description": {"type": "string", "description": "What the variant is."},
            **_patch_properties(),
        },
    }


def _overlay_schema(model: dict[str, Any]) -> dict[str, Any]:
    """An overlay file: a variant in a file of its own, extending a base file."""
    from .variants.load import OVERLAY_KEYS

    properties = {
        "$schema": model["properties"]["$schema"],
        "logicmodel": model["properties"]["logicmodel"],
        "extends": {"type": "string", "minLength": 1,
                    "description": "The base model file this overlay extends, relative to "
                    "this file and inside the project (e.g. `../devolved_budgets.yaml`)."},
        "variant": {"type": "object", "additionalProperties": False,
                    "description": "The variant's id (the file's name when left out), label "
                    "and description.",
                    "properties": {
                        "id": {"type": "string", "pattern": ID_PATTERN,
                               "description": "The variant's id, for `--variant ID`."},
                        "label": {"type": "string",
                                  "description": "The variant's name, as shown."},
                        "description": {"type": "string",
                                        "description": "What the variant is."}}},
        **_patch_properties(),
    }
    assert tuple(properties) == OVERLAY_KEYS
    return {
        "title": "Overlay",
        "description": "An overlay file: a variant of the model it `extends`, in a file of "
        "its own (`change`, `add` and `remove` as in a variant).",
        "type": "object",
        "additionalProperties": False,
        "required": ["extends"],
        "properties": properties,
    }


def _add_markdown(node: Any) -> None:
    """Copy each description into ``markdownDescription``, everywhere in the schema."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            node["markdownDescription"] = node["description"]
        for value in node.values():
            _add_markdown(value)
    elif isinstance(node, list):
        for value in node:
            _add_markdown(value)


def _framework_stages() -> list[dict[str, Any]]:
    """Per shipped framework, the stage ids a node, a view and the ceiling may name.

    The branch applies when the model names the framework (or none: `default`)
    and declares no `stages:` of its own, whose ids are then the model's.
    """
    out: list[dict[str, Any]] = []
    for name in FRAMEWORK_NAMES:
        ids = [s.id for s in framework(name).stages]
        named: dict[str, Any] = ({"required": ["framework"],
                                  "properties": {"framework": {"const": name}}}
                                 if name != "default" else
                                 {"properties": {"framework": {"const": name}}})
        condition = {**named, "not": {"required": ["stages"]}}
        stage = {"enum": ids, "description": f"A stage of the {name} framework: "
                 + ", ".join(f"`{i}`" for i in ids) + "."}
        out.append({"if": condition, "then": {"properties": {
            "nodes": {"description": f"Nodes, placed in the {name} framework's stages.",
                      "items": {"properties": {"stage": stage}}},
            "views": {"description": f"Views, naming the {name} framework's stages.",
                      "items": {"properties": {"stages": {
                          "description": "Stage ids to show.", "items": stage}}}},
            "ceiling": stage,
        }}})
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a logicmodel YAML file, as a dict."""
    schema = LogicModel.model_json_schema(by_alias=True, mode="validation")
    defs: dict[str, Any] = schema["$defs"]
    nodes = schema["properties"]["nodes"]
    mapping: dict[str, str] = nodes["items"]["discriminator"]["mapping"]
    # Keep the kinds in the order of the format (context ... impact), not sorted.
    order = [ref["$ref"] for ref in nodes["items"]["oneOf"]]
    mapping = dict(sorted(mapping.items(), key=lambda kv: order.index(kv[1])))
    defs["Node"] = _node_schema(defs, mapping)
    nodes["items"] = {"$ref": "#/$defs/Node"}
    defs["Variant"] = _variant_schema()
    schema["properties"]["variants"] = {
        "title": "Variants",
        "description": "Named variants of this model (sites, pilots, arms, phases): each "
        "removes, changes or adds elements of the base. `logicmodel variants FILE` lists them.",
        "type": "array", "items": {"$ref": "#/$defs/Variant"}}
    schema.setdefault("allOf", []).append(_format1_horizon(nodes["description"]))
    schema["allOf"].extend(_framework_stages())
    model = {k: v for k, v in schema.items() if k != "$defs"}
    model["title"] = "Model"
    defs["Model"] = model
    defs["Overlay"] = _overlay_schema(model)
    out = {
        "$schema": SCHEMA_ID, "title": "logicmodel",
        "description": "A logicmodel file: a model, or an overlay that `extends` a base "
        "model (a variant in a file of its own).",
        "$defs": dict(sorted(defs.items())),
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/Overlay"},
        "else": {"$ref": "#/$defs/Model"},
    }
    _add_markdown(out)
    return out


def model_schema() -> dict[str, Any]:
    """The schema of a model file alone (``json_schema()``'s ``$defs/Model``)."""
    model: dict[str, Any] = json_schema()["$defs"]["Model"]
    return model


def json_schema_text() -> str:
    """The JSON Schema as stable, indented JSON text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
