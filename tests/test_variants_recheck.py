"""Re-checking a variant with its base's findings gives what checking it afresh gives.

``logicmodel check`` runs the rules that look at one element at a time only on
the elements a variant adds or changes, and keeps the base's findings about the
rest (logicmodel.rules.incremental). Each test here checks variants both ways:
with the base's findings, and with none kept (every rule on the whole variant),
and asks for the same report; several also ask for the variant's own problem,
which a stale reuse of the base's findings would hide.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from logicmodel.checking import check_document, load_checked
from logicmodel.config import Config
from logicmodel.diagnostics import Diagnostic
from logicmodel.loader import Document
from logicmodel.rules import carryover
from logicmodel.rules.incremental import run_all
from logicmodel.variants.load import variant_document
from tests.conftest import ROOT

FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"
SITES = ROOT / "tests" / "data" / "variants" / "sites.yaml"


def _base_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[:text.index("\nvariants:\n")] + "\n"


def _afresh(doc: Document, name: str, config: Config) -> list[Diagnostic]:
    """The variant's report with every rule run on the whole variant."""
    prior = doc.rule_run
    doc.rule_run = None
    try:
        return check_document(variant_document(doc, name), config)
    finally:
        doc.rule_run = prior


def _both(path: Path, config: Config | None = None
          ) -> dict[str, tuple[list[Diagnostic], list[Diagnostic]]]:
    """Variant -> (its report re-checked with the base's findings, its report checked afresh)."""
    config = config or Config()
    doc, _ = load_checked(str(path), config)
    assert doc.rule_run is not None
    out = {}
    for spec in doc.variants:
        reused = check_document(variant_document(doc, spec.id), config)
        out[spec.id] = (reused, _afresh(doc, spec.id, config))
    return out


def _write(tmp_path: Path, base: str, variants: list[dict[str, Any]]) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(base + "variants:\n" + "".join(
        f"  - {json.dumps(v, ensure_ascii=False)}\n" for v in variants), encoding="utf-8")
    (tmp_path / "logicmodel.toml").write_text("")
    return path


@pytest.mark.parametrize("path", [FLAGSHIP, SITES], ids=["flagship", "sites"])
def test_the_shipped_variants_check_the_same_both_ways(path: Path) -> None:
    for name, (reused, afresh) in _both(path).items():
        assert reused == afresh, name


def test_the_rules_find_the_same_on_a_variant_both_ways() -> None:
    config = Config()
    doc, _ = load_checked(str(FLAGSHIP), config)
    assert doc.rule_run is not None
    for spec in doc.variants:
        variant = variant_document(doc, spec.id)
        check_document(variant, config)
        assert variant.rule_run is not None
        whole = run_all(variant.rule_run.ctx, config.active_rules()).findings
        for code, found in whole.items():
            assert sorted(map(repr, variant.rule_run.findings[code])) == sorted(
                map(repr, found)), (spec.id, code)


def _codes(diags: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in diags]


def test_a_variant_that_lengthens_a_label_is_told(tmp_path: Path) -> None:
    long = "A label far longer than sixty characters, written by one site only"
    path = _write(tmp_path, _base_text(FLAGSHIP), [
        {"id": "wordy", "change": {"nodes": [{"id": "in_budget", "label": long}]}}])
    reused, afresh = _both(path)["wordy"]
    assert reused == afresh
    assert ("LM501", f"variant `wordy`: the label of `in_budget` is {len(long)} characters "
            "long (at most 60)") in _codes(reused)
    assert {d.file for d in reused} == {str(path.relative_to(Path.cwd()))
                                        if path.is_relative_to(Path.cwd()) else str(path)}


def test_a_variant_that_shortens_a_silenced_label_is_told_the_silence_is_unused(
        tmp_path: Path) -> None:
    base = SITES.read_text(encoding="utf-8")
    base = base[:base.index("\nvariants:\n")] + "\n"
    base = base.replace("logicmodel: 1", "logicmodel: 2").replace(
        "  - {id: money, kind: input, label: A budget per family}",
        "  - {id: money, kind: input, label: \"A budget per family, held by the family's "
        "social worker for whatever helps\",\n     ignore: [{rule: LM501, reason: quoted from the "
        "report}]}")
    path = _write(tmp_path, base, [
        {"id": "short", "change": {"nodes": [{"id": "money", "label": "A budget"}]}},
        {"id": "same", "change": {"nodes": [{"id": "spend", "label": "Spend it"}]}}])
    both = _both(path)
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
    assert "LM710" in [d.code for d in both["short"][0]]
    assert "LM710" not in [d.code for d in both["same"][0]]


