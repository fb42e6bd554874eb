"""SQLite's way of saying the disk is full (the store is the one place that speaks SQLite)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

#: Below this much free space an SQLite "disk I/O error" is taken to mean a full disk: SQLite
#: reports a failed write of its log or index as I/O, not as SQLITE_FULL.
LOW_SPACE_BYTES = 1 << 20


def _low_space(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def is_full_sqlite_error(exc: sqlite3.Error, path: Path) -> bool:
    """True when SQLite failed because the disk holding *path* is full."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return True
    io_error = name.startswith("SQLITE_IOERR") or "disk i/o error" in text
    return io_error and _low_space(path)
