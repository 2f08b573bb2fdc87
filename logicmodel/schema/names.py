"""The names of the shipped frameworks: the files in ``logicmodel/frameworks/``.

Read from the folder, so that a framework is added by adding its file. Listing a
folder costs microseconds; the files themselves are read only when a model
names one (:mod:`logicmodel.frameworks`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FRAMEWORKS_DIR", "FRAMEWORK_NAMES"]

FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"

# `default` first (the format's default), then the others by name.
FRAMEWORK_NAMES: tuple[str, ...] = tuple(sorted(
    (p.stem for p in FRAMEWORKS_DIR.glob("*.yaml")), key=lambda n: (n != "default", n)))
