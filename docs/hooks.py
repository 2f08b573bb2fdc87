"""mkdocs hooks: generate the rule pages and the CLI reference from the code at build time.

Nothing generated here is committed: the rules' docstrings and the argument
parser are the single source of truth.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from mkdocs.structure.files import File, Files

from logicmodel.cli import build_parser
from logicmodel.commands.rules import page
from logicmodel.rules import RULES


def _rules_index() -> str:
    lines = [
        "# Rules",
        "",
        "Every problem logicmodel reports has a stable code. `LM0xx` codes come from reading the",
        "file and its format; the others are checks on the model, which you can select, ignore",
        "or re-grade in the [configuration](../configuration.md). `logicmodel rules CODE` prints",
        "a rule's page in the terminal.",
        "",
        "| Code | Name | Default | Summary |",
        "|---|---|---|---|",
    ]
    for code in sorted(RULES):
        r = RULES[code]
        default = r.severity.value + ("" if r.enabled else " (off)")
        summary = r.summary.replace("|", "\\|")
        lines.append(f"| [{code}]({code}.md) | `{r.name}` | {default} | {summary} |")
    return "\n".join(lines) + "\n"


def _cli_page() -> str:
    parser = build_parser()
    out = ["# Command line", "", "Generated from the command's own `--help`.", ""]

    def helptext(p: Any) -> str:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            p.print_help()
        return buf.getvalue().replace("usage: ", "usage: ", 1)

    out += ["```text", helptext(parser).rstrip(), "```", ""]
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        out += [f"## logicmodel {name}", "", "```text", helptext(p).rstrip(), "```", ""]
    return "\n".join(out)


_DEFS: dict[str, Any] = {}


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        target = _DEFS.get(name, {})
        if "properties" not in target:
            return _type_of(target)
        return f"[{name}](#{name.lower()})"
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if prop.get("type") == "array":
        return "list of " + _type_of(prop.get("items", {}))
    for key in ("anyOf", "oneOf"):
        if key in prop:
            parts = [_type_of(p) for p in prop[key] if p.get("type") != "null"]
            return " or ".join(dict.fromkeys(parts))
    if "allOf" in prop and len(prop["allOf"]) == 1:
        return _type_of(prop["allOf"][0])
    return {"string": "text", "integer": "whole number", "number": "number",
            "boolean": "true/false"}.get(prop.get("type", ""), "value")


def _format_reference() -> str:
    from logicmodel.jsonschema import json_schema

    schema = json_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    _DEFS.clear()
    _DEFS.update(defs)
    out = ["# Format reference", "",
           "Every field of the model format, generated from the schema logicmodel validates",
           "with (`logicmodel schema` prints the same as JSON Schema).",
           "Required fields are marked.",
           "See [the model format](format.md) for a guided tour.", ""]
    sections = [("LogicModel", schema), *sorted(defs.items())]
    for name, d in sections:
        props = d.get("properties")
        if not props:
            continue
        out += [f"## {name}", "", (d.get("description") or "").strip(), "",
                "| Field | Type | Required | Description |", "|---|---|---|---|"]
        required = set(d.get("required", []))
        for field, prop in props.items():
            desc = (prop.get("description") or "").replace("|", "\\|").replace("\n", " ")
            needed = "yes" if field in required else ""
            out.append(f"| `{field}` | {_type_of(prop)} | {needed} | {desc} |")
        out.append("")
    return "\n".join(out)


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "format-reference.md", content=_format_reference()))
    files.append(File.generated(config, "rules/index.md", content=_rules_index()))
    for code in sorted(RULES):
        files.append(File.generated(config, f"rules/{code}.md", content=page(code)))
    files.append(File.generated(config, "cli.md", content=_cli_page()))
    return files
