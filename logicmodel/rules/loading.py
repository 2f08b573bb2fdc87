"""LM0xx: reading the file and validating it against the format.

These codes are emitted by the loader, not by a model rule: a file with any of
them has no model to check further. They are registered here so that each has
its documentation page (``logicmodel rules LM009``).
"""

from __future__ import annotations

from ..diagnostics import Severity
from .registry import rule

E = Severity.ERROR


@rule("LM001", "unreadable-file", E)
def unreadable_file() -> None:
    """The file cannot be read.

    ## What it does
    Reports a path that does not exist, is a directory or a device, or cannot be
    opened for reading.

    ## Why is this bad?
    Nothing can be checked. In CI this usually means a path in the workflow is
    wrong, or the file was renamed.

    ## Example
    ```console
    $ logicmodel check models/missing.yaml
    models/missing.yaml:1:1: LM001 cannot read the file: no such file or directory
    ```
    """


@rule("LM002", "file-too-large", E)
def file_too_large() -> None:
    """The file is larger than the size limit (10 MiB by default).

    ## What it does
    Refuses files over `max-file-size` bytes before parsing them.

    ## Why is this bad?
    A logic model is rarely larger than 100 KB. A far larger file is usually a
    mistake (a data file checked by accident) and would make the check slow.
    Raise `max-file-size` in the configuration if the model really is that big.

    ## Example
    A 50 MB export named `model.yaml` fails with LM002; a normal model passes.
    """


@rule("LM003", "not-utf8", E)
def not_utf8() -> None:
    """The file is not valid UTF-8.

    ## What it does
    Reports the first byte that cannot be decoded, at its line and column.
    UTF-8 with or without a byte-order mark is accepted, as is UTF-16 or UTF-32
    with a byte-order mark.

    ## Why is this bad?
    The text would be read wrongly. A pound sign saved by an older editor as
    Latin-1 (byte `0xA3`) is the usual cause in UK models.

    ## Example
    `label: Budget of up to £10,000` saved as Latin-1 fails; saved as UTF-8 it
    passes.
    """


@rule("LM004", "control-character", E)
def control_character() -> None:
    """The file contains a raw control character.

    ## What it does
    Reports characters such as NUL, ESC or DEL written directly in the file.

    ## Why is this bad?
    They are invisible in an editor, can rewrite a terminal or a CI log, and
    break Graphviz and SVG output.

    ## Example
    A label pasted from a terminal with an ESC byte fails; retyping it passes.
    """


@rule("LM005", "yaml-syntax", E)
def yaml_syntax() -> None:
    """The file is not valid YAML.

    ## What it does
    Reports the parser's error at the position where it stopped, with a hint for
    the common causes (tabs used for indentation, an unclosed quote or bracket,
    a `:` in unquoted text).

    ## Why is this bad?
    Nothing after the error can be read.

    ## Example
    ```yaml
    nodes:
    <TAB>- id: budget   # a tab before the dash: fails
    ```
    ```yaml
    nodes:
      - id: budget      # spaces: passes
    ```
    """


@rule("LM006", "multiple-documents", E)
def multiple_documents() -> None:
    """The file holds more than one YAML document.

    ## What it does
    Reports a second document (after a `---` line).

    ## Why is this bad?
    Tools disagree on which document counts. One model per file keeps diffs and
    reviews clear.

    ## Example
    Two models separated by `---` fail; split them into two files.
    """


@rule("LM007", "empty-file", E)
def empty_file() -> None:
    """The file holds no model.

    ## What it does
    Reports a file that is empty or only comments.

    ## Why is this bad?
    An empty model passes no check meaningfully; it is usually a file saved
    before it was written.

    ## Example
    A file with only `# TODO` fails; one starting `logicmodel: 1` and `title:`
    passes.
    """


@rule("LM008", "too-deep", E)
def too_deep() -> None:
    """The YAML is nested more than 64 levels deep.

    ## What it does
    Stops reading at the first value nested deeper than 64 levels.

    ## Why is this bad?
    A logic model needs four or five levels. Very deep nesting is either a
    mistake or a file built to crash YAML parsers.

    ## Example
    `nodes: [[[[[[ ... ]]]]]]` with hundreds of brackets fails.
    """


@rule("LM009", "duplicate-key", E)
def duplicate_key() -> None:
    """The same key appears twice in one mapping.

    ## What it does
    Reports the second occurrence and says where the first is.

    ## Why is this bad?
    Most YAML readers silently keep the last value, so half of what you wrote is
    ignored without a word: two `label:` lines in one node, or two `links:`
    sections where only the second counts.

    ## Example
    ```yaml
    - id: budget
      label: Devolved budget
      label: Budget up to £10,000    # fails: which label?
    ```
    """


@rule("LM010", "yaml-alias", E)
def yaml_alias() -> None:
    """The file uses YAML anchors and aliases (`&name`, `*name`).

    ## What it does
    Reports each alias, and anchors defined twice.

    ## Why is this bad?
    Aliases let one line stand for many: a few hundred bytes can expand into
    billions of values and hang any tool that reads them. A model should read the
    same to a person as to a program, so values are written out.

    ## Example
    `refs: *common_refs` fails; list the references.
    """


