"""Time the permissions viewer's work over the shipped catalog: search, CSV and PDF export.

Run: ``QT_QPA_PLATFORM=offscreen python -m benchmarks.permissions_viewer``
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from desktop.controllers.pdf import html_to_pdf
from desktop.core.catalog.export import permissions_table, table_to_html, write_csv
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.query import RowFilter, filter_rows, permission_rows


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label}: {elapsed * 1000:.2f} ms")
    return result


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - fonts need a GUI application
    catalog = timed("load shipped catalog", load_shipped)
    rows = timed("all permission rows", lambda: permission_rows(catalog), 50)
    print(f"rows: {len(rows)}")
    timed("search 'readwrite graph' (all rows)",
          lambda: filter_rows(rows, RowFilter(search="readwrite graph")), 200)  # fmt: skip
    table = permissions_table("Permissions of every app type", rows)
    with tempfile.TemporaryDirectory() as folder:
        timed("CSV export (all rows)", lambda: write_csv(table, Path(folder) / "all.csv"), 20)
        pdf = timed("PDF render (all rows)", lambda: html_to_pdf(table_to_html(table), table.title))
        path = Path(folder) / "all.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
        pages = [line for line in info.stdout.splitlines() if line.startswith("Pages:")]
        print(f"PDF: {len(pdf) // 1024} KiB, {pages[0].split()[-1] if pages else '?'} pages")


if __name__ == "__main__":
    main()
