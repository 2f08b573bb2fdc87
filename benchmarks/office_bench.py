"""How fast are the Word, Excel and CSV exports and the import, and how big are the files?

Run: python benchmarks/office_bench.py  (prints a table; takes about a minute)

For the flagship model and a synthetic 1,000-node model: the Word report (without the
figure, which `render` benchmarks), the narrative, the workbook, the CSV folder, and the
import of the workbook and of the folder back to YAML (reading, decoding, writing and
checking the YAML), in-process, median of a few runs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from logicmodel.export import export, export_bytes
from logicmodel.export.sheets import write_csv_folder
from logicmodel.importing import import_model
from logicmodel.loader import load, load_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    big_doc = load_text(synthetic_model(1000))
    assert big_doc.model is not None
    models = {"flagship (25 nodes)": load(ROOT / "models" / "devolved_budgets.yaml"),
              "synthetic (1,000 nodes)": big_doc.model}
    print(f"{'model':<26}{'step':<22}{'median s':>10}{'size':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, model in models.items():
            repeat = 5 if len(model.nodes) < 100 else 2
            docx = export_bytes(model, "docx")
            xlsx = export_bytes(model, "xlsx")
            book = Path(tmp) / f"{len(model.nodes)}.xlsx"
            book.write_bytes(xlsx)
            folder = Path(tmp) / f"{len(model.nodes)}-csv"
            write_csv_folder(model, str(folder))
            csv_size = sum(f.stat().st_size for f in folder.iterdir())
            rows = [
                ("docx report", lambda m=model: export_bytes(m, "docx"), len(docx)),
                ("narrative (Markdown)", lambda m=model: export(m, "narrative"),
                 len(export(model, "narrative").encode())),
                ("xlsx workbook", lambda m=model: export_bytes(m, "xlsx"), len(xlsx)),
                ("csv folder", lambda m=model, f=folder: write_csv_folder(m, str(f)),
                 csv_size),
                ("import xlsx", lambda b=book: import_model([str(b)]), None),
                ("import csv folder", lambda f=folder: import_model([str(f)]), None),
            ]
            for step, fn, size in rows:
                seconds = median_seconds(fn, repeat)
                shown = f"{size / 1024:,.0f} KiB" if size is not None else ""
                print(f"{name:<26}{step:<22}{seconds:>10.3f}{shown:>12}")


if __name__ == "__main__":
    main()