@rule("LM011", "yaml-tag", E)
def yaml_tag() -> None:
    """The file uses an explicit YAML tag (`!!python/...`, `!include`, `!!binary`).

    ## What it does
    Reports every explicit tag.

    ## Why is this bad?
    Tags ask the reader to build special objects; some YAML readers would even
    run code. A model holds only text, lists and mappings.

    ## Example
    `label: !!binary aGVsbG8=` fails; `label: hello` passes.
    """


@rule("LM012", "merge-key", E)
def merge_key() -> None:
    """The file uses a YAML merge key (`<<`).

    ## What it does
    Reports each `<<:` key.

    ## Why is this bad?
    Merge keys are not part of YAML 1.2 and readers disagree on what they mean,
    especially when repeated.

    ## Example
    `<<: *defaults` fails; write the fields out.
    """


@rule("LM013", "bad-key", E)
def bad_key() -> None:
    """A mapping key is not plain text (a list, a mapping, or empty).

    ## What it does
    Reports keys such as `? [a, b]` or an empty key.

    ## Why is this bad?
    Every key in a model is a field name.

    ## Example
    `? [a, b]: x` fails.
    """


@rule("LM020", "wrong-type", E)
def wrong_type() -> None:
    """A value has the wrong type: a list where text is expected, text where a list is.

    ## What it does
    Reports the value with what was expected, e.g. `nodes: input should be a
    valid list`.

    ## Why is this bad?
    The model cannot be read as intended. A common cause is a missing `-` before
    list items, or `key: value` text with an unquoted colon.

    ## Example
    ```yaml
    links: {from: a, to: b}      # fails: links is a list
    links:
      - {from: a, to: b}         # passes
    ```
    """


@rule("LM021", "missing-field", E)
def missing_field() -> None:
    """A required field is missing.

    ## What it does
    Reports the mapping that lacks the field: `id`, `label` and `kind` on
    nodes, `horizon` on outcomes, `from` and `to` on links, `logicmodel` and
    `title` on the model.

    ## Why is this bad?
    Without them the element cannot be drawn or checked.

    ## Example
    ```yaml
    - id: needs_met
      kind: outcome
      label: Immediate needs met       # fails: outcome needs a horizon
      horizon: short                   # passes
    ```
    """


@rule("LM022", "unknown-field", E)
def unknown_field() -> None:
    """A field is not part of the format; the hint suggests the nearest known field.

    ## What it does
    Reports keys the format does not know, at the key, with "did you mean".

    ## Why is this bad?
    A misspelt key (`indicatrs:`) would otherwise be silently ignored, and the
    model would look fine while missing what you wrote.

    ## Example
    `lable: Budget` fails with "did you mean `label`?".
    """


@rule("LM023", "invalid-id", E)
def invalid_id() -> None:
    """An id is not valid: it must start with a letter and use only letters, digits, `_`, `-`.

    ## What it does
    Reports ids with spaces, punctuation, a leading digit, or more than 64
    characters.

    ## Why is this bad?
    Ids are written in links, pathways and file names; they must be easy to
    type and safe everywhere.

    ## Example
    `id: 1st outcome` fails; `id: outcome_1` passes.
    """


@rule("LM024", "invalid-value", E)
def invalid_value() -> None:
    """A value is not one of those the field allows; the hint lists them.

    ## What it does
    Reports values outside a field's choices (a node `kind`, an outcome
    `horizon`, a link `type`, an evidence `grade`), with "did you mean".

    ## Why is this bad?
    The element cannot be placed or drawn.

    ## Example
    `kind: activty` fails with "did you mean `activity`?".
    """


@rule("LM025", "invalid-text", E)
def invalid_text() -> None:
    """Text is too long or contains characters that cannot be shown safely.

    ## What it does
    Reports labels over 300 characters or 10 lines, text over 10,000
    characters, and text with control characters, bidirectional overrides or
    lone surrogates (written as escapes such as `"\\e"` or `"\\ud800"`), whichever
    YAML reader is installed.

    ## Why is this bad?
    Such text breaks diagrams, terminals and CI logs, or can make a label read
    differently from what it says.

    ## Example
    `label: "Budget\\e[2J"` fails.
    """


@rule("LM026", "unsupported-version", E)
def unsupported_version() -> None:
    """The model declares a format version this logicmodel does not read.

    ## What it does
    Reports `logicmodel:` values other than `1`.

    ## Why is this bad?
    A model written for another version of the format may mean something else.

    ## Example
    `logicmodel: 2` fails; `logicmodel: 1` passes.
    """


@rule("LM090", "too-many-problems", Severity.INFO)
def too_many_problems() -> None:
    """A file has more problems than a report shows (500); the rest are counted.

    ## What it does
    After the first 500 problems in one file, `logicmodel check` reports one
    LM090 with the number left out. It takes the severity of the most serious
    problem it stands for, so the exit code is the same as with every problem
    listed.

    ## Why is this bad?
    Thousands of messages about one file (a file generated wrongly, or built to
    flood a CI log) hide the first, usually root, cause. Fix what is shown and
    check again.

    ## Example
    A generated model whose 2,000 links all point at misspelt ids gives 500
    LM102 messages and one LM090: "1,500 more problems in this file are not
    shown".
    """
