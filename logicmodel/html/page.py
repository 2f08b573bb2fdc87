"""One self-contained HTML page: the figure, the panel, the filters and search.

The page fetches nothing: its style and script are inline, the figure is the
renderer's SVG inline, and the model's data sit in a JSON block. Its
Content-Security-Policy (a ``<meta>`` element, so it holds on ``file://`` as
well as over HTTP) allows nothing by default and then exactly the inline
style and scripts of this page, named by their SHA-256 hashes. Text that a
model smuggled into the page as markup could therefore not run: any other
script, inline or not, any event attribute and any ``javascript:`` URL is
refused by the browser, and ``require-trusted-types-for 'script'`` makes the
markup sinks (``innerHTML`` and its kin) throw, which the viewer never uses.
All user text in the markup is escaped; the JSON block escapes ``<``, ``>``
and ``&``, so it cannot close its ``<script>`` element.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..signs import SIGNS
from .data import Facet

__all__ = ["Page", "content_security_policy", "extend_page", "json_block", "page_html"]


def _resource(name: str) -> str:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    if name == "viewer.js":  # the signs of changes, from the one place that has them
        signs = json.dumps(json.dumps(SIGNS, ensure_ascii=True))
        text = text.replace('"__LM_SIGNS__"', signs, 1)
    return text


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(styles: Sequence[str], scripts: Sequence[str], *,
                            connect_self: bool = False) -> str:
    """The policy that admits exactly these inline styles and scripts, and no network."""
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_hash(s) for s in scripts),
        "style-src " + " ".join(_hash(s) for s in styles),
        "connect-src 'self'" if connect_self else "connect-src 'none'",
        "img-src 'none'",
        "font-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ])


def json_block(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``<``, ``>``, ``&``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Page:
    """What a caller adds to the viewer (the live preview adds diagnostics and a script)."""

    side: str = ""                      # trusted HTML put first in the side column
    scripts: tuple[str, ...] = ()       # further inline scripts, after the viewer's
    connect_self: bool = False          # allow requests to the page's own origin
    live: bool = False                  # keep pan, zoom and selection across reloads


_SIDE = '<aside class="lm-side" aria-label="Details">\n'
_BODY = '<body data-live="0">'
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def extend_page(page: str, extra: Page) -> str:
    """A viewer page (from :func:`page_html`) with ``extra`` added, and its policy redone.

    The places it adds to are the template's own markup; model text never looks
    like it, because all of it reaches the page escaped.
    """
    if page.count(_SIDE) != 1 or page.count(_BODY) != 1 or len(_CSP.findall(page)) != 1:
        raise ValueError("not a page written by logicmodel's viewer")
    scripts = [_resource("viewer.js"), *extra.scripts]
    csp = content_security_policy([_resource("viewer.css")], scripts,
                                  connect_self=extra.connect_self)
    page = _CSP.sub(lambda _: f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
                    page, count=1)
    page = page.replace(_SIDE, _SIDE + extra.side, 1)
    page = page.replace(_BODY, f'<body data-live="{1 if extra.live else 0}">', 1)
    tags = "".join(f"<script>{s}</script>\n" for s in extra.scripts)
    head, sep, tail = page.rpartition("</body>")
    return head + tags + sep + tail


def _facet_controls(facets: Sequence[Facet]) -> str:
    out = []
    for f in facets:
        options = "".join(f'<option value="{_e(oid)}">{_e(label)}</option>'
                          for oid, label in f.options)
        out.append(f'<label>{_e(f.label)} <select id="lm-facet-{_e(f.id)}" '
                   f'data-facet="{_e(f.id)}"><option value="">{_e(f.all_label)}</option>'
                   f"{options}</select></label>")
    return "".join(out)


def _variant_control(variants: Sequence[str], missing: Sequence[tuple[str, str]]) -> str:
    if len(variants) + len(missing) < 2:
        return ""
    options = "".join(f'<option value="{i}">{_e(label)}</option>'
                      for i, label in enumerate(variants))
    options += "".join(f'<option disabled title="{_e(why)}">{_e(label)} (not in this '
                       f"figure: {_e(why)})</option>" for label, why in missing)
    return f'<label>Variant <select id="lm-variant">{options}</select></label>'


def _without_script(variants: Sequence[str]) -> str:
    """What a reader without scripts is told: the other variants need them."""
    if len(variants) < 2:
        return ""
    others = ", ".join(variants[1:])
    return ('<noscript><p class="lm-noscript">This page holds the figures of '
            f"{_e(variants[0])} and its variants ({_e(others)}); without scripts only "
            f"{_e(variants[0])} is shown. Render a variant on its own "
            "(<code>logicmodel render MODEL --variant NAME</code>) to read it without "
            "scripts.</p></noscript>")


def page_html(title: str, description: str, svg_element: str, facets: Sequence[Facet],
              payload: Any, extra: Page | None = None, *,
              variants: Sequence[str] = (), more_figures: Sequence[str] = (),
              missing: Sequence[tuple[str, str]] = ()) -> str:
    """The whole page, as text. ``svg_element`` is the annotated, checked SVG.

    A page of several variants names them in ``variants`` (labels, the shown one
    first) and carries the other figures, ``more_figures``, in inert templates.
    One variant alone is named beside the title. ``missing`` names the variants the
    page has no figure of (label, why): the menu lists them, not to be chosen.
    """
    extra = extra or Page()
    css = _resource("viewer.css")
    scripts = [_resource("viewer.js"), *extra.scripts]
    csp = content_security_policy([css], scripts, connect_self=extra.connect_self)
    about = ""
    if description:
        about = f'<p class="lm-description">{_e(description)}</p>'
    fade = ('<label><input type="checkbox" id="lm-fade"> fade instead of hiding</label>'
            if facets else '<input type="checkbox" id="lm-fade" hidden>')
    script_tags = "".join(f"<script>{s}</script>\n" for s in scripts)
    templates = "".join(f'<template class="lm-variant-figure">{f}</template>\n'
                        for f in more_figures)
    name = (f' <span class="lm-variant-name">({_e(variants[0])})</span>'
            if len(variants) == 1 else "")
    return string.Template(_resource("page.html")).substitute(
        csp=_e(csp), title=_e(title), css=css, live="1" if extra.live else "0",
        variant_name=name, variants=_variant_control(variants, missing),
        noscript=_without_script(variants),
        facets=_facet_controls(facets) + fade, svg=svg_element, templates=templates,
        side=extra.side, about=about, data=json_block(payload), scripts=script_tags)
