"""Configuration: which rules run, at what severity, and what makes a check fail.

Read from ``[tool.logicmodel]`` in ``pyproject.toml`` or from a
``logicmodel.toml`` (top-level keys), found by walking up from the checked file
(or the working directory); ``logicmodel.toml`` wins when both are in the same
folder. The file is validated like a model: every unknown key, unknown rule
code or bad value is a located diagnostic (``file:line:col: LM7xx message``,
with a "did you mean"), and the command exits 2.

```toml
[tool.logicmodel]
select = ["LM"]            # code prefixes to run (default: every rule on by default)
ignore = ["LM501"]         # code prefixes to skip
fail-on = "error"          # or "warning" (the same as --strict)
max-label-length = 60
require-provenance = false
require-indicators = true

[tool.logicmodel.severity]
LM301 = "error"

[[tool.logicmodel.overrides]]   # stricter settings for some paths
paths = ["models/published/"]
fail-on = "warning"
require-provenance = true
```
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity, Span
from .errors import ConfigError
from .rules import RULES, CheckOptions, Rule
from .rules.registry import rule, stamp
from .tomlpos import TomlLocator
from .yamlread import MAX_FILE_SIZE

#: The default ``analysis-budget`` (see LM802; the analysis reads it from here).
ANALYSIS_BUDGET = 20_000_000
#: The default ``max-pixels``: the largest PNG or TIFF ``render`` draws (LM622), 150
#: megapixels, about seven 174 x 230 mm pages at 600 dpi.
MAX_PIXELS = 150_000_000

__all__ = [
    "Config",
    "ConfigFinder",
    "Override",
    "find_config",
    "load_config",
    "parse_config",
]

_SETTINGS = {
    "select", "ignore", "severity", "fail-on", "max-label-length",
    "require-provenance", "require-indicators", "max-file-size", "analysis-budget",
    "max-pixels",
}
_KEYS = _SETTINGS | {"overrides"}
_OVERRIDE_KEYS = _SETTINGS | {"paths"}


@dataclass(frozen=True)
class Override:
    """Settings that apply to the files under some paths (``[[tool.logicmodel.overrides]]``)."""

    paths: tuple[str, ...]
    table: Mapping[str, Any]

    def matches(self, relative: str) -> bool:
        """Whether a path (POSIX, relative to the configuration's folder) is covered.

        A pattern ending in ``/`` (or naming a folder) covers everything below
        it; otherwise it is a glob in which ``*`` also matches ``/``.
        """
        for pattern in self.paths:
            pattern = pattern.removeprefix("./")
            folder = pattern.rstrip("/")
            if relative == folder or relative.startswith(folder + "/"):
                return True
            if fnmatch.fnmatchcase(relative, pattern):
                return True
        return False


@dataclass(frozen=True)
class Config:
    """Resolved settings for a check run."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    options: CheckOptions = field(default_factory=CheckOptions)
    max_file_size: int = MAX_FILE_SIZE
    analysis_budget: int = ANALYSIS_BUDGET
    max_pixels: int = MAX_PIXELS
    source: str | None = None
    root: Path | None = None
    overrides: tuple[Override, ...] = ()

    def is_active(self, code: str) -> bool:
        """Whether the rule with this code runs (or, for codes without a check, is reported)."""
        r = RULES[code]
        on = r.enabled if self.select is None else any(_matches(code, s, r) for s in self.select)
        return on and not any(_matches(code, s, r) for s in self.ignore)

    def active_rules(self) -> list[Rule]:
        """The model rules this configuration runs, in code order."""
        rules = RULES.checks()
        known = self.__dict__.get("_active")
        if known is not None and known[0] is rules:  # the same rules
            return list(known[1])
        active = [r for r in rules if self.is_active(r.code)]
        object.__setattr__(self, "_active", (rules, tuple(active)))  # frozen: a cache
        return active

    def severity_of(self, code: str) -> Severity:
        """The severity this configuration reports a code with."""
        return self.severity.get(code, RULES[code].severity)

    def with_overrides(self, *, select: list[str] | None = None, ignore: list[str] | None = None,
                       strict: bool = False) -> Config:
        """Apply command-line options on top of the file's settings."""
        for s in [*(select or []), *(ignore or [])]:
            _check_selector_cli(s)
        cfg = self
        if select:
            cfg = replace(cfg, select=tuple(select))
        if ignore:
            cfg = replace(cfg, ignore=cfg.ignore + tuple(ignore))
        if strict:
            cfg = replace(cfg, fail_on=Severity.WARNING)
        return cfg

    def overrides_for(self, path: str | os.PathLike[str]) -> tuple[Override, ...]:
        """The ``overrides`` that cover a file, in the order they apply."""
        if not self.overrides or self.root is None:
            return ()
        try:
            relative = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return ()
        return tuple(o for o in self.overrides if o.matches(relative))

    def for_file(self, path: str | os.PathLike[str]) -> Config:
        """These settings with the matching ``overrides`` applied, for one file."""
        cfg = self
        for o in self.overrides_for(path):
            cfg = _apply(cfg, o.table)
        return cfg

    def describe(self) -> list[str]:
        """The resolved settings, one ``key = value`` line each: a valid ``logicmodel.toml``."""
        def toml(values: tuple[str, ...]) -> str:
            return "[" + ", ".join(f'"{v}"' for v in values) + "]"

        opts = self.options
        severity = ", ".join(f'{c} = "{s.value}"' for c, s in sorted(self.severity.items()))
        return [
            "# select: not set, so every rule that is on by default runs" if self.select is None
            else f"select = {toml(self.select)}",
            f"ignore = {toml(self.ignore)}",
            f"severity = {{{severity}}}",
            f'fail-on = "{self.fail_on.value}"',
            f"require-provenance = {str(opts.require_provenance).lower()}",
            f"require-indicators = {str(opts.require_indicators).lower()}",
            f"max-label-length = {opts.max_label_length}",
            f"max-file-size = {self.max_file_size}",
            f"analysis-budget = {self.analysis_budget}",
            f"max-pixels = {self.max_pixels}",
        ]


def _matches(code: str, selector: str, r: Rule) -> bool:
    selector = selector.upper()
    if selector == "ALL":
        return True
    if selector == code:
        return True
    # A prefix selects the rules that are on by default; name a rule in full
    # to turn on one that is off.
    return code.startswith(selector) and r.enabled


def _is_selector(s: str) -> bool:
    up = s.upper()
    return up == "ALL" or (up.startswith("LM") and any(code.startswith(up) for code in RULES))


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _check_selector_cli(s: str) -> None:
    if not _is_selector(s):
        raise ConfigError(f"command line: `{s}` is not a rule code or prefix"
                          f"{_suggest(s.upper(), sorted(RULES))}")


# --- validation ------------------------------------------------------------------

class _Parser:
    """Validates one configuration table, collecting every problem with its position."""

    def __init__(self, source: str, locator: TomlLocator | None) -> None:
        self.source = source
        self.locator = locator
        self.problems: list[Diagnostic] = []

    def error(self, code: str, message: str, table: tuple[str | int, ...],
              key: str | None = None, item: str | None = None) -> None:
        span = self.locator.locate(table, key, item) if self.locator else Span(1, 1, 1, 1)
        self.problems.append(stamp(code, message, self.source, span))

    def settings(self, data: Mapping[str, Any], table: tuple[str | int, ...],
                 allowed: set[str]) -> dict[str, Any]:
        """The valid settings of one table, as a plain dict of checked values."""
        out: dict[str, Any] = {}
        where = "" if not table else "an override: "
        for key in data:
            if key not in allowed:
                self.error("LM702", f"{where}unknown key `{key}`"
                           f"{_suggest(key, sorted(allowed))}", table, key)
        for key in ("select", "ignore"):
            if key in data:
                out[key] = self.selectors(data[key], table, key)
        for key in ("max-label-length", "max-file-size", "analysis-budget", "max-pixels"):
            if key in data:
                value = data[key]
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    self.error("LM704", f"`{key}` must be a positive whole number, not "
                               f"{value!r}", table, key)
                else:
                    out[key] = value
        for key in ("require-provenance", "require-indicators"):
            if key in data:
                if not isinstance(data[key], bool):
                    self.error("LM704", f"`{key}` must be true or false, not {data[key]!r}",
                               table, key)
                else:
                    out[key] = data[key]
        if "fail-on" in data:
            level = self.level(data["fail-on"], table, "fail-on", ("error", "warning"))
            if level is not None:
                out["fail-on"] = level
        if "severity" in data:
            out["severity"] = self.severities(data["severity"], (*table, "severity"))
        return out

    def selectors(self, value: object, table: tuple[str | int, ...], key: str
                  ) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error("LM704", f"`{key}` must be a list of rule codes or prefixes, "
                       "such as [\"LM3\", \"LM501\"]", table, key)
            return ()
        for v in value:
            if not _is_selector(v):
                self.error("LM703", f"`{key}`: `{v}` is not a rule code or prefix"
                           f"{_suggest(v.upper(), sorted(RULES))}", table, key, v)
        return tuple(v for v in value if _is_selector(v))

    def level(self, value: object, table: tuple[str | int, ...], key: str,
              allowed: tuple[str, ...], item: str | None = None) -> Severity | None:
        if isinstance(value, str) and value in allowed:
            return Severity(value)
        quoted = [f'"{a}"' for a in allowed]
        shown = ", ".join(quoted[:-1]) + " or " + quoted[-1]
        hint = _suggest(value, allowed) if isinstance(value, str) else ""
        self.error("LM704", f"`{item or key}` must be {shown}, not {value!r}{hint}", table,
                   key, value if isinstance(value, str) else item)
        return None

    def severities(self, value: object, table: tuple[str | int, ...]) -> dict[str, Severity]:
        if not isinstance(value, dict):
            self.error("LM704", "`severity` must be a table of CODE = \"level\"", table[:-1],
                       "severity")
            return {}
        out: dict[str, Severity] = {}
        for code, level in value.items():
            if code not in RULES:
                self.error("LM703", f"severity: `{code}` is not a rule code"
                           f"{_suggest(code.upper(), sorted(RULES))}", table, code)
                continue
            sev = self.level(level, table, code, ("error", "warning", "info"), code)
            if sev is not None:
                out[code] = sev
        return out

    def overrides(self, value: object) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error("LM704", "`overrides` must be an array of tables "
                       "([[tool.logicmodel.overrides]])", (), "overrides")
            return []
        out = []
        for n, table in enumerate(value):
            paths = table.get("paths")
            if (not isinstance(paths, list) or not paths
                    or not all(isinstance(p, str) and p for p in paths)):
                self.error("LM704", "an override needs `paths`: a list of folders or glob "
                           "patterns, such as [\"models/published/\"]", ("overrides", n),
                           "paths" if "paths" in table else None)
                paths = []
            settings = self.settings(table, ("overrides", n), _OVERRIDE_KEYS)
            out.append((tuple(paths), settings))
        return out


def _apply(cfg: Config, s: Mapping[str, Any]) -> Config:
    """Settings from a validated table applied on top of a configuration."""
    opts = cfg.options
    return replace(
        cfg,
        select=s.get("select", cfg.select),
        ignore=s.get("ignore", cfg.ignore),
        severity={**cfg.severity, **s.get("severity", {})},
        fail_on=s.get("fail-on", cfg.fail_on),
        options=CheckOptions(
            max_label_length=s.get("max-label-length", opts.max_label_length),
            require_provenance=s.get("require-provenance", opts.require_provenance),
            require_indicators=s.get("require-indicators", opts.require_indicators),
        ),
        max_file_size=s.get("max-file-size", cfg.max_file_size),
        analysis_budget=s.get("analysis-budget", cfg.analysis_budget),
        max_pixels=s.get("max-pixels", cfg.max_pixels),
    )


def _raise(problems: list[Diagnostic]) -> None:
    problems = sorted(problems, key=lambda d: (d.line, d.column))
    text = "\n".join(f"{d.location()}: {d.code} {d.message}" for d in problems)
    raise ConfigError(text, problems)


def parse_config(table: dict[str, Any], source: str = "<config>", *,
                 text: str | None = None, prefix: str = "",
                 root: Path | None = None) -> Config:
    """Validate a configuration table and resolve it to a :class:`Config`.

    ``text`` (the file's TOML) and ``prefix`` (``tool.logicmodel`` in a
    ``pyproject.toml``) let problems be located; ``root`` is the folder that
    override paths are relative to.

    Raises:
        ConfigError: with one located diagnostic (LM7xx) per problem.
    """
    parser = _Parser(source, TomlLocator(text, prefix) if text is not None else None)
    settings = parser.settings(table, (), _KEYS)
    overrides = parser.overrides(table["overrides"]) if "overrides" in table else []
    if parser.problems:
        _raise(parser.problems)
    cfg = _apply(Config(source=source, root=root), settings)
    return replace(cfg, overrides=tuple(Override(p, s) for p, s in overrides))


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``logicmodel.toml`` or ``pyproject.toml`` with a ``[tool.logicmodel]`` table."""
    here = Path(start or Path.cwd()).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "logicmodel.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
                data = tomllib.loads(text)
            except (OSError, UnicodeDecodeError):
                continue
            except tomllib.TOMLDecodeError:
                # Broken TOML that would configure logicmodel is reported, not skipped.
                if "tool.logicmodel" in text:
                    return pyproject
                continue
            if isinstance(data.get("tool"), dict) and "logicmodel" in data["tool"]:
                return pyproject
    return None


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _unreadable(shown: str, message: str, line: int = 1, column: int = 1) -> ConfigError:
    d = stamp("LM701", message, shown, Span(line, column, line, column))
    return ConfigError(f"{d.location()}: LM701 {message}", [d])


def load_config(path: str | os.PathLike[str] | None = None, *,
                start: str | os.PathLike[str] | None = None) -> Config:
    """Read the configuration file at ``path``, or the nearest one found from ``start``.

    With no file found, the defaults apply.

    Raises:
        ConfigError: the file cannot be read or is invalid (with located diagnostics).
    """
    found = Path(path) if path is not None else find_config(start)
    if found is None:
        return Config()
    shown = _shown(found)
    try:
        text = found.read_bytes().decode("utf-8")
    except OSError as exc:
        raise _unreadable(shown, f"cannot read the configuration: "
                          f"{(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError as exc:
        line = found.read_bytes()[:exc.start].count(b"\n") + 1
        raise _unreadable(shown, "the configuration is not valid UTF-8", line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        message = _TOML_POS.sub("", str(exc)).strip()
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise _unreadable(shown, f"invalid TOML: {message}", line, col) from None
    prefix = ""
    table: object = data
    tool = data.get("tool")
    if found.name == "pyproject.toml" or (found.name != "logicmodel.toml"
                                          and isinstance(tool, dict) and "logicmodel" in tool):
        tool = data.get("tool", {})
        table = tool.get("logicmodel", {}) if isinstance(tool, dict) else {}
        prefix = "tool.logicmodel"
    if not isinstance(table, dict):
        raise _unreadable(shown, "[tool.logicmodel] must be a table")
    return parse_config(table, shown, text=text, prefix=prefix, root=found.resolve().parent)


class ConfigFinder:
    """The configuration for each checked file: ``--config`` if given, else the nearest one.

    Each file's configuration is found by walking up from the file's folder
    (standard input uses the working directory), read once per configuration
    file, and has its per-path ``overrides`` and then the command-line options
    applied.
    """

    def __init__(self, explicit: str | os.PathLike[str] | None = None,
                 adjust: Callable[[Config], Config] | None = None) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._adjust = adjust or (lambda c: c)
        self._by_file: dict[Path | None, Config] = {}
        self._by_folder: dict[Path, Path | None] = {}

    def base(self, path: str | os.PathLike[str] | None = None) -> Config:
        """The configuration file's settings for a file (before per-path overrides)."""
        if self._explicit is not None:
            return self._explicit
        folder = Path.cwd() if path is None or os.fspath(path) == "-" else Path(path).parent
        if folder not in self._by_folder:
            self._by_folder[folder] = find_config(folder)
        found = self._by_folder[folder]
        if found not in self._by_file:
            self._by_file[found] = load_config(found) if found else Config()
        return self._by_file[found]

    def __call__(self, path: str | os.PathLike[str] | None = None) -> Config:
        base = self.base(path)
        if path is not None and os.fspath(path) != "-":
            base = base.for_file(path)
        return self._adjust(base)


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


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
