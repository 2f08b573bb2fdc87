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


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "rules/index.md", content=_rules_index()))
    for code in sorted(RULES):
        files.append(File.generated(config, f"rules/{code}.md", content=page(code)))
    files.append(File.generated(config, "cli.md", content=_cli_page()))
    return files
