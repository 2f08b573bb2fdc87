"""Configuration: which rules run, at what severity, and what makes a check fail.

Read from ``[tool.logicmodel]`` in ``pyproject.toml`` or from a
``logicmodel.toml`` (top-level keys), found by walking up from a starting
folder; ``logicmodel.toml`` wins when both are in the same folder. The file is
validated like a model: unknown keys and unknown rule codes are errors with a
"did you mean".

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
```
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import Severity
from .errors import ConfigError
from .rules import RULES, CheckOptions, Rule
from .yamlread import MAX_FILE_SIZE

__all__ = ["Config", "find_config", "load_config", "parse_config"]

_KEYS = {
    "select", "ignore", "severity", "fail-on", "max-label-length",
    "require-provenance", "require-indicators", "max-file-size",
}


@dataclass(frozen=True)
class Config:
    """Resolved settings for a check run."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    options: CheckOptions = field(default_factory=CheckOptions)
    max_file_size: int = MAX_FILE_SIZE
    source: str | None = None

    def active_rules(self) -> list[Rule]:
        """The model rules this configuration runs, in code order."""
        out = []
        for code in sorted(RULES):
            r = RULES[code]
            if r.check is None:
                continue
            if self.select is None:
                on = r.enabled
            else:
                on = any(_matches(code, s, r) for s in self.select)
            if on and not any(_matches(code, s, r) for s in self.ignore):
                out.append(r)
        return out

    def with_overrides(self, *, select: list[str] | None = None, ignore: list[str] | None = None,
                       strict: bool = False) -> Config:
        """Apply command-line options on top of the file's settings."""
        for s in [*(select or []), *(ignore or [])]:
            _check_selector(s, "command line")
        cfg = self
        if select:
            cfg = replace(cfg, select=tuple(select))
        if ignore:
            cfg = replace(cfg, ignore=cfg.ignore + tuple(ignore))
        if strict:
            cfg = replace(cfg, fail_on=Severity.WARNING)
        return cfg


def _matches(code: str, selector: str, r: Rule) -> bool:
    selector = selector.upper()
    if selector == "ALL":
        return True
    if selector == code:
        return True
    # A prefix selects the rules that are on by default; name a rule in full
    # to turn on one that is off.
    return code.startswith(selector) and r.enabled


def _check_selector(s: str, where: str) -> None:
    up = s.upper()
    if up == "ALL" or (any(code.startswith(up) for code in RULES) and up.startswith("LM")):
        return
    close = difflib.get_close_matches(up, list(RULES), n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    raise ConfigError(f"{where}: `{s}` is not a rule code or prefix{hint}")


def parse_config(table: dict[str, Any], source: str = "<config>") -> Config:
    """Validate a ``[tool.logicmodel]`` table and resolve it to a :class:`Config`.

    Raises:
        ConfigError: an unknown key, rule code or value; the message says which.
    """
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, sorted(_KEYS), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ConfigError(f"{source}: unknown key `{key}`{hint}")

    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: `{key}` must be a list of rule codes or prefixes")
        for v in value:
            _check_selector(v, source)
        return tuple(value)

    def integer(key: str, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{source}: `{key}` must be a positive whole number")
        return value

    def boolean(key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: `{key}` must be true or false")
        return value

    def level(value: object, key: str) -> Severity:
        try:
            return Severity(str(value))
        except ValueError:
            raise ConfigError(
                f"{source}: `{key}` must be \"error\", \"warning\" or \"info\", not {value!r}"
            ) from None

    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{source}: `severity` must be a table of CODE = \"level\"")
    severity: dict[str, Severity] = {}
    for code, value in severity_table.items():
        if code not in RULES:
            close = difflib.get_close_matches(code, list(RULES), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ConfigError(f"{source}: severity: `{code}` is not a rule code{hint}")
        severity[code] = level(value, f"severity.{code}")

    return Config(
        select=strings("select") if "select" in table else None,
        ignore=strings("ignore"),
        severity=severity,
        fail_on=level(table.get("fail-on", "error"), "fail-on"),
        options=CheckOptions(
            max_label_length=integer("max-label-length", 60),
            require_provenance=boolean("require-provenance", False),
            require_indicators=boolean("require-indicators", True),
        ),
        max_file_size=integer("max-file-size", MAX_FILE_SIZE),
        source=source,
    )


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``logicmodel.toml`` or ``pyproject.toml`` with a ``[tool.logicmodel]`` table."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "logicmodel.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "logicmodel" in data["tool"]:
                return pyproject
    return None


def load_config(path: str | os.PathLike[str] | None = None, *,
                start: str | os.PathLike[str] | None = None) -> Config:
    """Read the configuration file at ``path``, or the nearest one found from ``start``.

    With no file found, the defaults apply.

    Raises:
        ConfigError: the file cannot be read or is invalid.
    """
    found = Path(path) if path is not None else find_config(start)
    if found is None:
        return Config()
    shown = found.as_posix()
    try:
        data = tomllib.loads(found.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the configuration: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: the configuration is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    if found.name == "pyproject.toml":
        table = data.get("tool", {}).get("logicmodel", {})
        shown += ": [tool.logicmodel]"
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: must be a table")
    return parse_config(table, shown)
