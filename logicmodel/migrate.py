"""Format 1 -> format 2, as the smallest edits to the text of a file.

Format 2 reads every format-1 file, so a migration is small and exact:

* ``logicmodel: 1`` becomes ``logicmodel: 2``;
* a link's single ``evidence:`` mapping becomes a list of one, since format 2
  lets a link (or a node) carry several pieces of evidence, for and against;
* a model that names a framework other than ``default`` gets, after its
  ``framework:`` line, the stages format 1 drew it with (the default stages under
  that framework's format-1 headings) and ``expects_impact: true``, because in
  format 2 a framework brings its own stages and checks. A comment says so and
  how to switch to the framework's own stages.

The edits are made to the text at the positions the YAML reader reports, so
everything else in the file (comments, order, quotes, blank lines, flow or block
style, line breaks) stays byte for byte as the author wrote it, and the diff a
reviewer sees is only the migration. :func:`logicmodel.rewrite.rewrite_text`
then proves that the migrated file gives the same model before anything is
written.
"""

from __future__ import annotations

import json

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["TARGET_VERSION", "migrate_text", "needs_migration"]

TARGET_VERSION = 2

# An edit: insert ``text`` at character ``offset``, replacing ``length`` characters.
_Edit = tuple[int, int, str]


def _value(mapping: Node | None, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found: Node = v
            return found
    return None


def needs_migration(root: Node | None) -> bool:
    """True when the model's node tree declares a format older than format 2."""
    version = _value(root, "logicmodel")
    return isinstance(version, ScalarNode) and version.value != str(TARGET_VERSION)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def _block_to_list(node: MappingNode, text: str, starts: list[int]) -> list[_Edit]:
    """Edits that turn a block mapping into a block sequence holding it."""
    first, col = node.start_mark.line, node.start_mark.column
    last = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
    edits: list[_Edit] = [(starts[first] + col, 0, "- ")]
    for line in range(first + 1, last + 1):
        begin = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(text)
        content = text[begin:end].rstrip("\r\n")
        indent = len(content) - len(content.lstrip(" "))
        if content.strip() and indent >= col:
            edits.append((begin, 0, "  "))
    return edits


def _format1_stages(framework_name: str) -> list[str]:
    """The lines that pin a format-1 model to the stages format 1 drew it with."""
    from .schema.frameworks import framework

    spec, default = framework(framework_name), framework("default")
    headings = spec.format1.headings if spec.format1 else {}
    lines = [
        "# Format 1 drew this model in logicmodel's default stages under these headings;",
        "# they are written out so that it reads and checks as it did. Delete `stages:` and",
        f"# `expects_impact:` to use the `{spec.id}` framework's own stages instead.",
        "expects_impact: true",
        "stages:",
    ]
    for stage in default.stages:
        heading = json.dumps(headings.get(stage.id, stage.heading), ensure_ascii=False)
        fields = [f"id: {stage.id}", f"heading: {heading}", f"kinds: [{', '.join(stage.kinds)}]"]
        if stage.horizons:
            fields.append(f"horizon: {stage.horizons[0]}" if len(stage.horizons) == 1
                          else f"horizon: [{', '.join(stage.horizons)}]")
        lines.append("  - {" + ", ".join(fields) + "}")
    return lines


def migrate_text(text: str, root: Node | None) -> str:
    """The format-2 text of a format-1 model; ``root`` is its node tree as read from ``text``."""
    if not needs_migration(root):
        return text
    version = _value(root, "logicmodel")
    assert isinstance(version, ScalarNode)
    edits: list[_Edit] = [
        (version.start_mark.index, version.end_mark.index - version.start_mark.index,
         str(TARGET_VERSION)),
    ]
    starts = _line_starts(text)
    name = _value(root, "framework")
    if isinstance(name, ScalarNode) and name.value != "default":
        after = name.end_mark.line + 1
        at = starts[after] if after < len(starts) else len(text)
        block = "\n".join(_format1_stages(name.value)) + "\n"
        edits.append((at, 0, block if at < len(text) or text.endswith("\n") else "\n" + block))
    links = _value(root, "links")
    for link in links.value if isinstance(links, SequenceNode) else []:
        evidence = _value(link, "evidence")
        if not isinstance(evidence, MappingNode):
            continue
        if evidence.flow_style:
            edits.append((evidence.start_mark.index, 0, "["))
            edits.append((evidence.end_mark.index, 0, "]"))
        else:
            edits.extend(_block_to_list(evidence, text, starts))
    for offset, length, new in sorted(edits, reverse=True):
        text = text[:offset] + new + text[offset + length:]
    return text
