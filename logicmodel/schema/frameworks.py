"""The shipped frameworks: data files in ``logicmodel/frameworks/``, read when a model names one.

Each file is an ordinary data file validated by :class:`~logicmodel.schema.model.FrameworkSpec`,
whose ``stages:`` are the same :class:`~logicmodel.schema.model.Stage` records a model's own
``stages:`` block holds. No framework is special-cased in code: a framework's stages, headings,
words, whether it expects an impact and which of its own checks apply are all in its file.
"""

from __future__ import annotations

import functools

import yaml

from .model import FrameworkSpec
from .names import FRAMEWORK_NAMES, FRAMEWORKS_DIR

__all__ = ["FRAMEWORK_NAMES", "framework"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def framework(name: str) -> FrameworkSpec:
    """The shipped framework called ``name``, read and validated once per process.

    Raises:
        KeyError: no framework has that name (model files cannot name one: the
            schema only accepts :data:`FRAMEWORK_NAMES`).
    """
    if name not in FRAMEWORK_NAMES:
        raise KeyError(name)
    text = (FRAMEWORKS_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    spec = FrameworkSpec.model_validate(yaml.load(text, Loader=_Loader))
    if spec.id != name:
        raise ValueError(f"frameworks/{name}.yaml declares the id `{spec.id}`")
    return spec
