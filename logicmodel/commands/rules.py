"""List the rules, or print one rule's documentation page.

Without a code, prints a table of every rule: code, name, default severity and
summary. With a code (or a rule name), prints that rule's page, which names
the module that checks or reports it.
"""

from __future__ import annotations

import argparse
import difflib
import sys

HELP = "list the rules, or explain one (logicmodel rules LM204)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="a rule code such as LM204, or a rule name")


def run(args: argparse.Namespace) -> int:
    from ..rules import RULES, Rule

    if args.code is None:
        width = max(len(r.name) for r in RULES.values())
        for code in sorted(RULES):
            each = RULES[code]
            off = "" if each.enabled else " (off by default)"
            print(f"{code}  {each.name:<{width}}  {each.severity.value:<7}  {each.summary}{off}")
        return 0
    wanted = args.code.strip()
    by_name = {r.name: r for r in RULES.values()}
    r: Rule | None = RULES.get(wanted.upper()) or by_name.get(wanted.lower())
    if r is None:
        close = difflib.get_close_matches(wanted.upper(), list(RULES), n=1) or \
            difflib.get_close_matches(wanted.lower(), list(by_name), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        print(f"logicmodel: no rule {wanted!r}{hint}", file=sys.stderr)
        return 2
    print(page(r.code))
    return 0


def page(code: str) -> str:
    """A rule's documentation page as Markdown (also used to build the docs)."""
    from ..rules import RULES

    r = RULES[code]
    head = f"# {r.name} ({r.code})"
    meta = f"Default severity: **{r.severity.value}**" + ("" if r.enabled else
                                                          " · off by default")
    body = "\n".join(r.doc.splitlines()[1:]).strip()
    origin = (f"Checked by `{r.module}`" if r.check is not None
              else f"Reported by `{r.module}`")
    return f"{head}\n\n{r.summary}\n\n{meta} · {origin}\n\n{body}\n"
