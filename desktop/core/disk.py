"""Telling a full disk apart from other write failures, and saying so plainly.

A full disk is the one write failure with a sure remedy (free some space and try again), and
the one where the usual advice for a damaged file (restore a backup) would throw away data.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from desktop.core.errors import UserError

#: Below this much free space an SQLite "disk I/O error" is taken to mean a full disk: SQLite
#: reports a failed write of its log or index as I/O, not as SQLITE_FULL.
LOW_SPACE_BYTES = 1 << 20

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_full_os_error(exc: BaseException) -> bool:
    """True for an OSError that says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS


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


def disk_full_error(path: Path, *, lost_nothing: str, detail: str = "") -> UserError:
    """The one message for a full disk: where, that nothing was lost, and what to do."""
    return UserError(
        f"The disk is full: {path} could not be written. {lost_nothing}",
        remedy="Free some space on that disk, then try again.",
        detail=detail,
    )
