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

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.catalog.privilege import PrivilegeLevel
from desktop.core.catalog.query import (
    AppComparison,
    PermissionRow,
    azure_role_text,
    role_lines,
    role_text,
)
from desktop.core.errors import UserError

HIGH_PRIVILEGE_HEADER = "High privilege"
#: The CSV's own column for the level alone (the high-privilege column keeps the reason).
PRIVILEGE_LEVEL_HEADER = "Privilege level"
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
    #: What follows the table in the PDF: (heading, lines) such as the app's directory roles
    #: and notes, which a customer's admin needs besides the permissions.
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"row has {len(row)} cells, expected {len(self.headers)}")


#: How a marker cell starts ("Critical: ..." or "High privilege: ..."), to tell it from a blank.
MARKER_PREFIXES = tuple(f"{level.label}:" for level in PrivilegeLevel)


def marker_text(reason: str | None, level: PrivilegeLevel | None = None) -> str:
    """The high-privilege cell: a word, not a colour, and the reason with it."""
    if not reason:
        return ""
    return f"{(level or PrivilegeLevel.HIGH).label}: {reason}"


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
            marker_text(row.high_privilege_reason, row.privilege_level),
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
            marker_text(item.high_privilege_reason, item.privilege_level),
        )
        for item in comparison.rows()
    )
    title = f"Compare {comparison.app_a.label} with {comparison.app_b.label}"
    return ExportTable(title, headers, body, subtitle, len(headers) - 1)


def app_sections(catalog: Catalog, app: AppType) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The app's directory roles, Azure roles and notes, as sections for an export."""
    roles = tuple(f"{line.role}: {role_text(line)}" for line in role_lines(app))
    sections = [
        (
            f"Directory roles of {app.label}",
            roles or ("This app needs no Microsoft Entra directory roles.",),
        )
    ]
    if app.azure_roles:
        sections.append(("Azure roles", tuple(azure_role_text(r) for r in app.azure_roles)))
    if app.notes:
        sections.append(("Notes", tuple(app.notes)))
    return tuple(sections)


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_columns(table: ExportTable) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The CSV's headers and rows: before the high-privilege column (kept as it was), a
    column with the privilege level alone (Critical, High privilege or empty), which a
    spreadsheet filters and sorts on."""
    mark = table.marker_column
    if mark < 0:
        return table.headers, list(table.rows)
    headers = (*table.headers[:mark], PRIVILEGE_LEVEL_HEADER, *table.headers[mark:])
    rows = [(*row[:mark], row[mark].partition(": ")[0], *row[mark:]) for row in table.rows]
    return headers, rows


def table_to_csv(table: ExportTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers, rows = _csv_columns(table)
    writer.writerow(headers)
    writer.writerows([_safe_cell(c) for c in row] for row in rows)
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
h2 { font-size: 11pt; margin-top: 10pt; margin-bottom: 2pt; }
p.sub { color: #444444; margin-top: 0; }
th { background-color: #e6e6e6; text-align: left; font-weight: bold; }
"""


#: About how many characters of the PDF's 8-point text fit across a landscape A4 page's table,
#: and the room a cell's padding and border take, in characters.
_LINE_CHARS = 165
_CELL_PADDING_CHARS = 2
#: A word longer than this (a few permission names) may wrap after its dots, so that one name
#: does not take a third of the page. Shorter words never break, which keeps them copyable.
LONG_WORD = 40
_BREAK_AFTER_DOT = ".\u200b"  # a zero-width space: a line-break opportunity, invisible


def _words(text: str) -> list[str]:
    """The pieces of *text* that must stay on one line."""
    pieces: list[str] = []
    for word in text.split() or [""]:
        if len(word) > LONG_WORD:
            pieces.extend(part + "." for part in word.split("."))
        else:
            pieces.append(word)
    return pieces


def _breakable(text: str) -> str:
    return " ".join(
        w.replace(".", _BREAK_AFTER_DOT) if len(w) > LONG_WORD else w for w in text.split(" ")
    )


def column_widths(table: ExportTable) -> list[int]:
    """Percent widths for the PDF's columns, from their contents.

    Each column first gets room for its longest word (a permission name such as
    ``DeviceManagementServiceConfig.ReadWrite.All`` is one word), so no word has to break;
    the rest of the line is shared by how much text each column holds on average.
    """
    columns = list(zip(table.headers, *table.rows, strict=True)) if table.rows else []
    if not columns:
        return [100 // max(1, len(table.headers))] * len(table.headers)
    need = [max(len(w) for cell in col for w in _words(cell)) for col in columns]
    need = [n + _CELL_PADDING_CHARS for n in need]
    average = [sum(len(cell) for cell in col) / len(col) for col in columns]
    extra = max(0, _LINE_CHARS - sum(need))
    total_average = sum(average) or 1.0
    chars = [n + extra * a / total_average for n, a in zip(need, average, strict=True)]
    scale = 100 / max(sum(chars), _LINE_CHARS)
    return [max(1, int(c * scale)) for c in chars]


def _marker_cell(text: str) -> str:
    label, _, reason = text.partition(": ")
    return f'<td class="hp"><b>{html.escape(label)}:</b> {html.escape(reason)}</td>'


def table_to_html(table: ExportTable, *, footer: str = "") -> str:
    """*table* as an HTML document for Qt's rich-text printer.

    The header row is a ``<thead>``, which Qt repeats at the top of every page.
    """
    esc = html.escape
    widths = column_widths(table)
    head = "".join(
        f'<th width="{w}%">{esc(h)}</th>' for h, w in zip(table.headers, widths, strict=True)
    )
    body_rows = []
    for row in table.rows:
        cells = "".join(
            _marker_cell(c) if i == table.marker_column and c else f"<td>{_breakable(esc(c))}</td>"
            for i, c in enumerate(row)
        )
        body_rows.append(f"<tr>{cells}</tr>")
    count = f"{len(table.rows)} row{'s' if len(table.rows) != 1 else ''}"
    subtitle = " · ".join(part for part in (table.subtitle, count) if part)
    empty = "" if table.rows else "<p>No permissions match this view.</p>"
    sections = "".join(
        f"<h2>{esc(heading)}</h2><ul>{''.join(f'<li>{esc(line)}</li>' for line in lines)}</ul>"
        for heading, lines in table.sections
    )
    parts: Sequence[str] = (
        "<html><head><meta charset='utf-8'>",
        f"<title>{esc(table.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(table.title)}</h1>",
        f'<p class="sub">{esc(subtitle)}</p>',
        '<table border="1" cellspacing="0" cellpadding="3" width="100%">',
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>",
        empty,
        sections,
        f'<p class="sub">{esc(footer)}</p>' if footer else "",
        "</body></html>",
    )
    return "".join(parts)
