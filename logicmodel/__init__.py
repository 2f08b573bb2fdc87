"""logicmodel: logic models and theories of change as YAML.

Load a model, check it, get its graph or its JSON Schema::

    import logicmodel
    model = logicmodel.load("models/devolved_budgets.yaml")
    problems = logicmodel.check("models/devolved_budgets.yaml")
    graph = logicmodel.to_networkx(model)
    schema = logicmodel.json_schema()

Names are imported on first use, so ``import logicmodel`` stays cheap for the
command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "logicmodel.loader",
    "load_file": "logicmodel.loader",
    "load_text": "logicmodel.loader",
    "Document": "logicmodel.loader",
    "check": "logicmodel.checking",
    "check_paths": "logicmodel.checking",
    "CheckResult": "logicmodel.checking",
    "Config": "logicmodel.config",
    "load_config": "logicmodel.config",
    "Diagnostic": "logicmodel.diagnostics",
    "Severity": "logicmodel.diagnostics",
    "Span": "logicmodel.diagnostics",
    "LogicModel": "logicmodel.schema",
    "to_networkx": "logicmodel.graph",
    "json_schema": "logicmodel.jsonschema",
    "InvalidModelError": "logicmodel.errors",
    "ConfigError": "logicmodel.errors",
    "LogicModelError": "logicmodel.errors",
    "RULES": "logicmodel.rules",
}

__all__ = [
    "RULES",
    "CheckResult",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Document",
    "InvalidModelError",
    "LogicModel",
    "LogicModelError",
    "Severity",
    "Span",
    "__version__",
    "check",
    "check_paths",
    "json_schema",
    "load",
    "load_config",
    "load_file",
    "load_text",
    "to_networkx",
]

if TYPE_CHECKING:
    from .checking import CheckResult, check, check_paths
    from .config import Config, load_config
    from .diagnostics import Diagnostic, Severity, Span
    from .errors import ConfigError, InvalidModelError, LogicModelError
    from .graph import to_networkx
    from .jsonschema import json_schema
    from .loader import Document, load, load_file, load_text
    from .rules import RULES
    from .schema import LogicModel


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'logicmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