def test_a_variant_citing_an_unknown_source_is_told(tmp_path: Path) -> None:
    path = _write(tmp_path, _base_text(FLAGSHIP), [
        {"id": "cites", "change": {"nodes": [
            {"id": "act_identify", "provenance": {"status": "stated", "refs": ["nosuch2020"]}}]}},
        {"id": "adds", "add": {"nodes": [
            {"id": "act_more", "kind": "activity", "label": "More",
             "provenance": {"status": "stated", "refs": ["nosuch2020"]}}]}}])
    both = _both(path)
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
        assert "LM102" in [d.code for d in reused], name


def test_a_variant_that_removes_what_a_pathway_needs_is_told(tmp_path: Path) -> None:
    base = SITES.read_text(encoding="utf-8")
    base = base[:base.index("\nvariants:\n")] + "\n"
    path = _write(tmp_path, base, [
        {"id": "gone", "remove": {"nodes": ["needs"], "links": ["L2", "L7"]}},
        {"id": "cut", "remove": {"links": ["L7"]}},
        {"id": "broken", "change": {"pathways": [
            {"id": "direct", "nodes": ["money", "needs", "spend", "trust", "fewer"]}]}}])
    both = _both(path)
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
    assert "LM043" in [d.code for d in both["gone"][0]]
    assert any(d.code.startswith("LM4") and "variant `cut`" in d.message
               for d in both["cut"][0])
    assert any(d.code.startswith("LM4") and "variant `broken`" in d.message
               for d in both["broken"][0])


def test_a_variant_that_marks_a_node_missing_or_adds_a_role(tmp_path: Path) -> None:
    path = _write(tmp_path, _base_text(FLAGSHIP), [
        {"id": "missing", "change": {"nodes": [
            {"id": "st_needs_met", "indicators": [], "provenance": {"status": "missing"}}]}},
        {"id": "role", "change": {"nodes": [{"id": "st_needs_met", "role": "primery"}]}}])
    both = _both(path)
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
    assert "LM111" in [d.code for d in both["role"][0]]


def _random_variant(rng: random.Random, k: int, model: Any) -> dict[str, Any]:
    nodes = [n.id for n in model.nodes]
    links = [lk.id for lk in model.links if lk.id]
    change: dict[str, list[dict[str, Any]]] = {}
    add: dict[str, list[dict[str, Any]]] = {}
    remove: dict[str, list[str]] = {}
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(10)
        nid = rng.choice(nodes)
        if op == 0:
            change.setdefault("nodes", []).append(
                {"id": nid, "label": rng.choice(["Short", "x" * 70])})
        elif op == 1:
            change.setdefault("nodes", []).append(
                {"id": nid, "provenance": rng.choice([
                    {"status": "missing"}, {"status": "stated", "refs": ["nosuch"]},
                    {"status": "stated"}, {"status": "inferred"}])})
        elif op == 2:
            change.setdefault("nodes", []).append({"id": nid, "groups": ["nogroup"]})
        elif op == 3:
            remove.setdefault("links", []).append(rng.choice(links))
        elif op == 4:
            add.setdefault("nodes", []).append(
                {"id": f"new{k}_{len(add.get('nodes', []))}",
                 "kind": rng.choice(["activity", "output", "outcome"]), "horizon": "short",
                 "label": "Added"})
        elif op == 5:
            add.setdefault("links", []).append(
                {"from": nid, "to": rng.choice([*nodes, "nosuch_node"])})
        elif op == 6:
            change.setdefault("links", []).append(
                {"id": rng.choice(links), "to": rng.choice(nodes)})
        elif op == 7:
            remove.setdefault("nodes", []).append(nid)
        elif op == 8:
            change.setdefault("nodes", []).append({"id": nid, "stage": "nostage"})
        else:
            change.setdefault("nodes", []).append(
                {"id": nid, "kind": rng.choice(["activity", "output", "impact"])})
    out: dict[str, Any] = {"id": f"v{k}"}
    for part, value in (("change", change), ("add", add), ("remove", remove)):
        if value:
            out[part] = value
    return out


