"""How long from saving a model to seeing it updated in `logicmodel serve`'s page?

Run: python benchmarks/serve_bench.py  (needs chromium, chromium-driver, watchfiles)

Starts `logicmodel serve` on a copy of a model, opens the page in headless
Chromium, then saves a new label ten times and, for each save, times until the
page shows it: the file event, the check, the layout, the page and the browser's
reload. The same for a save that breaks the model (time until the located
error shows). Milliseconds; median, then min and max.
"""

from __future__ import annotations

import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import synthetic_model

from tests.browser import start_browser, stop_browser

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "logicmodel"
SAVES = 10


def _until(driver: object, script: str, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if driver.execute_script(script):  # type: ignore[attr-defined]
                return
        except Exception:  # the page is reloading
            pass
        time.sleep(0.01)
    raise TimeoutError(script)


def measure(name: str, text: str, old_label: str, driver: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "model.yaml"
        model.write_text(text, encoding="utf-8")
        proc = subprocess.Popen([str(EXE), "serve", str(model), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert proc.stdout is not None
            url = re.search(r"at (http://\S+/) ", proc.stdout.readline()).group(1)  # type: ignore[union-attr]
            driver.get(url)  # type: ignore[attr-defined]
            updates, errors = [], []
            for i in range(SAVES):
                label = f"Saved label {i}"
                t = time.perf_counter()
                model.write_text(text.replace(old_label, label, 1), encoding="utf-8")
                _until(driver, f"return document.getElementById('lm-svg').textContent"
                       f".includes({label!r})")
                updates.append((time.perf_counter() - t) * 1000)
                time.sleep(0.3)
            for i in range(3):
                t = time.perf_counter()
                model.write_text(text.replace("kind: ", "kind: x", 1) + f"# {i}\n",
                                 encoding="utf-8")
                _until(driver, "const d = document.getElementById('lm-diagnostics');"
                       "return d && /model\\.yaml:\\d+:\\d+: LM\\d+ error/"
                       ".test(d.textContent)")
                errors.append((time.perf_counter() - t) * 1000)
                model.write_text(text, encoding="utf-8")
                _until(driver, "return /no problems|warning/.test("
                       "document.getElementById('lm-diagnostics').textContent)")
                time.sleep(0.3)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(15)
    print(f"{name:<24} save -> updated figure: median {statistics.median(updates):5.0f}"
          f"  (min {min(updates):.0f}, max {max(updates):.0f})")
    print(f"{'':<24} save -> located error:    median {statistics.median(errors):5.0f}"
          f"  (min {min(errors):.0f}, max {max(errors):.0f})")


def main() -> None:
    flagship = (ROOT / "models" / "devolved_budgets.yaml").read_text(encoding="utf-8")
    driver = start_browser()
    try:
        measure("flagship", flagship, "Families lack basic resources", driver)
        measure("synthetic 300 boxes", synthetic_model(300), "Input number 0 of stage 0",
                driver)
    finally:
        stop_browser(driver)


if __name__ == "__main__":
    main()
