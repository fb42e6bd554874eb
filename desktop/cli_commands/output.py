"""Render rows as a table, CSV or JSON for the CLI."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    columns: Sequence[str],
    *,
    headers: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> None:
    """Print *rows* in *fmt* (``table``, ``csv`` or ``json``) with *columns* in order."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump([{c: row.get(c) for c in columns} for row in rows], out, indent=2)
        out.write("\n")
        return
    titles = list(headers or columns)
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(titles)
        writer.writerows(cells)
        return
    widths = [max([len(t), *(len(r[i]) for r in cells)]) for i, t in enumerate(titles)]
    out.write("  ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def emit_object(obj: Mapping[str, Any], fmt: str, *, out: TextIO | None = None) -> None:
    """Print one object: JSON, or ``key: value`` lines."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(obj, out, indent=2)
        out.write("\n")
        return
    width = max((len(k) for k in obj), default=0)
    for key, value in obj.items():
        out.write(f"{key.ljust(width)}  {_cell(value)}\n")
