"""Read a CLI table back into rows, the way a technician's eye does: columns by the dashes under
the headers, and a wrapped cell continued on the lines below until the next row starts."""

from __future__ import annotations


def columns(dashes: str) -> list[tuple[int, int]]:
    """The (start, end) of each column, from the line of dashes under the headers."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in dashes.split("  "):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def parse_table(text: str, starts_row: str) -> list[dict[str, str]]:
    """Rows of a table; a line whose *starts_row* cell is empty continues the row above."""
    lines = text.splitlines()
    spans = columns(lines[1])
    headers = [lines[0][a:b].strip() for a, b in spans]
    key = headers.index(starts_row)
    rows: list[dict[str, list[str]]] = []
    for line in lines[2:]:
        cells = [line[a:b].strip() for a, b in spans]
        if cells[key] or not rows:
            rows.append({h: [] for h in headers})
        for header, cell in zip(headers, cells, strict=True):
            if cell:
                rows[-1][header].append(cell)
    return [{h: " ".join(parts) for h, parts in row.items()} for row in rows]
