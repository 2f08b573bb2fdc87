"""How big is the HTML viewer, and how fast does it open in a real browser?

Run: python benchmarks/html_bench.py  (needs chromium and chromium-driver; about a minute)

For the flagship model (alone, and with its three pilots as variants, as
``render -o model.html`` writes it) and synthetic layered models of 300 and
1,000 boxes (about three links per box, from ``synthetic.py``): the page's size, the time
to write it (``render(model, "html")``, layout included), and, in headless
Chromium opening the file from ``file://``, the time from navigation start to
the end of the load event (the viewer's script has run by then: it runs before
``DOMContentLoaded``) and to the first contentful paint. Browser times are
medians of five fresh loads, in milliseconds; for the page of variants, also
the time to switch to each variant the first time (its figure taken from its
template and made ready), the slowest of them.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import synthetic_model

from logicmodel.html import viewer_variants
from logicmodel.loader import load_text
from logicmodel.render import RenderOptions, render
from tests.browser import start_browser, stop_browser

ROOT = Path(__file__).resolve().parent.parent

LOADS = 5


def open_times(driver: object, path: Path) -> tuple[float, float]:
    loads, paints = [], []
    for _ in range(LOADS):
        driver.get("about:blank")  # type: ignore[attr-defined]
        driver.get(path.as_uri())  # type: ignore[attr-defined]
        nav, paint = driver.execute_script(  # type: ignore[attr-defined]
            "const n = performance.getEntriesByType('navigation')[0];"
            "const p = performance.getEntriesByName('first-contentful-paint')[0];"
            "if (document.body.dataset.ready !== '1') throw new Error('viewer not ready');"
            "return [n.loadEventEnd, p ? p.startTime : -1];")
        loads.append(nav)
        paints.append(paint)
    return statistics.median(loads), statistics.median(paints)


SWITCH = """
const s = document.getElementById('lm-variant');
let worst = 0;
for (let i = 1; i < s.options.length; i++) {
  const t = performance.now();
  s.value = String(i);
  s.dispatchEvent(new Event('change'));
  worst = Math.max(worst, performance.now() - t);
}
return worst;
"""


def switch_time(driver: object) -> float:
    driver.execute_script("return 0")  # type: ignore[attr-defined]
    return float(driver.execute_script(SWITCH))  # type: ignore[attr-defined]


def main() -> None:
    flagship = (ROOT / "models" / "devolved_budgets.yaml").read_text()
    models = [("flagship", flagship, False),
              ("flagship + 3 variants", flagship, True)]
    models += [(f"synthetic {n} boxes", synthetic_model(n), False) for n in (300, 1000)]
    driver = start_browser()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, text, with_variants in models:
                doc = load_text(text, str(ROOT / "models" / "model.yaml"))
                assert doc.model is not None
                variants = tuple(viewer_variants(doc)) if with_variants else ()
                t = time.perf_counter()
                page = render(doc.model, "html",
                              RenderOptions(timeout=600, variants=variants)).data
                write_s = time.perf_counter() - t
                path = Path(tmp) / "model.html"
                path.write_bytes(page)
                load, paint = open_times(driver, path)
                switch = switch_time(driver) if variants else None
                rows.append((name, len(doc.model.nodes), len(doc.model.links),
                             len(page) / 1024, write_s, load, paint, switch))
    finally:
        stop_browser(driver)
    print(f"{'model':<24}{'boxes':>6}{'links':>7}{'size KB':>10}{'render s':>10}"
          f"{'load ms':>9}{'paint ms':>10}{'switch ms':>11}")
    for name, n, m, kb, w, load, paint, switch in rows:
        sw = f"{switch:>11.0f}" if switch is not None else f"{'':>11}"
        print(f"{name:<24}{n:>6}{m:>7}{kb:>10.0f}{w:>10.2f}{load:>9.0f}{paint:>10.0f}{sw}")


if __name__ == "__main__":
    main()
