"""Export a view of permissions for a customer's security team: CSV, and HTML for the PDF.

An :class:`ExportTable` is exactly what the technician sees (the current view's columns and
rows, in its order). :func:`write_csv` writes it atomically; :func:`table_to_html` lays it out
as a titled document that the GUI prints to PDF with Qt (core never imports Qt).
"""

from __future__ import annotations

import csv
import html
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.catalog.query import AppComparison, PermissionRow
from desktop.core.errors import UserError

HIGH_PRIVILEGE_HEADER = "High privilege"
#: Cells starting with these would be run as formulas by spreadsheet apps (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportTable:
    """A titled table of strings, ready to write."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    subtitle: str = ""
    #: Index of the high-privilege column, which the PDF shows in bold; -1 if none.
    marker_column: int = -1

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"row has {len(row)} cells, expected {len(self.headers)}")


def marker_text(reason: str | None) -> str:
    """The high-privilege cell: a word, not a colour, and the reason with it."""
    return f"High privilege: {reason}" if reason else ""


def permissions_table(
    title: str, rows: Iterable[PermissionRow], *, with_app_type: bool = True, subtitle: str = ""
) -> ExportTable:
    """Permission rows as a table with the viewer's columns."""
    headers: tuple[str, ...] = ("API", "Permission", "Description", "Type", HIGH_PRIVILEGE_HEADER)
    if with_app_type:
        headers = ("App type", *headers)
    body = []
    for row in rows:
        cells: tuple[str, ...] = (
            row.api,
            row.permission,
            row.description,
            row.type.value,
            marker_text(row.high_privilege_reason),
        )
        body.append((row.app_type, *cells) if with_app_type else cells)
    return ExportTable(title, headers, tuple(body), subtitle, len(headers) - 1)


def comparison_table(comparison: AppComparison, *, subtitle: str = "") -> ExportTable:
    headers = ("Required by", "API", "Permission", "Description", "Type", HIGH_PRIVILEGE_HEADER)
    body = tuple(
        (
            comparison.side_label(item.side),
            item.permission.api,
            item.permission.name,
            item.permission.description,
            item.permission.type.value,
            marker_text(item.high_privilege_reason),
        )
        for item in comparison.rows()
    )
    title = f"Compare {comparison.app_a.label} with {comparison.app_b.label}"
    return ExportTable(title, headers, body, subtitle, len(headers) - 1)


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def table_to_csv(table: ExportTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_safe_cell(c) for c in row] for row in table.rows)
    return buffer.getvalue()


def write_csv(table: ExportTable, path: Path) -> Path:
    """Write *table* as UTF-8 CSV (with a BOM, so Excel reads the accents) to *path*."""
    write_atomically(path, table_to_csv(table).encode("utf-8-sig"))
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace *path* with *data* all at once: a failed write never leaves half a file."""
    path = Path(path)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise _write_error(path, exc) from exc


def _write_error(path: Path, exc: OSError) -> UserError:
    return UserError(
        f"Could not save {path.name}: {exc.strerror or exc}.",
        remedy="Choose another folder, or close the file if another program has it open.",
        detail=f"{path}: {exc}",
    )


_STYLE = """
body { font-family: sans-serif; font-size: 8pt; }
h1 { font-size: 15pt; margin-bottom: 2pt; }
p.sub { color: #444444; margin-top: 0; }
th { background-color: #e6e6e6; text-align: left; font-weight: bold; }
"""


#: Relative widths of known columns, so long permission names do not break mid-word.
_WIDTHS = {
    "App type": 14,
    "Required by": 14,
    "API": 12,
    "Permission": 22,
    "Description": 22,
    "Type": 8,
    HIGH_PRIVILEGE_HEADER: 22,
}


def _column_widths(headers: Sequence[str]) -> list[int]:
    raw = [_WIDTHS.get(h, 15) for h in headers]
    total = sum(raw) or 1
    return [round(100 * w / total) for w in raw]


def _marker_cell(text: str) -> str:
    label, _, reason = text.partition(": ")
    return f'<td class="hp"><b>{html.escape(label)}:</b> {html.escape(reason)}</td>'


def table_to_html(table: ExportTable, *, footer: str = "") -> str:
    """*table* as an HTML document for Qt's rich-text printer.

    The header row is a ``<thead>``, which Qt repeats at the top of every page.
    """
    esc = html.escape
    widths = _column_widths(table.headers)
    head = "".join(
        f'<th width="{w}%">{esc(h)}</th>' for h, w in zip(table.headers, widths, strict=True)
    )
    body_rows = []
    for row in table.rows:
        cells = "".join(
            _marker_cell(c) if i == table.marker_column and c else f"<td>{esc(c)}</td>"
            for i, c in enumerate(row)
        )
        body_rows.append(f"<tr>{cells}</tr>")
    count = f"{len(table.rows)} row{'s' if len(table.rows) != 1 else ''}"
    subtitle = " · ".join(part for part in (table.subtitle, count) if part)
    empty = "" if table.rows else "<p>No permissions match this view.</p>"
    parts: Sequence[str] = (
        "<html><head><meta charset='utf-8'>",
        f"<title>{esc(table.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(table.title)}</h1>",
        f'<p class="sub">{esc(subtitle)}</p>',
        '<table border="1" cellspacing="0" cellpadding="3" width="100%">',
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>",
        empty,
        f'<p class="sub">{esc(footer)}</p>' if footer else "",
        "</body></html>",
    )
    return "".join(parts)
