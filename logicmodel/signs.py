"""The signs that mark what a variant or a new version adds, changes and removes.

One set for every figure, table and page that shows changes, so that a reader
learns them once: the diff figure (``diff --render``), the table of what
differs across variants (``export --to variants``), the figure of the
variants side by side (``render --variants``) and the interactive viewer.

*Changed* is a capital delta, not a tilde: before a label or a number a tilde
reads as "about" ("~ 100 young people"), and at 7 pt it is a speck. *Removed*
is the minus sign (U+2212), as wide as the plus. The text diff of ``logicmodel
diff`` keeps ASCII (``+``, ``-``, ``~``), as terminal diffs do.
"""

from __future__ import annotations

__all__ = ["ADDED", "CHANGED", "REMOVED", "SAME", "SIGNS"]

ADDED = "+"
CHANGED = "\N{GREEK CAPITAL LETTER DELTA}"
REMOVED = "\N{MINUS SIGN}"
SAME = "="
SIGNS = {"added": ADDED, "changed": CHANGED, "removed": REMOVED}
