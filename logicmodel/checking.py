"""Checking models: load, run the configured rules, collect located diagnostics.

This is the pipeline behind ``logicmodel check``: for each file, load it
(:mod:`logicmodel.loader`), and if it is a valid model run the active rules
(:mod:`logicmodel.rules`). One run reports every problem in every file; a file
that fails never hides the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostic, Severity, Span, sort_key
from .gcpause import paused_gc
from .loader import Document, display_path, load_document, load_file, parse_document, relocated
from .rules import Context, Locate, Rule, located, run_rules
from .rules.incremental import RuleRun, rerun, run_all
from .rules.registry import rule, stamp
from .runcache import one_run
from .schema import LogicModel
from .suppressions import apply_suppressions, suppressions

__all__ = [
    "CheckResult",
    "check",
    "check_all",
    "check_document",
    "check_paths",
    "check_variants",
    "expand_paths",
    "load_all_checked",
    "load_checked",
]

MODEL_SUFFIXES = (".yaml", ".yml")


@dataclass
class CheckResult:
    """The outcome of checking one or more files."""

    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    fail_on_by_file: dict[str, Severity] = field(default_factory=dict)

    def is_failing(self, d: Diagnostic) -> bool:
        """Whether a diagnostic fails the check (its file's ``fail-on`` may be stricter)."""
        return d.severity.rank >= self.fail_on_by_file.get(d.file, self.fail_on).rank

    @property
    def failed(self) -> bool:
        """True if any diagnostic is at or above the failing severity."""
        return any(self.is_failing(d) for d in self.diagnostics)

    def counts(self) -> dict[Severity, int]:
        out = dict.fromkeys(Severity, 0)
        for d in self.diagnostics:
            out[d.severity] += 1
        return out


def _nowhere(path: object, *, at_key: bool = False) -> Span:
    return Span(1, 1, 1, 1)  # positions are not needed to compare two runs


# Rules whose findings can follow from a link that names a misspelt node id.
_FOLLOW_ON_RANGES = ("LM2", "LM4")


def _without_follow_ons(model: LogicModel, found: list[Diagnostic], config: Config,
                        run: RuleRun | None = None) -> list[Diagnostic]:
    """``found`` less the problems that only follow from links to misspelt node ids.

    A link to `outcme` (LM102, "did you mean `outcome`?") also leaves `outcome`
    unreached and a pathway step unlinked. Those follow-ons vanish once the id is
    fixed, so they are found by checking the model again with every misspelt end
    read as its suggestion, and left out: the report names the cause once.
    """
    unknown = run.findings.get("LM102") if run is not None else None
    if unknown is not None and not any(
            f.path[:1] == ("links",) and f.path[2:] in (("from",), ("to",)) for f in unknown):
        return found  # LM102 ran and found no link to an unknown node: the usual case
    ids = [n.id for n in model.nodes]
    known = set(ids)
    if all(lk.source in known and lk.target in known for lk in model.links):
        return found  # no link names an unknown node
    import difflib

    changed: list[object] = []
    for link in model.links:
        update = {}
        for end in ("source", "target"):
            value = getattr(link, end)
            if value not in known:
                close = difflib.get_close_matches(value, ids, n=1)
                if close:
                    update[end] = close[0]
        changed.append(link.model_copy(update=update) if update else link)
    if all(a is b for a, b in zip(changed, model.links, strict=True)):
        return found
    fixed = model.model_copy(update={"links": changed})
    rules = [r for r in config.active_rules() if r.code.startswith(_FOLLOW_ON_RANGES)]
    again = {(d.code, d.path) for d in run_rules(
        Context(fixed, config.options), rules, _nowhere, "", config.severity)}
    return [d for d in found
            if not d.code.startswith(_FOLLOW_ON_RANGES) or (d.code, d.path) in again]


def check_document(doc: Document, config: Config | None = None) -> list[Diagnostic]:
    """All diagnostics for one loaded document, sorted by position.

    For a variant (or an overlay file), each problem is located in the file
    that wrote its part, names the variant, and problems the base model has
    too are left to the base's own report.
    """
    config = config or Config()
    diags = list(doc.diagnostics)
    base = doc.base if doc.base is not None and doc.base.model is not None else None
    in_base = _base_problems(base, config) if base is not None else []
    if doc.model is not None:
        ctx = Context(doc.model, config.options)
        rules = config.active_rules()
        with paused_gc():
            prior = base.rule_run if base is not None else None
            if prior is not None and prior.key is config:
                run = rerun(prior, ctx, rules, config)
            else:
                run = run_all(ctx, rules, config)
            doc.rule_run = run
            found = _stamped(run, rules, doc.locate, doc.file, config.severity)
            kept = _without_follow_ons(doc.model, found, config, run)
            if doc.full is not None:
                from .versions.check import version_diagnostics

                kept += version_diagnostics(doc, config)
            entries = None
            if run.ignores is None:
                entries = list(suppressions(doc.model))
                run.ignores = bool(entries)
            checked = apply_suppressions(
                doc.model, kept,
                doc.locate, doc.file,
                lambda code: config.severity_of(code) if config.is_active(code) else None,
                entries) if run.ignores else kept
        if doc.origin is not None:
            checked = [relocated(doc, d) for d in checked]
        diags.extend(checked)
        if base is not None and base.model is not None and base.model.groups:
            diags.extend(_emptied_groups(doc, base, config))
    if base is not None:
        # A problem at the same place with the same code is the base's, said once.
        known = {_said(d, None) for d in in_base}
        diags = [d for d in diags if _said(d, doc.variant) not in known]
        if doc.overlay is not None:
            diags.extend(in_base)  # an overlay's report includes its base's problems
    diags.sort(key=sort_key)
    return diags


def _emptied_groups(doc: Document, base: Document, config: Config) -> list[Diagnostic]:
    """LM048: the groups a variant's removals left with no member."""
    from .variants.groups import emptied_groups

    spec = doc.overlay or next((v for v in base.variants if v.id == doc.variant), None)
    return emptied_groups(doc, spec, config) if spec is not None else []


def _base_problems(base: Document, config: Config) -> list[Diagnostic]:
    """The base's own report, checked once (a variant's report leaves these to it)."""
    cached = base.checked
    if cached is not None and cached[0] is config:
        return cached[1]
    in_base = check_document(base, config)
    base.checked = (config, in_base)
    return in_base


def _stamped(run: RuleRun, rules: Sequence[Rule], locate: Locate, file: str,
             severity: dict[str, Severity]) -> list[Diagnostic]:
    """Each rule's findings as located diagnostics, in rule order (as :func:`run_rules`)."""
    return [d for r in rules for d in located(r, run.findings.get(r.code, ()), locate, file,
                                              severity)]


# A short version's mapping problems (LM121-LM125) are reported at the mapping, where the base
# reports its own: a variant's are told apart from the base's by what they say.
_SAID_BY_MESSAGE = ("LM121", "LM122", "LM123", "LM124", "LM125")


def _said(d: Diagnostic, variant: str | None) -> tuple[object, ...]:
    """What makes a variant's problem the base's too: its code and place (and, for a
    mapping problem, its message without the variant's name)."""
    if d.code not in _SAID_BY_MESSAGE:
        return (d.code, d.file, d.span)
    return (d.code, d.file, d.span, d.message.removeprefix(f"variant `{variant}`: "))


def check_variants(doc: Document, config: Config, only: str | None = None
                   ) -> list[Diagnostic]:
    """The problems of each of a model's inline variants (or of ``only``) the base does not have.

    Raises:
        VariantError: ``only`` names no variant of the model (LM046).
    """
    if only == "base" or (only is None and not doc.variants):
        return []  # (without importing the variants' code: most models have none)
    from .variants.load import variant_document

    if only is not None:
        return check_document(variant_document(doc, only), config) if doc.model else []
    if doc.model is None:
        return []
    out: list[Diagnostic] = []
    for spec in doc.variants:
        out.extend(check_document(variant_document(doc, spec.id), config))
    return out


def check(source: str | os.PathLike[str] | LogicModel, config: Config | None = None
          ) -> list[Diagnostic]:
    """Check one model: a path, YAML text (a str with a newline), or a LogicModel.

    Never raises for problems in the model: they are returned as diagnostics.
    """
    config = config or Config()
    if isinstance(source, LogicModel):
        doc = Document("<model>", model=source)
    else:
        doc = load_document(source, max_size=config.max_file_size)
    return check_all(doc, config)


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files to check: files as given, folders searched for ``*.yaml``/``*.yml``.

    Returns the files (sorted within each folder) and the paths that do not exist.
    """
    files: list[str] = []
    missing: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*")
                if f.suffix in MODEL_SUFFIXES and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
            files.extend(str(f) for f in found)
        elif path.exists() or p == "-":
            files.append(p)
        else:
            missing.append(p)
    return files, missing


def check_paths(paths: Sequence[str], config: Config | Callable[[str], Config] | None = None,
                stdin_text: str | None = None, variant: str | None = None) -> CheckResult:
    """Check every model file under ``paths`` and gather the results.

    ``config`` is one configuration for every file, or a function giving each
    file's own (such as :class:`logicmodel.config.ConfigFinder`, which finds the
    nearest configuration file and applies its per-path overrides). Each
    model's inline variants are checked too, or only ``variant``.
    """
    config_for: Callable[[str], Config]
    if config is None or isinstance(config, Config):
        fixed = config or Config()
        config_for = lambda _name: fixed  # noqa: E731
    else:
        config_for = config
    result = CheckResult(fail_on=config_for("-").fail_on)
    files, missing = expand_paths(paths)
    seen: set[Diagnostic] = set()
    with one_run():  # a file read twice (a full version and its summary) is read once
        for name in [*files, *missing]:
            _check_one(name, config_for(name), stdin_text, variant, result, seen)
    return result


def _check_one(name: str, config: Config, stdin_text: str | None, variant: str | None,
               result: CheckResult, seen: set[Diagnostic]) -> None:
    if name == "-":
        doc, diags = load_all_checked(name, config, data=(stdin_text or "").encode(
            "utf-8", errors="surrogatepass"), display="<stdin>", variant=variant)
    else:
        doc, diags = load_all_checked(name, config, variant=variant)
    result.files.append(doc.file)
    result.fail_on_by_file[doc.file] = config.fail_on
    fresh = [d for d in diags if d not in seen]  # a base checked with its overlays
    seen.update(fresh)
    result.diagnostics.extend(cap_problems(fresh))


def load_checked(path: str, config: Config, *, data: bytes | None = None,
                 display: str | None = None) -> tuple[Document, list[Diagnostic]]:
    """Load one model with its configuration's limits and run its configuration's checks.

    This is the one load-and-check step of every command: ``check`` for each
    file, and :func:`logicmodel.pipeline.open_model` for the others. ``data``
    replaces reading ``path`` (standard input, a git revision); ``display``
    names the file in messages.
    """
    name = display if display is not None else display_path(path)
    if data is not None:
        doc = parse_document(data, name, max_size=config.max_file_size)
    else:
        doc = load_file(path, max_size=config.max_file_size, display=name)
    diags = check_document(doc, config)
    if doc.variants:
        doc.checked = (config, diags)  # what each variant's report leaves to the base
    return doc, diags


def load_all_checked(path: str, config: Config, *, data: bytes | None = None,
                     display: str | None = None, variant: str | None = None
                     ) -> tuple[Document, list[Diagnostic]]:
    """:func:`load_checked`, plus the problems of every inline variant (``check``'s default).

    With ``variant``, the base and that variant only.
    """
    doc, diags = load_checked(path, config, data=data, display=display)
    return doc, _with_variants(doc, diags, config, variant)


def check_all(doc: Document, config: Config | None = None) -> list[Diagnostic]:
    """:func:`check_document` for the base, then the problems of each of its variants."""
    config = config or Config()
    return _with_variants(doc, check_document(doc, config), config, None)


def _with_variants(doc: Document, diags: list[Diagnostic], config: Config,
                   variant: str | None) -> list[Diagnostic]:
    extra = check_variants(doc, config, variant)
    if doc.variants and doc.model is not None:
        diags = _cited_by_a_variant(doc, diags)
    return sorted([*diags, *extra], key=sort_key) if extra else diags


def _cited_by_a_variant(doc: Document, diags: list[Diagnostic]) -> list[Diagnostic]:
    """Drop the base's LM303 for references that only its variants cite."""
    from .variants.merge import references_cited

    assert doc.model is not None
    unused = [d for d in diags if d.code == "LM303" and d.path[:1] == ("references",)]
    if not unused:
        return diags
    cited: set[str] = set()
    for spec in doc.variants:
        cited |= references_cited(spec.patch)
    refs = doc.model.references
    return [d for d in diags if d not in unused or not (
        isinstance(d.path[1], int) and d.path[1] < len(refs) and refs[d.path[1]].id in cited)]


MAX_PROBLEMS_PER_FILE = 500


def cap_problems(diags: list[Diagnostic], limit: int = MAX_PROBLEMS_PER_FILE
                 ) -> list[Diagnostic]:
    """The first ``limit`` problems of one file and, past that, one LM090 saying how many more.

    A broken or hostile file can produce tens of thousands of problems; a report
    that long helps nobody and can swamp a CI log. LM090 takes the severity of
    the most serious problem it stands for, so the exit code does not change.
    """
    if len(diags) <= limit:
        return diags
    kept, dropped = diags[:limit], diags[limit:]
    worst = max((d.severity for d in dropped), key=lambda s: s.rank)
    message = (f"{len(dropped):,} more problems in this file are not shown "
               f"(the first {limit} are above)")
    return [*kept, stamp("LM090", message, dropped[0].file, dropped[0].span, dropped[0].path,
                         "fix the problems above first, or narrow the check with --select",
                         worst)]


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM090", "too-many-problems", Severity.INFO)
def too_many_problems() -> None:
    """A file has more problems than a report shows (500); the rest are counted.

    ## What it does
    After the first 500 problems in one file, `logicmodel check` reports one
    LM090 with the number left out. It takes the severity of the most serious
    problem it stands for, so the exit code is the same as with every problem
    listed.

    ## Why is this bad?
    Thousands of messages about one file (a file generated wrongly, or built to
    flood a CI log) hide the first, usually root, cause. Fix what is shown and
    check again.

    ## Example
    A generated model whose 2,000 links all point at misspelt ids gives 500
    LM102 messages and one LM090: "1,500 more problems in this file are not
    shown".
    """
