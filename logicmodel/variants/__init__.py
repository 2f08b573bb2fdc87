"""Variants of one model: a base theory and named variants (sites, pilots, arms, phases).

A variant removes, changes or adds elements and single fields of its base
(:mod:`.merge`); it is written inside the model under ``variants:`` or as an
overlay file that ``extends:`` a base file (:mod:`.load`). Merged, a variant is
an ordinary model: every command reads it with ``--variant NAME``, and
``logicmodel check`` checks the base and every variant.
"""

from __future__ import annotations

from .load import VariantError, VariantSpec, variant_document
from .merge import SECTIONS, Src

__all__ = ["SECTIONS", "Src", "VariantError", "VariantSpec", "variant_document"]