def test_random_variants_of_the_flagship_check_the_same_both_ways(tmp_path: Path) -> None:
    rng = random.Random(20261202)
    doc, _ = load_checked(str(FLAGSHIP), Config())
    variants = [_random_variant(rng, k, doc.model) for k in range(60)]
    path = _write(tmp_path, _base_text(FLAGSHIP), variants)
    both = _both(path)
    assert len(both) == 60
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
    assert sum(bool(reused) for reused, _ in both.values()) > 30


def test_a_variant_that_removes_a_node_a_step_names_is_told(tmp_path: Path) -> None:
    # the removed node is still a step of a pathway the variant left alone: reported at
    # the removal, and the base's clean findings about that pathway must not stand
    base = SITES.read_text(encoding="utf-8")
    base = base[:base.index("\nvariants:\n")].replace("logicmodel: 1", "logicmodel: 2")
    base += ("\n  - {id: stepped, label: Stepped, mechanism: trust,\n"
             "     steps: [[money, spend], [spend, needs], [needs, trust], [trust, fewer]]}\n")
    path = _write(tmp_path, base, [
        {"id": "south", "remove": {"nodes": ["needs"], "links": ["L2", "L7"]},
         "change": {"pathways": [{"id": "direct", "nodes": ["money", "spend", "trust",
                                                            "fewer"]}]},
         "add": {"links": [{"id": "L5", "from": "spend", "to": "trust"}]}}])
    reused, afresh = _both(path)["south"]
    assert reused == afresh
    assert ("LM043", "variant `south` removes `needs`, which pathway `stepped` still uses"
            ) in _codes(reused)


def test_a_variant_that_adds_what_a_silenced_reference_lacked_is_told(tmp_path: Path) -> None:
    # The base's link names a node it lacks, and silences LM102 there; the variant adds
    # the node, so nothing is left to silence: the base's finding must not stand.
    base = SITES.read_text(encoding="utf-8")
    base = base[:base.index("\nvariants:\n")].replace("logicmodel: 1", "logicmodel: 2") + "\n"
    base = base.replace(
        "  - {id: L2, from: spend, to: needs}",
        "  - {id: L2, from: spend, to: needs}\n  - {id: L9, from: spend, to: advice,\n"
        "     ignore: [{rule: LM102, reason: the advice service is drawn elsewhere}]}")
    path = _write(tmp_path, base, [
        {"id": "advised", "add": {"nodes": [
            {"id": "advice", "kind": "output", "label": "Advice given"}],
            "links": [{"from": "advice", "to": "trust"}]}}])
    reused, afresh = _both(path)["advised"]
    assert reused == afresh
    assert "LM710" in [d.code for d in reused]


def test_a_variant_that_silences_a_rule_is_heard(tmp_path: Path) -> None:
    # The base silences nothing; the variant's own `ignore:` entries must still count.
    long = "A label far longer than sixty characters, written by one site only"
    path = _write(tmp_path, _base_text(FLAGSHIP), [
        {"id": "quiet", "change": {"nodes": [
            {"id": "in_budget", "label": long,
             "ignore": [{"rule": "LM501", "reason": "the site's own words"}]}]}},
        {"id": "idle", "add": {"nodes": [
            {"id": "act_more", "kind": "activity", "label": "More",
             "provenance": {"status": "inferred"},
             "ignore": [{"rule": "LM301", "reason": "not measured"}]}],
            "links": [{"from": "act_more", "to": "out_material"}]}}])
    both = _both(path)
    for name, (reused, afresh) in both.items():
        assert reused == afresh, name
    assert "LM501" not in [d.code for d in both["quiet"][0]]
    assert "LM710" in [d.code for d in both["idle"][0]]


# --- whole-model rules: random edits, each variant checked with the base's results and afresh


