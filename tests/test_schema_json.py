"""The JSON Schema for editors: in sync, described, and agreeing with the real validators.

* The committed ``schema/logicmodel.schema.json`` is what ``logicmodel schema`` prints.
* Every field has a description (the hover text in an editor).
* An independent validator (``jsonschema``, and the ``check-jsonschema`` command)
  accepts every model in ``models/`` and the graph-only negatives, and rejects
  the negative examples in ``tests/negative/schema/``.
* The real yaml-language-server (npm) offers only the fields valid for a node's
  kind, and the session recorded in docs/editors.md is what it really shows.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from logicmodel.jsonschema import json_schema, json_schema_text
from tests.conftest import MODELS, NEGATIVE, ROOT, CliResult
from tests.yaml_ls import find_server, record

COMMITTED = ROOT / "schema" / "logicmodel.schema.json"
BIN = Path(sys.executable).parent


def _validator() -> jsonschema.protocols.Validator:
    """A validator for the committed schema file (what editors and users point at)."""
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_committed_schema_is_in_sync() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == json_schema_text(), (
        "schema/logicmodel.schema.json is stale: run "
        "`logicmodel schema > schema/logicmodel.schema.json` and commit it")


def test_schema_command_prints_it(cli: Any) -> None:
    r: CliResult = cli("schema")
    assert (r.code, r.err) == (0, "")
    assert r.out == COMMITTED.read_text(encoding="utf-8")


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}/properties/{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}/{i}")


def test_every_field_has_a_description() -> None:
    schema = json_schema()
    props = list(_properties(schema))
    assert len(props) > 80
    # `if` conditions are tests, not fields
    missing = [where for where, prop in props
               if "/if/" not in where and not prop.get("description")]
    assert not missing, missing
    for name, definition in schema["$defs"].items():
        assert definition.get("description"), f"$defs/{name} has no description"
    # editors render markdownDescription: the same text, with `code` shown as code
    for where, prop in props:
        if "/if/" not in where:
            assert prop["markdownDescription"] == prop["description"], where


def test_models_validate() -> None:
    validator = _validator()
    models = sorted(MODELS.glob("*.yaml"))
    assert models
    for path in models:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"


def test_graph_negatives_fit_the_schema() -> None:
    validator = _validator()
    files = sorted((NEGATIVE / "graph").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path.name


def test_schema_negatives_fail() -> None:
    validator = _validator()
    files = sorted((NEGATIVE / "schema").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)), f"{path.name} should fail the schema"


OVERLAY = ROOT / "tests" / "data" / "variants" / "overlay" / "east.yaml"


def test_an_overlay_file_validates_against_the_same_schema() -> None:
    validator = _validator()
    overlay = yaml.safe_load(OVERLAY.read_text(encoding="utf-8"))
    assert "extends" in overlay
    assert not [e.message for e in validator.iter_errors(overlay)]
    # by the rule that fails and what it names (the wording changes between releases)
    for bad, rule, names in (({**overlay, "title": "T"}, "additionalProperties", "'title'"),
                             ({**overlay, "change": {"nodez": []}}, "additionalProperties",
                              "'nodez'"),
                             ({**overlay, "variant": {"id": "1st"}}, "pattern", "'1st'"),
                             ({**overlay, "extends": ""}, "minLength", "''")):
        errors = [(e.validator, e.message) for e in validator.iter_errors(bad)]
        assert any(r == rule and names in m for r, m in errors), (rule, errors)
    # without `extends`, the same keys are read as a model, which they are not
    model = {k: v for k, v in overlay.items() if k != "extends"}
    errors = [e.message for e in validator.iter_errors(model)]
    assert "'title' is a required property" in errors


def test_check_finds_the_overlay_mistakes_where_the_editor_does(cli: Any,
                                                               tmp_path: Path) -> None:
    from tests.yaml_ls import OVERLAY_DEMO

    (tmp_path / "logicmodel.toml").write_text("")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "devolved_budgets.yaml").write_text(
        (MODELS / "devolved_budgets.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "models" / "darlington_2021.yaml").write_text(OVERLAY_DEMO.replace("|", ""),
                                                              encoding="utf-8")
    r: CliResult = cli("check", "models/darlington_2021.yaml", cwd=tmp_path)
    found = re.findall(r"^models/darlington_2021.yaml:(\d+:\d+): (LM\d+)", r.out, re.M)
    assert found == [("5:1", "LM022"), ("9:3", "LM022")], r.out  # as in docs/editors.md


def test_a_short_version_validates() -> None:
    validator = _validator()
    short = yaml.safe_load((MODELS / "devolved_budgets_summary.yaml").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(short))
    short["summarises"]["mapping"] = {}
    errors = list(validator.iter_errors(short))  # `summarises` is optional: anyOf [it, null]
    assert any("'mapping' was unexpected" in c.message for e in errors for c in e.context)


def test_check_jsonschema_agrees() -> None:
    """The check-jsonschema command (another YAML loader, another code path) agrees."""
    exe = BIN / "check-jsonschema"
    good = [*sorted(str(p) for p in MODELS.glob("*.yaml")), str(OVERLAY)]
    r = subprocess.run([str(exe), "--schemafile", str(COMMITTED), *good],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    for bad in sorted((NEGATIVE / "schema").glob("*.yaml")):
        r = subprocess.run([str(exe), "--schemafile", str(COMMITTED), str(bad)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1, f"{bad.name}: {r.stdout}{r.stderr}"


@pytest.mark.parametrize(("kind", "allowed", "foreign"), [
    ("activity", {"actor"}, {"horizon", "indicators"}),
    ("outcome", {"horizon", "indicators", "role"}, {"actor", "response"}),
    ("context", {"role"}, {"horizon", "actor"}),
])
def test_a_field_is_valid_only_on_its_kind(kind: str, allowed: set[str],
                                           foreign: set[str]) -> None:
    validator = _validator()
    base: dict[str, Any] = {"logicmodel": 1, "title": "T"}
    node: dict[str, Any] = {"id": "n", "kind": kind, "label": "N"}
    if kind == "outcome":
        node["horizon"] = "short"
    values = {"actor": "council", "horizon": "short", "indicators": [], "role": "problem",
              "response": "trust"}
    for field in allowed:
        ok = {**base, "nodes": [{**node, field: values[field]}]}
        assert not list(validator.iter_errors(ok)), field
    for field in foreign:
        bad = {**base, "nodes": [{**node, field: values[field]}]}
        errors = [e.message for e in validator.iter_errors(bad)]
        assert any(field in m for m in errors), (field, errors)


def test_node_kinds_are_if_then_branches_not_a_union() -> None:
    node = json_schema()["$defs"]["Node"]
    assert "oneOf" not in node
    assert "discriminator" not in str(json_schema())
    assert [b["if"]["properties"]["kind"]["const"] for b in node["allOf"]] == [
        "context", "input", "activity", "output", "mechanism", "condition", "outcome", "impact"]
    assert set(node["properties"]) == {"id", "kind", "label", "stage", "description",
                                       "provenance", "groups", "tags", "evidence",
                                       "assumptions", "moderators", "ignore"}


def _recorded_session() -> str:
    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- recorded: python -m tests.yaml_ls -->\n```text\n(.*?)```", text, re.S)
    assert m, "docs/editors.md should hold the recorded session"
    return m.group(1)


def test_docs_show_the_recorded_document() -> None:
    from tests.yaml_ls import DEMO, OVERLAY_DEMO

    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    demo = "".join(line + "\n" for line in DEMO.replace("|", "").splitlines() if line.strip())
    assert f"```yaml\n# expect: LM021, LM022, LM024\n{demo}```" in text
    overlay = "".join(line + "\n" for line in OVERLAY_DEMO.replace("|", "").splitlines()
                      if line.strip())
    assert f"```yaml\n{overlay}```" in text


def test_language_server_session_matches_the_docs() -> None:
    command = find_server()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("yaml-language-server is not installed (.ci/run installs it)")
        pytest.skip("yaml-language-server is not installed (npm install yaml-language-server)")
    session = record(command)
    lines = session.splitlines()
    activity = lines[lines.index(next(x for x in lines if "of an activity" in x)) + 1]
    assert "actor" in activity
    assert "horizon" not in activity
    unkinded = lines[lines.index(next(x for x in lines if "without a kind" in x)) + 1]
    for leaked in ("horizon", "actor", "role", "response", "OutcomeNode"):
        assert leaked not in unkinded
    assert 'Missing property "horizon".' in session
    # the overlay file gets the overlay's fields, and its mistakes, from the same schema
    overlay = session[session.index("overlay file:"):]
    assert "Property title is not allowed." in overlay
    assert "Property nodez is not allowed." in overlay
    assert "Missing property" not in overlay
    assert session == _recorded_session()


def test_a_plain_discriminated_union_would_leak_fields(tmp_path: Path) -> None:
    """Why the schema is reshaped: the same session with Pydantic's own schema leaks."""
    command = find_server()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("yaml-language-server is not installed (.ci/run installs it)")
        pytest.skip("yaml-language-server is not installed (npm install yaml-language-server)")
    from logicmodel.schema import LogicModel

    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "logicmodel.schema.json").write_text(
        json.dumps(LogicModel.model_json_schema(by_alias=True)), encoding="utf-8")
    lines = record(command, tmp_path).splitlines()
    unkinded = lines[lines.index(next(x for x in lines if "without a kind" in x)) + 1]
    for leaked in ("horizon", "actor", "role", "response", "OutcomeNode"):
        assert leaked in unkinded
