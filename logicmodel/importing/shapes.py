"""What a field of the format holds, read from the Pydantic models: text, a number, a list...

A spreadsheet cell is text or a number; whether ``12`` in a cell means the
number 12 or the text "12", and whether ``a|b`` is one label or two ids,
depends on the field it fills. :func:`shape` answers that from the schema's
own annotations, so the import follows the format as it changes.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel

__all__ = ["Shape", "field_type", "shape"]

Shape = Literal["text", "number", "integer", "bool", "value", "list", "json", "model", "dict"]


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> list[Any]:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) if a is not type(None)
                for m in _members(a)]
    return [annotation]


def _one(annotation: Any) -> Shape:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = typing.get_args(annotation)
        return "integer" if all(isinstance(v, int) for v in values) else "text"
    if origin is list:
        item = _members(typing.get_args(annotation)[0])
        return "list" if all(_one(i) == "text" for i in item) else "json"
    if origin is dict:
        return "dict"
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return "bool"
        if issubclass(annotation, int):
            return "integer"
        if issubclass(annotation, float):
            return "number"
        if issubclass(annotation, str | enum.Enum):
            return "text"
        if issubclass(annotation, BaseModel):
            return "model"
    return "json"


def shape(annotation: Any) -> Shape:
    """The shape of a field with this annotation."""
    members = _members(annotation)
    models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
    if len(models) == 1 and all(m is models[0] or typing.get_args(m) == (models[0],)
                                for m in members):
        return "model"  # one mapping or a list of them (evidence): dotted columns, or JSON
    found = {_one(m) for m in members}
    if len(found) == 1:
        return found.pop()
    if found == {"text", "list"}:
        return "list"  # one id or a list of them (a short version's `map`): `a|b`
    if found <= {"text", "number", "integer"}:
        return "value"
    return "json"


def field_type(cls: type[BaseModel], name: str) -> tuple[str, Any] | None:
    """The field of ``cls`` written as ``name`` in YAML (its alias or its name), and its type."""
    for attr, info in cls.model_fields.items():
        if name in (attr, info.alias):
            return attr, info.annotation
    return None


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The Pydantic model inside an annotation (``Provenance | None`` -> Provenance)."""
    for m in _members(annotation):
        if isinstance(m, type) and issubclass(m, BaseModel):
            return m
    return None


def dict_value(annotation: Any) -> Any:
    """The value type of a ``dict[str, X]`` annotation."""
    for m in _members(annotation):
        if typing.get_origin(m) is dict:
            return typing.get_args(m)[1]
    return Any
