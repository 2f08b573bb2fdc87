"""Testing the theory against data: each testable implication, checked on measurements.

Given a CSV file with one row per unit (a family, a school, a district) and one
column per measured node (named by the node's id or by one of its indicators'
ids), every implication ``x _||_ y | Z`` of :func:`~.implications.implications`
is tested pair by pair: the **partial correlation** of ``x`` and ``y`` given ``Z``
(the correlation of what is left of each once ``Z`` is accounted for linearly),
with **Fisher's z test** and a 95% interval. This is the test DAGitty's
``localTests`` uses by default; it assumes roughly linear relations and
continuous measurements. Everything is pure Python (``statistics``): no numeric
library is needed.

With many implications, some would look contradicted by chance alone, so
p-values are adjusted by Holm's method: a true theory is reported contradicted
in at most ``alpha`` (5% by default) of data sets, however many implications it
has. Implications whose nodes have no column are listed as not tested.

Bad data stop the test with a located error (``file:row:column: CODE``): a
missing or empty file, a value that is not a number, an empty cell, or too few
rows for the largest conditioning set.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule
from ..schema import LogicModel
from .implications import Implications, implications

__all__ = ["DataError", "DataTest", "PairTest", "data_test", "in_words", "read_measurements"]

_NORMAL = NormalDist()


class DataError(CodedError):
    """A data file that cannot be used, located at ``file:row:column``."""

    def __init__(self, code: str, where: str, message: str, hint: str) -> None:
        self.where = where
        super().__init__(code, message, hint)

    def line(self) -> str:
        return f"{self.where}: {self.code} {self}\n    hint: {self.hint}"


@dataclass(frozen=True)
class PairTest:
    """One pairwise implication ``x _||_ y | given`` tested on the data."""

    x: str
    y: str
    given: tuple[str, ...]
    n: int
    r: float            # the partial correlation
    low: float          # its 95% interval
    high: float
    p: float            # two-sided p-value of Fisher's z test
    p_adjusted: float   # Holm-adjusted over every test run
    contradicted: bool

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "given": list(self.given), "n": self.n,
                "partial_correlation": round(self.r, 4),
                "interval_95": [round(self.low, 4), round(self.high, 4)],
                "p": self.p, "p_holm": self.p_adjusted, "contradicted": self.contradicted}


@dataclass
class DataTest:
    """The implications tested on one data set."""

    source: str
    rows: int
    columns: dict[str, str]                  # measured node -> the column used
    tests: list[PairTest] = field(default_factory=list)
    untested: list[tuple[str, str, str]] = field(default_factory=list)  # x, y, why
    alpha: float = 0.05
    method: str = ("partial correlation, Fisher's z test, Holm-adjusted p-values "
                   "(assumes linear relations between continuous measurements)")

    @property
    def contradicted(self) -> list[PairTest]:
        return [t for t in self.tests if t.contradicted]

    def to_dict(self) -> dict[str, Any]:
        return {"data": self.source, "rows": self.rows, "method": self.method,
                "alpha": self.alpha, "columns": self.columns,
                "tests": [t.to_dict() for t in self.tests],
                "contradicted": len(self.contradicted),
                "untested": [{"x": x, "y": y, "why": why} for x, y, why in self.untested]}


def read_measurements(path: str | Path, *, text: str | None = None,
                      display: str | None = None) -> tuple[list[str], list[list[float]]]:
    """The header and the numeric rows of a CSV file (comma, semicolon or tab separated).

    Raises:
        DataError: the file cannot be read, is empty, has a cell that is empty or not a
            number (LM806), located by row and column.
    """
    name = display or str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError("LM805", name, f"cannot read the data file: {exc}",
                            "give a CSV file in UTF-8, one column per measured node") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError("LM805", name, "the data file is empty",
                        "the first row names the columns: node or indicator ids") from None
    rows: list[list[float]] = []
    for r, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            raise DataError("LM806", f"{name}:{r}:1", f"row {r} has {len(row)} cells, the "
                            f"header {len(header)}", "give every row one cell per column")
        values: list[float] = []
        for c, cell in enumerate(row, start=1):
            cell = cell.strip()
            try:
                value = float(cell)
            except ValueError:
                value = math.nan
            if not cell or not math.isfinite(value):
                what = "is empty" if not cell else f"is `{cell[:40]}`, not a number"
                raise DataError("LM806", f"{name}:{r}:{c}",
                                f"the value in column `{header[c - 1][:60]}` {what}",
                                "give a number in every cell, or leave the row out")
            values.append(value)
        rows.append(values)
    return header, rows


def _columns(model: LogicModel, header: Sequence[str]) -> dict[str, int]:
    """For each measured node, the column that measures it: its id, else an indicator's."""
    index = {h: i for i, h in enumerate(header)}
    out: dict[str, int] = {}
    for n in model.nodes:
        for name in (n.id, *(i.id for i in getattr(n, "indicators", None) or ())):
            if name in index:
                out[n.id] = index[name]
                break
    return out


