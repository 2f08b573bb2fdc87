"""Two versions of one model: a short (funder's, summary) version mapped onto the full one.

The short version is an ordinary model with a ``summarises:`` block naming the
full version's file and mapping each of its boxes onto boxes of the full
version::

    summarises:
      model: devolved_budgets.yaml          # relative to this file, inside the project
      map:
        budgets: [in_funding, in_budget, in_decision_rights]
        spending: act_purchase
      shared: [act_joint_plan]              # full boxes more than one short box stands for

The full version is read when the short one is loaded (:mod:`.load`), confined
to the project as overlay files are; ``check`` then checks the mapping
(:mod:`.check`), ``export --to versions`` writes it as a table (:mod:`.table`)
and ``render --versions`` draws the full version with each box tagged by the
short box it belongs to (:mod:`.figure`).
"""

from __future__ import annotations

from .load import load_full

__all__ = ["load_full"]
