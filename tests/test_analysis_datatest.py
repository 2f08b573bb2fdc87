"""Testing the theory against data: partial correlations on simulated measurements."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.analysis import implications
from logicmodel.analysis.datatest import DataError, _partial, data_test, in_words
from logicmodel.analysis.simulate import simulate
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
PLANT = [("out_material", "lt_safe_at_home", 0.4)]  # a direct effect the model leaves out


def test_a_true_model_passes_at_the_stated_error_rate() -> None:
    model = load(FLAGSHIP)
    imp = implications(model, pairs=True)
    runs = 120
    alarms = sum(bool(data_test(model, "sim.csv", text=simulate(model, 300, seed=1000 + s),
                                imp=imp).contradicted) for s in range(runs))
    # Holm's method keeps the chance of any false contradiction at or under 5%: with
    # 120 data sets, more than 12 alarms would happen by chance less than 1% of the time
    assert alarms <= 12, alarms


def test_a_planted_violation_is_found() -> None:
    model = load(FLAGSHIP)
    imp = implications(model, pairs=True)
    for seed in range(10):
        result = data_test(model, "sim.csv", imp=imp,
                           text=simulate(model, 400, seed=seed, plant=PLANT))
        strongest = max(result.contradicted, key=lambda t: abs(t.r))
        assert (strongest.x, strongest.y, strongest.given) == (
            "lt_safe_at_home", "out_material", ("mt_risk_reduced",))
        assert strongest.low > 0.2  # the effect and its interval, not just a p-value
        assert strongest.low < strongest.r < strongest.high


def test_partial_correlation_matches_the_textbook_formula() -> None:
    rng = random.Random(5)
    r = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    r[0][1] = r[1][0] = rng.uniform(-0.5, 0.5)
    r[0][2] = r[2][0] = rng.uniform(-0.5, 0.5)
    r[1][2] = r[2][1] = rng.uniform(-0.5, 0.5)
    expected = (r[0][1] - r[0][2] * r[1][2]) / math.sqrt((1 - r[0][2] ** 2)
                                                           * (1 - r[1][2] ** 2))
    got = _partial(r, [0, 1, 2])
    assert got is not None
    assert math.isclose(got, expected, rel_tol=1e-9)
    assert math.isclose(_partial(r, [0, 1]) or 0.0, r[0][1])


def test_plain_words() -> None:
    model = load(FLAGSHIP)
    assert in_words(model, "lt_safe_at_home", ["out_material"], ["mt_risk_reduced"]) == (
        "once “Risks to the child reduced” is known, “Children live safely at home” should "
        "not depend on “Practical, material and financial help”")
    assert in_words(model, "st_less_stress", ["out_material", "st_engagement"], []).endswith(
        "should not depend on “Practical, material and financial help” or "
        "“Family engages more with the worker” at all")


def test_cli_reports_the_contradiction_in_plain_words(cli: Cli, tmp_path: Path) -> None:
    model = load(FLAGSHIP)
    data = tmp_path / "planted.csv"
    data.write_text(simulate(model, 400, seed=3, plant=PLANT))
    r = cli("analyze", FLAGSHIP, "--only", "implications", "--data", str(data))
    assert r.code == 0
    assert "CONTRADICTED: lt_safe_at_home _||_ out_material | mt_risk_reduced" in r.out
    assert "the data show a partial correlation of +0." in r.out
    assert "Holm's adjustment over 28 tests" in r.out
    ok = tmp_path / "true.csv"
    ok.write_text(simulate(model, 400, seed=3))
    assert "no implication is contradicted at 5%" in cli(
        "analyze", FLAGSHIP, "--only", "implications", "--data", str(ok)).out


def _bad(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(("text", "where", "code", "words"), [
    ("ind_needs_met,ind_home_conditions\n1,2\n3,abc\n", ":3:2", "LM806",
     "the value in column `ind_home_conditions` is `abc`, not a number"),
    ("ind_needs_met,ind_home_conditions\n1,2\n3,\n", ":3:2", "LM806", "is empty"),
    ("ind_needs_met,ind_home_conditions\n1,2,5\n", ":2:1", "LM806", "row 2 has 3 cells"),
    ("", "", "LM805", "the data file is empty"),
    ("family,height\n1,2\n", ":1:1", "LM805", "no column names a measured node"),
    (simulate(load(FLAGSHIP), 3, seed=1), ":4:1", "LM807", "3 rows are too few"),
])
def test_bad_data_is_located(cli: Cli, tmp_path: Path, text: str, where: str, code: str,
                             words: str) -> None:
    path = _bad(tmp_path, text)
    r = cli("analyze", FLAGSHIP, "--only", "implications", "--data", path)
    assert r.code == 1
    assert r.err.startswith(f"{path}{where}: {code} ")
    assert words in r.err
    assert "hint: " in r.err
    assert "Traceback" not in r.err


def test_a_missing_file_and_missing_columns(cli: Cli, tmp_path: Path) -> None:
    r = cli("analyze", FLAGSHIP, "--data", str(tmp_path / "nope.csv"))
    assert r.code == 1
    assert "LM805 cannot read the data file" in r.err
    model = load(FLAGSHIP)
    full = simulate(model, 200, seed=1).splitlines()
    keep = [i for i, h in enumerate(full[0].split(",")) if h != "ind_engagement"]
    partial = "\n".join(",".join(line.split(",")[i] for i in keep) for line in full) + "\n"
    result = data_test(model, "part.csv", text=partial)
    assert result.untested
    assert all("st_engagement" in why for _, _, why in result.untested)
    assert len(result.tests) + len(result.untested) == 28


def test_data_error_is_a_coded_error() -> None:
    with pytest.raises(DataError) as info:
        data_test(load(FLAGSHIP), "x.csv", text="a,b\n")
    assert info.value.code == "LM805"