def _structural_variant(rng: random.Random, k: int, model: Any) -> dict[str, Any]:
    """A variant that adds, removes and rewires: cycles, feedback, loose ends, a node a
    pathway needs, a start turned into a result, ids and links used twice, and uses of
    assumptions, moderators and references moved about."""
    nodes = [n.id for n in model.nodes]
    links = [lk for lk in model.links if lk.id]
    assumptions = [a.id for a in model.assumptions]
    moderators = [m.id for m in model.moderators]
    references = [r.id for r in model.references]
    change: dict[str, list[dict[str, Any]]] = {}
    add: dict[str, list[dict[str, Any]]] = {}
    remove: dict[str, list[str]] = {}
    changed: set[str] = set()
    new_nodes: list[str] = []

    def node_change(nid: str, **fields: Any) -> None:
        if nid in changed or nid in remove.get("nodes", []):
            return
        changed.add(nid)
        change.setdefault("nodes", []).append({"id": nid, **fields})

    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(18)
        nid, other = rng.choice(nodes), rng.choice(nodes)
        if op == 0:  # a link from a later node back to an earlier one: may close a cycle
            add.setdefault("links", []).append({"from": other, "to": nid})
        elif op == 1:  # the same, declared as feedback
            add.setdefault("links", []).append({"from": other, "to": nid, "feedback": True})
        elif op == 2 and links:  # a link redrawn, or its feedback flag flipped
            lk = rng.choice(links)
            entry: dict[str, Any] = {"id": lk.id}
            if rng.random() < 0.5:
                entry["feedback"] = not lk.feedback
            else:
                entry[rng.choice(["from", "to"])] = rng.choice([*nodes, *new_nodes])
            if lk.id not in [e["id"] for e in change.get("links", [])]:
                change.setdefault("links", []).append(entry)
        elif op == 3 and links:  # a link taken away: may cut a route or a pathway
            lk = rng.choice(links)
            named = {lid for p in model.pathways for lid in p.links}
            if lk.id not in remove.get("links", []) and (
                    lk.id not in named or rng.random() < 0.2):
                remove.setdefault("links", []).append(lk.id)
        elif op == 4 and nid not in changed:  # a node taken away with its links
            gone = [lk.id for lk in model.links
                    if nid in (lk.source, lk.target) and lk.id]
            if len(gone) == len([lk for lk in model.links if nid in (lk.source, lk.target)]):
                remove.setdefault("nodes", []).append(nid)
                for lid in gone:
                    if lid not in remove.setdefault("links", []):
                        remove["links"].append(lid)
        elif op == 5:  # a new node, linked in, out, both or neither
            new = f"new{k}_{len(new_nodes)}"
            new_nodes.append(new)
            kind = rng.choice(["activity", "output", "mechanism", "outcome", "impact", "input"])
            add.setdefault("nodes", []).append(
                {"id": new, "kind": kind, "label": "Added",
                 **({"horizon": "short"} if kind == "outcome" else {})})
            if rng.random() < 0.7:
                add.setdefault("links", []).append({"from": nid, "to": new})
            if rng.random() < 0.7:
                add.setdefault("links", []).append({"from": new, "to": other})
        elif op == 6 and new_nodes:  # links among the new nodes (in a circle, sometimes)
            a, b = rng.choice(new_nodes), rng.choice(new_nodes)
            add.setdefault("links", []).append({"from": a, "to": b})
        elif op == 7:  # a kind changed, among kinds that take the same fields
            kinds = {n.id: n.kind for n in model.nodes}
            same = [["output", "mechanism", "context", "input"], ["outcome", "impact"]]
            for group in same:
                if kinds[nid] in group:
                    node_change(nid, kind=rng.choice(group))
        elif op == 8:
            node_change(nid, horizon=rng.choice(["short", "medium", "long"]))
        elif op == 9:
            node_change(nid, provenance={"status": rng.choice(["missing", "inferred"])})
        elif op == 10:  # an id used twice: a new indicator named as a node
            node_change(nid, indicators=[{"id": rng.choice([other, f"ind{k}"]),
                                          "measure": "Measured"}])
        elif op == 11 and links:  # the same link twice
            lk = rng.choice(links)
            add.setdefault("links", []).append({"from": lk.source, "to": lk.target})
        elif op == 12 and assumptions:
            node_change(nid, assumptions=rng.sample(
                assumptions, k=rng.randint(0, min(2, len(assumptions)))))
        elif op == 13 and moderators:
            node_change(nid, moderators=rng.sample(moderators, k=rng.randint(0, len(moderators))))
        elif op == 14 and references:
            node_change(nid, provenance={"status": "stated", "refs": [rng.choice(references)]})
        elif op == 15 and links:  # a link's assumptions and citations rewritten
            lk = rng.choice(links)
            if lk.id not in [e["id"] for e in change.get("links", [])]:
                change.setdefault("links", []).append(
                    {"id": lk.id, "assumptions": rng.sample(assumptions, k=min(1, len(
                        assumptions))), "provenance": {"status": "inferred"}})
        elif op == 16 and model.pathways:  # a pathway rerouted through other nodes
            p = rng.choice(model.pathways)
            change.setdefault("pathways", []).append(
                {"id": p.id, "links": [], "steps": [], "start": [], "end": [],
                 "nodes": [nid, other]}) if p.id not in [
                    e["id"] for e in change.get("pathways", [])] else None
        elif op == 17:
            node_change(nid, stage=rng.choice([None, "nostage"]))
    out: dict[str, Any] = {"id": f"s{k}"}
    for part, value in (("change", change), ("add", add), ("remove", remove)):
        if value:
            out[part] = value
    return out


