"""Time the permissions viewer's work over the shipped catalog: search, CSV and PDF export.

Each figure is printed with a ratio against a baseline measured in the same run: the search
against a naive substring test over each row's joined text, the CSV export against the csv
module writing the same cells, and the paginated PDF against Qt printing the same HTML as one
plain QTextDocument (no repeated headers, no page footers).

Run: ``QT_QPA_PLATFORM=offscreen python -m benchmarks.permissions_viewer``
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop.controllers.pdf import html_to_pdf
from desktop.core.catalog.export import permissions_table, table_to_html, write_csv
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.query import RowFilter, filter_rows, permission_rows


def seconds(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    return (time.perf_counter() - start) / repeat, result


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    elapsed, result = seconds(fn, repeat)
    print(f"{label}: {elapsed * 1000:.2f} ms")
    return result


def compared(label: str, ours, baseline, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Time *ours* and *baseline* alternately and print both with their ratio."""
    ours_s, result = seconds(ours, repeat)
    base_s, _ = seconds(baseline, repeat)
    ours_s = min(ours_s, seconds(ours, repeat)[0])
    base_s = min(base_s, seconds(baseline, repeat)[0])
    print(
        f"{label}: {ours_s * 1000:.2f} ms; baseline {base_s * 1000:.2f} ms; "
        f"ratio {ours_s / base_s:.2f}"
    )
    return result


def plain_pdf(html: str) -> bytes:
    """The baseline PDF: Qt prints the same HTML as one document, with no layout of our own."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    buffer.close()
    return bytes(data.data())


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - fonts need a GUI application
    catalog = timed("load shipped catalog", load_shipped)
    rows = timed("all permission rows", lambda: permission_rows(catalog), 50)
    print(f"rows: {len(rows)}")
    joined = [
        " ".join((r.app_type, r.api, r.permission, r.description, r.type.value)).casefold()
        for r in rows
    ]  # fmt: skip
    compared(
        "search 'readwrite graph' (all rows)",
        lambda: filter_rows(rows, RowFilter(search="readwrite graph")),
        lambda: [j for j in joined if "readwrite" in j and "graph" in j],
        200,
    )
    table = permissions_table("Permissions of every app type", rows)
    html = table_to_html(table)
    with tempfile.TemporaryDirectory() as folder:

        def plain_csv() -> None:
            with open(Path(folder) / "plain.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(table.headers)
                writer.writerows(table.rows)

        compared(
            "CSV export (all rows)",
            lambda: write_csv(table, Path(folder) / "all.csv"),
            plain_csv,
            20,
        )
        pdf = compared(
            "PDF render (all rows)",
            lambda: html_to_pdf(table_to_html(table), table.title),
            lambda: plain_pdf(html),
        )
        path = Path(folder) / "all.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
        pages = [line for line in info.stdout.splitlines() if line.startswith("Pages:")]
        print(f"PDF: {len(pdf) // 1024} KiB, {pages[0].split()[-1] if pages else '?'} pages")


if __name__ == "__main__":
    main()