def _correlations(rows: list[list[float]], cols: list[int]) -> list[list[float]]:
    n = len(rows)
    means = [sum(r[c] for r in rows) / n for c in cols]
    centred = [[r[c] - m for c, m in zip(cols, means, strict=True)] for r in rows]
    k = len(cols)
    cov = [[0.0] * k for _ in range(k)]
    for row in centred:
        for i in range(k):
            vi = row[i]
            if vi:
                ci = cov[i]
                for j in range(i, k):
                    ci[j] += vi * row[j]
    for i in range(k):
        for j in range(i):
            cov[i][j] = cov[j][i]
    sd = [math.sqrt(cov[i][i]) for i in range(k)]
    return [[cov[i][j] / (sd[i] * sd[j]) if sd[i] and sd[j] else 0.0 for j in range(k)]
            for i in range(k)]


def _inverse(m: list[list[float]]) -> list[list[float]] | None:
    """Gauss-Jordan inverse with partial pivoting; None when singular."""
    k = len(m)
    a = [[*row, *(1.0 if i == j else 0.0 for j in range(k))] for i, row in enumerate(m)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        p = a[col][col]
        a[col] = [v / p for v in a[col]]
        for r in range(k):
            if r != col and a[r][col]:
                f = a[r][col]
                a[r] = [v - f * w for v, w in zip(a[r], a[col], strict=True)]
    return [row[k:] for row in a]


def _partial(corr: list[list[float]], idx: list[int]) -> float | None:
    """The partial correlation of the first two of ``idx`` given the rest."""
    sub = [[corr[i][j] for j in idx] for i in idx]
    inv = _inverse(sub)
    if inv is None or inv[0][0] <= 0 or inv[1][1] <= 0:
        return None
    r = -inv[0][1] / math.sqrt(inv[0][0] * inv[1][1])
    return max(-1.0, min(1.0, r))


def _holm(ps: list[float]) -> list[float]:
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out = [0.0] * len(ps)
    running = 0.0
    m = len(ps)
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


def data_test(model: LogicModel, data: str | Path, *, text: str | None = None,
                      display: str | None = None, alpha: float = 0.05,
                      imp: Implications | None = None) -> DataTest:
    """Test every pairwise implication of ``model`` on the measurements in ``data``.

    Raises:
        DataError: the data cannot be used (LM805 unreadable or no usable column,
            LM806 a bad cell, LM807 too few rows), located.
    """
    name = display or str(data)
    header, rows = read_measurements(data, text=text, display=name)
    imp = imp or implications(model, pairs=True)
    columns = _columns(model, header)
    if not columns:
        raise DataError("LM805", f"{name}:1:1", "no column names a measured node or one of "
                        "its indicators", "name the columns by node or indicator ids: "
                        + ", ".join(imp.measured[:5]))
    used = sorted(columns, key=lambda n: columns[n])
    pos = {n: i for i, n in enumerate(used)}
    result = DataTest(name, len(rows), {n: header[columns[n]] for n in used}, alpha=alpha)
    wanted: list[tuple[str, str, tuple[str, ...]]] = []
    for s in imp.statements:
        for y in s.ys:
            missing = [n for n in (s.x, y, *s.given) if n not in columns]
            if missing:
                result.untested.append((s.x, y, "no column for " + ", ".join(missing)))
            else:
                wanted.append((s.x, y, s.given))
    if not wanted:
        return result
    largest = max(len(g) for _, _, g in wanted)
    if len(rows) < largest + 5:
        raise DataError("LM807", f"{name}:{len(rows) + 1}:1",
                        f"{len(rows)} rows are too few: testing given {largest} nodes needs "
                        f"at least {largest + 5}", "collect more rows, or measure fewer nodes")
    corr = _correlations(rows, [columns[n] for n in used])
    raw: list[tuple[str, str, tuple[str, ...], float, float]] = []
    z95 = _NORMAL.inv_cdf(0.975)
    for x, y, given in wanted:
        r = _partial(corr, [pos[x], pos[y], *(pos[g] for g in given)])
        if r is None:
            result.untested.append((x, y, "the conditioning columns are collinear"))
            continue
        df = len(rows) - len(given) - 3
        z = math.atanh(max(-0.999999, min(0.999999, r)))
        p = 2 * (1 - _NORMAL.cdf(abs(z) * math.sqrt(df)))
        raw.append((x, y, given, r, p))
    adjusted = _holm([p for *_, p in raw])
    for (x, y, given, r, p), pa in zip(raw, adjusted, strict=True):
        df = len(rows) - len(given) - 3
        z = math.atanh(max(-0.999999, min(0.999999, r)))
        half = z95 / math.sqrt(df)
        result.tests.append(PairTest(x, y, given, len(rows), r, math.tanh(z - half),
                                     math.tanh(z + half), p, pa, pa < alpha))
    return result


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM805", "unusable-data-file", Severity.ERROR)
def unusable_data_file() -> None:
    """The data file for `analyze --data` cannot be read or names no measured node.

    ## What it does
    `logicmodel analyze MODEL --data FILE.csv` tests the model's implications on
    measurements: one row per unit, one column per measured node, named by the
    node's id or one of its indicators' ids. A file that cannot be read, is empty,
    or has no column naming a measured node stops the test, with exit status 1.

    ## Why is this bad?
    A test on no data would report no contradiction, which reads as support.

    ## Example
    ```text
    family,ind_parental_stress,ind_engagement,ind_at_home
    1,41.2,3.1,1
    ```
    """


@rule("LM806", "bad-data-value", Severity.ERROR)
def bad_data_value() -> None:
    """A cell of the data file is empty or not a number.

    ## What it does
    Reports the first cell (row and column) that is empty, is not a number, or
    whose row has more or fewer cells than the header, and stops the test.

    ## Why is this bad?
    Partial correlations need a number in every cell; quietly dropping rows
    would change the sample without saying so.

    ## Example
    ```text
    data.csv:14:3: LM806 the value in column `ind_engagement` is `n/a`, not a number
    ```
    """


@rule("LM807", "too-few-rows", Severity.ERROR)
def too_few_rows() -> None:
    """The data file has too few rows for the tests it would need.

    ## What it does
    Fisher's z test of a partial correlation given `k` nodes needs more than
    `k + 3` rows; `analyze --data` asks for at least `k + 5`, for the largest
    conditioning set among the implications, and stops otherwise.

    ## Why is this bad?
    With so few rows the test has no power: every implication would pass.

    ## Example
    Collect more rows, or measure fewer nodes.
    """


def _quote(model: LogicModel, node_id: str) -> str:
    for n in model.nodes:
        if n.id == node_id:
            return f"“{n.label}”"
    return f"`{node_id}`"


def _join(words: list[str], last: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def in_words(model: LogicModel, x: str, ys: Sequence[str], given: Sequence[str]) -> str:
    """An implication in words an evaluator reads, with the nodes' labels."""
    them = _join([_quote(model, y) for y in ys], "or")
    if not given:
        return f"{_quote(model, x)} should not depend on {them} at all"
    held = _join([_quote(model, z) for z in given], "and")
    verb = "is" if len(given) == 1 else "are"
    return f"once {held} {verb} known, {_quote(model, x)} should not depend on {them}"