def _synthetic_with_pathways(n_nodes: int) -> str:
    """A synthetic model (benchmarks/synthetic.py) with two chain pathways and a view."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import synthetic_model

    parts = synthetic_model(n_nodes).split("\n  - from: ")
    text = parts[0] + "".join(f"\n  - id: L{k}\n    from: {rest}"
                              for k, rest in enumerate(parts[1:]))
    doc = load_checked_text(text)
    model = doc.model
    assert model is not None
    succ: dict[str, list[str]] = {}
    for lk in model.links:
        succ.setdefault(lk.source, []).append(lk.target)
    chains = []
    for start in (model.nodes[0].id, model.nodes[1].id):
        chain = [start]
        while chain[-1] in succ:
            chain.append(succ[chain[-1]][0])
        chains.append(chain)
    mech = [n for n in chains[0] if n.startswith("mec")]
    lines = [text.rstrip("\n"), "assumptions:",
             "  - {id: a_one, label: One}", "  - {id: a_two, label: Two}",
             "moderators:", "  - {id: m_one, label: One, effect: barrier}",
             "references:", "  - {id: r_one, citation: One}", "  - {id: r_two, citation: Two}",
             "pathways:"]
    for k, chain in enumerate(chains):
        lines.append(f"  - {{id: p{k}, label: Pathway {k}, nodes: [{', '.join(chain)}]"
                     + (f", mechanism: {mech[0]}" if k == 0 and mech else "") + "}")
    lines += ["views:", "  - {id: outputs, stages: [output]}",
              "  - {id: p0_only, pathways: [p0], others: hide}"]
    return "\n".join(lines) + "\n"


def load_checked_text(text: str) -> Document:
    from logicmodel.loader import parse_document

    return parse_document(text.encode("utf-8"), "<synthetic>")


def _rule_by_rule(path: Path) -> int:
    """Each variant's findings, rule by rule, re-checked and afresh; returns how many
    variants were valid models (the others are refused at the merge, alike both ways)."""
    config = Config()
    doc, _ = load_checked(str(path), config)
    models = 0
    for spec in doc.variants:
        variant = variant_document(doc, spec.id)
        reused = check_document(variant, config)
        assert reused == _afresh(doc, spec.id, config), spec.id
        if variant.model is None:
            continue
        models += 1
        assert variant.rule_run is not None
        whole = run_all(variant.rule_run.ctx.__class__(variant.model, config.options),
                        config.active_rules()).findings
        for code, found in whole.items():
            assert sorted(map(repr, variant.rule_run.findings[code])) == sorted(
                map(repr, found)), (spec.id, code)
    return models


@pytest.mark.parametrize("carry_from", [0, carryover.CARRY_FROM], ids=["counted", "as-shipped"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_rewiring_of_the_flagship_checks_the_same_both_ways(
        tmp_path: Path, seed: int, carry_from: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # the flagship is small enough that, as shipped, the counting rules run again on
    # each variant: counted, they are worked out from the base's counts
    monkeypatch.setattr(carryover, "CARRY_FROM", carry_from)
    rng = random.Random(seed)
    doc, _ = load_checked(str(FLAGSHIP), Config())
    variants = [_structural_variant(rng, k, doc.model) for k in range(50)]
    path = _write(tmp_path, _base_text(FLAGSHIP), variants)
    assert _rule_by_rule(path) > 20


@pytest.mark.parametrize("seed", [1, 2])
def test_random_rewiring_of_a_synthetic_model_checks_the_same_both_ways(tmp_path: Path,
                                                                       seed: int) -> None:
    base = _synthetic_with_pathways(120)
    model = load_checked_text(base).model
    assert model is not None
    assert len(model.nodes) + len(model.links) >= carryover.CARRY_FROM  # the rules count
    rng = random.Random(seed)
    variants = [_structural_variant(rng, k, model) for k in range(40)]
    path = _write(tmp_path, base, variants)
    assert _rule_by_rule(path) > 20


def test_what_a_removal_still_needs_is_found_alike_from_the_base(tmp_path: Path) -> None:
    """LM043 worked out from the base's users of each id (shared by its variants), or
    from the sections that can name what is removed, says what reading the whole merged
    variant says, users in the same order."""
    from logicmodel.variants.merge import BaseIndex, Src, apply_patch

    doc, _ = load_checked(str(FLAGSHIP), Config())
    assert doc.tree is not None
    assert doc.model is not None
    data = {k: v for k, v in doc.tree.data.items() if k != "variants"}
    m = doc.model
    # a view that hides nodes, so that a removed node can be named by a view
    data["views"] = [*data["views"], {"id": "hiding", "hide": [n.id for n in m.nodes[::4]]}]
    pools = {"nodes": [n.id for n in m.nodes], "links": [lk.id for lk in m.links if lk.id],
             "assumptions": [a.id for a in m.assumptions],
             "moderators": [x.id for x in m.moderators],
             "references": [r.id for r in m.references], "pathways": [p.id for p in m.pathways],
             "groups": [g.id for g in m.groups]}
    rng = random.Random(7)
    index = BaseIndex()
    src = Src(doc.file, doc.tree.root, ())
    told = 0
    for k in range(150):
        remove = {section: rng.sample(ids, k=min(len(ids), rng.randint(1, 3)))
                  for section, ids in pools.items() if ids and rng.random() < 0.4}
        patch: dict[str, Any] = {"remove": remove}
        if rng.random() < 0.5:  # an entry changed to name what is removed, or no more
            nid = rng.choice(pools["links"])
            patch["change"] = {"links": [{"id": nid, "to": rng.choice(pools["nodes"])}]}
        if rng.random() < 0.5:
            patch["add"] = {"links": [{"from": rng.choice(pools["nodes"]),
                                       "to": rng.choice(pools["nodes"])}]}
        where = Src(doc.file, doc.tree.root, ("variants", k))
        plain = apply_patch(data, src, patch, where, f"v{k}")[2]
        first = apply_patch(data, src, patch, where, f"v{k}", BaseIndex())[2]
        shared = apply_patch(data, src, patch, where, f"v{k}", index)[2]
        said = [(p.code, p.message, p.src.path) for p in plain]
        assert said == [(p.code, p.message, p.src.path) for p in first], patch
        assert said == [(p.code, p.message, p.src.path) for p in shared], patch
        told += sum(p.code == "LM043" for p in plain)
    assert told > 50


def test_a_problem_after_a_removed_entry_is_located_at_its_own_line(tmp_path: Path) -> None:
    # removing L1 moves every later link up one place: a problem the variant finds at
    # L7, which it leaves alone, is still reported at L7's line of the base
    base = _base_text(SITES)
    path = _write(tmp_path, base, [
        {"id": "late", "remove": {"links": ["L1"]},
         "change": {"nodes": [{"id": "needs", "kind": "outcome", "horizon": "short"}]}}])
    reused, afresh = _both(path)["late"]
    assert reused == afresh
    [backward] = [d for d in reused if d.code == "LM202"]
    line = next(n for n, text in enumerate(base.splitlines(), 1) if "id: L7" in text)
    assert backward.span is not None
    assert backward.span.line == line
    assert "from `needs`" in backward.message
