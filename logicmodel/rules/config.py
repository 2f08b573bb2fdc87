"""LM7xx: configuration, and the suppressions written in a model.

LM701-LM704 are problems in a configuration file (``logicmodel.toml`` or
``[tool.logicmodel]`` in ``pyproject.toml``): they stop the run with exit 2,
located at the key or value at fault. LM710-LM711 are about ``ignore:``
entries in a model, which silence one rule on one element. None of them has a
check function: they are emitted by :mod:`logicmodel.config` and
:mod:`logicmodel.checking`, and registered here so each has its documentation page.
"""

from __future__ import annotations

from ..diagnostics import Severity
from .registry import rule

__all__: list[str] = []


@rule("LM701", "unreadable-config", Severity.ERROR)
def unreadable_config() -> None:
    """The configuration file cannot be read: missing, not UTF-8, or not valid TOML.

    ## What it does
    Reports a configuration file given with `--config` that does not exist, and
    a `logicmodel.toml` or `pyproject.toml` that is not UTF-8 or not valid TOML,
    at the line and column where TOML parsing stopped. The check stops with
    exit code 2.

    ## Why is this bad?
    Without its configuration, a check would run with the wrong rules and could
    pass a model that the project means to fail.

    ## Example
    ```toml
    [tool.logicmodel]
    fail-on = warning      # LM701: TOML strings need quotes: "warning"
    ```
    """


@rule("LM702", "unknown-config-key", Severity.ERROR)
def unknown_config_key() -> None:
    """A configuration key is not one logicmodel knows; the message suggests the nearest.

    ## What it does
    Reports keys under `[tool.logicmodel]`, `[tool.logicmodel.overrides]` or
    `logicmodel.toml` that are not settings, with a "did you mean".

    ## Why is this bad?
    A misspelt key is silently ignored by most tools, so the setting the
    project thinks it has never applies. logicmodel refuses to guess.

    ## Example
    ```toml
    [tool.logicmodel]
    fail_on = "warning"    # LM702: unknown key `fail_on` (did you mean `fail-on`?)
    ```
    """


@rule("LM703", "unknown-rule-code", Severity.ERROR)
def unknown_rule_code() -> None:
    """A configuration names a rule code or prefix that does not exist.

    ## What it does
    Reports entries of `select`, `ignore` and `[tool.logicmodel.severity]` that
    are neither a rule code (`LM301`), a code prefix (`LM3`) nor `ALL`, with the
    nearest code.

    ## Why is this bad?
    Ignoring `LM310` instead of `LM301` ignores nothing, and the build keeps
    failing (or, with `select`, keeps passing) for a reason nobody sees.

    ## Example
    ```toml
    [tool.logicmodel]
    ignore = ["LM5O1"]     # LM703: `LM5O1` is not a rule code or prefix (did you mean `LM501`?)
    ```
    """


@rule("LM704", "invalid-config-value", Severity.ERROR)
def invalid_config_value() -> None:
    """A configuration value has the wrong type or is not one of the allowed values.

    ## What it does
    Reports, for example, `fail-on = "warnings"`, `max-label-length = "60"`,
    `require-provenance = "yes"`, or an override without `paths`.

    ## Why is this bad?
    The setting cannot mean what was intended; guessing would make CI pass or
    fail for the wrong reason.

    ## Example
    ```toml
    [[tool.logicmodel.overrides]]
    paths = ["models/published/"]
    fail-on = "warning"    # passes; "warnings" would be LM704
    ```
    """


@rule("LM710", "unused-suppression", Severity.WARNING)
def unused_suppression() -> None:
    """An `ignore:` entry in the model silences nothing.

    ## What it does
    Reports an entry `{rule: LMxxx, reason: ...}` in the `ignore:` of a node,
    link, assumption, moderator, pathway, indicator or reference when that rule
    reports nothing on that element (any more), or is not run at all.

    ## Why is this bad?
    Suppressions are visible in review so that readers can weigh them. One left
    behind after the problem was fixed claims a problem that is no longer
    there, and would hide the next one.

    ## Example
    ```yaml
    - id: fewer_entries
      kind: outcome
      horizon: long
      label: Fewer children entering care
      ignore:
        - rule: LM301
          reason: measured by the national evaluation, not by this programme
    ```
    Remove the entry once the outcome has an indicator.
    """


@rule("LM711", "unknown-suppressed-rule", Severity.ERROR)
def unknown_suppressed_rule() -> None:
    """An `ignore:` entry in the model names a rule code that does not exist.

    ## What it does
    Reports `ignore: [{rule: LM999, ...}]` entries whose code is not a rule,
    with the nearest code, and entries naming a code that cannot be silenced
    (LM0xx problems reading the file, LM7xx).

    ## Why is this bad?
    A suppression of a code that does not exist silences nothing, and usually
    means the code was mistyped: the problem it was meant for is still reported
    under its real code.

    ## Example
    ```yaml
    ignore:
      - {rule: LM203, reason: "kept for the 2024 version of the figure"}
    ```
    """
