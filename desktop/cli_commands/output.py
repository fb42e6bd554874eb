"""Render rows as a table, CSV or JSON for the CLI.

Tables are for a terminal: every cell is escaped (an ESC or a bidi override in a customer's name
could otherwise move the cursor, forge rows or reverse text) and the table fits
:data:`TABLE_WIDTH` columns, the widest cells cut with an ellipsis. CSV and JSON keep the data as
it is (JSON escapes what is not printable ASCII).
"""

from __future__ import annotations

import csv
import json
import sys
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

#: A table never gets wider than this; the longest columns are cut to fit.
TABLE_WIDTH = 120
#: Columns whose cells are never cut: a shortened ID cannot be typed back.
UNCUT_COLUMNS = frozenset({"id", "tenant_id", "status"})
#: The narrowest a cut column gets.
MIN_CUT_WIDTH = 8
GAP = "  "

#: Unicode categories shown escaped: controls, format characters (bidi overrides, zero-width
#: marks), line and paragraph separators, surrogates, unassigned and private-use code points.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def escape(text: str) -> str:
    """*text* with every character that could change how the terminal shows it escaped."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(
        _escape_char(ch) if unicodedata.category(ch) in _ESCAPED_CATEGORIES else ch for ch in text
    )


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{_cell(k)}: {_cell(v)}" for k, v in value.items())
    return escape(str(value))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def fit_widths(
    widths: list[int],
    titles: Sequence[str],
    columns: Sequence[str],
    limit: int,
    first: Sequence[str] = (),
) -> list[int]:
    """Column widths that fit *limit*: the *first* columns are narrowed before the others,
    and within each group the widest is narrowed first, down to the next widest."""
    widths = list(widths)
    room = limit - len(GAP) * (len(widths) - 1)
    floors = [
        w if c in UNCUT_COLUMNS else min(w, max(MIN_CUT_WIDTH, min(len(t), 16)))
        for w, t, c in zip(widths, titles, columns, strict=True)
    ]
    groups = [[i for i, c in enumerate(columns) if c in first], list(range(len(columns)))]
    for group in groups:
        while (excess := sum(widths) - room) > 0:
            candidates = [i for i in group if widths[i] > floors[i]]
            if not candidates:
                break  # even the floors do not fit: a wide table beats unreadable cells
            widest = max(candidates, key=lambda i: widths[i])
            runner_up = max((widths[i] for i in candidates if i != widest), default=0)
            # Down to the next widest (or less, if that is enough), never below the floor.
            target = max(floors[widest], runner_up - 1, widths[widest] - excess)
            widths[widest] = min(target, widths[widest] - 1)
    return widths


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    columns: Sequence[str],
    *,
    headers: Sequence[str] | None = None,
    out: TextIO | None = None,
    wrap: bool = False,
    narrow_first: Sequence[str] = (),
) -> None:
    """Print *rows* in *fmt* (``table``, ``csv`` or ``json``) with *columns* in order.

    A table too wide for :data:`TABLE_WIDTH` has its widest cells cut with an ellipsis, or
    with *wrap* continued on the next lines (for tables whose every word matters). The
    *narrow_first* columns give up their width before the others.
    """
    out = out or sys.stdout
    if fmt == "json":
        json.dump([{c: row.get(c) for c in columns} for row in rows], out, indent=2)
        out.write("\n")
        return
    titles = list(headers or columns)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(titles)
        writer.writerows([[_csv_cell(row.get(c)) for c in columns] for row in rows])
        return
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    natural = [max([len(t), *(len(r[i]) for r in cells)]) for i, t in enumerate(titles)]
    widths = fit_widths(natural, titles, columns, TABLE_WIDTH, narrow_first)

    def line(values: Sequence[str]) -> str:
        parts = (_cut(v, w).ljust(w) for v, w in zip(values, widths, strict=True))
        return GAP.join(parts).rstrip() + "\n"

    out.write(line(titles))
    out.write(GAP.join("-" * w for w in widths) + "\n")
    for row in cells:
        if not wrap:
            out.write(line(row))
            continue
        pieces = [_wrapped(v, w) for v, w in zip(row, widths, strict=True)]
        for i in range(max(len(p) for p in pieces)):
            out.write(line([p[i] if i < len(p) else "" for p in pieces]))


def _wrapped(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* characters, broken between words where it can."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _csv_cell(value: Any) -> str:
    """A CSV cell: the value as it is (no escaping), lists joined by commas, mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Lines):
        return "\n".join(value)
    if isinstance(value, list | tuple):
        return ", ".join(_csv_cell(v) for v in value)
    if isinstance(value, Mapping):  # ids and the like: JSON, which a script can read back
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit_object(obj: Mapping[str, Any], fmt: str, *, out: TextIO | None = None) -> None:
    """Print one object: JSON, CSV (a header and one row), or ``key  value`` lines (a
    :class:`Lines` value one item a line, indented below its key)."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(obj, out, indent=2)
        out.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(list(obj))
        writer.writerow([_csv_cell(v) for v in obj.values()])
        return
    width = max((len(k) for k in obj), default=0)
    for key, value in obj.items():
        if isinstance(value, Lines):
            out.write(f"{key.ljust(width)}  {'' if value else 'none'}".rstrip() + "\n")
            for item in value:
                out.write(f"  {escape(item)}\n")
            continue
        out.write(f"{key.ljust(width)}  {_cell(value)}\n")


class Lines(list[str]):
    """A value :func:`emit_object` shows one item a line (a history, say), not comma-joined."""
