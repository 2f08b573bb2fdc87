"""The live preview's pages: each model checked and drawn as the viewer, rebuilt on demand.

A :class:`Preview` knows the project folder, the models in it, and for each
model its latest page. A page is the HTML viewer with the check's diagnostics
(``file:line:col``, code, message, hint) beside the figure. When a save breaks
the model, the page keeps the last figure that rendered, says that it is out
of date, and lists the errors; a model that never rendered shows only its
diagnostics.

Every build gets a new version string; :meth:`Preview.wait` blocks until the
version of a model differs from the one a page was built with, which is how a
browser learns to reload. Nothing here does I/O beyond reading the models and
the configuration: the HTTP server and the file watcher are in
:mod:`logicmodel.serve`.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import threading
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .html import Page
    from .render import RenderOptions

__all__ = ["Build", "Preview", "find_models"]

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                        ".tox", ".nox", "site", "build", "dist", ".mypy_cache",
                        ".pytest_cache", ".ruff_cache"})
_MODEL_HEAD = re.compile(rb"^logicmodel:\s*['\"]?\d", re.M)
_SUFFIXES = (".yaml", ".yml")


def _looks_like_model(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return _MODEL_HEAD.search(head) is not None


def find_models(root: Path) -> list[str]:
    """The model files under ``root`` (paths relative to it, ``/``-separated, sorted).

    A model is a ``.yaml`` or ``.yml`` file whose text has a ``logicmodel:``
    version line near the top. Hidden folders, virtual environments and build
    folders are skipped, and symbolic links are not followed, so nothing
    outside ``root`` is ever found.
    """
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(_SUFFIXES) and not path.is_symlink() and _looks_like_model(path):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


@dataclass
class Build:
    """The latest page of one model."""

    version: str
    page: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: int = 0
    rendered: bool = False          # the figure is of this version (not an older one)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def diagnostics_html(diagnostics: list[Diagnostic], *, stale: bool, rendered: bool) -> str:
    """The side panel's list of problems, escaped; empty when there are none."""
    if not diagnostics and rendered:
        return ('<section class="lm-diagnostics lm-clean" id="lm-diagnostics" '
                'aria-label="Check"><p>Checked: no problems.</p></section>\n')
    errors = sum(d.severity.value == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    counts = ", ".join(p for p in (
        f"{errors} error{'s' * (errors != 1)}" if errors else "",
        f"{warnings} warning{'s' * (warnings != 1)}" if warnings else "") if p)
    items = []
    for d in diagnostics:
        hint = f'<p class="lm-hint">hint: {_e(d.hint)}</p>' if d.hint else ""
        items.append(f'<li class="lm-diag lm-{_e(d.severity.value)}"><code>{_e(d.location())}'
                     f"</code>: <strong>{_e(d.code)}</strong> {_e(d.severity.value)}: "
                     f"{_e(d.message)}{hint}</li>")
    note = ""
    if stale:
        note = ('<p class="lm-stale">The figure is from the last version that rendered; '
                "fix the errors to update it.</p>")
    elif not rendered:
        note = '<p class="lm-stale">No figure: the model has errors.</p>'
    cls = "lm-diagnostics lm-has-errors" if errors else "lm-diagnostics"
    return (f'<section class="{cls}" id="lm-diagnostics" aria-label="Problems">'
            f"<h2>{_e(counts)}</h2>{note}<ul>{''.join(items)}</ul></section>\n")


def _live_script() -> str:
    return resources.files("logicmodel.html").joinpath("live.js").read_text(encoding="utf-8")


class Preview:
    """The models of one project and their latest pages.

    ``target`` is a model file or a folder; the project root is the folder
    (the file's folder for a file). ``options`` say what each figure shows
    (theme, view, pathways), as for ``render``; ``variant`` names the variant
    of each model to show (``base``: the model without its variants; None: the
    base with every variant to choose from). Pages are
    built lazily and rebuilt by :meth:`refresh`; all methods are safe to call
    from several threads.
    """

    def __init__(self, target: str | os.PathLike[str], options: RenderOptions | None = None,
                 variant: str | None = None) -> None:
        from .render import RenderOptions

        self.options = options if options is not None else RenderOptions()
        self.variant = variant
        path = Path(target).resolve()
        self.single = path.is_file()
        self.root = path.parent if self.single else path
        self._only = path.name if self.single else None
        self._token = secrets.token_hex(4)
        self._counter = 0
        self._lock = threading.Condition()
        self._builds: dict[str, Build] = {}
        self._good: dict[str, str] = {}   # rel -> the viewer page of its last rendered version
        self._closed = False
        self.models: list[str] = []
        self.rescan()

    # ---- which files -------------------------------------------------------
    def rescan(self) -> bool:
        """Look for models again (folder mode); True if the list changed."""
        models = [self._only] if self._only else find_models(self.root)
        with self._lock:
            changed = models != self.models
            self.models = [m for m in models if m is not None]
            for gone in set(self._builds) - set(self.models):
                del self._builds[gone]
                self._good.pop(gone, None)
            if changed:
                self._counter += 1
                self._lock.notify_all()
        return changed

    def model_of(self, path: str | os.PathLike[str]) -> str | None:
        """The model a changed file is, relative to the root, or None."""
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        return rel if rel in self.models else None

    # ---- building ----------------------------------------------------------
    def _version(self) -> str:
        self._counter += 1
        return f"{self._token}-{self._counter}"

    def page(self, rel: str) -> Build:
        """The latest build of ``rel`` (one of :attr:`models`), building it if needed."""
        with self._lock:
            build = self._builds.get(rel)
        return build if build is not None else self.refresh(rel)

    def refresh(self, rel: str) -> Build:
        """Check and render ``rel`` again, and wake whoever waits for it."""
        from .checking import load_all_checked
        from .config import load_config
        from .errors import ConfigError, LogicModelError
        from .html import Page, viewer_variants
        from .html.page import extend_page
        from .html.variants import full_variant_label
        from .loader import display_path
        from .render import render
        from .variants import variant_document

        path = self.root / rel
        display = display_path(path)
        diagnostics: list[Diagnostic]
        failure = None
        viewer: str | None = None
        try:
            config = load_config(None, start=path.parent)
            # what `check` reports: the base and each of its variants
            doc, diagnostics = load_all_checked(str(path), config, display=display)
        except ConfigError as exc:
            diagnostics = list(exc.diagnostics)
            failure = f"configuration error: {exc}"
            doc = None
        errors = sum(d.severity.value == "error" for d in diagnostics)
        if doc is not None and doc.model is not None and not errors:
            try:
                if self.variant not in (None, "base"):
                    doc = variant_document(doc, self.variant)
                assert doc.model is not None  # the check covered every variant
                # the base and every variant, the one asked for, or the base alone
                shown = viewer_variants(doc) if self.variant != "base" else []
                full = doc.full.model if doc.full is not None else None
                options = replace(self.options, variants=tuple(shown), full=full,
                                  full_variant=full_variant_label(doc))
                viewer = render(doc.model, "html", options).data.decode("utf-8")
            except LogicModelError as exc:
                code = getattr(exc, "code", "")
                failure = f"{code} {exc}".strip()
        with self._lock:
            if viewer is not None:
                self._good[rel] = viewer
            good = self._good.get(rel)
            version = self._version()
        side = ""
        if failure:
            side += (f'<section class="lm-diagnostics lm-has-errors"><p>{_e(failure)}</p>'
                     "</section>\n")
        side += diagnostics_html(diagnostics, stale=viewer is None and good is not None,
                                 rendered=viewer is not None)
        side += (f'<div id="lm-live" hidden data-version="{_e(version)}" '
                 f'data-events="/events/{_e(_url(rel))}"></div>\n')
        extra = Page(side=side, scripts=(_live_script(),), connect_self=True, live=True)
        text = extend_page(good, extra) if good is not None else _empty_page(display, extra)
        build = Build(version, text.encode("utf-8"), diagnostics, errors,
                      rendered=viewer is not None)
        with self._lock:
            self._builds[rel] = build
            self._lock.notify_all()
        return build

    # ---- waiting -----------------------------------------------------------
    def version(self, rel: str | None) -> str:
        """The current version of a model's page, or of the index (``None``: any change)."""
        with self._lock:
            return self._version_unlocked(rel)

    def wait(self, rel: str | None, seen: str, timeout: float) -> str:
        """Block until the version differs from ``seen``, the preview closes, or ``timeout``."""
        with self._lock:
            self._lock.wait_for(lambda: self._closed or self._version_unlocked(rel) != seen,
                                timeout)
            return self._version_unlocked(rel)

    def _version_unlocked(self, rel: str | None) -> str:
        if rel is None:
            return f"{self._token}-{self._counter}"
        build = self._builds.get(rel)
        return build.version if build else ""

    def close(self) -> None:
        """Wake every waiter for good (the server is stopping)."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed


def _url(rel: str) -> str:
    from urllib.parse import quote

    return quote(rel, safe="/")


def _empty_page(name: str, extra: Page) -> str:
    from .html.page import page_html

    svg = ('<svg id="lm-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 60" '
           f'role="img" aria-label="No figure"><text x="10" y="35" font-size="14">'
           f"{_e(name)}: no figure yet</text></svg>")
    payload = {"title": name, "description": "", "elements": {}, "facets": [],
               "references": {}}
    return page_html(name, "", svg, [], payload, extra)
