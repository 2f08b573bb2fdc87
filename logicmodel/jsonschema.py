"""The JSON Schema of the model format, generated from the Pydantic models.

Editors with a YAML language server use it for completion, hover text and
inline errors (``# yaml-language-server: $schema=...``).
"""

from __future__ import annotations

import json
from typing import Any

from .schema import LogicModel

__all__ = ["SCHEMA_ID", "json_schema", "json_schema_text"]

SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a logicmodel YAML file, as a dict."""
    schema = LogicModel.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_ID, "title": "logicmodel", **{k: v for k, v in schema.items()
                                                            if k != "title"}}


def json_schema_text() -> str:
    """The JSON Schema as stable, indented JSON text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
